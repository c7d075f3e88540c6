"""The Kueue install, described once (:class:`KueueArgs`), and its plan: the chart version, the
chart values (feature gates, and the controller's Configuration with the Ray integrations) and
the capabilities queue objects and queued Ray objects are checked against.

Chart: ``oci://registry.k8s.io/kueue/charts/kueue``, its values at v0.19.2 in
``charts/kueue/values.yaml``; https://kueue.sigs.k8s.io/docs/installation/#install-by-helm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import yaml

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.error_paths import did_you_mean
from pulumi_kuberay.models.kueue.capabilities import (
    DEFAULT_FRAMEWORKS,
    RAY_INTEGRATIONS,
    ApiVersion,
    KueueCapabilities,
    QuotaCheckStrategy,
)
from pulumi_kuberay.models.kueue.feature_gates import ELASTIC_JOBS_GATE
from pulumi_kuberay.models.merging import deep_merge
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.versions import (
    DEFAULT_KUEUE_VERSION,
    KUEUE_CHART_NAME,
    KUEUE_CHART_REPOSITORY,
    parse_version,
)

CHART_VALUE_KEYS: Final = frozenset(
    {
        "nameOverride",
        "fullnameOverride",
        "enablePrometheus",
        "enableCertManager",
        "certManager",
        "enableVisibilityAPF",
        "enableMutatingAdmissionPolicy",
        "enableVisibilityAuthReaderRoleBinding",
        "enableKueueViz",
        "kubernetesClusterDomain",
        "controllerManager",
        "managerConfig",
        "metricsService",
        "webhookService",
        "mutatingWebhook",
        "kueueViz",
        "metrics",
    }
)
"""The top-level keys of the chart's ``values.yaml`` (v0.19.2): a misspelt key is an error,
where Helm would ignore it."""

DEFAULT_CONFIGURATION: Final[Mapping[str, Any]] = {
    "apiVersion": "config.kueue.x-k8s.io/v1beta2",
    "kind": "Configuration",
    "health": {"healthProbeBindAddress": ":8081"},
    "metrics": {"bindAddress": ":8443"},
    "webhook": {"port": 9443},
    "leaderElection": {"leaderElect": True, "resourceName": "c1f6bfd2.kueue.x-k8s.io"},
    "controller": {
        "groupKindConcurrency": {
            "Job.batch": 5,
            "Pod": 5,
            "Workload.kueue.x-k8s.io": 10,
            "LocalQueue.kueue.x-k8s.io": 5,
            "ClusterQueue.kueue.x-k8s.io": 5,
            "ResourceFlavor.kueue.x-k8s.io": 1,
        }
    },
    "clientConnection": {"qps": 300, "burst": 500},
}
"""The chart's default controller Configuration (``managerConfig.controllerManagerConfigYaml``)
without ``integrations``. Overriding that value replaces the whole text, so the defaults are
written out with the changes."""


class KueueArgs(ArgumentModel):
    """What the ``Kueue`` component installs, or, with ``install=False``, describes (a Kueue
    that already runs). https://kueue.sigs.k8s.io/docs/installation/"""

    version: str | None = None
    """The chart (and Kueue) version, pinned. Default: the library's Kueue version."""
    install: bool = True
    """Install the chart; ``False`` when Kueue already runs (nothing is created, queue objects
    are still checked against ``version`` and ``feature_gates``). Default: install."""
    feature_gates: dict[str, bool] | None = None
    """``controllerManager.featureGates``: gate -> enabled (``ElasticJobsViaWorkloadSlices``
    for autoscaling Ray workloads, ``TopologyAwareScheduling``, ...). Gates not named keep the
    release's default. Default: the chart's (none)."""
    frameworks: list[str] | None = None
    """``integrations.frameworks`` of the Configuration: the job kinds Kueue manages
    (``ray.io/rayjob``, ``ray.io/raycluster``, ``ray.io/rayservice``, ``batch/job``, ...).
    Default: the chart's list, which has all three Ray integrations."""
    manage_jobs_without_queue_name: bool | None = None
    """``manageJobsWithoutQueueName``: also hold jobs without a queue label. Default: unset
    (false)."""
    quota_check_strategy: QuotaCheckStrategy | None = None
    """``resources.quotaCheckStrategy``: ``IgnoreUndeclared`` admits workloads that request
    resources no queue covers. Default: unset (BlockUndeclared)."""
    exclude_resource_prefixes: list[str] | None = None
    """``resources.excludeResourcePrefixes``: resources Kueue does not account. Default: none."""
    configuration: dict[str, Any] | None = None
    """More Configuration keys (``waitForPodsReady``, ``fairSharing``, ...), merged over the
    chart's defaults and the arguments above. Default: none."""
    api_version: ApiVersion | None = None
    """The ``kueue.x-k8s.io`` version queue objects are written in. Default: the newest the
    release serves (``v1beta2`` from 0.15)."""
    enable_cert_manager: bool | None = None
    """``enableCertManager``: cert-manager issues the webhook certificates. Default: the
    chart's (off: Kueue manages its own)."""
    enable_prometheus: bool | None = None
    """``enablePrometheus``: a ServiceMonitor for Kueue's metrics. Default: the chart's (off)."""
    replicas: int | None = None
    """``controllerManager.replicas``. Default: the chart's (1)."""
    values: dict[str, Any] | None = None
    """More chart values (the chart's key names), merged last. Default: none."""
    manage_crds: bool = True
    """Install and upgrade Kueue's CRDs with the chart (server-side apply). Default: on."""
    retain_crds_on_delete: bool = True
    """Keep the CRDs (and every queue and workload) when the component is deleted. Default: on."""
    chart_repository: str = KUEUE_CHART_REPOSITORY
    """The chart repository. Default: Kueue's OCI registry."""
    chart_name: str = KUEUE_CHART_NAME
    """The chart's name. Default: ``kueue``."""


def decide_kueue_version(version: str | None) -> str:
    """The chart version: ``version`` without a leading ``v``, else the library's default."""
    chosen = (version or DEFAULT_KUEUE_VERSION).strip().lstrip("vV")
    try:
        parse_version(chosen)
    except ValueError:
        raise ValidationError(
            f"version: {version!r} is not a Kueue version (expected MAJOR.MINOR.PATCH such as "
            f"{DEFAULT_KUEUE_VERSION})"
        ) from None
    return chosen


def render_configuration(args: KueueArgs) -> dict[str, Any] | None:
    """The controller Configuration when an argument changes it (``None``: the chart's own)."""
    pieces: dict[str, Any] = {}
    if args.frameworks is not None:
        pieces["integrations"] = {"frameworks": list(args.frameworks)}
    if args.manage_jobs_without_queue_name is not None:
        pieces["manageJobsWithoutQueueName"] = args.manage_jobs_without_queue_name
    resources: dict[str, Any] = {}
    if args.quota_check_strategy is not None:
        resources["quotaCheckStrategy"] = args.quota_check_strategy
    if args.exclude_resource_prefixes is not None:
        resources["excludeResourcePrefixes"] = list(args.exclude_resource_prefixes)
    if resources:
        pieces["resources"] = resources
    if not pieces and not args.configuration:
        return None
    if "integrations" not in pieces and "integrations" not in (args.configuration or {}):
        pieces["integrations"] = {"frameworks": list(DEFAULT_FRAMEWORKS)}
    return deep_merge(deep_merge(dict(DEFAULT_CONFIGURATION), pieces), args.configuration or {})


def render_kueue_values(args: KueueArgs) -> dict[str, Any]:
    """The chart values: the typed arguments, then ``values``. Raises
    :class:`ValidationError` for a top-level key the chart does not have."""
    unknown = [k for k in (args.values or {}) if k not in CHART_VALUE_KEYS]
    if unknown:
        raise ValidationError(
            [
                f"values.{k}: not a value of the Kueue chart (Helm would ignore it)"
                f"{did_you_mean(k, sorted(CHART_VALUE_KEYS))}"
                for k in unknown
            ]
        )
    values: dict[str, Any] = {}
    manager: dict[str, Any] = {}
    if args.feature_gates is not None:
        manager["featureGates"] = [
            {"name": name, "enabled": bool(on)} for name, on in args.feature_gates.items()
        ]
    if args.replicas is not None:
        manager["replicas"] = args.replicas
    if manager:
        values["controllerManager"] = manager
    if args.enable_cert_manager is not None:
        values["enableCertManager"] = args.enable_cert_manager
    if args.enable_prometheus is not None:
        values["enablePrometheus"] = args.enable_prometheus
    configuration = render_configuration(args)
    if configuration is not None:
        text = yaml.safe_dump(configuration, sort_keys=False)
        values["managerConfig"] = {"controllerManagerConfigYaml": text}
    return deep_merge(values, args.values or {})


def kueue_capabilities(args: KueueArgs, version: str) -> KueueCapabilities:
    """What the Kueue that ``args`` installs (or describes) can do."""
    configuration = render_configuration(args) or {}
    frameworks = (configuration.get("integrations") or {}).get("frameworks")
    resources = configuration.get("resources") or {}
    ignore = resources.get("quotaCheckStrategy") == "IgnoreUndeclared"
    strategy: QuotaCheckStrategy = "IgnoreUndeclared" if ignore else "BlockUndeclared"
    return KueueCapabilities(
        version=version,
        feature_gates=dict(args.feature_gates or {}),
        api_version=args.api_version,
        frameworks=tuple(frameworks) if frameworks is not None else None,
        manage_jobs_without_queue_name=bool(configuration.get("manageJobsWithoutQueueName")),
        quota_check_strategy=strategy,
        exclude_resource_prefixes=tuple(resources.get("excludeResourcePrefixes") or ()),
    )


def install_warnings(caps: KueueCapabilities) -> list[str]:
    """What the install accepts but deserves a word."""
    warnings = []
    missing = [f for f in RAY_INTEGRATIONS.values() if f not in caps.enabled_frameworks]
    if missing:
        warnings.append(
            f"frameworks leaves out {', '.join(missing)}: Kueue ignores the queue label on those "
            "Ray kinds"
        )
    if not caps.gate_enabled(ELASTIC_JOBS_GATE):
        warnings.append(f"{ELASTIC_JOBS_GATE} is off: queued Ray workloads cannot autoscale")
    return warnings


@dataclass(frozen=True)
class KueueInstallPlan:
    """Everything the ``Kueue`` component needs, decided before any resource exists."""

    chart_version: str
    values: dict[str, Any]
    capabilities: KueueCapabilities
    warnings: tuple[str, ...] = ()


def plan_kueue_install(args: KueueArgs) -> KueueInstallPlan:
    """Chart version, values, capabilities and warnings of a Kueue install. Raises
    :class:`ValidationError` listing every problem."""
    version = decide_kueue_version(args.version)
    caps = kueue_capabilities(args, version)
    values = render_kueue_values(args)
    return KueueInstallPlan(version, values, caps, tuple(install_warnings(caps)))
