"""The plan of a ``GpuNodePool``: what realising the pool creates, its warnings, and the record
of the pool the policy pack reads.

- :class:`ExistingNodes`: nothing is created (the description feeds groups and Kueue only);
- :class:`Karpenter`: a NodePool and, if asked, an EC2NodeClass (Kubernetes objects);
- :class:`GkeNodePool` / :class:`EksNodeGroup`: the arguments of the cloud resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_kuberay.models.objects import KubernetesObject
from pulumi_kuberay.plans.node_pools.args import (
    EksNodeGroup,
    ExistingNodes,
    GkeNodePool,
    GpuNodePoolArgs,
    Karpenter,
)
from pulumi_kuberay.plans.node_pools.cloud import (
    CloudPoolPlan,
    plan_eks_node_group,
    plan_gke_node_pool,
)
from pulumi_kuberay.plans.node_pools.devices import devices_per_node, pool_resource
from pulumi_kuberay.plans.node_pools.karpenter import plan_karpenter
from pulumi_kuberay.plans.node_pools.placement import (
    decide_label_scheme,
    pool_label_values,
    pool_placement_warnings,
)

REALISATION_NAMES: dict[type[Any], str] = {
    ExistingNodes: "existing",
    Karpenter: "karpenter",
    GkeNodePool: "gke",
    EksNodeGroup: "eks",
}
"""How the pool record names each realisation."""


@dataclass(frozen=True)
class NodePoolPlan:
    """What a pool's component creates and reports."""

    pool: GpuNodePoolArgs
    objects: tuple[KubernetesObject, ...] = ()
    """Kubernetes objects to create (Karpenter's), in order (the node class first)."""
    gke: CloudPoolPlan | None = None
    """The GKE node pool's arguments, for a :class:`GkeNodePool`."""
    eks: CloudPoolPlan | None = None
    """The EKS node group's arguments, for an :class:`EksNodeGroup`."""
    warnings: tuple[str, ...] = ()

    @property
    def realisation(self) -> str:
        """``existing``, ``karpenter``, ``gke`` or ``eks``."""
        return REALISATION_NAMES[type(self.pool.realisation)]


def pool_record(pool: GpuNodePoolArgs) -> dict[str, Any]:
    """The pool as plain data for the policy pack (the component's ``record`` output, read by
    ``pulumi_kuberay.policy.node_pools``): its labels and the values each may have, taints,
    device resource and count per node."""
    return {
        "name": pool.name,
        "realisation": REALISATION_NAMES[type(pool.realisation)],
        "labelScheme": scheme.value if (scheme := decide_label_scheme(pool)) else None,
        "nodeLabels": pool.node_labels(),
        "nodeLabelValues": {k: list(v) for k, v in pool_label_values(pool).items()},
        "nodeTaints": pool.node_taints(),
        "resource": pool_resource(pool),
        "devicesPerNode": devices_per_node(pool),
    }


def plan_node_pool(pool: GpuNodePoolArgs) -> NodePoolPlan:
    """What realising ``pool`` takes. Raises :class:`pulumi_kuberay.ValidationError` for what
    the realisation's API would refuse."""
    warnings = list(pool_placement_warnings(pool))
    realisation = pool.realisation
    if isinstance(realisation, Karpenter):
        karpenter = plan_karpenter(pool)
        objects: tuple[KubernetesObject, ...] = (karpenter.node_pool,)
        if karpenter.node_class is not None:
            objects = (karpenter.node_class, karpenter.node_pool)
        return NodePoolPlan(pool, objects, warnings=(*warnings, *karpenter.warnings))
    if isinstance(realisation, GkeNodePool):
        gke = plan_gke_node_pool(pool)
        return NodePoolPlan(pool, gke=gke, warnings=(*warnings, *gke.warnings))
    if isinstance(realisation, EksNodeGroup):
        eks = plan_eks_node_group(pool)
        return NodePoolPlan(pool, eks=eks, warnings=(*warnings, *eks.warnings))
    return NodePoolPlan(pool, warnings=tuple(warnings))
