"""Node pools: a pool described once (:class:`GpuNodePoolArgs`), the pod size and placement it
gives worker groups, and how it is realised (existing nodes, Karpenter, GKE, EKS)."""

from pulumi_kuberay.plans.node_pools.args import (
    DaemonSetReserve,
    EC2NodeClassArgs,
    EksNodeGroup,
    ExistingNodes,
    GkeNodePool,
    GpuNodePoolArgs,
    Karpenter,
    Mig,
    NodeTaint,
    TimeSlicing,
)
from pulumi_kuberay.plans.node_pools.plan import NodePoolPlan, plan_node_pool, pool_record

__all__ = [
    "DaemonSetReserve",
    "EC2NodeClassArgs",
    "EksNodeGroup",
    "ExistingNodes",
    "GkeNodePool",
    "GpuNodePoolArgs",
    "Karpenter",
    "Mig",
    "NodePoolPlan",
    "NodeTaint",
    "TimeSlicing",
    "plan_node_pool",
    "pool_record",
]
