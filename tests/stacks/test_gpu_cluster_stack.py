"""stacks/gpu-cluster reproduces the KubeRay guide's "GPU Cluster Example", with one correction:
the guide selects ``nvidia.com/gpu.product: A100``, a value GPU Feature Discovery never writes
(it writes full product names), so the stack's A100 pool selects the real names instead."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from pulumi_kuberay.preview import run_program
from pulumi_kuberay.spec import validate_manifest
from tests.stacks.conftest import REPO_ROOT, STACKS

SEED = REPO_ROOT.parent / "shared" / "seed" / "kuberay-skill.md"


def mission_gpu_example() -> dict[str, Any]:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: the mission's GPU example lives in ../shared/seed")
    text = SEED.read_text()
    section = text[text.index("### GPU Cluster Example") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None
    doc: dict[str, Any] = yaml.safe_load(block.group(1))
    return doc


A100_GFD_NAMES = [
    "NVIDIA-A100-SXM4-40GB",
    "A100-SXM4-40GB",
    "NVIDIA-A100-PCIE-40GB",
    "A100-PCIE-40GB",
]


def corrected_mission_example() -> dict[str, Any]:
    """The guide's example with its placeholder selector replaced by the real GFD names."""
    doc = mission_gpu_example()
    gpu = doc["spec"]["workerGroupSpecs"][0]["template"]["spec"]
    assert gpu.pop("nodeSelector") == {"nvidia.com/gpu.product": "A100"}
    gpu["affinity"] = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {
                                "key": "nvidia.com/gpu.product",
                                "operator": "In",
                                "values": A100_GFD_NAMES,
                            }
                        ]
                    }
                ]
            }
        }
    }
    return doc


def gpu_stack_cluster(**config: str) -> dict[str, Any]:
    result = run_program(STACKS / "gpu-cluster", config=config or None)
    (cluster,) = [o for o in result.kubernetes_objects() if o["kind"] == "RayCluster"]
    return cluster


def ray_container(pod: dict[str, Any]) -> dict[str, Any]:
    container: dict[str, Any] = pod["template"]["spec"]["containers"][0]
    return container


def without_cpu_limit(resources: dict[str, Any]) -> dict[str, Any]:
    limits = {k: v for k, v in resources["limits"].items() if k != "cpu"}
    return {**resources, "limits": limits}


def test_stack_is_valid_for_the_operator() -> None:
    assert validate_manifest(gpu_stack_cluster()) == []


def test_same_groups_params_tolerations_selectors_and_autoscaler() -> None:
    ours, mission = gpu_stack_cluster()["spec"], corrected_mission_example()["spec"]
    assert ours["rayVersion"] == mission["rayVersion"]
    assert ours["enableInTreeAutoscaling"] is mission["enableInTreeAutoscaling"]
    assert ours["autoscalerOptions"] == mission["autoscalerOptions"]
    assert ours["headGroupSpec"]["serviceType"] == mission["headGroupSpec"]["serviceType"]
    assert ours["headGroupSpec"]["rayStartParams"] == mission["headGroupSpec"]["rayStartParams"]

    def shape(group: dict[str, Any]) -> tuple[Any, ...]:
        spec = group["template"]["spec"]
        return (
            group["groupName"], group["replicas"], group["minReplicas"], group["maxReplicas"],
            group["rayStartParams"], ray_container(group)["image"],
            spec.get("tolerations"), spec.get("nodeSelector"), spec.get("affinity"),
            ray_container(group).get("env"),
        )  # fmt: skip

    assert [shape(g) for g in ours["workerGroupSpecs"]] == [
        shape(g) for g in mission["workerGroupSpecs"]
    ]


def test_same_resources_except_the_discouraged_cpu_limits() -> None:
    """The guide's own advice is CPU requests without limits; its example sets both. The
    stack follows the advice; everything else about resources is identical."""
    ours, mission = gpu_stack_cluster()["spec"], mission_gpu_example()["spec"]
    pairs = [
        (ours["headGroupSpec"], mission["headGroupSpec"]),
        *zip(ours["workerGroupSpecs"], mission["workerGroupSpecs"], strict=True),
    ]
    for our_group, mission_group in pairs:
        our_resources = ray_container(our_group)["resources"]
        mission_resources = ray_container(mission_group)["resources"]
        assert "cpu" not in our_resources["limits"]
        assert our_resources == without_cpu_limit(mission_resources)


def test_head_keeps_the_guide_ports_and_env() -> None:
    ours, mission = gpu_stack_cluster()["spec"], mission_gpu_example()["spec"]
    our_head, mission_head = (
        ray_container(ours["headGroupSpec"]),
        ray_container(mission["headGroupSpec"]),
    )
    assert our_head["image"] == mission_head["image"]
    assert our_head["env"] == mission_head["env"]
    # The guide's four ports, plus the metrics port (8080) that Prometheus scrapes.
    assert our_head["ports"][:4] == mission_head["ports"]
    assert our_head["ports"][4] == {"containerPort": 8080, "name": "metrics"}


def test_with_cpu_limits_switched_on_the_manifest_matches_exactly() -> None:
    import pulumi_kuberay as kuberay
    from pulumi_kuberay.plans.ray_object import ObjectArgs
    from pulumi_kuberay.plans.raycluster import plan_raycluster

    mission = corrected_mission_example()
    cluster = kuberay.RayClusterArgs(
        ray_version="2.53.0",
        image="rayproject/ray-ml:2.53.0-gpu",
        head=kuberay.HeadGroup(cpu=4, memory="16Gi", service_type="ClusterIP"),
        worker_groups=[
            kuberay.WorkerGroup(
                "gpu-a100",
                replicas=2,
                min_replicas=0,
                max_replicas=8,
                cpu=8,
                memory="64Gi",
                gpus=1,
                node_pool=kuberay.GpuNodePoolArgs(
                    name="a100",
                    accelerator=kuberay.accelerators.NVIDIA_A100,
                    gpus_per_node=8,
                    cpu_per_node=95,
                    memory_per_node="1100Gi",
                    max_nodes=2,
                ),
            ),
            kuberay.WorkerGroup(
                "cpu-workers",
                replicas=4,
                min_replicas=0,
                max_replicas=16,
                cpu=16,
                memory="64Gi",
                image="rayproject/ray-ml:2.53.0",
            ),
        ],
        autoscaling=kuberay.Autoscaling(
            upscaling_mode="Default", idle_timeout_seconds=60, cpu=1, memory="1Gi"
        ),
        best_practices=kuberay.BestPractices(cpu_limits=True, standard_head_ports=False),
    )
    built = plan_raycluster(
        ObjectArgs("gpu-cluster"), cluster, kuberay.OperatorCapabilities()
    ).manifest
    head = ray_container(built["spec"]["headGroupSpec"])
    head["ports"] = ray_container(mission["spec"]["headGroupSpec"])["ports"]
    assert built == mission


@pytest.mark.parametrize(
    ("scheme", "selector"),
    [
        ("gke", {"cloud.google.com/gke-accelerator": "nvidia-tesla-a100"}),
        (
            "karpenter",
            {
                "karpenter.k8s.aws/instance-gpu-name": "a100",
                "karpenter.k8s.aws/instance-gpu-memory": "40960",
            },
        ),
        ("eks-auto-mode", {"eks.amazonaws.com/instance-gpu-name": "a100"}),
    ],
)
def test_each_platform_selects_its_own_label(scheme: str, selector: dict[str, str]) -> None:
    gpu = gpu_stack_cluster(labelScheme=scheme)["spec"]["workerGroupSpecs"][0]["template"]["spec"]
    assert gpu["nodeSelector"] == selector
    assert "affinity" not in gpu


def test_an_exact_product_name_pins_the_selector() -> None:
    gpu = gpu_stack_cluster(gpuProduct="NVIDIA-A100-SXM4-40GB")["spec"]["workerGroupSpecs"][0]
    assert gpu["template"]["spec"]["nodeSelector"] == {
        "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-40GB"
    }


def test_the_existing_pool_creates_nothing_and_describes_its_nodes() -> None:
    result = run_program(STACKS / "gpu-cluster")
    pool = result.resource("a100", "kuberay:index:GpuNodePool")
    assert result.children(pool.urn) == []
    assert pool.inputs["record"]["nodeLabelValues"] == {"nvidia.com/gpu.product": A100_GFD_NAMES}
