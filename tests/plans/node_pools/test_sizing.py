"""Worker groups on a pool: one pod fills one node by default, and what cannot fit is an error
at preview with the numbers."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.cluster.args import RayClusterArgs, WorkerGroup
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.node_pools import (
    GkeNodePool,
    GpuNodePoolArgs,
    Mig,
    NodeTaint,
    TimeSlicing,
)
from pulumi_kuberay.plans.node_pools.sizing import decide_pod_size
from pulumi_kuberay.plans.ray_object import ObjectArgs
from pulumi_kuberay.plans.raycluster import plan_raycluster
from pulumi_kuberay.spec import OperatorCapabilities, validate_manifest

A100 = GpuNodePoolArgs(
    name="a100",
    accelerator=accelerators.NVIDIA_A100_80GB.with_label("NVIDIA-A100-SXM4-80GB"),
    gpus_per_node=8,
    cpu_per_node=95,
    memory_per_node="1100Gi",
    max_nodes=4,
)


def worker(group: WorkerGroup, **cluster: Any) -> tuple[dict[str, Any], tuple[str, ...]]:
    plan = plan_raycluster(
        ObjectArgs("demo", "ml"),
        RayClusterArgs(worker_groups=[group], **cluster),
        OperatorCapabilities(),
    )
    assert validate_manifest(plan.manifest) == []
    spec: dict[str, Any] = plan.manifest["spec"]["workerGroupSpecs"][0]
    return spec, plan.warnings


def resources(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spec["template"]["spec"]["containers"][0]["resources"]
    return result


def test_a_group_without_sizes_fills_one_node_less_the_daemonset_reserve() -> None:
    spec, warnings = worker(WorkerGroup("gpu", replicas=1, max_replicas=4, node_pool=A100))
    assert resources(spec) == {
        "limits": {"memory": "1098Gi", "nvidia.com/gpu": "8"},
        "requests": {"cpu": "94", "memory": "1098Gi", "nvidia.com/gpu": "8"},
    }
    pod = spec["template"]["spec"]
    assert pod["nodeSelector"] == {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"}
    assert pod["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    ]
    assert spec["template"]["spec"]["containers"][0]["image"].endswith("-gpu")
    assert warnings == ()


def test_given_gpus_get_their_share_of_cpu_and_memory() -> None:
    spec, _ = worker(WorkerGroup("gpu", gpus=2, node_pool=A100))
    # 2 of 8 GPUs: a quarter of 94 CPU (23.5, rounded down to whole cores) and of 1098Gi.
    assert resources(spec)["requests"] == {"cpu": "23", "memory": "281088Mi", "nvidia.com/gpu": "2"}


def test_given_sizes_win_and_sizing_is_switchable() -> None:
    spec, _ = worker(WorkerGroup("gpu", gpus=1, cpu=8, memory="64Gi", node_pool=A100))
    assert resources(spec)["requests"] == {"cpu": "8", "memory": "64Gi", "nvidia.com/gpu": "1"}
    spec, _ = worker(
        WorkerGroup("gpu", gpus=1, node_pool=A100),
        best_practices=BestPractices(size_pods_to_nodes=False),
    )
    assert resources(spec) == {
        "limits": {"nvidia.com/gpu": "1"},
        "requests": {"nvidia.com/gpu": "1"},
    }


def test_decide_pod_size_on_a_shared_pool_takes_one_share() -> None:
    pool = A100.model_copy(update={"time_slicing": TimeSlicing(replicas=4)})
    size = decide_pod_size(pool, cpu=None, memory=None, gpus=None)
    assert (size.gpus, size.cpu, size.memory, size.decided) == (
        1,
        "2",
        "35136Mi",
        ("gpus", "cpu", "memory"),
    )


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (WorkerGroup("gpu", gpus=16, node_pool=A100), "worker_groups['gpu']: asks for 16 nvidia.com/gpu per pod but a node of pool 'a100' has 8 (per node); lower gpus to at most 8"),
        (WorkerGroup("gpu", gpus=8, cpu=95, node_pool=A100), "worker_groups['gpu']: asks for 95 CPU but a node of pool 'a100' has 94 allocatable after the daemonset reserve of 1 (daemonset_reserve=None leaves none); lower cpu to at most 94"),
        (WorkerGroup("gpu", gpus=8, memory="2Ti", node_pool=A100), "worker_groups['gpu']: asks for 2Ti memory but a node of pool 'a100' has 1098Gi allocatable after the daemonset reserve of 2Gi (daemonset_reserve=None leaves none); lower memory to at most 1098Gi"),
        (
            WorkerGroup("gpu", gpus=1, node_pool=GpuNodePoolArgs(name="cpu", cpu_per_node=32, memory_per_node="128Gi", max_nodes=3)),
            "worker_groups['gpu']: asks for 1 GPU(s) but pool 'cpu' has no GPUs; use a GPU pool or drop gpus",
        ),
        (
            WorkerGroup("gpu", node_pool=A100.model_copy(update={"taints": [NodeTaint(key="dedicated", value="ml")]})),
            "worker_groups['gpu']: pool 'a100' is tainted dedicated=ml:NoSchedule and the group does not tolerate it, so its pods can never run there; add tolerations=[{'key': 'dedicated', 'operator': 'Exists', 'effect': 'NoSchedule'}] to the group",
        ),
        (WorkerGroup("gpu", gpus=1, accelerator=accelerators.NVIDIA_A100, node_pool=A100), "worker_groups['gpu']: give accelerator or node_pool, not both (the pool's accelerator A100 80GB decides the devices)"),
    ],
)  # fmt: skip
def test_what_cannot_fit_is_an_error_at_preview(group: WorkerGroup, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        worker(group)
    assert message in raised.value.problems


def test_a_tolerated_fence_taint_is_fine() -> None:
    pool = A100.model_copy(update={"taints": [NodeTaint(key="dedicated", value="ml")]})
    toleration = {"key": "dedicated", "operator": "Equal", "value": "ml", "effect": "NoSchedule"}
    spec, _ = worker(WorkerGroup("gpu", node_pool=pool, tolerations=[toleration]))
    assert toleration in spec["template"]["spec"]["tolerations"]


def test_gke_time_sharing_allows_one_gpu_per_container() -> None:
    pool = A100.model_copy(
        update={
            "realisation": GkeNodePool(cluster="ml", machine_type="a2-ultragpu-8g"),
            "time_slicing": TimeSlicing(replicas=2),
        }
    )
    with pytest.raises(ValidationError, match=r"has 1 \(GKE time-sharing allows 1 per container\)"):
        worker(WorkerGroup("gpu", gpus=2, node_pool=pool))


def test_mig_and_renamed_shares_tell_ray_the_gpu_count() -> None:
    mig = A100.model_copy(update={"mig": Mig(profile="1g.10gb", devices_per_gpu=7)})
    spec, _ = worker(WorkerGroup("mig", gpus=2, node_pool=mig))
    assert resources(spec)["limits"]["nvidia.com/mig-1g.10gb"] == "2"
    assert spec["rayStartParams"] == {"num-gpus": "2"}
    shared = A100.model_copy(
        update={"time_slicing": TimeSlicing(replicas=4, rename_by_default=True)}
    )
    spec, _ = worker(WorkerGroup("shared", node_pool=shared))
    assert resources(spec)["limits"]["nvidia.com/gpu.shared"] == "1"
    assert spec["rayStartParams"] == {"num-gpus": "1"}
    # Plain nvidia.com/gpu is counted by KubeRay and the autoscaler: nothing to add.
    spec, _ = worker(WorkerGroup("whole", node_pool=A100))
    assert spec["rayStartParams"] == {}


def test_more_replicas_than_the_pool_holds_is_a_warning() -> None:
    _, warnings = worker(
        WorkerGroup("gpu", replicas=1, max_replicas=6, node_pool=A100), autoscaling=True
    )
    assert warnings == (
        "worker_groups['gpu']: max_replicas is 6 but pool 'a100' holds at most 4 such pods "
        "(1 per node x max_nodes 4); the rest would stay Pending: raise max_nodes or lower max_replicas",
    )


def test_gfd_variants_become_a_required_affinity_merged_with_the_template() -> None:
    pool = A100.model_copy(update={"accelerator": accelerators.NVIDIA_A100_80GB})
    template = {
        "spec": {
            "containers": [{}],
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]
            }}},
        }
    }  # fmt: skip
    spec, _ = worker(WorkerGroup("gpu", node_pool=pool, template=template))
    terms = spec["template"]["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]["nodeSelectorTerms"]
    assert terms == [
        {
            "matchExpressions": [
                {"key": "zone", "operator": "In", "values": ["a"]},
                {"key": "nvidia.com/gpu.product", "operator": "In", "values": ["NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"]},
            ]
        }
    ]  # fmt: skip
