"""Accelerator presets: the device resource, the taint to tolerate and the node labels to select.

KubeRay tells Ray how many GPUs/TPUs/Neuron cores a pod has from the container's extended
resource limits (https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/gpu.html).
A :class:`Placement` is the scheduling half (selector + tolerations); a GPU node pool can
produce one too, so pools and presets feed worker groups the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from pulumi_kuberay.errors import ValidationError


class NodeLabelScheme(str, Enum):
    """Which node label identifies the accelerator model."""

    GPU_FEATURE_DISCOVERY = "nvidia.com/gpu.product"
    """NVIDIA GPU Feature Discovery / GPU Operator (any cloud, on-prem)."""
    GKE = "cloud.google.com/gke-accelerator"
    EKS = "k8s.amazonaws.com/accelerator"


@dataclass(frozen=True)
class Toleration:
    """A pod toleration, rendered in core/v1 shape."""

    key: str
    operator: str = "Exists"
    effect: str = "NoSchedule"
    value: str | None = None

    def to_dict(self) -> dict[str, str]:
        rendered = {"key": self.key, "operator": self.operator}
        if self.value is not None:
            rendered["value"] = self.value
        if self.effect:
            rendered["effect"] = self.effect
        return rendered


@dataclass(frozen=True)
class Placement:
    """Where pods go: node selector labels and the taints they tolerate."""

    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: tuple[Toleration, ...] = ()

    def merged(self, other: Placement) -> Placement:
        """This placement with ``other``'s labels and tolerations added (``other`` wins)."""
        tolerations = self.tolerations + tuple(
            t for t in other.tolerations if t not in self.tolerations
        )
        return Placement({**self.node_selector, **other.node_selector}, tolerations)


@dataclass(frozen=True)
class Accelerator:
    """An accelerator model: its extended resource, taint and node label values per scheme.

    ``labels`` maps a :class:`NodeLabelScheme` to the label value that scheme uses for this
    model; ``extra_labels`` are always selected (e.g. a TPU topology).
    """

    name: str
    resource: str
    labels: Mapping[NodeLabelScheme, str] = field(default_factory=dict)
    taint_key: str | None = None
    extra_labels: Mapping[str, str] = field(default_factory=dict)
    scheme: NodeLabelScheme = NodeLabelScheme.GPU_FEATURE_DISCOVERY
    is_nvidia: bool = False

    def on(self, scheme: NodeLabelScheme) -> Accelerator:
        """The same accelerator selected by another label scheme (e.g. GKE's)."""
        if self.labels and scheme not in self.labels:
            known = ", ".join(s.name for s in self.labels)
            raise ValidationError(
                f"accelerator {self.name}: no {scheme.name} node label is known for it "
                f"(known: {known}); pass with_label(...) with the label your nodes carry"
            )
        return replace(self, scheme=scheme)

    def with_label(self, value: str, scheme: NodeLabelScheme | None = None) -> Accelerator:
        """The same accelerator selected by a specific label value, e.g. the full GFD
        product name ``NVIDIA-A100-SXM4-80GB``."""
        chosen = scheme or self.scheme
        return replace(self, labels={**self.labels, chosen: value}, scheme=chosen)

    def placement(self) -> Placement:
        """The node selector and toleration that put a pod on this accelerator's nodes."""
        selector = dict(self.extra_labels)
        if self.scheme in self.labels:
            selector[self.scheme.value] = self.labels[self.scheme]
        tolerations = (Toleration(self.taint_key),) if self.taint_key else ()
        return Placement(selector, tolerations)

    def resource_limits(self, count: int) -> dict[str, Any]:
        return {self.resource: str(count)}


NVIDIA_RESOURCE = "nvidia.com/gpu"


def _nvidia(name: str, gfd: str, gke: str | None, eks: str | None) -> Accelerator:
    labels = {NodeLabelScheme.GPU_FEATURE_DISCOVERY: gfd}
    if gke:
        labels[NodeLabelScheme.GKE] = gke
    if eks:
        labels[NodeLabelScheme.EKS] = eks
    return Accelerator(name, NVIDIA_RESOURCE, labels, taint_key=NVIDIA_RESOURCE, is_nvidia=True)


NVIDIA_GPU = Accelerator("NVIDIA GPU", NVIDIA_RESOURCE, taint_key=NVIDIA_RESOURCE, is_nvidia=True)
"""Any NVIDIA GPU: the resource and the taint toleration, no model selector."""

NVIDIA_A100 = _nvidia("A100", "A100", "nvidia-tesla-a100", "nvidia-tesla-a100")
NVIDIA_A100_80GB = _nvidia("A100 80GB", "A100-80GB", "nvidia-a100-80gb", "nvidia-a100-80gb")
NVIDIA_H100 = _nvidia("H100", "H100", "nvidia-h100-80gb", "nvidia-h100")
NVIDIA_H200 = _nvidia("H200", "H200", "nvidia-h200-141gb", "nvidia-h200")
NVIDIA_L4 = _nvidia("L4", "L4", "nvidia-l4", "nvidia-l4")
NVIDIA_T4 = _nvidia("T4", "T4", "nvidia-tesla-t4", "nvidia-tesla-t4")
NVIDIA_A10G = _nvidia("A10G", "A10G", None, "nvidia-a10g")
NVIDIA_V100 = _nvidia("V100", "V100", "nvidia-tesla-v100", "nvidia-tesla-v100")

AMD_GPU = Accelerator("AMD GPU", "amd.com/gpu", taint_key="amd.com/gpu")
"""AMD Instinct GPUs via the AMD GPU device plugin (Ray detects them as GPUs)."""

AWS_NEURON = Accelerator("AWS Neuron", "aws.amazon.com/neuron", taint_key="aws.amazon.com/neuron")
"""AWS Trainium/Inferentia devices (Ray custom resource ``neuron_cores``)."""

INTEL_GAUDI = Accelerator("Intel Gaudi", "habana.ai/gaudi", taint_key="habana.ai/gaudi")


def tpu(generation: str, topology: str) -> Accelerator:
    """A GKE TPU slice, e.g. ``tpu("v6e", "2x2")`` (``google.com/tpu`` chips per pod).

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/tpu.html
    """
    accelerator_label = {
        "v4": "tpu-v4-podslice",
        "v5e": "tpu-v5-lite-podslice",
        "v5p": "tpu-v5p-slice",
        "v6e": "tpu-v6e-slice",
    }.get(generation)
    if accelerator_label is None:
        raise ValidationError(
            f"tpu generation {generation!r} is unknown; use one of v4, v5e, v5p, v6e"
        )
    return Accelerator(
        f"TPU {generation} {topology}",
        "google.com/tpu",
        taint_key="google.com/tpu",
        extra_labels={
            "cloud.google.com/gke-tpu-accelerator": accelerator_label,
            "cloud.google.com/gke-tpu-topology": topology,
        },
    )


PRESETS: dict[str, Accelerator] = {
    a.name: a
    for a in (
        NVIDIA_A100,
        NVIDIA_A100_80GB,
        NVIDIA_H100,
        NVIDIA_H200,
        NVIDIA_L4,
        NVIDIA_T4,
        NVIDIA_A10G,
        NVIDIA_V100,
        AMD_GPU,
        AWS_NEURON,
        INTEL_GAUDI,
    )
}
