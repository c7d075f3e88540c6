"""A node pool described once: what it tells Kueue (labels, taints, capacity), how it is checked."""

from __future__ import annotations

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.node_pools import (
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
    pool_record,
)
from pulumi_kuberay.plans.node_pools.devices import devices_per_node, pool_resource

NODE_CLASS = EC2NodeClassArgs(
    role="KarpenterNodeRole-ml",
    subnet_tags={"karpenter.sh/discovery": "ml"},
    security_group_tags={"karpenter.sh/discovery": "ml"},
)


def a100_pool(**kwargs: object) -> GpuNodePoolArgs:
    fields: dict[str, object] = {
        "name": "a100",
        "accelerator": accelerators.NVIDIA_A100_80GB,
        "gpus_per_node": 8,
        "cpu_per_node": 95,
        "memory_per_node": "1100Gi",
        "max_nodes": 4,
    }
    fields.update(kwargs)
    return GpuNodePoolArgs(**fields)


def test_kueue_flavor_source_members_for_existing_nodes() -> None:
    pool = a100_pool(accelerator=accelerators.NVIDIA_A100_80GB.with_label("NVIDIA-A100-SXM4-80GB"))
    assert pool.name == "a100"
    assert pool.node_labels() == {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"}
    assert pool.node_taints() == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}
    ]
    # (95 - 1 CPU) x 4 nodes, (1100Gi - 2Gi) x 4, 8 GPUs x 4.
    assert pool.capacity() == {"cpu": "376", "memory": "4392Gi", "nvidia.com/gpu": "32"}


def test_capacity_without_a_daemonset_reserve_is_the_whole_allocatable() -> None:
    pool = a100_pool(daemonset_reserve=None, cpu_per_node="95500m")
    assert pool.capacity() == {"cpu": "382", "memory": "4400Gi", "nvidia.com/gpu": "32"}


def test_gfd_variants_are_no_exact_label_but_the_pool_labels_are() -> None:
    assert a100_pool().node_labels() == {}
    assert a100_pool(labels={"pool": "a100"}).node_labels() == {"pool": "a100"}


@pytest.mark.parametrize(
    ("realisation", "labels"),
    [
        (
            Karpenter(node_class=NODE_CLASS),
            {
                "karpenter.k8s.aws/instance-gpu-name": "a100",
                "karpenter.k8s.aws/instance-gpu-memory": "81920",
                "karpenter.sh/nodepool": "a100",
                "karpenter.sh/capacity-type": "spot",
            },
        ),
        (
            GkeNodePool(cluster="ml", machine_type="a2-ultragpu-8g"),
            {
                "cloud.google.com/gke-accelerator": "nvidia-a100-80gb",
                "cloud.google.com/gke-nodepool": "a100",
                "cloud.google.com/gke-spot": "true",
            },
        ),
        (
            EksNodeGroup(
                cluster_name="ml", node_role_arn="arn:aws:iam::1:role/n", subnet_ids=["s"],
                instance_types=["p4de.24xlarge"],
            ),
            # EKS writes no GPU-model label: the node group label is the exact one.
            {"eks.amazonaws.com/nodegroup": "a100", "eks.amazonaws.com/capacityType": "SPOT"},
        ),
    ],
)  # fmt: skip
def test_each_realisation_labels_its_nodes(realisation: object, labels: dict[str, str]) -> None:
    pool = a100_pool(realisation=realisation, capacity_type="spot")
    assert pool.node_labels() == labels
    assert pool_record(pool)["nodeLabelValues"] == {k: [v] for k, v in labels.items()}


def test_given_taints_replace_the_gpu_taint() -> None:
    pool = a100_pool(taints=[NodeTaint(key="dedicated", value="ml", effect="NoExecute")])
    assert pool.node_taints() == [{"key": "dedicated", "value": "ml", "effect": "NoExecute"}]


def test_a_cpu_pool_has_no_taint_and_no_gpu_capacity() -> None:
    pool = GpuNodePoolArgs(name="cpu", cpu_per_node=31, memory_per_node="120Gi", max_nodes=10)
    assert pool.node_taints() == []
    assert pool.capacity() == {"cpu": "300", "memory": "1180Gi"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_nodes": 5, "max_nodes": 2}, r"min_nodes \(5\) is greater than max_nodes \(2\); raise max_nodes"),
        ({"accelerator": None}, "gpus_per_node is set but accelerator is not"),
        ({"gpus_per_node": 0}, "gpus_per_node is 0"),
        ({"name": "A100_pool"}, "is not a valid pool name"),
        ({"cpu_per_node": "lots"}, "is not a Kubernetes quantity"),
        ({"labels": {"bad key!": "x"}}, "label 'bad key!'"),
        ({"mig": Mig(profile="1g.10gb", devices_per_gpu=7), "accelerator": accelerators.AMD_GPU}, "is not an NVIDIA GPU"),
    ],
)  # fmt: skip
def test_bad_pool_arguments_fail_with_the_fix(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        a100_pool(**kwargs)


def test_karpenter_needs_one_node_class() -> None:
    with pytest.raises(ValidationError, match="exactly one of node_class"):
        Karpenter()
    with pytest.raises(ValidationError, match="exactly one of role"):
        EC2NodeClassArgs(subnet_ids=["subnet-0a1"], security_group_ids=["sg-0b2"])
    with pytest.raises(ValidationError, match="'s' is not an AWS subnet id"):
        EC2NodeClassArgs(role="r", subnet_ids=["s"], security_group_ids=["sg-0b2"])


@pytest.mark.parametrize(
    ("sharing", "resource", "devices", "product"),
    [
        ({}, "nvidia.com/gpu", 8, "NVIDIA-A100-SXM4-80GB"),
        ({"mig": Mig(profile="1g.10gb", devices_per_gpu=7)}, "nvidia.com/mig-1g.10gb", 56, "NVIDIA-A100-SXM4-80GB"),
        ({"mig": Mig(profile="1g.10gb", devices_per_gpu=7, strategy="single")}, "nvidia.com/gpu", 56, "NVIDIA-A100-SXM4-80GB-MIG-1g.10gb"),
        ({"time_slicing": TimeSlicing(replicas=4)}, "nvidia.com/gpu", 32, "NVIDIA-A100-SXM4-80GB-SHARED"),
        ({"time_slicing": TimeSlicing(replicas=4, rename_by_default=True)}, "nvidia.com/gpu.shared", 32, "NVIDIA-A100-SXM4-80GB"),
    ],
)  # fmt: skip
def test_gpu_sharing_decides_resource_count_and_gfd_product(
    sharing: dict[str, object], resource: str, devices: int, product: str
) -> None:
    pool = a100_pool(**sharing)
    assert pool_resource(pool) == resource
    assert devices_per_node(pool) == devices
    assert pool_record(pool)["nodeLabelValues"]["nvidia.com/gpu.product"][0] == product
    assert pool.capacity()[resource] == str(devices * 4)


def test_gke_sharing_stays_nvidia_gpu_with_gke_labels() -> None:
    gke = GkeNodePool(cluster="ml", machine_type="a2-ultragpu-8g")
    mig = a100_pool(realisation=gke, mig=Mig(profile="1g.10gb", devices_per_gpu=7))
    assert pool_resource(mig) == "nvidia.com/gpu"
    assert mig.node_labels()["cloud.google.com/gke-gpu-partition-size"] == "1g.10gb"
    shared = a100_pool(realisation=gke, time_slicing=TimeSlicing(replicas=3))
    assert shared.node_labels()["cloud.google.com/gke-gpu-sharing-strategy"] == "time-sharing"
    assert shared.node_labels()["cloud.google.com/gke-max-shared-clients-per-gpu"] == "3"


def test_existing_nodes_on_another_label_scheme() -> None:
    pool = a100_pool(realisation=ExistingNodes(label_scheme=accelerators.NodeLabelScheme.GKE))
    assert pool.node_labels() == {"cloud.google.com/gke-accelerator": "nvidia-a100-80gb"}


def test_the_daemonset_reserve_is_switchable() -> None:
    assert (
        a100_pool(daemonset_reserve=DaemonSetReserve(cpu=3, memory="8Gi")).capacity()["cpu"]
        == "368"
    )
