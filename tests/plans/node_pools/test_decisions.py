"""The small decisions and checks of node pools, one by one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.cluster.accelerators import NodeLabelScheme, NodeRequirement, selection
from pulumi_kuberay.plans.node_pools import (
    EC2NodeClassArgs,
    EksNodeGroup,
    ExistingNodes,
    GkeNodePool,
    GpuNodePoolArgs,
    Karpenter,
    NodeTaint,
)
from pulumi_kuberay.plans.node_pools.cloud import decide_eks_ami_type
from pulumi_kuberay.plans.node_pools.devices import max_devices_per_pod, needs_num_gpus
from pulumi_kuberay.plans.node_pools.karpenter import (
    decide_consolidation_policy,
    decide_limits,
    restricted_label_problems,
)
from pulumi_kuberay.plans.node_pools.placement import decide_label_scheme, decide_taints, tolerates
from pulumi_kuberay.plans.node_pools.sizing import (
    decide_pod_size,
    format_cpu,
    format_memory,
    pods_per_node,
)

NODE_CLASS = EC2NodeClassArgs(role="r", subnet_ids=["subnet-0a1"], security_group_ids=["sg-0b2"])
EKS = EksNodeGroup(
    cluster_name="c", node_role_arn="arn", subnet_ids=["s"], instance_types=["g6.xlarge"]
)


def l4(**kwargs: object) -> GpuNodePoolArgs:
    fields: dict[str, object] = {
        "name": "l4", "accelerator": accelerators.NVIDIA_L4, "gpus_per_node": 4,
        "cpu_per_node": 47, "memory_per_node": "180Gi", "max_nodes": 3,
    }  # fmt: skip
    fields.update(kwargs)
    return GpuNodePoolArgs(**fields)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal(94), "94"),
        (Decimal("0.5"), "500m"),
        (Decimal("23.5"), "23500m"),
        (Decimal("0.0004"), "0m"),
    ],
)
def test_format_cpu(amount: Decimal, text: str) -> None:
    assert format_cpu(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Decimal(2**30 * 16), "16Gi"), (Decimal(2**20 * 1536), "1536Mi"), (Decimal(2**20 + 5), "1Mi")],
)
def test_format_memory(amount: Decimal, text: str) -> None:
    assert format_memory(amount) == text


@pytest.mark.parametrize(
    ("realisation", "scheme"),
    [
        (ExistingNodes(), NodeLabelScheme.GPU_FEATURE_DISCOVERY),
        (ExistingNodes(label_scheme=NodeLabelScheme.EKS_AUTO_MODE), NodeLabelScheme.EKS_AUTO_MODE),
        (GkeNodePool(cluster="c", machine_type="g2-standard-48"), NodeLabelScheme.GKE),
        (Karpenter(node_class=NODE_CLASS), NodeLabelScheme.KARPENTER_AWS),
        (EKS, None),
    ],
)
def test_decide_label_scheme(realisation: object, scheme: NodeLabelScheme | None) -> None:
    assert decide_label_scheme(l4(realisation=realisation)) == scheme


def test_decide_taints() -> None:
    assert decide_taints(l4()) == [NodeTaint(key="nvidia.com/gpu", value="present")]
    amd = l4(accelerator=accelerators.AMD_GPU)
    assert decide_taints(amd) == [NodeTaint(key="amd.com/gpu", value="present")]
    assert decide_taints(l4(taints=[])) == []


@pytest.mark.parametrize(
    ("toleration", "taint", "expected"),
    [
        ({"key": "nvidia.com/gpu", "operator": "Exists"}, NodeTaint(key="nvidia.com/gpu", value="present"), True),
        ({"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoExecute"}, NodeTaint(key="nvidia.com/gpu"), False),
        ({"key": "team", "operator": "Equal", "value": "a"}, NodeTaint(key="team", value="b"), False),
        ({"key": "team", "value": "a"}, NodeTaint(key="team", value="a"), True),
        ({"operator": "Exists"}, NodeTaint(key="anything", effect="NoExecute"), True),
        ({"value": "a"}, NodeTaint(key="team", value="a"), False),
    ],
)  # fmt: skip
def test_tolerates(toleration: dict[str, str], taint: NodeTaint, expected: bool) -> None:
    assert tolerates([toleration], taint) is expected


def test_selection_puts_one_value_in_the_selector_and_several_in_the_affinity() -> None:
    placement = selection({"a": ("1",), "b": ("2", "3"), "c": ()})
    assert placement.node_selector == {"a": "1"}
    assert placement.required == (NodeRequirement("b", "In", ("2", "3")),)


def test_decide_consolidation_policy() -> None:
    karpenter = Karpenter(node_class=NODE_CLASS)
    assert decide_consolidation_policy(l4(), karpenter) == "WhenEmpty"
    cpu = GpuNodePoolArgs(name="cpu", cpu_per_node=8, memory_per_node="30Gi", max_nodes=2)
    assert decide_consolidation_policy(cpu, karpenter) is None
    chosen = Karpenter(node_class=NODE_CLASS, consolidation_policy="WhenEmptyOrUnderutilized")
    assert decide_consolidation_policy(l4(), chosen) == "WhenEmptyOrUnderutilized"


def test_decide_limits() -> None:
    assert decide_limits(l4()) == {"nodes": "3", "nvidia.com/gpu": "12"}


def test_restricted_label_problems() -> None:
    labels = {
        "karpenter.k8s.aws/x": "1",
        "team.example.com/pool": "a",
        "kubernetes.io/hostname": "h",
    }
    assert [p.split("'")[1] for p in restricted_label_problems(labels)] == [
        "karpenter.k8s.aws/x", "kubernetes.io/hostname",
    ]  # fmt: skip


def test_decide_eks_ami_type() -> None:
    assert decide_eks_ami_type(l4(realisation=EKS), EKS) == "AL2023_x86_64_NVIDIA"
    cpu = GpuNodePoolArgs(
        name="cpu", cpu_per_node=8, memory_per_node="30Gi", max_nodes=2, realisation=EKS
    )
    assert decide_eks_ami_type(cpu, EKS) == "AL2023_x86_64_STANDARD"
    bottlerocket = EKS.model_copy(update={"ami_type": "BOTTLEROCKET_x86_64_NVIDIA"})
    assert decide_eks_ami_type(l4(), bottlerocket) == "BOTTLEROCKET_x86_64_NVIDIA"


@pytest.mark.parametrize(
    ("resource", "expected"),
    [("nvidia.com/gpu", False), ("nvidia.com/mig-1g.10gb", True), ("nvidia.com/gpu.shared", True), ("amd.com/gpu", False), (None, False)],
)  # fmt: skip
def test_needs_num_gpus(resource: str | None, expected: bool) -> None:
    assert needs_num_gpus(resource) is expected


def test_max_devices_per_pod_and_pods_per_node() -> None:
    assert max_devices_per_pod(l4()) == 4
    size = decide_pod_size(l4(), cpu=None, memory=None, gpus=1)
    assert (size.cpu, size.memory) == ("11", "45568Mi")  # a quarter of 46 CPU and 178Gi
    assert pods_per_node(l4(), size) == 4
