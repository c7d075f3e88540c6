"""The GpuNodePool component under Pulumi mocks, one test group per realisation: which children
it creates, how, and that a RayCluster on the pool depends on them."""

from __future__ import annotations

import sys
from typing import Any

import pulumi
import pytest

import pulumi_kuberay as kuberay
from pulumi_kuberay.plans.cluster import accelerators
from tests.conftest import RecordingMocks, run_pulumi

POOL_TYPE = "kuberay:index:GpuNodePool"
NODEPOOL_TYPE = "kubernetes:karpenter.sh/v1:NodePool"
NODECLASS_TYPE = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"
GKE_TYPE = "gcp:container/nodePool:NodePool"
EKS_TYPE = "aws:eks/nodeGroup:NodeGroup"

NODE_CLASS = kuberay.EC2NodeClassArgs(
    role="KarpenterNodeRole-ml",
    subnet_tags={"karpenter.sh/discovery": "ml"},
    security_group_tags={"karpenter.sh/discovery": "ml"},
    ami_alias="al2023@v20250101",
)


def a100(name: str = "a100", **kwargs: Any) -> kuberay.GpuNodePool:
    fields: dict[str, Any] = {
        "accelerator": accelerators.NVIDIA_A100_80GB,
        "gpus_per_node": 8,
        "cpu_per_node": 95,
        "memory_per_node": "1100Gi",
        "max_nodes": 4,
    }
    fields.update(kwargs)
    return kuberay.GpuNodePool(name, **fields)


def test_existing_nodes_create_nothing_and_publish_the_description(
    pulumi_mocks: RecordingMocks,
) -> None:
    def program() -> dict[str, Any]:
        pool = a100(labels={"pool": "a100"})
        return {"labels": pool.labels, "capacity": pool.total_capacity, "name": pool.pool_name}

    outputs = run_pulumi(program)
    component = pulumi_mocks.one(POOL_TYPE)
    assert [r.typ for r in pulumi_mocks.resources] == [POOL_TYPE]
    assert component.inputs["record"]["realisation"] == "existing"
    assert outputs == {
        "labels": {"pool": "a100"},
        "capacity": {"cpu": "376", "memory": "4392Gi", "nvidia.com/gpu": "32"},
        "name": "a100",
    }


def test_the_component_is_a_kueue_flavor_source_and_a_node_pool_source(
    pulumi_mocks: RecordingMocks,
) -> None:
    holder: dict[str, kuberay.GpuNodePool] = {}
    run_pulumi(lambda: holder.update(pool=a100("gpu-pool", labels={"pool": "a"})))
    pool = holder["pool"]
    assert pool.name == "gpu-pool"
    assert pool.node_labels() == {"pool": "a"}
    assert pool.node_taints() == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}
    ]
    assert pool.capacity()["nvidia.com/gpu"] == "32"
    assert isinstance(pool, kuberay.NodePoolSource)
    assert pool.node_pool_args() is pool.args


def test_karpenter_creates_the_node_class_then_the_node_pool_and_the_cluster_waits(
    pulumi_mocks: RecordingMocks,
) -> None:
    def program() -> None:
        pool = a100(realisation=kuberay.Karpenter(node_class=NODE_CLASS))
        kuberay.RayCluster(
            "train", namespace="ml", worker_groups=[kuberay.WorkerGroup("gpu", node_pool=pool)]
        )

    run_pulumi(program)
    node_class = pulumi_mocks.registration(NODECLASS_TYPE, "a100-ec2nodeclass")
    node_pool = pulumi_mocks.registration(NODEPOOL_TYPE, "a100-nodepool")
    assert node_class.parent.endswith(f"{POOL_TYPE}::a100")
    assert node_pool.parent.endswith(f"{POOL_TYPE}::a100")
    assert node_class.urn in node_pool.dependencies
    ray = pulumi_mocks.registration("kubernetes:ray.io/v1:RayCluster", "train")
    assert node_pool.urn in ray.dependencies
    inputs = pulumi_mocks.one(NODEPOOL_TYPE).inputs
    assert inputs["metadata"] == {"name": "a100"}
    assert inputs["spec"]["template"]["spec"]["nodeClassRef"]["name"] == "a100"
    gpu = pulumi_mocks.one("kubernetes:ray.io/v1:RayCluster").inputs["spec"]["workerGroupSpecs"][0]
    assert gpu["template"]["spec"]["nodeSelector"]["karpenter.sh/nodepool"] == "a100"


def test_gke_creates_a_node_pool_with_driver_installation(pulumi_mocks: RecordingMocks) -> None:
    pytest.importorskip("pulumi_gcp")

    def program() -> None:
        a100(
            capacity_type="spot",
            zones=["us-central1-a"],
            min_nodes=0,
            realisation=kuberay.GkeNodePool(
                cluster=pulumi.Output.from_input("ml-cluster"),
                location="us-central1",
                machine_type="a2-ultragpu-8g",
            ),
        )

    run_pulumi(program)
    node_pool = pulumi_mocks.one(GKE_TYPE)
    assert pulumi_mocks.registration(GKE_TYPE, "a100").parent.endswith(f"{POOL_TYPE}::a100")
    inputs = node_pool.inputs
    assert inputs["name"] == "a100"
    assert inputs["cluster"] == "ml-cluster"
    assert inputs["nodeLocations"] == ["us-central1-a"]
    assert inputs["autoscaling"] == {
        "totalMinNodeCount": 0, "totalMaxNodeCount": 4, "locationPolicy": "ANY",
    }  # fmt: skip
    config = inputs["nodeConfig"]
    assert config["machineType"] == "a2-ultragpu-8g"
    assert config["spot"] is True
    assert config["guestAccelerators"] == [
        {"type": "nvidia-a100-80gb", "count": 8, "gpuDriverInstallationConfig": {"gpuDriverVersion": "DEFAULT"}}
    ]  # fmt: skip
    assert config["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
    ]


def test_eks_creates_a_managed_node_group_on_the_nvidia_ami(pulumi_mocks: RecordingMocks) -> None:
    pytest.importorskip("pulumi_aws")

    def program() -> None:
        a100(
            min_nodes=1,
            labels={"pool": "a100"},
            realisation=kuberay.EksNodeGroup(
                cluster_name="ml",
                node_role_arn="arn:aws:iam::123456789012:role/nodes",
                subnet_ids=["subnet-1", "subnet-2"],
                instance_types=["p4de.24xlarge"],
            ),
        )

    run_pulumi(program)
    inputs = pulumi_mocks.one(EKS_TYPE).inputs
    assert inputs["nodeGroupName"] == "a100"
    assert inputs["amiType"] == "AL2023_x86_64_NVIDIA"
    assert inputs["capacityType"] == "ON_DEMAND"
    assert inputs["instanceTypes"] == ["p4de.24xlarge"]
    assert inputs["scalingConfig"] == {"desiredSize": 1, "minSize": 1, "maxSize": 4}
    assert inputs["labels"] == {"pool": "a100"}
    assert inputs["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
    ]


def test_a_missing_cloud_sdk_names_the_extra(
    pulumi_mocks: RecordingMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes the import fail as if the package were not installed.
    monkeypatch.setitem(sys.modules, "pulumi_gcp", None)
    gke = kuberay.GkeNodePool(cluster="ml", machine_type="g2-standard-48")
    with pytest.raises(kuberay.ValidationError, match=r"pip install 'pulumi-kuberay\[gke\]'"):
        a100(accelerator=accelerators.NVIDIA_L4, gpus_per_node=4, realisation=gke)
    assert pulumi_mocks.resources == []


def test_bad_input_leaves_no_half_built_component(pulumi_mocks: RecordingMocks) -> None:
    with pytest.raises(kuberay.ValidationError, match=r"GpuNodePool a100: .*min_nodes"):
        a100(min_nodes=9)
    with pytest.raises(
        kuberay.ValidationError, match=r"needs one cloud\.google\.com/gke-accelerator"
    ):
        a100(
            accelerator=accelerators.NVIDIA_H100,
            realisation=kuberay.GkeNodePool(cluster="ml", machine_type="a3-highgpu-8g"),
        )
    assert pulumi_mocks.resources == []


def test_the_base_install_imports_no_cloud_sdk() -> None:
    import subprocess

    code = (
        "import sys, pulumi_kuberay as k; k.GpuNodePool; k.GkeNodePool; k.EksNodeGroup; "
        "assert not {'pulumi_gcp', 'pulumi_aws'} & set(sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
