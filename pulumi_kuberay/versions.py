"""Every version default of the library, in one place: bumping a default is a one-line change.

The operator's feature gates per release come from KubeRay's ``ray-operator/pkg/features``
and the chart's ``values.yaml``:
https://github.com/ray-project/kuberay/blob/master/ray-operator/pkg/features/features.go
"""

from __future__ import annotations

from dataclasses import dataclass

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

OLDEST_SUPPORTED_OPERATOR_VERSION = "1.3.0"
"""Older operators lack ``ray.io/v1`` fields this library relies on; they are rejected."""


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


@dataclass(frozen=True)
class FeatureGate:
    """One operator feature gate: the release that introduced it and its default there."""

    name: str
    since: str
    default: bool
    purpose: str


FEATURE_GATES: tuple[FeatureGate, ...] = (
    FeatureGate(
        "RayClusterStatusConditions",
        since="1.2.0",
        default=True,  # beta and on by default since 1.3
        purpose="RayCluster status conditions (RayClusterProvisioned, HeadPodReady, ...)",
    ),
    FeatureGate(
        "RayJobDeletionPolicy",
        since="1.3.0",
        default=False,
        purpose="RayJob spec.deletionStrategy and suspended worker groups",
    ),
    FeatureGate(
        "RayMultiHostIndexing",
        since="1.5.0",
        default=False,
        purpose="ray.io/replica-index labels on multi-host worker groups (numOfHosts > 1)",
    ),
    FeatureGate(
        "RayServiceIncrementalUpgrade",
        since="1.5.0",
        default=False,
        purpose="RayService upgradeStrategy NewClusterWithIncrementalUpgrade (Gateway API)",
    ),
)


def feature_gates_for(operator_version: str) -> dict[str, FeatureGate]:
    """The feature gates an operator release knows, by name."""
    release = parse_version(operator_version)
    return {g.name: g for g in FEATURE_GATES if parse_version(g.since) <= release}


def default_feature_gates(operator_version: str) -> dict[str, bool]:
    """Gate name -> enabled, as the operator starts when no ``--feature-gates`` flag is given."""
    gates = feature_gates_for(operator_version)
    if parse_version(operator_version) < (1, 3, 0) and "RayClusterStatusConditions" in gates:
        return dict.fromkeys(gates, False)
    return {name: gate.default for name, gate in gates.items()}
