"""Pools realised by a cloud's node pool API: the arguments of ``pulumi_gcp.container.NodePool``
and ``pulumi_aws.eks.NodeGroup``, as plain keyword dicts (snake_case, as those classes take
them; nested values as the providers' ``...ArgsDict`` shapes). No cloud SDK is imported here.

- GKE: https://www.pulumi.com/registry/packages/gcp/api-docs/container/nodepool/ and the GPU
  guide https://cloud.google.com/kubernetes-engine/docs/how-to/gpus (driver installation,
  ``NO_SCHEDULE`` taints, MIG ``gpu_partition_size``, ``gpu_sharing_config``).
- EKS: https://www.pulumi.com/registry/packages/aws/api-docs/eks/nodegroup/ and
  https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html (the NVIDIA AMIs:
  AL2023 has the driver, Bottlerocket also the device plugin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.cluster.accelerators import NodeLabelScheme
from pulumi_kuberay.plans.node_pools.args import EksNodeGroup, GkeNodePool
from pulumi_kuberay.plans.node_pools.placement import decide_taints, require_one_value

if TYPE_CHECKING:
    from pulumi_kuberay.plans.node_pools.args import GpuNodePoolArgs

CLOUD_TAINT_EFFECTS = {
    "NoSchedule": "NO_SCHEDULE",
    "PreferNoSchedule": "PREFER_NO_SCHEDULE",
    "NoExecute": "NO_EXECUTE",
}
"""Kubernetes taint effects as the GKE and EKS APIs spell them."""


@dataclass(frozen=True)
class CloudPoolPlan:
    """The keyword arguments of the cloud resource realising a pool, and what to know."""

    kwargs: dict[str, Any]
    warnings: tuple[str, ...] = ()
    ignore_changes: tuple[str, ...] = ()
    """Properties the cloud's autoscaler changes (left alone by later ``pulumi up``)."""


def cloud_taints(pool: GpuNodePoolArgs) -> list[dict[str, Any]]:
    """The pool's taints in the GKE/EKS API shape ``{key, value, effect: NO_SCHEDULE}``."""
    return [
        {"key": t.key, "value": t.value or "", "effect": CLOUD_TAINT_EFFECTS[t.effect]}
        for t in decide_taints(pool)
    ]


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def gke_guest_accelerator(pool: GpuNodePoolArgs, gke: GkeNodePool) -> dict[str, Any]:
    """``node_config.guest_accelerators[0]``: the GPU type and count, GKE's driver
    installation, and the MIG partition or time-sharing configuration."""
    accelerator = {
        "type": require_one_value(pool, NodeLabelScheme.GKE, "a GKE node pool"),
        "count": pool.gpus_per_node,
        "gpu_driver_installation_config": {"gpu_driver_version": gke.gpu_driver_version},
    }
    if pool.mig is not None:
        accelerator["gpu_partition_size"] = pool.mig.profile
    if pool.time_slicing is not None:
        accelerator["gpu_sharing_config"] = {
            "gpu_sharing_strategy": "TIME_SHARING",
            "max_shared_clients_per_gpu": pool.time_slicing.replicas,
        }
    return accelerator


def plan_gke_node_pool(pool: GpuNodePoolArgs) -> CloudPoolPlan:
    """The ``gcp.container.NodePool`` arguments realising ``pool``: autoscaling over the whole
    pool (``total_*_node_count``), spot VMs, the pool's labels and taints, and the GPUs."""
    gke = pool.realisation
    assert isinstance(gke, GkeNodePool)
    node_config = _without_none(
        {
            "machine_type": gke.machine_type,
            "image_type": gke.image_type,
            "disk_size_gb": gke.disk_size_gb,
            "service_account": gke.service_account,
            "spot": True if pool.capacity_type == "spot" else None,
            "labels": dict(pool.labels) or None,
            "taints": cloud_taints(pool) or None,
            "guest_accelerators": [gke_guest_accelerator(pool, gke)]
            if pool.gpus_per_node
            else None,
        }
    )
    kwargs = _without_none(
        {
            "name": pool.name,
            "cluster": gke.cluster,
            "location": gke.location,
            "project": gke.project,
            "node_locations": list(pool.zones) or None,
            "autoscaling": {
                "total_min_node_count": pool.min_nodes,
                "total_max_node_count": pool.max_nodes,
                # Spot capacity comes from wherever it is free; on-demand is spread evenly.
                "location_policy": "ANY" if pool.capacity_type == "spot" else "BALANCED",
            },
            "initial_node_count": pool.min_nodes if pool.min_nodes else None,
            "management": {"auto_repair": True, "auto_upgrade": True},
            "node_config": node_config,
        }
    )
    warnings = []
    if pool.gpus_per_node and gke.gpu_driver_version == "INSTALLATION_DISABLED":
        warnings.append(
            f"pool {pool.name}: GKE installs no GPU driver (INSTALLATION_DISABLED); install the "
            "NVIDIA GPU Operator, or the nodes never advertise nvidia.com/gpu"
        )
    return CloudPoolPlan(kwargs, tuple(warnings), ("initialNodeCount",))


def decide_eks_ami_type(pool: GpuNodePoolArgs, eks: EksNodeGroup) -> str:
    """The node group's ``ami_type``: the one given, else the AL2023 NVIDIA AMI for GPU pools
    and the standard AL2023 AMI otherwise."""
    if eks.ami_type is not None:
        return eks.ami_type
    return "AL2023_x86_64_NVIDIA" if pool.gpus_per_node else "AL2023_x86_64_STANDARD"


def plan_eks_node_group(pool: GpuNodePoolArgs) -> CloudPoolPlan:
    """The ``aws.eks.NodeGroup`` arguments realising ``pool``: scaling between min and max
    nodes, on-demand or spot, the pool's labels and taints, and a GPU AMI."""
    eks = pool.realisation
    assert isinstance(eks, EksNodeGroup)
    problems = []
    if pool.max_nodes < 1:
        problems.append("max_nodes: an EKS node group needs max_nodes >= 1")
    if not eks.instance_types:
        problems.append("realisation.instance_types: name the instance types of the node group")
    ami_type = decide_eks_ami_type(pool, eks)
    if pool.gpus_per_node and "NVIDIA" not in ami_type and "GPU" not in ami_type:
        problems.append(
            f"realisation.ami_type: {ami_type} has no NVIDIA driver; use AL2023_x86_64_NVIDIA "
            "or BOTTLEROCKET_x86_64_NVIDIA for a GPU pool"
        )
    if problems:
        raise ValidationError(problems, subject=f"GpuNodePool {pool.name}")
    kwargs = _without_none(
        {
            "cluster_name": eks.cluster_name,
            "node_group_name": pool.name,
            "node_role_arn": eks.node_role_arn,
            "subnet_ids": eks.subnet_ids,
            "instance_types": list(eks.instance_types),
            "ami_type": ami_type,
            "capacity_type": "SPOT" if pool.capacity_type == "spot" else "ON_DEMAND",
            "disk_size": eks.disk_size,
            "release_version": eks.release_version,
            "labels": dict(pool.labels) or None,
            "taints": cloud_taints(pool) or None,
            "scaling_config": {
                "desired_size": pool.min_nodes,
                "min_size": pool.min_nodes,
                "max_size": pool.max_nodes,
            },
        }
    )
    warnings = []
    if pool.gpus_per_node and not ami_type.startswith("BOTTLEROCKET"):
        warnings.append(
            f"pool {pool.name}: the {ami_type} AMI has the NVIDIA driver but no device plugin; "
            "install the NVIDIA device plugin (or the GPU Operator with driver and toolkit off), "
            "or the nodes never advertise nvidia.com/gpu (Bottlerocket NVIDIA AMIs include it)"
        )
    if pool.zones:
        warnings.append(
            f"pool {pool.name}: an EKS node group runs in the zones of its subnet_ids; zones= "
            "only describes them"
        )
    return CloudPoolPlan(kwargs, tuple(warnings), ("scalingConfig.desiredSize",))
