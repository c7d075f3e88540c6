"""Karpenter pools: the NodePool and EC2NodeClass, checked against the real Karpenter v1.14.1
CRDs (core and AWS builds) the way the API server would: pruning, defaults, schema and every CEL
validation rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.node_pools import (
    EC2NodeClassArgs,
    GpuNodePoolArgs,
    Karpenter,
    Mig,
    plan_node_pool,
)
from tests.conformance.crd_schema import REPO_ROOT, CrdSchemas

CRDS = REPO_ROOT.parent / "shared" / "crds"
CORE = CRDS / "karpenter-v1.14.1" / "crds" / "karpenter.sh_nodepools.yaml"
AWS_NODEPOOL = (
    CRDS
    / "karpenter-provider-aws-v1.14.1"
    / "karpenter.sh-aws-variant"
    / "karpenter.sh_nodepools.yaml"
)
EC2_NODECLASS = (
    CRDS / "karpenter-provider-aws-v1.14.1" / "crds" / "karpenter.k8s.aws_ec2nodeclasses.yaml"
)

NODE_CLASS = EC2NodeClassArgs(
    role="KarpenterNodeRole-ml",
    subnet_tags={"karpenter.sh/discovery": "ml"},
    security_group_tags={"karpenter.sh/discovery": "ml"},
    ami_alias="al2023@v20250101",
)


def schemas(*paths: Path) -> CrdSchemas:
    missing = [p for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} is absent: the Karpenter CRDs live in ../shared/crds")
    return CrdSchemas.from_files(paths)


def api_server_problems(manifest: dict[str, Any], checker: CrdSchemas) -> list[str]:
    """What the API server would reject or prune, CEL rules included, for one CRD build."""
    return checker.problems(manifest)


POOLS = {
    "a100-spot": GpuNodePoolArgs(
        name="a100", accelerator=accelerators.NVIDIA_A100_80GB, gpus_per_node=8, cpu_per_node=95,
        memory_per_node="1100Gi", max_nodes=4, capacity_type="spot", zones=["us-east-1a", "us-east-1b"],
        labels={"team.example.com/pool": "a100"},
        realisation=Karpenter(node_class=NODE_CLASS, instance_types=["p4de.24xlarge"], weight=10),
    ),
    "l4-existing-class": GpuNodePoolArgs(
        name="l4", accelerator=accelerators.NVIDIA_L4, gpus_per_node=1, cpu_per_node="7500m",
        memory_per_node="28Gi", max_nodes=20, realisation=Karpenter(node_class_name="default", instance_families=["g6"]),
    ),
    "cpu": GpuNodePoolArgs(
        name="cpu", cpu_per_node=63, memory_per_node="240Gi", max_nodes=10,
        realisation=Karpenter(node_class=NODE_CLASS.model_copy(update={"ami_alias": "bottlerocket@v1.30.0"})),
    ),
    "mig": GpuNodePoolArgs(
        name="h100-mig", accelerator=accelerators.NVIDIA_H100, gpus_per_node=8, cpu_per_node=190,
        memory_per_node="1900Gi", max_nodes=2, mig=Mig(profile="1g.10gb", devices_per_gpu=7),
        realisation=Karpenter(node_class=NODE_CLASS),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", POOLS)
def test_karpenter_objects_pass_the_real_crds(name: str) -> None:
    plan = plan_node_pool(POOLS[name])
    for obj in plan.objects:
        manifest = obj.to_manifest()
        if manifest["kind"] == "NodePool":
            for crd in (CORE, AWS_NODEPOOL):
                assert api_server_problems(manifest, schemas(crd)) == [], crd
        else:
            assert api_server_problems(manifest, schemas(EC2_NODECLASS)) == []


def test_the_cel_check_catches_what_the_api_server_would_reject() -> None:
    plan = plan_node_pool(POOLS["a100-spot"])
    node_class = next(o for o in plan.objects if o.KIND == "EC2NodeClass").to_manifest()
    node_class["spec"]["instanceProfile"] = "also-a-profile"
    assert any("role" in p for p in api_server_problems(node_class, schemas(EC2_NODECLASS)))
    node_pool = next(o for o in plan.objects if o.KIND == "NodePool").to_manifest()
    node_pool["spec"]["template"]["metadata"]["labels"]["karpenter.sh/nodepool"] = "x"
    assert api_server_problems(node_pool, schemas(AWS_NODEPOOL)) != []


def test_the_nodepool_selects_the_gpu_model_count_capacity_and_zones() -> None:
    plan = plan_node_pool(POOLS["a100-spot"])
    node_class, node_pool = (o.to_manifest() for o in plan.objects)
    spec = node_pool["spec"]
    assert {r["key"]: r.get("values") for r in spec["template"]["spec"]["requirements"]} == {
        "karpenter.k8s.aws/instance-gpu-name": ["a100"],
        "karpenter.k8s.aws/instance-gpu-memory": ["81920"],
        "karpenter.k8s.aws/instance-gpu-count": ["8"],
        "karpenter.sh/capacity-type": ["spot"],
        "kubernetes.io/arch": ["amd64"],
        "topology.kubernetes.io/zone": ["us-east-1a", "us-east-1b"],
        "node.kubernetes.io/instance-type": ["p4de.24xlarge"],
    }
    assert spec["template"]["spec"]["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}
    ]
    assert spec["template"]["spec"]["nodeClassRef"] == {
        "group": "karpenter.k8s.aws",
        "kind": "EC2NodeClass",
        "name": "a100",
    }
    assert spec["template"]["metadata"] == {"labels": {"team.example.com/pool": "a100"}}
    assert spec["limits"] == {"nodes": "4", "nvidia.com/gpu": "32"}
    assert spec["disruption"] == {"consolidateAfter": "5m", "consolidationPolicy": "WhenEmpty"}
    assert spec["weight"] == 10
    assert node_class["spec"]["amiSelectorTerms"] == [{"alias": "al2023@v20250101"}]
    assert node_class["spec"]["blockDeviceMappings"][0]["ebs"]["volumeSize"] == "200Gi"


def test_a_cpu_pool_excludes_gpu_instances_and_bottlerocket_gets_a_data_volume() -> None:
    node_class, node_pool = (o.to_manifest() for o in plan_node_pool(POOLS["cpu"]).objects)
    requirements = node_pool["spec"]["template"]["spec"]["requirements"]
    assert {
        "key": "karpenter.k8s.aws/instance-gpu-count",
        "operator": "DoesNotExist",
    } in requirements
    assert "taints" not in node_pool["spec"]["template"]["spec"]
    assert node_class["spec"]["blockDeviceMappings"][0]["deviceName"] == "/dev/xvdb"


def test_warnings_name_the_device_plugin_and_floating_amis() -> None:
    pool = POOLS["a100-spot"].model_copy(
        update={
            "realisation": Karpenter(
                node_class=NODE_CLASS.model_copy(update={"ami_alias": "al2023@latest"})
            )
        }
    )
    warnings = plan_node_pool(pool).warnings
    assert any("al2023@latest" in w and "pin a version" in w for w in warnings)
    assert any("no device plugin" in w for w in warnings)


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        (POOLS["l4-existing-class"].model_copy(update={"labels": {"karpenter.sh/custom": "x"}}), "in a domain Karpenter sets itself"),
        (POOLS["cpu"].model_copy(update={"realisation": Karpenter(node_class=NODE_CLASS.model_copy(update={"ami_alias": "ubuntu@1"}))}), "is not an AMI alias"),
        (POOLS["cpu"].model_copy(update={"max_nodes": 0}), "needs at least 1 node"),
    ],
)  # fmt: skip
def test_what_karpenter_would_refuse_fails_at_preview(pool: GpuNodePoolArgs, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plan_node_pool(pool)
