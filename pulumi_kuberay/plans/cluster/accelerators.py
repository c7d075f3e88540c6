"""Accelerator presets: the device resource, the taint to tolerate and the node labels to select.

KubeRay tells Ray how many GPUs/TPUs/Neuron cores a pod has from the container's extended
resource limits (https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/gpu.html).
A :class:`Placement` is the scheduling half (node selector, required node affinity and
tolerations); a GPU node pool produces one too, so pools and presets feed worker groups the
same way.

The label values are the ones each platform really writes on its nodes (sources in
``docs/gpus.md``):

- NVIDIA GPU Feature Discovery (GFD, also deployed by the GPU Operator) writes
  ``nvidia.com/gpu.product`` as the NVML device name with spaces turned into ``-``
  (``NVIDIA A100-SXM4-80GB`` -> ``NVIDIA-A100-SXM4-80GB``; ``getProductName`` in
  https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/internal/lm/resource.go). One GPU
  model has several names (40/80GB, SXM/PCIe, the ``NVIDIA`` prefix older drivers left out),
  so a preset selects them with a required node affinity ``In`` over the known variants.
- GKE writes ``cloud.google.com/gke-accelerator`` with the Compute Engine accelerator type
  (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus).
- Karpenter on AWS writes ``karpenter.k8s.aws/instance-gpu-name`` (the EC2 GPU name, lower
  case) and ``karpenter.k8s.aws/instance-gpu-memory`` (MiB per GPU)
  (https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/pkg/apis/v1/labels.go); EKS
  Auto Mode the same names under ``eks.amazonaws.com/``.
- ``k8s.amazonaws.com/accelerator`` is a Cluster Autoscaler convention that nothing in EKS sets:
  it works only on nodes you label yourself (kubelet ``--node-labels`` or node group labels).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from pulumi_kuberay.errors import ValidationError

GPUS_DOC = "docs/gpus.md#placement-labels"
"""Where the docs list the label to pass on each platform."""

LabelValues = tuple[str, ...]
"""The values of one node label that identify an accelerator (any of them matches)."""


class NodeLabelScheme(str, Enum):
    """Which node label identifies the accelerator model; the value is the label key."""

    GPU_FEATURE_DISCOVERY = "nvidia.com/gpu.product"
    """NVIDIA GPU Feature Discovery / GPU Operator (any cloud, on-prem): full product names."""
    GKE = "cloud.google.com/gke-accelerator"
    """GKE node pools: the Compute Engine accelerator type (``nvidia-l4``)."""
    KARPENTER_AWS = "karpenter.k8s.aws/instance-gpu-name"
    """Karpenter on AWS (EKS): the EC2 GPU name (``a10g``), with the GPU memory where one name
    covers two models (A100 40GB and 80GB)."""
    EKS_AUTO_MODE = "eks.amazonaws.com/instance-gpu-name"
    """EKS Auto Mode nodes: the EC2 GPU name (``a10g``)."""
    AWS_CLUSTER_AUTOSCALER = "k8s.amazonaws.com/accelerator"
    """The Cluster Autoscaler's AWS GPU label (``nvidia-a10g``). Nothing in EKS sets it: label
    your node groups with it yourself."""


KARPENTER_GPU_MEMORY = "karpenter.k8s.aws/instance-gpu-memory"
"""Karpenter's per-GPU memory label (MiB, the EC2 number)."""


@dataclass(frozen=True)
class Toleration:
    """A pod toleration, rendered in core/v1 shape."""

    key: str
    operator: str = "Exists"
    effect: str = "NoSchedule"
    value: str | None = None

    def to_dict(self) -> dict[str, str]:
        """The core/v1 Toleration dict."""
        rendered = {"key": self.key, "operator": self.operator}
        if self.value is not None:
            rendered["value"] = self.value
        if self.effect:
            rendered["effect"] = self.effect
        return rendered


@dataclass(frozen=True)
class NodeRequirement:
    """One ``matchExpressions`` entry of a required node affinity (core/v1
    NodeSelectorRequirement): ``key`` ``operator`` (In, NotIn, Exists, DoesNotExist) ``values``."""

    key: str
    operator: str = "In"
    values: LabelValues = ()

    def to_dict(self) -> dict[str, Any]:
        """The core/v1 NodeSelectorRequirement dict."""
        rendered: dict[str, Any] = {"key": self.key, "operator": self.operator}
        if self.values:
            rendered["values"] = list(self.values)
        return rendered


@dataclass(frozen=True)
class Placement:
    """Where pods go: node selector labels, required node affinity expressions (all must hold)
    and the taints they tolerate."""

    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: tuple[Toleration, ...] = ()
    required: tuple[NodeRequirement, ...] = ()

    def merged(self, other: Placement) -> Placement:
        """This placement with ``other``'s labels, requirements and tolerations added (``other``
        wins on a label both set)."""
        tolerations = self.tolerations + tuple(
            t for t in other.tolerations if t not in self.tolerations
        )
        required = self.required + tuple(r for r in other.required if r not in self.required)
        return Placement({**self.node_selector, **other.node_selector}, tolerations, required)


def selection(labels: Mapping[str, LabelValues]) -> Placement:
    """A placement selecting ``labels``: one value goes to the node selector, several to a
    required node affinity ``In`` over them."""
    selector: dict[str, str] = {}
    required: list[NodeRequirement] = []
    for key, values in labels.items():
        if len(values) == 1:
            selector[key] = values[0]
        elif values:
            required.append(NodeRequirement(key, "In", tuple(values)))
    return Placement(selector, (), tuple(required))


@dataclass(frozen=True)
class Accelerator:
    """An accelerator model: its extended resource, taint, and node labels per scheme.

    ``labels`` maps a :class:`NodeLabelScheme` to the node labels that scheme uses for this
    model (label key -> the values that identify it); ``extra_labels`` are always selected
    (e.g. a TPU topology). ``scheme`` is the one used to place pods (GFD by default).
    """

    name: str
    resource: str
    labels: Mapping[NodeLabelScheme, Mapping[str, LabelValues]] = field(default_factory=dict)
    taint_key: str | None = None
    extra_labels: Mapping[str, str] = field(default_factory=dict)
    scheme: NodeLabelScheme = NodeLabelScheme.GPU_FEATURE_DISCOVERY
    is_nvidia: bool = False

    @property
    def model_specific(self) -> bool:
        """Whether this preset stands for one model (``NVIDIA_GPU`` stands for any)."""
        return bool(self.labels)

    def on(self, scheme: NodeLabelScheme) -> Accelerator:
        """The same accelerator selected by another label scheme (e.g. GKE's). A scheme with no
        known value for this model selects no model and says so in a warning."""
        return replace(self, scheme=scheme)

    def with_label(self, value: str, scheme: NodeLabelScheme | None = None) -> Accelerator:
        """The same accelerator selected by one exact label value, e.g. the GFD product name
        your nodes carry (``NVIDIA-A100-SXM4-80GB``); ``scheme`` defaults to the current one."""
        chosen = scheme or self.scheme
        if not value:
            raise ValidationError(f"accelerator {self.name}: with_label needs a label value")
        return replace(
            self, labels={**self.labels, chosen: {chosen.value: (value,)}}, scheme=chosen
        )

    def node_labels(self, scheme: NodeLabelScheme | None = None) -> Mapping[str, LabelValues]:
        """The node labels (key -> accepted values) that identify this model under ``scheme``
        (default: its own); empty when none is known."""
        return self.labels.get(scheme or self.scheme, {})

    def placement(self) -> Placement:
        """The node selector, affinity and toleration that put a pod on this model's nodes."""
        chosen = selection(self.node_labels())
        selector = {**self.extra_labels, **chosen.node_selector}
        tolerations = (Toleration(self.taint_key),) if self.taint_key else ()
        return Placement(selector, tolerations, chosen.required)

    def placement_warnings(self) -> list[str]:
        """What a reader must know about :meth:`placement`: a model whose label under the
        chosen scheme is not known selects any node with the resource."""
        if not self.model_specific or self.node_labels():
            return []
        return [
            f"accelerator {self.name}: no {self.scheme.value} value is known for it, so pods "
            f"select no GPU model and land on any node with {self.resource}; pass "
            f"accelerator.with_label('<value your nodes carry>') (see {GPUS_DOC})"
        ]

    def resource_limits(self, count: int) -> dict[str, Any]:
        """The container limits for ``count`` devices."""
        return {self.resource: str(count)}


NVIDIA_RESOURCE = "nvidia.com/gpu"

_GFD = NodeLabelScheme.GPU_FEATURE_DISCOVERY
_GKE = NodeLabelScheme.GKE
_KARPENTER = NodeLabelScheme.KARPENTER_AWS
_AUTO_MODE = NodeLabelScheme.EKS_AUTO_MODE
_CA = NodeLabelScheme.AWS_CLUSTER_AUTOSCALER


def _nvidia(
    name: str,
    gfd: LabelValues,
    *,
    gke: LabelValues = (),
    aws: str | None = None,
    aws_memory_mib: str | None = None,
    cluster_autoscaler: str | None = None,
) -> Accelerator:
    labels: dict[NodeLabelScheme, Mapping[str, LabelValues]] = {_GFD: {_GFD.value: gfd}}
    if gke:
        labels[_GKE] = {_GKE.value: gke}
    if aws:
        karpenter: dict[str, LabelValues] = {_KARPENTER.value: (aws,)}
        if aws_memory_mib:
            karpenter[KARPENTER_GPU_MEMORY] = (aws_memory_mib,)
        labels[_KARPENTER] = karpenter
        labels[_AUTO_MODE] = {_AUTO_MODE.value: (aws,)}
    if cluster_autoscaler:
        labels[_CA] = {_CA.value: (cluster_autoscaler,)}
    return Accelerator(name, NVIDIA_RESOURCE, labels, taint_key=NVIDIA_RESOURCE, is_nvidia=True)


NVIDIA_GPU = Accelerator("NVIDIA GPU", NVIDIA_RESOURCE, taint_key=NVIDIA_RESOURCE, is_nvidia=True)
"""Any NVIDIA GPU: the resource and the taint toleration, no model selector."""

# GFD names: NVML device names as GFD sanitises them (gpu-kueue research notes, section 1.3:
# seen on real nodes; the un-prefixed A100 names are what older drivers report). GKE values:
# https://cloud.google.com/kubernetes-engine/docs/how-to/gpus (machine series table). Karpenter
# names and MiB: karpenter-provider-aws v1.14.1 website/content/en/docs/reference/instance-types.md.
# Cluster Autoscaler values: availableGPUTypes in kubernetes/autoscaler
# cluster-autoscaler/cloudprovider/aws/aws_cloud_provider.go.
NVIDIA_A100 = _nvidia(
    "A100",
    ("NVIDIA-A100-SXM4-40GB", "A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB", "A100-PCIE-40GB"),
    gke=("nvidia-tesla-a100",),
    aws="a100",
    aws_memory_mib="40960",  # p4d.24xlarge; p4de (80GB) has the same name
    cluster_autoscaler="nvidia-tesla-a100",
)
"""NVIDIA A100 40GB (SXM4 or PCIe; GKE A2 Standard, AWS p4d)."""
NVIDIA_A100_80GB = _nvidia(
    "A100 80GB",
    ("NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"),
    gke=("nvidia-a100-80gb",),
    aws="a100",
    aws_memory_mib="81920",  # p4de.24xlarge
)
"""NVIDIA A100 80GB (SXM4 or PCIe; GKE A2 Ultra, AWS p4de)."""
NVIDIA_H100 = _nvidia(
    "H100",
    ("NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe", "NVIDIA-H100-NVL"),
    gke=("nvidia-h100-80gb", "nvidia-h100-mega-80gb"),
    aws="h100",
)
"""NVIDIA H100 (SXM5 80GB, PCIe, NVL; GKE A3 High/Edge/Mega, AWS p5)."""
NVIDIA_H200 = _nvidia("H200", ("NVIDIA-H200",), gke=("nvidia-h200-141gb",), aws="h200")
"""NVIDIA H200 141GB (GKE A3 Ultra, AWS p5e/p5en)."""
NVIDIA_B200 = _nvidia("B200", ("NVIDIA-B200",), gke=("nvidia-b200",), aws="b200")
"""NVIDIA B200 (GKE A4, AWS p6-b200)."""
NVIDIA_L4 = _nvidia(
    "L4", ("NVIDIA-L4",), gke=("nvidia-l4",), aws="l4", cluster_autoscaler="nvidia-l4"
)
"""NVIDIA L4 (GKE G2, AWS g6)."""
NVIDIA_L40S = _nvidia("L40S", ("NVIDIA-L40S",), aws="l40s", cluster_autoscaler="nvidia-l40s")
"""NVIDIA L40S (AWS g6e; no GKE machine series)."""
NVIDIA_T4 = _nvidia(
    "T4", ("Tesla-T4",), gke=("nvidia-tesla-t4",), aws="t4", cluster_autoscaler="nvidia-tesla-t4"
)
"""NVIDIA T4 (GKE N1, AWS g4dn)."""
NVIDIA_A10G = _nvidia("A10G", ("NVIDIA-A10G",), aws="a10g", cluster_autoscaler="nvidia-a10g")
"""NVIDIA A10G (AWS g5 only)."""
NVIDIA_V100 = _nvidia(
    "V100",
    (
        "Tesla-V100-SXM2-16GB",
        "Tesla-V100-SXM2-32GB",
        "Tesla-V100-PCIE-16GB",
        "Tesla-V100-PCIE-32GB",
        "Tesla-V100S-PCIE-32GB",
    ),
    gke=("nvidia-tesla-v100",),
    aws="v100",
    cluster_autoscaler="nvidia-tesla-v100",
)
"""NVIDIA V100 (GKE N1, AWS p3/p3dn)."""

AMD_GPU = Accelerator("AMD GPU", "amd.com/gpu", taint_key="amd.com/gpu")
"""AMD Instinct GPUs via the AMD GPU device plugin (Ray detects them as GPUs)."""

AWS_NEURON = Accelerator("AWS Neuron", "aws.amazon.com/neuron", taint_key="aws.amazon.com/neuron")
"""AWS Trainium/Inferentia devices (Ray custom resource ``neuron_cores``)."""

INTEL_GAUDI = Accelerator("Intel Gaudi", "habana.ai/gaudi", taint_key="habana.ai/gaudi")
"""Intel Gaudi (Habana) devices."""


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
        NVIDIA_B200,
        NVIDIA_L4,
        NVIDIA_L40S,
        NVIDIA_T4,
        NVIDIA_A10G,
        NVIDIA_V100,
        AMD_GPU,
        AWS_NEURON,
        INTEL_GAUDI,
    )
}
"""Every preset by name."""
