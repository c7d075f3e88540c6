"""Which nodes are a pool's, as labels and taints: what worker groups select and tolerate, and
what Kueue flavors and the policy pack read.

Label keys each platform writes on its nodes:

- Karpenter: ``karpenter.sh/nodepool`` (the NodePool's name) and ``karpenter.sh/capacity-type``
  (https://karpenter.sh/docs/concepts/scheduling/#well-known-labels).
- GKE: ``cloud.google.com/gke-nodepool``, ``cloud.google.com/gke-accelerator``,
  ``cloud.google.com/gke-spot``, and for shared GPUs
  ``cloud.google.com/gke-gpu-partition-size``, ``cloud.google.com/gke-gpu-sharing-strategy``
  and ``cloud.google.com/gke-max-shared-clients-per-gpu``
  (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus,
  https://cloud.google.com/kubernetes-engine/docs/how-to/timesharing-gpus).
- EKS managed node groups: ``eks.amazonaws.com/nodegroup`` and ``eks.amazonaws.com/capacityType``
  (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html).
- GFD on shared GPUs: ``nvidia.com/gpu.product`` gets ``-MIG-<profile>`` under the ``single``
  MIG strategy and ``-SHARED`` under time-slicing without renaming (``getProductName`` in
  NVIDIA/k8s-device-plugin internal/lm/resource.go at v0.20.0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.cluster.accelerators import (
    NVIDIA_RESOURCE,
    LabelValues,
    NodeLabelScheme,
    NodeRequirement,
    Placement,
    Toleration,
)
from pulumi_kuberay.plans.node_pools.args import (
    EksNodeGroup,
    ExistingNodes,
    GkeNodePool,
    Karpenter,
    NodeTaint,
)
from pulumi_kuberay.plans.node_pools.devices import on_gke, pool_resource

if TYPE_CHECKING:
    from pulumi_kuberay.plans.node_pools.args import GpuNodePoolArgs

KARPENTER_NODEPOOL = "karpenter.sh/nodepool"
KARPENTER_CAPACITY_TYPE = "karpenter.sh/capacity-type"
GKE_NODEPOOL = "cloud.google.com/gke-nodepool"
GKE_SPOT = "cloud.google.com/gke-spot"
GKE_PARTITION_SIZE = "cloud.google.com/gke-gpu-partition-size"
GKE_SHARING_STRATEGY = "cloud.google.com/gke-gpu-sharing-strategy"
GKE_MAX_SHARED_CLIENTS = "cloud.google.com/gke-max-shared-clients-per-gpu"
EKS_NODEGROUP = "eks.amazonaws.com/nodegroup"
EKS_CAPACITY_TYPE = "eks.amazonaws.com/capacityType"

GPU_TAINT_VALUE = "present"
"""The value GKE gives its own GPU taint (``nvidia.com/gpu=present:NoSchedule``)."""


def decide_label_scheme(pool: GpuNodePoolArgs) -> NodeLabelScheme | None:
    """The label that names the GPU model on the pool's nodes: the realisation's own (GKE,
    Karpenter), the one given for existing nodes, and none on EKS managed node groups (whose
    nodes carry no GPU-model label unless GFD runs; the node group label selects them)."""
    realisation = pool.realisation
    if isinstance(realisation, ExistingNodes):
        return realisation.label_scheme
    if isinstance(realisation, GkeNodePool):
        return NodeLabelScheme.GKE
    if isinstance(realisation, Karpenter):
        return NodeLabelScheme.KARPENTER_AWS
    return None


def decide_taints(pool: GpuNodePoolArgs) -> list[NodeTaint]:
    """The pool's taints: the ones given, else the GPU taint
    ``<resource>=present:NoSchedule`` on GPU pools (so CPU pods stay off GPU nodes), else none."""
    if pool.taints is not None:
        return list(pool.taints)
    if pool.accelerator is None or not pool.gpus_per_node:
        return []
    key = pool.accelerator.taint_key or pool.accelerator.resource
    return [NodeTaint(key=key, value=GPU_TAINT_VALUE, effect="NoSchedule")]


def _gfd_product(value: str, pool: GpuNodePoolArgs) -> str:
    if pool.mig is not None and pool.mig.strategy == "single":
        value = f"{value}-MIG-{pool.mig.profile}"
    if pool.time_slicing is not None and not pool.time_slicing.rename_by_default:
        value = f"{value}-SHARED"
    return value


def accelerator_label_values(pool: GpuNodePoolArgs) -> dict[str, LabelValues]:
    """The labels (key -> possible values) that name the pool's GPU model under its label
    scheme, adjusted for GFD's MIG and shared product names."""
    scheme = decide_label_scheme(pool)
    if pool.accelerator is None or scheme is None:
        return {}
    found: dict[str, LabelValues] = {}
    for key, values in pool.accelerator.node_labels(scheme).items():
        if key == NodeLabelScheme.GPU_FEATURE_DISCOVERY.value and not on_gke(pool):
            values = tuple(_gfd_product(v, pool) for v in values)
        found[key] = tuple(values)
    found.update({k: (v,) for k, v in pool.accelerator.extra_labels.items()})
    return found


def _realisation_labels(pool: GpuNodePoolArgs) -> dict[str, str]:
    realisation = pool.realisation
    spot = pool.capacity_type == "spot"
    if isinstance(realisation, Karpenter):
        return {KARPENTER_NODEPOOL: pool.name, KARPENTER_CAPACITY_TYPE: pool.capacity_type}
    if isinstance(realisation, EksNodeGroup):
        return {EKS_NODEGROUP: pool.name, EKS_CAPACITY_TYPE: "SPOT" if spot else "ON_DEMAND"}
    if isinstance(realisation, GkeNodePool):
        labels = {GKE_NODEPOOL: pool.name}
        if spot:
            labels[GKE_SPOT] = "true"
        if pool.mig is not None:
            labels[GKE_PARTITION_SIZE] = pool.mig.profile
        if pool.time_slicing is not None:
            labels[GKE_SHARING_STRATEGY] = "time-sharing"
            labels[GKE_MAX_SHARED_CLIENTS] = str(pool.time_slicing.replicas)
        return labels
    return {}


def pool_label_values(pool: GpuNodePoolArgs) -> dict[str, LabelValues]:
    """Every label known to be on the pool's nodes, key -> the values it may have (one value
    where it is exact): the realisation's labels, the GPU model's, and the pool's own."""
    found: dict[str, LabelValues] = dict(accelerator_label_values(pool))
    found.update({k: (v,) for k, v in _realisation_labels(pool).items()})
    found.update({k: (v,) for k, v in pool.labels.items()})
    return found


def pool_node_labels(pool: GpuNodePoolArgs) -> dict[str, str]:
    """The labels with one exact value on every node of the pool (see
    :meth:`GpuNodePoolArgs.node_labels`)."""
    return {k: v[0] for k, v in pool_label_values(pool).items() if len(v) == 1}


def pool_placement_warnings(pool: GpuNodePoolArgs) -> list[str]:
    """What to know about how groups find the pool's nodes."""
    warnings: list[str] = []
    accelerator = pool.accelerator
    scheme = decide_label_scheme(pool)
    unknown = not accelerator_label_values(pool) and not pool.labels
    if accelerator is not None and accelerator.model_specific and unknown and scheme is not None:
        warnings.append(
            f"pool {pool.name}: no {scheme.value} value is known for {accelerator.name} and "
            "the pool has no labels, so its pods select no GPU model; pass "
            "accelerator.with_label('<value your nodes carry>') or labels= "
            "(see docs/gpus.md#placement-labels)"
        )
    return warnings


def _gpu_taint_keys(pool: GpuNodePoolArgs) -> set[str]:
    keys = (
        {NVIDIA_RESOURCE} if pool.accelerator is not None and pool.accelerator.is_nvidia else set()
    )
    if pool.accelerator is not None:
        keys.add(pool.accelerator.resource)
        if pool.accelerator.taint_key:
            keys.add(pool.accelerator.taint_key)
    resource = pool_resource(pool)
    if resource:
        keys.add(resource)
    return keys


def pool_placement(pool: GpuNodePoolArgs) -> Placement:
    """Where a worker group on this pool goes: its exact labels as a node selector, its
    several-valued labels (GPU model variants) as a required node affinity, and a toleration
    for the pool's GPU taints. Other taints are fences: a group must tolerate them itself."""
    values = pool_label_values(pool)
    selector = {k: v[0] for k, v in values.items() if len(v) == 1}
    required = tuple(NodeRequirement(k, "In", v) for k, v in values.items() if len(v) > 1)
    gpu_keys = _gpu_taint_keys(pool)
    tolerations = tuple(
        Toleration(t.key, "Exists", t.effect) for t in decide_taints(pool) if t.key in gpu_keys
    )
    return Placement(selector, tolerations, required)


def tolerates(tolerations: Sequence[Mapping[str, Any]], taint: NodeTaint) -> bool:
    """Whether any of ``tolerations`` (core/v1 dicts) tolerates ``taint``, as the scheduler
    decides (``Toleration.ToleratesTaint`` in k8s.io/api/core/v1)."""
    for toleration in tolerations:
        key = toleration.get("key") or ""
        operator = toleration.get("operator") or "Equal"
        effect = toleration.get("effect") or ""
        if effect and effect != taint.effect:
            continue
        if key and key != taint.key:
            continue
        if not key and operator != "Exists":
            continue
        if operator == "Exists" or (toleration.get("value") or "") == (taint.value or ""):
            return True
    return False


def untolerated_taint_problems(
    pool: GpuNodePoolArgs, tolerations: Sequence[Mapping[str, Any]], field: str
) -> list[str]:
    """Errors for the pool's scheduling taints (NoSchedule, NoExecute) the group does not
    tolerate: its pods could never run on the pool."""
    problems = []
    for taint in decide_taints(pool):
        if taint.effect == "PreferNoSchedule" or tolerates(tolerations, taint):
            continue
        value = f"={taint.value}" if taint.value else ""
        toleration = {"key": taint.key, "operator": "Exists", "effect": taint.effect}
        problems.append(
            f"{field}: pool {pool.name!r} is tainted {taint.key}{value}:{taint.effect} and the "
            f"group does not tolerate it, so its pods can never run there; add "
            f"tolerations=[{toleration}] to the group"
        )
    return problems


def require_one_value(pool: GpuNodePoolArgs, scheme: NodeLabelScheme, what: str) -> str:
    """The one value of the accelerator's ``scheme`` label (a GKE accelerator type, a Karpenter
    GPU name): raises when none or several are known."""
    assert pool.accelerator is not None
    values = pool.accelerator.node_labels(scheme).get(scheme.value, ())
    if len(values) != 1:
        known = f"known: {', '.join(values)}" if values else "none is known"
        raise ValidationError(
            f"pool {pool.name}: {what} needs one {scheme.value} value for "
            f"{pool.accelerator.name} ({known}); pass "
            f"accelerator.with_label('<value>', NodeLabelScheme.{scheme.name})"
        )
    return values[0]
