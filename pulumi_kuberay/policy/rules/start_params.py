"""``rayStartParams``: string values, and a head that runs no workloads.

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#ray-start-parameters
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_kuberay.policy.manifest_reading import UNKNOWN, lookup
from pulumi_kuberay.policy.model import Enforcement, Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.paths import child
from pulumi_kuberay.policy.ray_objects import Group, cluster_specs, groups, worker_groups
from pulumi_kuberay.policy.remediation import as_dict, ensure_dict, fixed_copy
from pulumi_kuberay.policy.rules import docs

# --- ray-start-params-strings --------------------------------------------------------------


def quoted(value: Any) -> str:
    """The string a non-string start parameter means: ``0`` -> ``"0"``, ``True`` -> ``"true"``,
    a mapping (``resources``) -> its JSON text, as ``ray start`` expects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(", ", ": "))
    return str(value)


def non_string_start_params(manifest: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """``(path, key, value)`` for every ``rayStartParams`` value that is not a string (unknown
    values are skipped)."""
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            params = group.spec.get("rayStartParams")
            if not isinstance(params, Mapping):
                continue
            for key, value in params.items():
                if not isinstance(value, str) and value is not UNKNOWN:
                    yield child(f"{group.path}.rayStartParams", str(key)), str(key), value


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", dict: "a mapping"}.get(
        type(value), f"a {type(value).__name__}"
    )


def check_start_params_strings(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for path, key, value in non_string_start_params(manifest):
        if value is None:
            yield Violation(path, f"is null; give it a string value or remove {key}")
        else:
            yield Violation(
                path,
                f"{value!r} is {_type_name(value)}, but rayStartParams values must be strings "
                f"(the CRD is map[string]string and the API server rejects anything else); "
                f"quote it: {key}: {json.dumps(quoted(value))}",
            )


def quote_start_params(manifest: Manifest, settings: Settings) -> Manifest:
    fixed = fixed_copy(manifest)
    for cluster in cluster_specs(fixed):
        for group in groups(cluster):
            params = group.spec.get("rayStartParams")
            if not isinstance(params, dict):
                continue
            for key, value in list(params.items()):
                if value is None:
                    del params[key]
                elif not isinstance(value, str) and value is not UNKNOWN:
                    params[key] = quoted(value)
    return fixed


RAY_START_PARAMS_STRINGS = Rule(
    id="ray-start-params-strings",
    severity=Severity.HIGH,
    description="rayStartParams values are strings",
    reason=(
        "rayStartParams is map[string]string in the CRD: the API server rejects a number or a "
        "boolean (num-cpus: 0, block: true), so the deploy fails. Quote every value."
    ),
    url=docs.RAY_START_PARAMS,
    check=check_start_params_strings,
    enforcement=Enforcement.MANDATORY,
    remediate=quote_start_params,
)

# --- head-runs-no-workloads ----------------------------------------------------------------


def _head_cpu_setting(head: Group) -> tuple[str, Any] | None:
    """Where the head's logical CPUs are set and the value: ``headGroupSpec.resources.CPU`` when
    the group uses the resources field (KubeRay >= 1.5), else ``rayStartParams.num-cpus``.
    ``None`` when that part of the spec is not known yet."""
    resources = head.spec.get("resources")
    if resources is UNKNOWN:
        return None
    if isinstance(resources, Mapping) and resources:
        return f"{head.path}.resources.CPU", resources.get("CPU")
    params = head.spec.get("rayStartParams")
    if params is UNKNOWN:
        return None
    return f"{head.path}.rayStartParams.num-cpus", lookup(params, "num-cpus")


def _is_zero(value: Any) -> bool:
    try:
        return float(str(value)) == 0
    except ValueError:
        return False


def _heads_running_workloads(manifest: Mapping[str, Any]) -> Iterator[tuple[Group, str, Any]]:
    for cluster in cluster_specs(manifest):
        if not worker_groups(cluster):
            continue
        head = next((g for g in groups(cluster) if g.is_head), None)
        setting = _head_cpu_setting(head) if head is not None else None
        if head is None or setting is None:
            continue
        path, value = setting
        if value is not UNKNOWN and not _is_zero(value):
            yield head, path, value


def check_head_runs_no_workloads(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for _head, path, value in _heads_running_workloads(manifest):
        now = "is not set" if value is None else f"is {value!r}"
        key = path.rsplit(".", 1)[-1]
        yield Violation(
            path,
            f"{now}, so Ray schedules tasks and actors on the head, which also runs the GCS: a "
            f"workload that exhausts the head's memory takes the whole cluster down; set "
            f'{key}: "0" (the cluster has worker groups for the work)',
        )


def head_num_cpus_zero(manifest: Manifest, settings: Settings) -> Manifest:
    fixed = fixed_copy(manifest)
    for head, path, _value in list(_heads_running_workloads(fixed)):
        spec = as_dict(head.spec)
        if path.endswith(".resources.CPU"):
            ensure_dict(spec, "resources")["CPU"] = "0"
        else:
            ensure_dict(spec, "rayStartParams")["num-cpus"] = "0"
    return fixed


HEAD_RUNS_NO_WORKLOADS = Rule(
    id="head-runs-no-workloads",
    severity=Severity.MEDIUM,
    description='The head runs no workloads (num-cpus: "0") when the cluster has workers',
    reason=(
        "The head pod runs the GCS, the dashboard and the autoscaler. Tasks and actors scheduled "
        "there compete for its memory; if the head is OOM-killed the cluster fails. KubeRay "
        'recommends num-cpus: "0" on the head of any cluster with worker groups.'
    ),
    url=docs.LARGE_CLUSTERS,
    check=check_head_runs_no_workloads,
    remediate=head_num_cpus_zero,
)

RULES = (RAY_START_PARAMS_STRINGS, HEAD_RUNS_NO_WORKLOADS)

__all__ = ["HEAD_RUNS_NO_WORKLOADS", "RAY_START_PARAMS_STRINGS", "RULES", "non_string_start_params"]
