"""What the chart's templates and the operator's start-up would reject, checked at preview.

Rules read plain chart-shaped dicts and tolerate values they cannot read (the values model
reports those). Install guide:
https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_kuberay.models.error_paths import did_you_mean
from pulumi_kuberay.versions import (
    GATES_BY_NAME,
    OLDEST_SUPPORTED_OPERATOR_VERSION,
    feature_gates_for,
    parse_version,
)

BATCH_SCHEDULERS: Mapping[str, str] = {
    # Available in every release this library supports (1.3.0 is the oldest).
    "default": OLDEST_SUPPORTED_OPERATOR_VERSION,
    "volcano": OLDEST_SUPPORTED_OPERATOR_VERSION,
    "yunikorn": OLDEST_SUPPORTED_OPERATOR_VERSION,
    # "Starting with KubeRay v1.4.0, KubeRay integrates with the PodGroup API" (Ray docs).
    "scheduler-plugins": "1.4.0",
    # ray-project/kuberay#3886, merged after v1.4.2; v1.5.0 is the first release with it.
    "kai-scheduler": "1.5.0",
}
"""``batchScheduler.name`` values the operator accepts -> the first release that accepts them."""

# Chart defaults the rules need when a key is absent (values.yaml of chart 1.5.x).
DEFAULT_LEADER_ELECTION = True
DEFAULT_RBAC_ENABLE = True

NAMESPACE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


MISSING: Any = object()


def lookup(values: Any, *path: str) -> Any:
    current = values
    for key in path:
        if not isinstance(current, Mapping) or key not in current:
            return MISSING
        current = current[key]
    return current


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def plain_str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _batch_scheduler_problems(values: Mapping[str, Any]) -> list[str]:
    enabled = lookup(values, "batchScheduler", "enabled")
    name = lookup(values, "batchScheduler", "name")
    problems = []
    if enabled is True and isinstance(name, str) and name:
        problems.append(
            f"batchScheduler: the deprecated `enabled: true` (meaning volcano) and "
            f"`name: {name}` are both set, and the operator refuses to start with both; remove "
            "batchScheduler.enabled and keep batchScheduler.name"
        )
    if isinstance(name, str) and name and name not in BATCH_SCHEDULERS:
        choices = ", ".join(sorted(BATCH_SCHEDULERS))
        problems.append(
            f"batchScheduler.name: {name!r} is not a batch scheduler KubeRay supports, and the "
            f"operator would exit at start-up; use one of {choices}, or leave it empty for "
            f"none{did_you_mean(name, list(BATCH_SCHEDULERS))}"
        )
    return problems


def _tuning_problems(values: Mapping[str, Any]) -> list[str]:
    problems = []
    concurrency = lookup(values, "reconcileConcurrency")
    if _is_int(concurrency) and concurrency < 1:
        problems.append(
            f"reconcileConcurrency: {concurrency} is not a positive integer, and the chart "
            "refuses to render it; use 1 (the default) or more when the operator manages many "
            "custom resources"
        )
    qps = lookup(values, "kubeClient", "qps")
    if _is_number(qps) and qps <= 0:
        problems.append(
            f"kubeClient.qps: {qps} must be greater than 0 (0 silently falls back to "
            "client-go's default of 5 requests per second); use e.g. 100.0, the chart default"
        )
    burst = lookup(values, "kubeClient", "burst")
    if _is_int(burst) and burst < 0:
        problems.append(
            f"kubeClient.burst: {burst} must be 0 or more (the chart requires a non-negative "
            "integer); use e.g. 200, the chart default"
        )
    return problems


def _replica_problems(values: Mapping[str, Any]) -> list[str]:
    replicas = lookup(values, "replicas")
    if not _is_int(replicas):
        return []
    if replicas < 1:
        return [
            f"replicas: {replicas} is below 1 (the chart renders 0 as 1 through "
            "`replicas | default 1`, and the API server rejects a negative count); use 1, or 2 "
            "or more with leader election for high availability"
        ]
    leader_election = lookup(values, "leaderElectionEnabled")
    if leader_election is MISSING:
        leader_election = DEFAULT_LEADER_ELECTION
    if replicas > 1 and leader_election is False:
        return [
            f"replicas: {replicas} operator pods with leaderElectionEnabled: false would all "
            "reconcile the same custom resources and fight over them; set "
            "leaderElectionEnabled: true (leader_election=True) or use 1 replica"
        ]
    return []


def _logging_problems(values: Mapping[str, Any]) -> list[str]:
    base_dir = lookup(values, "logging", "baseDir")
    file_name = lookup(values, "logging", "fileName")
    has_dir = isinstance(base_dir, str) and bool(base_dir)
    has_name = isinstance(file_name, str) and bool(file_name)
    if has_dir != has_name:
        return [
            "logging: baseDir and fileName must be set together (the chart writes a log file "
            "only when both are set and ignores one alone); set both, or neither"
        ]
    return []


def _configuration_problems(values: Mapping[str, Any]) -> list[str]:
    envs = lookup(values, "configuration", "defaultContainerEnvs")
    enabled = lookup(values, "configuration", "enabled")
    if isinstance(envs, list) and envs and enabled is not True:
        return [
            "configuration.defaultContainerEnvs: ignored unless configuration.enabled is true "
            "(the chart passes it to the operator only through its config file); set "
            "configuration.enabled: true"
        ]
    return []


def feature_gate_entries(values: Mapping[str, Any]) -> list[tuple[str, bool]] | None:
    """``featureGates`` as (name, enabled) pairs; ``None`` when absent or not plain data."""
    gates = lookup(values, "featureGates")
    if not isinstance(gates, list):
        return None
    entries = []
    for gate in gates:
        name, enabled = lookup(gate, "name"), lookup(gate, "enabled")
        if not isinstance(name, str) or not isinstance(enabled, bool):
            return None
        entries.append((name, enabled))
    return entries


def _feature_gate_problems(values: Mapping[str, Any]) -> list[str]:
    entries = feature_gate_entries(values) or []
    names = [name for name, _ in entries]
    return [
        f"featureGates: {name!r} is listed {names.count(name)} times and only the last entry "
        "counts; list each gate once"
        for name in dict.fromkeys(names)
        if names.count(name) > 1
    ]


def _watch_namespace_problems(values: Mapping[str, Any]) -> list[str]:
    watched = plain_str_list(lookup(values, "watchNamespace"))
    if watched is None:
        return []
    problems = []
    for index, namespace in enumerate(watched):
        if len(namespace) > 63 or not NAMESPACE_NAME.match(namespace):
            problems.append(
                f"watchNamespace[{index}]: {namespace!r} is not a namespace name (a DNS-1123 "
                "label: lowercase letters, digits and '-', at most 63 characters); fix the name"
            )
    single = lookup(values, "singleNamespaceInstall") is True
    for namespace in dict.fromkeys(watched):
        if watched.count(namespace) > 1:
            why = (
                " (with singleNamespaceInstall the chart renders the same Role twice and the "
                "install fails)"
                if single
                else ""
            )
            problems.append(
                f"watchNamespace: {namespace!r} is listed more than once{why}; list each "
                "namespace once"
            )
    return problems


def values_problems(values: Mapping[str, Any]) -> list[str]:
    """What the chart or the operator would reject in ``values``, whatever the operator release.

    Keys that are absent mean the chart's defaults. Each message names the key, what is wrong
    and the fix.
    """
    return [
        *_batch_scheduler_problems(values),
        *_tuning_problems(values),
        *_replica_problems(values),
        *_logging_problems(values),
        *_configuration_problems(values),
        *_feature_gate_problems(values),
        *_watch_namespace_problems(values),
    ]


def version_problems(values: Mapping[str, Any], operator_version: str) -> list[str]:
    """What operator release ``operator_version`` would reject: unknown gates, newer schedulers."""
    release = parse_version(operator_version)
    known = feature_gates_for(operator_version)
    catalogue = GATES_BY_NAME
    problems = []
    for name, _ in feature_gate_entries(values) or []:
        if name in known:
            continue
        gate = catalogue.get(name)
        if gate is not None and release < parse_version(gate.since):
            problems.append(
                f"featureGates: {name!r} needs KubeRay {gate.since} or newer, and this operator "
                f"is {operator_version}; upgrade the operator (version=) or remove the gate"
            )
            continue
        if gate is not None:
            problems.append(
                f"featureGates: {name!r} was removed in KubeRay {gate.removed}, and operator "
                f"{operator_version} exits at start-up on a gate it does not know; remove it"
            )
            continue
        choices = ", ".join(sorted(known)) or "none"
        problems.append(
            f"featureGates: {name!r} is not a feature gate of KubeRay {operator_version} (gates "
            f"there: {choices}), and the operator exits at start-up on an unknown gate; remove "
            f"it or fix the name{did_you_mean(name, list(catalogue))}"
        )
    name = lookup(values, "batchScheduler", "name")
    since = BATCH_SCHEDULERS.get(name) if isinstance(name, str) else None
    if since is not None and release < parse_version(since):
        problems.append(
            f"batchScheduler.name: {name!r} needs KubeRay {since} or newer, and this operator is "
            f"{operator_version}; upgrade the operator (version=) or choose another scheduler"
        )
    return problems


def check_operator_values(values: Mapping[str, Any], *, operator_version: str) -> list[str]:
    """Every problem of ``values`` for operator release ``operator_version`` (empty when fine)."""
    return list(
        dict.fromkeys([*values_problems(values), *version_problems(values, operator_version)])
    )


def leaves(
    values: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    for key, value in values.items():
        if isinstance(value, Mapping) and value:
            yield from leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value
