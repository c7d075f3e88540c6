"""Every version default of the library, in one place: bumping a default is a one-line change.

The operator's feature gates per release come from KubeRay's ``ray-operator/pkg/features``
and the chart's ``values.yaml``:
https://github.com/ray-project/kuberay/blob/master/ray-operator/pkg/features/features.go
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LIBRARY_VERSION = "0.2.0"
"""This library's own version (``pulumi_kuberay.__version__``, the package metadata)."""

DEFAULT_OPERATOR_VERSION = "1.5.1"
"""KubeRay operator (and Helm chart) version the components install and validate against."""

DEFAULT_RAY_VERSION = "2.53.0"
"""Ray version written to ``spec.rayVersion`` and used for the default image tag."""

DEFAULT_RAY_IMAGE_REPOSITORY = "rayproject/ray"
"""Image repository for Ray containers when the user names none."""

OPERATOR_CHART_NAME = "kuberay-operator"
OPERATOR_CHART_REPOSITORY = "https://ray-project.github.io/kuberay-helm/"

CERT_MANAGER_VERSION = "v1.21.1"
"""cert-manager (``jetstack/cert-manager`` chart) version ``CertManager`` installs; its CRDs are
what the library's cert-manager objects are checked against."""
CERT_MANAGER_CHART_NAME = "cert-manager"
CERT_MANAGER_CHART_REPOSITORY = "https://charts.jetstack.io"
OLDEST_SUPPORTED_CERT_MANAGER_VERSION = "v1.15.0"
"""The first chart with the ``crds.enabled``/``crds.keep`` values."""

OLDEST_SUPPORTED_OPERATOR_VERSION = "1.3.0"
"""Older operators lack ``ray.io/v1`` fields this library relies on; they are rejected."""

DEFAULT_KUEUE_VERSION = "0.19.2"
"""Kueue release (and Helm chart version) the ``Kueue`` component installs and queue objects are
validated against (https://github.com/kubernetes-sigs/kueue/releases/tag/v0.19.2)."""

OLDEST_SUPPORTED_KUEUE_VERSION = "0.13.0"
"""The oldest Kueue this library models: ``Cohort`` objects in ``v1beta1`` and elastic jobs
(``ElasticJobsViaWorkloadSlices``) start there."""

KUEUE_CHART_NAME = "kueue"
KUEUE_CHART_REPOSITORY = "oci://registry.k8s.io/kueue/charts"
"""Kueue's released chart (``helm install kueue oci://registry.k8s.io/kueue/charts/kueue``),
https://kueue.sigs.k8s.io/docs/installation/#install-by-helm."""


def default_ray_image(ray_version: str = DEFAULT_RAY_VERSION, *, gpu: bool = False) -> str:
    """The official Ray image for ``ray_version`` (``-gpu`` variant when asked)."""
    suffix = "-gpu" if gpu else ""
    return f"{DEFAULT_RAY_IMAGE_REPOSITORY}:{ray_version}{suffix}"


def parse_version(text: str) -> tuple[int, int, int]:
    """Parse ``1.5.1``, ``v1.5.1`` or ``2.53.0rc1``-style versions into a comparable triple.

    Raises ``ValueError`` naming the text when it has no ``MAJOR.MINOR`` prefix.
    """
    cleaned = text.strip().lstrip("vV")
    numbers: list[int] = []
    for part in cleaned.split(".")[:3]:
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) != len(part):
            break
    if len(numbers) < 2:
        raise ValueError(f"{text!r} is not a version (expected MAJOR.MINOR[.PATCH], e.g. 1.5.1)")
    while len(numbers) < 3:
        numbers.append(0)
    return numbers[0], numbers[1], numbers[2]


GateStage = Literal["Alpha", "Beta", "GA"]


@dataclass(frozen=True)
class GateRelease:
    """A gate's state from one operator release on: its default (``enabled``) and its stage."""

    since: str
    enabled: bool
    stage: GateStage


@dataclass(frozen=True)
class FeatureGate:
    """One operator feature gate and its history: the releases that changed its default or
    stage (the first one introduced it) and, if it is gone, the release that removed it.

    Passing a gate the running release does not know makes the operator exit at start-up
    (``unrecognized feature gate``), so both ends of the history matter.
    """

    name: str
    purpose: str
    history: tuple[GateRelease, ...]
    removed: str | None = None

    @property
    def since(self) -> str:
        """The release that introduced the gate."""
        return self.history[0].since

    def at(self, operator_version: str) -> GateRelease | None:
        """The gate's state in ``operator_version``, or ``None`` when that release lacks it."""
        release = parse_version(operator_version)
        if self.removed is not None and release >= parse_version(self.removed):
            return None
        found = None
        for entry in self.history:
            if parse_version(entry.since) <= release:
                found = entry
        return found


FEATURE_GATES: tuple[FeatureGate, ...] = (
    # Tables: ../shared/kuberay*/SOURCE.md; ray-operator/pkg/features/features.go at v1.5.1,
    # v1.6.2 and v1.7.0 (1.6.0 and 1.6.1 have the same gates as 1.6.2).
    FeatureGate(
        "RayClusterStatusConditions",
        "RayCluster status conditions (RayClusterProvisioned, HeadPodReady, ...)",
        (GateRelease("1.2.0", False, "Alpha"), GateRelease("1.3.0", True, "Beta")),
    ),
    FeatureGate(
        "RayJobDeletionPolicy",
        "RayJob spec.deletionStrategy and suspended worker groups",
        (GateRelease("1.3.0", False, "Alpha"), GateRelease("1.6.0", True, "Beta")),
    ),
    FeatureGate(
        "RayMultiHostIndexing",
        "ray.io/replica-index labels on multi-host worker groups (numOfHosts > 1)",
        (GateRelease("1.5.0", False, "Alpha"), GateRelease("1.6.0", True, "Beta")),
    ),
    FeatureGate(
        "RayServiceIncrementalUpgrade",
        "RayService upgradeStrategy NewClusterWithIncrementalUpgrade (Gateway API)",
        (GateRelease("1.5.0", False, "Alpha"), GateRelease("1.7.0", True, "Beta")),
    ),
    FeatureGate(
        "RayCronJob",
        "the RayCronJob controller (RayJobs created on a cron schedule)",
        (GateRelease("1.6.0", False, "Alpha"),),
    ),
    FeatureGate(
        "AsyncJobInfoQuery",
        "asynchronous queries of Ray job info by the RayJob controller",
        (GateRelease("1.6.0", False, "Alpha"),),
        removed="1.7.0",
    ),
    FeatureGate(
        "SidecarSubmitterRestart",
        "container restart policy for the SidecarMode submitter (Kubernetes >= 1.35)",
        (GateRelease("1.7.0", False, "Alpha"),),
    ),
    FeatureGate(
        "RayClusterNetworkPolicy",
        "RayCluster spec.networkPolicy (NetworkPolicies for head and workers)",
        (GateRelease("1.7.0", False, "Alpha"),),
    ),
    FeatureGate(
        "GCSFaultToleranceEmbeddedStorage",
        "GCS fault tolerance on an embedded RocksDB (gcsFaultToleranceOptions.backend: rocksdb)",
        (GateRelease("1.7.0", False, "Alpha"),),
    ),
    FeatureGate(
        "RayClusterMTLS",
        "RayCluster spec.tlsOptions (mTLS between Ray pods, certificates from cert-manager)",
        (GateRelease("1.7.0", False, "Alpha"),),
    ),
    FeatureGate(
        "RayClusterHistoryServer",
        "RayCluster spec.historyServerOptions (the history-server collector sidecar)",
        (GateRelease("1.7.0", False, "Alpha"),),
    ),
    FeatureGate(
        "KubernetesWAS",
        "the Kubernetes workload-aware scheduling batch scheduler (no --batch-scheduler with it)",
        (GateRelease("1.7.0", False, "Alpha"),),
    ),
)

GATES_BY_NAME: dict[str, FeatureGate] = {gate.name: gate for gate in FEATURE_GATES}
"""Every gate of every release, by name."""


def feature_gates_for(operator_version: str) -> dict[str, GateRelease]:
    """The feature gates operator release ``operator_version`` knows: name -> its state there."""
    found = {}
    for gate in FEATURE_GATES:
        state = gate.at(operator_version)
        if state is not None:
            found[gate.name] = state
    return found


def default_feature_gates(operator_version: str) -> dict[str, bool]:
    """Gate name -> enabled, as the operator starts when no ``--feature-gates`` flag is given."""
    return {name: state.enabled for name, state in feature_gates_for(operator_version).items()}


def gate_absence_reason(name: str, operator_version: str) -> str:
    """Why gate ``name`` is not in ``operator_version``: too new, removed, or never existed."""
    gate = GATES_BY_NAME.get(name)
    if gate is None:
        return f"{name!r} is not a KubeRay feature gate"
    if parse_version(operator_version) < parse_version(gate.since):
        return f"{name!r} was added in KubeRay {gate.since}"
    return f"{name!r} was removed in KubeRay {gate.removed}"
