"""The contract with Kueue: a node pool is a ``KueueFlavorSource``, so its labels, taints and
nodes x GPUs are written once, in the pool, and reach the ResourceFlavor and the quota."""

from __future__ import annotations

from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.kueue.args import (
    ClusterQueueArgs,
    FlavorQuotas,
    KueueFlavorSource,
    ResourceFlavorArgs,
    ResourceGroup,
)
from pulumi_kuberay.plans.kueue.queues import plan_cluster_queue, plan_resource_flavor
from pulumi_kuberay.plans.node_pools import EC2NodeClassArgs, GpuNodePoolArgs, Karpenter, Mig
from tests.conformance.kueue_crds import kueue_problems

POOL = GpuNodePoolArgs(
    name="a100",
    accelerator=accelerators.NVIDIA_A100_80GB,
    gpus_per_node=8,
    cpu_per_node=95,
    memory_per_node="1100Gi",
    max_nodes=4,
    capacity_type="spot",
    realisation=Karpenter(
        node_class=EC2NodeClassArgs(
            role="r", subnet_ids=["subnet-0a1"], security_group_ids=["sg-0b2"]
        )
    ),
)


def test_the_pool_description_is_a_kueue_flavor_source() -> None:
    assert isinstance(POOL, KueueFlavorSource)


def test_the_flavor_of_a_karpenter_pool_selects_exactly_its_nodes() -> None:
    flavor = plan_resource_flavor(ResourceFlavorArgs.from_source(POOL)).manifest
    assert flavor["metadata"] == {"name": "a100"}
    assert flavor["spec"] == {
        "nodeLabels": {
            "karpenter.k8s.aws/instance-gpu-name": "a100",
            "karpenter.k8s.aws/instance-gpu-memory": "81920",
            "karpenter.sh/nodepool": "a100",
            "karpenter.sh/capacity-type": "spot",
        },
        "nodeTaints": [{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}],
    }
    assert kueue_problems(flavor) == []


def test_the_quota_is_nodes_times_gpus_and_the_mig_resource_is_named() -> None:
    mig = POOL.model_copy(update={"mig": Mig(profile="1g.10gb", devices_per_gpu=7)})
    for pool, resource, count in (
        (POOL, "nvidia.com/gpu", "32"),
        (mig, "nvidia.com/mig-1g.10gb", "224"),
    ):
        queue = ClusterQueueArgs(
            name="gpu", resource_groups=[ResourceGroup(flavors=[FlavorQuotas(pool)])]
        )
        manifest = plan_cluster_queue(queue).manifest
        assert manifest["spec"]["resourceGroups"][0]["flavors"][0]["resources"] == [
            {"name": "cpu", "nominalQuota": "376"},
            {"name": "memory", "nominalQuota": "4392Gi"},
            {"name": resource, "nominalQuota": count},
        ]
        assert kueue_problems(manifest) == []
