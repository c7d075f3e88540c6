"""What an installed Kueue can do: the input to version- and gate-aware checks of queue objects
and of the Ray workloads queued to them.

The ``Kueue`` component builds a :class:`KueueCapabilities` from what it installs; users whose
Kueue is managed elsewhere build one directly (``KueueCapabilities(version="0.17.3")``).
https://kueue.sigs.k8s.io/docs/installation/
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.error_paths import did_you_mean
from pulumi_kuberay.models.kueue.feature_gates import default_gates, gates_at
from pulumi_kuberay.versions import (
    DEFAULT_KUEUE_VERSION,
    OLDEST_SUPPORTED_KUEUE_VERSION,
    parse_version,
)

ApiVersion = Literal["v1beta2", "v1beta1"]
"""The ``kueue.x-k8s.io`` API versions this library writes."""

GROUP: Final = "kueue.x-k8s.io"
V1BETA2: Final = "v1beta2"
V1BETA1: Final = "v1beta1"
V1BETA2_SINCE: Final = "0.15.0"
"""Kueue 0.15 added ``v1beta2`` (and made it the storage version); older releases serve only
``v1beta1``."""

RAY_INTEGRATIONS: Final[Mapping[str, str]] = {
    "RayJob": "ray.io/rayjob",
    "RayCluster": "ray.io/raycluster",
    "RayService": "ray.io/rayservice",
}
"""Ray kind -> the ``integrations.frameworks`` entry that makes Kueue manage it."""

DEFAULT_FRAMEWORKS: Final[tuple[str, ...]] = (
    "batch/job",
    "kubeflow.org/mpijob",
    "ray.io/rayjob",
    "ray.io/rayservice",
    "ray.io/raycluster",
    "jobset.x-k8s.io/jobset",
    "workload.codeflare.dev/appwrapper",
    "trainer.kubeflow.org/trainjob",
    "pod",
    "deployment",
    "statefulset",
    "leaderworkerset.x-k8s.io/leaderworkerset",
)
"""``integrations.frameworks`` of the chart's default Configuration (Kueue 0.19.2
``charts/kueue/values.yaml``): all three Ray integrations are on."""

KNOWN_FRAMEWORKS: Final[tuple[str, ...]] = (
    *DEFAULT_FRAMEWORKS,
    "kubeflow.org/paddlejob",
    "kubeflow.org/pytorchjob",
    "kubeflow.org/tfjob",
    "kubeflow.org/xgboostjob",
    "kubeflow.org/jaxjob",
    "sparkoperator.k8s.io/sparkapplication",
)
"""Every framework name Kueue 0.19 accepts in ``integrations.frameworks``."""

QuotaCheckStrategy = Literal["BlockUndeclared", "IgnoreUndeclared"]


def pod_set_limit(version: str) -> int:
    """Pod sets one Kueue Workload may have (``jobframework.MaxPodSets``): 8 up to 0.17, 10 in
    0.18, 18 from 0.19 (kubernetes-sigs/kueue#11388 and #12819)."""
    release = parse_version(version)
    if release >= (0, 19, 0):
        return 18
    if release >= (0, 18, 0):
        return 10
    return 8


def rayjob_autoscaling_supported(version: str) -> bool:
    """Whether Kueue can run an autoscaling (elastic) RayJob: 0.15.2 and later, and 0.14.7+
    in the 0.14 line (https://kueue.sigs.k8s.io/docs/tasks/run/rayjobs/)."""
    release = parse_version(version)
    return release >= (0, 15, 2) or (release[:2] == (0, 14) and release >= (0, 14, 7))


@dataclass(frozen=True)
class KueueCapabilities:
    """The Kueue release, its feature gates and the Configuration settings that decide how Ray
    workloads are admitted.

    ``feature_gates`` holds overrides; gates not named keep the release's default.
    ``frameworks`` of ``None`` means the chart's default list (every Ray integration on).
    ``api_version`` of ``None`` means the newest the release serves (``v1beta2`` from 0.15).
    """

    version: str = DEFAULT_KUEUE_VERSION
    feature_gates: Mapping[str, bool] = field(default_factory=dict)
    api_version: ApiVersion | None = None
    frameworks: Sequence[str] | None = None
    manage_jobs_without_queue_name: bool = False
    quota_check_strategy: QuotaCheckStrategy = "BlockUndeclared"
    exclude_resource_prefixes: Sequence[str] = ()

    def __post_init__(self) -> None:
        try:
            release = parse_version(self.version)
        except ValueError as exc:
            raise ValidationError(f"kueue version: {exc}") from None
        problems: list[str] = []
        if release < parse_version(OLDEST_SUPPORTED_KUEUE_VERSION):
            problems.append(
                f"kueue version: {self.version} is older than {OLDEST_SUPPORTED_KUEUE_VERSION}, "
                "the oldest Kueue this library supports; upgrade Kueue"
            )
        known = gates_at(self.version)
        for name, enabled in self.feature_gates.items():
            stage = known.get(name)
            if stage is None:
                problems.append(
                    f"feature_gates: {name!r} is not a gate of Kueue {self.version}"
                    f"{did_you_mean(name, list(known))}"
                )
            elif stage.locked and bool(enabled) != stage.default:
                problems.append(
                    f"feature_gates: {name} is locked to {stage.default} in Kueue {self.version} "
                    f"({stage.stage}); Kueue refuses to start with it set to {enabled}; remove it"
                )
        if self.api_version == V1BETA2 and release < parse_version(V1BETA2_SINCE):
            problems.append(
                f"api_version: Kueue {self.version} serves only v1beta1 (v1beta2 arrived in "
                f"{V1BETA2_SINCE}); use api_version='v1beta1' or upgrade Kueue"
            )
        for framework in self.frameworks or ():
            if framework not in KNOWN_FRAMEWORKS:
                problems.append(
                    f"frameworks: {framework!r} is not a Kueue integration"
                    f"{did_you_mean(framework, list(KNOWN_FRAMEWORKS))}"
                )
        if problems:
            raise ValidationError(problems)

    @property
    def effective_feature_gates(self) -> dict[str, bool]:
        """Every gate this release knows, with overrides applied."""
        gates = default_gates(self.version)
        gates.update({k: bool(v) for k, v in self.feature_gates.items()})
        return gates

    def gate_enabled(self, name: str) -> bool:
        """Whether gate ``name`` is on (``False`` for gates this release lacks)."""
        return self.effective_feature_gates.get(name, False)

    def at_least(self, version: str) -> bool:
        """Whether the Kueue release is ``version`` or newer."""
        return parse_version(self.version) >= parse_version(version)

    @property
    def queue_api_version(self) -> ApiVersion:
        """The API version queue objects are written in: the one chosen, else the newest served."""
        if self.api_version is not None:
            return self.api_version
        return V1BETA2 if self.at_least(V1BETA2_SINCE) else V1BETA1

    @property
    def max_pod_sets(self) -> int:
        """Pod sets a Workload of this release may have (see :func:`pod_set_limit`)."""
        return pod_set_limit(self.version)

    @property
    def enabled_frameworks(self) -> tuple[str, ...]:
        """The integrations Kueue manages."""
        return tuple(self.frameworks) if self.frameworks is not None else DEFAULT_FRAMEWORKS

    def manages(self, kind: str) -> bool:
        """Whether Kueue manages Ray objects of ``kind`` (its integration is enabled)."""
        framework = RAY_INTEGRATIONS.get(kind)
        return framework is not None and framework in self.enabled_frameworks
