"""Typed values of the ``kuberay-operator`` Helm chart, and the rules its templates and the
operator apply to them.

Helm silently ignores a misspelt values key (``leaderElection`` instead of ``leaderElectionEnabled``
installs the default), and a value the operator rejects only shows as a crash-looping Deployment.
The models here use the chart's exact key names, reject unknown keys, and the rule functions
report at preview what the chart or the operator's start-up would reject.

Everything in this module is pure: the ``KubeRayOperator`` component only calls
:func:`plan_operator_install` and creates resources from the plan.

- Chart: https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
- Install guide: https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
- RBAC modes: https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/helm-chart-rbac.html
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import pydantic
import yaml
from pydantic import Field, model_validator
from typing_extensions import Self

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.spec.base import CrdModel
from pulumi_kuberay.spec.capabilities import OperatorCapabilities
from pulumi_kuberay.spec.core_types import (
    EnvVar,
    ResourceRequirements,
    SecurityContext,
    kubernetes_shape,
)
from pulumi_kuberay.spec.error_paths import allowed_keys, did_you_mean, error_path
from pulumi_kuberay.versions import (
    DEFAULT_OPERATOR_VERSION,
    FEATURE_GATES,
    OLDEST_SUPPORTED_OPERATOR_VERSION,
    feature_gates_for,
    parse_version,
)

CHART_DOCS = "https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator"
RBAC_DOCS = "https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/helm-chart-rbac.html"

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
_DEFAULT_LEADER_ELECTION = True
_DEFAULT_RBAC_ENABLE = True

_NAMESPACE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


# --------------------------------------------------------------------------------------------
# The values model
# --------------------------------------------------------------------------------------------


Toleration = Annotated[dict[str, Any], kubernetes_shape("V1Toleration")]
Affinity = Annotated[dict[str, Any], kubernetes_shape("V1Affinity")]
PodSecurityContext = Annotated[dict[str, Any], kubernetes_shape("V1PodSecurityContext")]
LocalObjectReference = Annotated[dict[str, Any], kubernetes_shape("V1LocalObjectReference")]


class ChartValues(CrdModel):
    """Base of the values models: the chart's key names as aliases, unknown keys rejected."""

    def to_values(self) -> dict[str, Any]:
        """The keys that were set, with the chart's names, nothing added."""
        return self.to_dict()


class ImageValues(ChartValues):
    """``image``: the operator container image."""

    repository: str | None = None
    tag: str | None = None
    pull_policy: Literal["Always", "IfNotPresent", "Never"] | None = None


class ServiceAccountValues(ChartValues):
    """``serviceAccount``: create one, and its name."""

    create: bool | None = None
    name: str | None = None


class LoggingValues(ChartValues):
    """``logging``: encoders for stdout and the optional log file (``baseDir``/``fileName``)."""

    stdout_encoder: Literal["json", "console", ""] | None = None
    file_encoder: Literal["json", "console", ""] | None = None
    base_dir: str | None = None
    file_name: str | None = None
    size_limit: str | int | None = None


class BatchSchedulerValues(ChartValues):
    """``batchScheduler``: ``name`` (volcano, yunikorn, ...) or the deprecated ``enabled``."""

    enabled: bool | None = None
    name: str | None = None


class ConfigurationValues(ChartValues):
    """``configuration``: run the operator from a mounted config file instead of flags."""

    enabled: bool | None = None
    default_container_envs: list[EnvVar] | None = None


class FeatureGateValues(ChartValues):
    """One ``featureGates`` entry; the chart renders ``--feature-gates=name=enabled,...``."""

    name: str
    enabled: bool


class ServiceMonitorValues(ChartValues):
    """``metrics.serviceMonitor``: a Prometheus Operator ServiceMonitor for the operator."""

    enabled: bool | None = None
    interval: str | None = None
    honor_labels: bool | None = None
    selector: dict[str, str] | None = None
    namespace: str | None = None


class MetricsValues(ChartValues):
    """``metrics``: control-plane metrics of the operator."""

    enabled: bool | None = None
    service_monitor: ServiceMonitorValues | None = None


class KubeClientValues(ChartValues):
    """``kubeClient``: rate limits of the operator's Kubernetes API client."""

    qps: float | None = None
    burst: int | None = None


class ProbeValues(ChartValues):
    """``livenessProbe`` / ``readinessProbe``: the three timings the chart's template reads."""

    initial_delay_seconds: int | None = Field(default=None, ge=0)
    period_seconds: int | None = Field(default=None, ge=1)
    failure_threshold: int | None = Field(default=None, ge=1)


class ServiceValues(ChartValues):
    """``service``: the Service in front of the operator's metrics port."""

    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] | None = None
    port: int | None = Field(default=None, ge=1, le=65535)


class OperatorValues(ChartValues):
    """Every key of the ``kuberay-operator`` chart's ``values.yaml`` (chart 1.5.x), typed.

    Attributes are snake_case; the chart's names are the aliases, so both
    ``OperatorValues(leader_election_enabled=True)`` and
    ``OperatorValues.from_values({"leaderElectionEnabled": True})`` work. Unset keys keep the
    chart's defaults: :meth:`to_values` dumps only what was set. Keys of newer charts that this
    model lacks go through the component's ``raw_values``.
    See https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
    """

    name_override: str | None = None
    fullname_override: str | None = None
    component_override: str | None = None
    replicas: int | None = None
    image: ImageValues | None = None
    image_pull_secrets: list[LocalObjectReference] | None = None
    node_selector: dict[str, str] | None = None
    priority_class_name: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    affinity: Affinity | None = None
    tolerations: list[Toleration] | None = None
    service_account: ServiceAccountValues | None = None
    logging: LoggingValues | None = None
    batch_scheduler: BatchSchedulerValues | None = None
    configuration: ConfigurationValues | None = None
    feature_gates: list[FeatureGateValues] | None = None
    metrics: MetricsValues | None = None
    operator_command: str | None = None
    use_kubernetes_proxy: bool | None = None
    leader_election_enabled: bool | None = None
    reconcile_concurrency: int | None = None
    kube_client: KubeClientValues | None = None
    rbac_enable: bool | None = None
    cr_namespaced_rbac_enable: bool | None = None
    single_namespace_install: bool | None = None
    watch_namespace: list[str] | None = None
    env: list[EnvVar] | None = None
    resources: ResourceRequirements | None = None
    liveness_probe: ProbeValues | None = None
    readiness_probe: ProbeValues | None = None
    pod_security_context: PodSecurityContext | None = None
    security_context: SecurityContext | None = None
    service: ServiceValues | None = None

    @model_validator(mode="after")
    def _chart_rules(self) -> Self:
        problems = values_problems(self.to_values())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> OperatorValues:
        """Parse chart values (a ``values.yaml`` mapping).

        Raises :class:`pulumi_kuberay.ValidationError` with one message per problem: unknown
        keys (with the closest chart key), wrong types, and the chart's own rules.
        """
        if not isinstance(values, Mapping):
            raise ValidationError(f"chart values must be a mapping, got {type(values).__name__}")
        try:
            return cls.model_validate(dict(values))
        except pydantic.ValidationError as exc:
            raise ValidationError(describe_values_errors(exc)) from None

    @classmethod
    def from_values_yaml(cls, path: str | os.PathLike[str]) -> OperatorValues:
        """Parse a ``values.yaml`` file."""
        with open(path, encoding="utf-8") as handle:
            return cls.from_yaml_text(handle.read())

    @classmethod
    def from_yaml_text(cls, text: str) -> OperatorValues:
        """Parse chart values written as YAML text (an empty document is no values)."""
        loaded = yaml.safe_load(text)
        return cls.from_values(loaded if loaded is not None else {})


# --------------------------------------------------------------------------------------------
# Pydantic errors -> messages in chart terms
# --------------------------------------------------------------------------------------------


def describe_values_errors(error: pydantic.ValidationError) -> list[str]:
    """Pydantic errors as chart-values messages: the key path, what is wrong, the fix."""
    messages: list[str] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path = error_path(loc)
        kind = item["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            messages.append(
                f"{path}: unknown key of the kuberay-operator chart values (Helm would silently "
                f"ignore it){did_you_mean(key, allowed_keys(OperatorValues, loc))}"
            )
        elif kind in ("model_type", "dict_type"):
            messages.append(f"{path}: expected a mapping, got {item.get('input')!r}")
        elif kind == "missing":
            messages.append(f"{path}: required key is missing")
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            messages.append(f"{path}: {item['input']!r} is not allowed; use one of {expected}")
        elif kind == "value_error":
            for part in str(item["msg"]).removeprefix("Value error, ").split("\n"):
                if not path:
                    messages.append(part)
                elif part.startswith(":"):
                    messages.append(f"{path}{part}")
                else:
                    messages.append(f"{path}.{part}")
        else:
            messages.append(f"{path}: {str(item['msg']).lower()} (got {item.get('input')!r})")
    return list(dict.fromkeys(messages))


# --------------------------------------------------------------------------------------------
# Rules over chart-shaped values (plain dicts; tolerant of values they cannot read)
# --------------------------------------------------------------------------------------------

_MISSING: Any = object()


def _get(values: Any, *path: str) -> Any:
    current = values
    for key in path:
        if not isinstance(current, Mapping) or key not in current:
            return _MISSING
        current = current[key]
    return current


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain_str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _batch_scheduler_problems(values: Mapping[str, Any]) -> list[str]:
    enabled = _get(values, "batchScheduler", "enabled")
    name = _get(values, "batchScheduler", "name")
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
    concurrency = _get(values, "reconcileConcurrency")
    if _is_int(concurrency) and concurrency < 1:
        problems.append(
            f"reconcileConcurrency: {concurrency} is not a positive integer, and the chart "
            "refuses to render it; use 1 (the default) or more when the operator manages many "
            "custom resources"
        )
    qps = _get(values, "kubeClient", "qps")
    if _is_number(qps) and qps <= 0:
        problems.append(
            f"kubeClient.qps: {qps} must be greater than 0 (0 silently falls back to "
            "client-go's default of 5 requests per second); use e.g. 100.0, the chart default"
        )
    burst = _get(values, "kubeClient", "burst")
    if _is_int(burst) and burst < 0:
        problems.append(
            f"kubeClient.burst: {burst} must be 0 or more (the chart requires a non-negative "
            "integer); use e.g. 200, the chart default"
        )
    return problems


def _replica_problems(values: Mapping[str, Any]) -> list[str]:
    replicas = _get(values, "replicas")
    if not _is_int(replicas):
        return []
    if replicas < 1:
        return [
            f"replicas: {replicas} is below 1 (the chart renders 0 as 1 through "
            "`replicas | default 1`, and the API server rejects a negative count); use 1, or 2 "
            "or more with leader election for high availability"
        ]
    leader_election = _get(values, "leaderElectionEnabled")
    if leader_election is _MISSING:
        leader_election = _DEFAULT_LEADER_ELECTION
    if replicas > 1 and leader_election is False:
        return [
            f"replicas: {replicas} operator pods with leaderElectionEnabled: false would all "
            "reconcile the same custom resources and fight over them; set "
            "leaderElectionEnabled: true (leader_election=True) or use 1 replica"
        ]
    return []


def _logging_problems(values: Mapping[str, Any]) -> list[str]:
    base_dir = _get(values, "logging", "baseDir")
    file_name = _get(values, "logging", "fileName")
    has_dir = isinstance(base_dir, str) and bool(base_dir)
    has_name = isinstance(file_name, str) and bool(file_name)
    if has_dir != has_name:
        return [
            "logging: baseDir and fileName must be set together (the chart writes a log file "
            "only when both are set and ignores one alone); set both, or neither"
        ]
    return []


def _configuration_problems(values: Mapping[str, Any]) -> list[str]:
    envs = _get(values, "configuration", "defaultContainerEnvs")
    enabled = _get(values, "configuration", "enabled")
    if isinstance(envs, list) and envs and enabled is not True:
        return [
            "configuration.defaultContainerEnvs: ignored unless configuration.enabled is true "
            "(the chart passes it to the operator only through its config file); set "
            "configuration.enabled: true"
        ]
    return []


def _feature_gate_entries(values: Mapping[str, Any]) -> list[tuple[str, bool]] | None:
    """``featureGates`` as (name, enabled) pairs; ``None`` when absent or not plain data."""
    gates = _get(values, "featureGates")
    if not isinstance(gates, list):
        return None
    entries = []
    for gate in gates:
        name, enabled = _get(gate, "name"), _get(gate, "enabled")
        if not isinstance(name, str) or not isinstance(enabled, bool):
            return None
        entries.append((name, enabled))
    return entries


def _feature_gate_problems(values: Mapping[str, Any]) -> list[str]:
    entries = _feature_gate_entries(values) or []
    names = [name for name, _ in entries]
    return [
        f"featureGates: {name!r} is listed {names.count(name)} times and only the last entry "
        "counts; list each gate once"
        for name in dict.fromkeys(names)
        if names.count(name) > 1
    ]


def _watch_namespace_problems(values: Mapping[str, Any]) -> list[str]:
    watched = _plain_str_list(_get(values, "watchNamespace"))
    if watched is None:
        return []
    problems = []
    for index, namespace in enumerate(watched):
        if len(namespace) > 63 or not _NAMESPACE_NAME.match(namespace):
            problems.append(
                f"watchNamespace[{index}]: {namespace!r} is not a namespace name (a DNS-1123 "
                "label: lowercase letters, digits and '-', at most 63 characters); fix the name"
            )
    single = _get(values, "singleNamespaceInstall") is True
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
    catalogue = {gate.name: gate for gate in FEATURE_GATES}
    problems = []
    for name, _ in _feature_gate_entries(values) or []:
        if name in known:
            continue
        gate = catalogue.get(name)
        if gate is not None:
            problems.append(
                f"featureGates: {name!r} needs KubeRay {gate.since} or newer, and this operator "
                f"is {operator_version}; upgrade the operator (version=) or remove the gate"
            )
            continue
        choices = ", ".join(sorted(known)) or "none"
        problems.append(
            f"featureGates: {name!r} is not a feature gate of KubeRay {operator_version} (gates "
            f"there: {choices}), and the operator exits at start-up on an unknown gate; remove "
            f"it or fix the name{did_you_mean(name, list(catalogue))}"
        )
    name = _get(values, "batchScheduler", "name")
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


# --------------------------------------------------------------------------------------------
# Advice: accepted settings whose consequences deserve a word at deploy time
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """A message for the deploy log; ``warning`` when something likely needs action."""

    level: Literal["warning", "info"]
    message: str


def _cr_rbac_advice(values: Mapping[str, Any], watched: list[str] | None) -> list[Advice]:
    if _get(values, "crNamespacedRbacEnable") is not False:
        return []
    rbac = _get(values, "rbacEnable")
    rbac_on = _DEFAULT_RBAC_ENABLE if rbac is _MISSING else rbac is True
    if not (rbac_on and _get(values, "singleNamespaceInstall") is True):
        return [
            Advice(
                "warning",
                "crNamespacedRbacEnable: false has no effect here: it applies only when "
                "rbacEnable and singleNamespaceInstall are both true; remove it",
            )
        ]
    where = (
        "the watched namespaces " + ", ".join(watched)
        if watched
        else "the operator's own namespace"
    )
    return [
        Advice(
            "warning",
            f"crNamespacedRbacEnable: false: the chart creates no Role or RoleBinding for the "
            f"operator in {where} (only the leader-election Role), so it cannot manage Pods, "
            "Services, Jobs or Ray custom resources there until someone else grants it. This "
            "setting is meant for clusters run by GitOps tools such as Argo CD, where those "
            f"Roles are created by another application; create them there. See {RBAC_DOCS}",
        )
    ]


def _single_namespace_advice(
    values: Mapping[str, Any], watched: list[str] | None, operator_namespace: str | None
) -> list[Advice]:
    if _get(values, "singleNamespaceInstall") is not True or not watched:
        return []
    outside = [ns for ns in watched if ns != operator_namespace]
    if not outside or _get(values, "rbacEnable") is False:
        return []
    if _get(values, "crNamespacedRbacEnable") is False:
        return []
    own = f"{operator_namespace!r}" if operator_namespace else "the operator's namespace"
    unwatched = (
        f" Custom resources in {own} itself are not reconciled."
        if operator_namespace and operator_namespace not in watched
        else ""
    )
    return [
        Advice(
            "info",
            f"singleNamespaceInstall with watchNamespace: the chart creates the operator's Role "
            f"and RoleBinding in {', '.join(outside)} (outside {own}, which gets only the "
            "leader-election Role), so those namespaces must exist before the chart is applied "
            "(create them first, or depend on them) and whoever runs the deployment needs RBAC "
            f"rights there.{unwatched}",
        )
    ]


def _image_advice(values: Mapping[str, Any], chart_version: str) -> list[Advice]:
    tag = _get(values, "image", "tag")
    if not isinstance(tag, str):
        return []
    try:
        tag_release = parse_version(tag)
    except ValueError:
        return [
            Advice(
                "warning",
                f"image.tag: {tag!r} is not a release version, so version checks use the chart "
                f"version {chart_version}; make sure the image is a build of that release",
            )
        ]
    if tag_release != parse_version(chart_version):
        return [
            Advice(
                "warning",
                f"image.tag: {tag!r} differs from the chart version {chart_version}: the CRDs "
                f"come from the chart and the operator from the image, so fields one side lacks "
                "are pruned or ignored; set version= to the release you want instead",
            )
        ]
    return []


def _null_advice(values: Mapping[str, Any]) -> list[Advice]:
    nulls = [".".join(path) for path, value in _leaves(values) if value is None]
    if not nulls:
        return []
    return [
        Advice(
            "warning",
            f"{', '.join(nulls)}: set to null, but Pulumi drops null values before they reach "
            "the chart, so the chart's defaults stay for these keys (null does not delete a "
            "default as it does in a Helm values file); set a value, or change the rendered "
            "resource with a transform",
        )
    ]


def operator_values_advice(
    values: Mapping[str, Any], *, chart_version: str, operator_namespace: str | None
) -> list[Advice]:
    """Warnings and notes about accepted ``values`` (never a reason to refuse the install)."""
    watched = _plain_str_list(_get(values, "watchNamespace"))
    return [
        *_cr_rbac_advice(values, watched),
        *_single_namespace_advice(values, watched, operator_namespace),
        *_image_advice(values, chart_version),
        *_null_advice(values),
    ]


# --------------------------------------------------------------------------------------------
# Decisions and rendering
# --------------------------------------------------------------------------------------------


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's way of layering values: mappings merge key by key; anything else, lists and
    ``None`` included, replaces."""
    merged: dict[str, Any] = dict(base)
    for key, value in overlay.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def decide_chart_version(version: str | None) -> str:
    """The chart version to install: ``version`` without a leading ``v``, else the default."""
    chosen = (version or DEFAULT_OPERATOR_VERSION).strip()
    chosen = chosen[1:] if chosen[:1] in ("v", "V") else chosen
    try:
        parse_version(chosen)
    except ValueError:
        raise ValidationError(
            f"version: {version!r} is not a chart version (expected MAJOR.MINOR.PATCH such as "
            f"{DEFAULT_OPERATOR_VERSION})"
        ) from None
    if parse_version(chosen) < parse_version(OLDEST_SUPPORTED_OPERATOR_VERSION):
        raise ValidationError(
            f"version: KubeRay {chosen} is older than {OLDEST_SUPPORTED_OPERATOR_VERSION}, the "
            f"oldest release this library supports; use version={DEFAULT_OPERATOR_VERSION!r} or "
            "another supported release"
        )
    return chosen


def decide_image_tag(chart_version: str) -> str:
    """The operator image tag for a chart version: the chart's own convention, ``v<version>``."""
    return f"v{chart_version}"


def decide_operator_version(chart_version: str, values: Mapping[str, Any]) -> str:
    """The operator release that will run: the image tag's version when it is one, else the
    chart's. Feature gates and batch schedulers are checked against the binary that parses them.
    """
    tag = _get(values, "image", "tag")
    if isinstance(tag, str):
        try:
            parse_version(tag)
        except ValueError:
            return chart_version
        return tag.strip().lstrip("vV")
    return chart_version


def ergonomic_values(
    *,
    feature_gates: Mapping[str, bool] | None = None,
    watch_namespaces: Sequence[str] | None = None,
    single_namespace: bool = False,
    batch_scheduler: str | None = None,
    leader_election: bool | None = None,
    reconcile_concurrency: int | None = None,
    resources: Mapping[str, Any] | None = None,
    metrics: bool | Mapping[str, Any] | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """Each given shortcut argument as (argument name, chart values it stands for).

    ``feature_gates`` renders only the gates named: the chart's list is replaced (Helm replaces
    lists), and gates not named keep the operator release's defaults, as with the chart's list.
    """
    pieces: list[tuple[str, dict[str, Any]]] = []
    if feature_gates is not None:
        gates = [{"name": name, "enabled": enabled} for name, enabled in feature_gates.items()]
        pieces.append(("feature_gates", {"featureGates": gates}))
    if watch_namespaces is not None:
        pieces.append(("watch_namespaces", {"watchNamespace": list(watch_namespaces)}))
    if single_namespace:
        pieces.append(("single_namespace", {"singleNamespaceInstall": True}))
    if batch_scheduler is not None:
        pieces.append(("batch_scheduler", {"batchScheduler": {"name": batch_scheduler}}))
    if leader_election is not None:
        pieces.append(("leader_election", {"leaderElectionEnabled": leader_election}))
    if reconcile_concurrency is not None:
        pieces.append(("reconcile_concurrency", {"reconcileConcurrency": reconcile_concurrency}))
    if resources is not None:
        pieces.append(("resources", {"resources": dict(resources)}))
    if isinstance(metrics, bool):
        pieces.append(("metrics", {"metrics": {"enabled": metrics}}))
    elif metrics is not None:
        pieces.append(("metrics", {"metrics": dict(metrics)}))
    return pieces


def _leaves(
    values: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    for key, value in values.items():
        if isinstance(value, Mapping) and value:
            yield from _leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def value_conflicts(
    typed: Mapping[str, Any], pieces: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[str]:
    """Keys set both by a shortcut argument and by ``values``, to different values."""
    typed_leaves = dict(_leaves(typed))
    problems = []
    for argument, piece in pieces:
        for path, value in _leaves(piece):
            if path in typed_leaves and typed_leaves[path] != value:
                problems.append(
                    f"{'.'.join(path)}: set to {value!r} by {argument}= and to "
                    f"{typed_leaves[path]!r} by values; set it in one place"
                )
    return problems


def render_operator_values(
    *,
    chart_version: str,
    values: OperatorValues | Mapping[str, Any] | None = None,
    shortcuts: Sequence[tuple[str, Mapping[str, Any]]] = (),
    raw_values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The values given to the chart, layered like Helm: the image tag for ``chart_version``,
    then the typed ``values``, then the ``shortcuts`` (from :func:`ergonomic_values`), then
    ``raw_values``, the unchecked escape hatch, merged last.

    Raises :class:`pulumi_kuberay.ValidationError` listing every problem.
    """
    typed = (
        values if isinstance(values, OperatorValues) else OperatorValues.from_values(values or {})
    )
    typed_dump = typed.to_values()
    pieces = list(shortcuts)
    problems = value_conflicts(typed_dump, pieces)
    layered = deep_merge({"image": {"tag": decide_image_tag(chart_version)}}, typed_dump)
    for _, piece in pieces:
        layered = deep_merge(layered, piece)
    try:
        OperatorValues.from_values(layered)
    except ValidationError as exc:
        problems += exc.problems
    final = deep_merge(layered, raw_values or {})
    operator_version = decide_operator_version(chart_version, final)
    problems += check_operator_values(final, operator_version=operator_version)
    problems = list(dict.fromkeys(problems))
    if problems:
        raise ValidationError(problems)
    return final


def operator_capabilities(
    values: Mapping[str, Any], *, operator_version: str, operator_namespace: str | None
) -> OperatorCapabilities:
    """What an operator installed with ``values`` can do, as validation of custom resources needs.

    Watched namespaces follow the chart: ``watchNamespace`` when non-empty; else, with
    ``singleNamespaceInstall``, the operator's own namespace (``None``, meaning unchecked, when
    that namespace is not a plain string); else ``None`` for every namespace. The batch
    scheduler is ``batchScheduler.name`` (``enabled: true`` means volcano; ``default`` means none).
    """
    watched = _plain_str_list(_get(values, "watchNamespace"))
    watch_namespaces: list[str] | None
    if watched:
        watch_namespaces = watched
    elif _get(values, "singleNamespaceInstall") is True and operator_namespace:
        watch_namespaces = [operator_namespace]
    else:
        watch_namespaces = None
    name = _get(values, "batchScheduler", "name")
    scheduler: str | None = None
    if isinstance(name, str) and name and name != "default":
        scheduler = name
    elif _get(values, "batchScheduler", "enabled") is True:
        scheduler = "volcano"
    return OperatorCapabilities(
        version=operator_version,
        feature_gates=dict(_feature_gate_entries(values) or []),
        watch_namespaces=watch_namespaces,
        batch_scheduler=scheduler,
    )


@dataclass(frozen=True)
class OperatorInstallPlan:
    """Everything the ``KubeRayOperator`` component needs, decided before any resource exists."""

    chart_version: str
    operator_version: str
    values: dict[str, Any]
    capabilities: OperatorCapabilities
    advice: list[Advice] = field(default_factory=list)


def plan_operator_install(
    *,
    version: str | None = None,
    operator_namespace: str | None = None,
    values: OperatorValues | Mapping[str, Any] | None = None,
    raw_values: Mapping[str, Any] | None = None,
    feature_gates: Mapping[str, bool] | None = None,
    watch_namespaces: Sequence[str] | None = None,
    single_namespace: bool = False,
    batch_scheduler: str | None = None,
    leader_election: bool | None = None,
    reconcile_concurrency: int | None = None,
    resources: Mapping[str, Any] | None = None,
    metrics: bool | Mapping[str, Any] | None = None,
) -> OperatorInstallPlan:
    """Decide chart version, values, capabilities and advice for an operator install.

    ``operator_namespace`` is the namespace the chart goes to when it is a plain string
    (``None`` when it is only known at deploy time). Raises
    :class:`pulumi_kuberay.ValidationError` listing every problem.
    """
    chart_version = decide_chart_version(version)
    shortcuts = ergonomic_values(
        feature_gates=feature_gates,
        watch_namespaces=watch_namespaces,
        single_namespace=single_namespace,
        batch_scheduler=batch_scheduler,
        leader_election=leader_election,
        reconcile_concurrency=reconcile_concurrency,
        resources=resources,
        metrics=metrics,
    )
    rendered = render_operator_values(
        chart_version=chart_version, values=values, shortcuts=shortcuts, raw_values=raw_values
    )
    operator_version = decide_operator_version(chart_version, rendered)
    return OperatorInstallPlan(
        chart_version=chart_version,
        operator_version=operator_version,
        values=rendered,
        capabilities=operator_capabilities(
            rendered, operator_version=operator_version, operator_namespace=operator_namespace
        ),
        advice=operator_values_advice(
            rendered, chart_version=chart_version, operator_namespace=operator_namespace
        ),
    )
