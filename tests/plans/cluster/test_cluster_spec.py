"""Building RayClusters from the ergonomic description: defaults, toggles, escape hatches."""

from __future__ import annotations

from typing import Any

import pulumi_kubernetes as k8s
import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.cluster.args import (
    Autoscaling,
    ClusterArgs,
    GcsFaultTolerance,
    HeadGroup,
    RayClusterArgs,
    WorkerGroup,
)
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.cluster.cluster_spec import plan_cluster_spec
from pulumi_kuberay.plans.env import SecretRef, secret_container_env
from pulumi_kuberay.plans.ray_object import ObjectArgs
from pulumi_kuberay.plans.raycluster import plan_raycluster
from pulumi_kuberay.spec import OperatorCapabilities, validate_manifest


def build(**kwargs: Any) -> dict[str, Any]:
    """The RayCluster manifest ``plan_raycluster`` makes of these cluster arguments."""
    kwargs.setdefault("worker_groups", [WorkerGroup("cpu", replicas=2, cpu=4, memory="8Gi")])
    cluster = RayClusterArgs(**kwargs)
    return plan_raycluster(ObjectArgs("demo", "ray"), cluster, OperatorCapabilities()).manifest


def container(pod: dict[str, Any]) -> dict[str, Any]:
    return pod["template"]["spec"]["containers"][0]


def env_of(pod: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(pod).get("env", [])}


def test_best_practice_defaults_are_applied() -> None:
    doc = build(head=HeadGroup(cpu=2, memory="4Gi"))
    head = doc["spec"]["headGroupSpec"]
    worker = doc["spec"]["workerGroupSpecs"][0]
    assert head["rayStartParams"] == {"dashboard-host": "0.0.0.0", "num-cpus": "0"}
    assert container(worker)["resources"] == {
        "limits": {"memory": "8Gi"},
        "requests": {"cpu": "4", "memory": "8Gi"},
    }
    assert env_of(head) == {"NVIDIA_VISIBLE_DEVICES": "void"}
    assert env_of(worker) == {"NVIDIA_VISIBLE_DEVICES": "void"}
    assert [(p["name"], p["containerPort"]) for p in container(head)["ports"]] == [
        ("gcs", 6379), ("dashboard", 8265), ("client", 10001), ("serve", 8000), ("metrics", 8080),
    ]  # fmt: skip
    assert container(head)["image"] == container(worker)["image"] == "rayproject/ray:2.53.0"
    assert doc["spec"]["rayVersion"] == "2.53.0"
    assert validate_manifest(doc) == []


def test_each_default_can_be_switched_off() -> None:
    best = BestPractices(
        head_runs_no_workloads=False,
        dashboard_on_all_interfaces=False,
        memory_requests_equal_limits=False,
        hide_gpus_from_cpu_containers=False,
        standard_head_ports=False,
        cpu_limits=True,
    )
    doc = build(best_practices=best)
    head = doc["spec"]["headGroupSpec"]
    worker = doc["spec"]["workerGroupSpecs"][0]
    assert head["rayStartParams"] == {}
    assert "ports" not in container(head)
    assert "env" not in container(worker)
    assert container(worker)["resources"] == {
        "limits": {"cpu": "4", "memory": "8Gi"},
        "requests": {"cpu": "4"},
    }


def test_head_alone_keeps_its_cpus() -> None:
    doc = build(worker_groups=[])
    assert doc["spec"]["headGroupSpec"]["rayStartParams"] == {"dashboard-host": "0.0.0.0"}


def test_start_params_are_always_strings() -> None:
    doc = build(
        head=HeadGroup(
            ray_start_params={
                "num-cpus": 1,
                "include-dashboard": True,
                "object-store-memory": 1.5e9,
            }
        )
    )
    assert doc["spec"]["headGroupSpec"]["rayStartParams"] == {
        "num-cpus": "1",
        "include-dashboard": "true",
        "object-store-memory": "1500000000.0",
        "dashboard-host": "0.0.0.0",
    }


def test_gpu_group_gets_resource_toleration_selector_and_gpu_image() -> None:
    doc = build(
        worker_groups=[
            WorkerGroup(
                "h100",
                replicas=1,
                cpu=16,
                memory="128Gi",
                gpus=8,
                accelerator=accelerators.NVIDIA_H100,
            )
        ]
    )
    worker = doc["spec"]["workerGroupSpecs"][0]
    spec = worker["template"]["spec"]
    assert container(worker)["resources"]["limits"]["nvidia.com/gpu"] == "8"
    assert container(worker)["resources"]["requests"]["nvidia.com/gpu"] == "8"
    assert spec["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    ]
    # GFD writes full product names; an H100 is any of its known variants.
    assert "nodeSelector" not in spec
    assert spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [
            {
                "matchExpressions": [
                    {
                        "key": "nvidia.com/gpu.product",
                        "operator": "In",
                        "values": ["NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe", "NVIDIA-H100-NVL"],
                    }
                ]
            }
        ]
    }
    assert container(worker)["image"] == "rayproject/ray:2.53.0-gpu"
    assert "env" not in container(worker)  # GPU containers must see their GPUs


@pytest.mark.parametrize(
    ("accelerator", "selector"),
    [
        (accelerators.NVIDIA_L4.on(accelerators.NodeLabelScheme.GKE), {"cloud.google.com/gke-accelerator": "nvidia-l4"}),
        (accelerators.NVIDIA_A10G.on(accelerators.NodeLabelScheme.KARPENTER_AWS), {"karpenter.k8s.aws/instance-gpu-name": "a10g"}),
        (accelerators.NVIDIA_A100.on(accelerators.NodeLabelScheme.KARPENTER_AWS), {"karpenter.k8s.aws/instance-gpu-name": "a100", "karpenter.k8s.aws/instance-gpu-memory": "40960"}),
        (accelerators.NVIDIA_A10G.on(accelerators.NodeLabelScheme.EKS_AUTO_MODE), {"eks.amazonaws.com/instance-gpu-name": "a10g"}),
        (accelerators.NVIDIA_A10G.on(accelerators.NodeLabelScheme.AWS_CLUSTER_AUTOSCALER), {"k8s.amazonaws.com/accelerator": "nvidia-a10g"}),
        (accelerators.NVIDIA_T4, {"nvidia.com/gpu.product": "Tesla-T4"}),
        (accelerators.NVIDIA_A100.with_label("NVIDIA-A100-SXM4-80GB"), {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"}),
        (accelerators.NVIDIA_GPU, {}),
    ],
)  # fmt: skip
def test_accelerator_label_schemes(
    accelerator: accelerators.Accelerator, selector: dict[str, str]
) -> None:
    doc = build(worker_groups=[WorkerGroup("gpu", gpus=1, accelerator=accelerator)])
    assert (
        doc["spec"]["workerGroupSpecs"][0]["template"]["spec"].get("nodeSelector", {}) == selector
    )


def test_a_model_without_a_known_label_warns_and_selects_no_model() -> None:
    # GKE has no A10G machine series: no value can be known, and the plan says so.
    cluster = RayClusterArgs(
        worker_groups=[
            WorkerGroup(
                "gpu",
                gpus=1,
                accelerator=accelerators.NVIDIA_A10G.on(accelerators.NodeLabelScheme.GKE),
            )
        ]
    )
    plan = plan_raycluster(ObjectArgs("demo", "ray"), cluster, OperatorCapabilities())
    spec = plan.manifest["spec"]["workerGroupSpecs"][0]["template"]["spec"]
    assert "nodeSelector" not in spec
    assert "affinity" not in spec
    assert plan.warnings == (
        "worker_groups['gpu']: accelerator A10G: no cloud.google.com/gke-accelerator value is "
        "known for it, so pods select no GPU model and land on any node with nvidia.com/gpu; "
        "pass accelerator.with_label('<value your nodes carry>') (see docs/gpus.md#placement-labels)",
    )


def test_other_extended_resources() -> None:
    doc = build(
        worker_groups=[
            WorkerGroup("tpu", gpus=4, accelerator=accelerators.tpu("v6e", "2x2")),
            WorkerGroup("amd", gpus=1, accelerator=accelerators.AMD_GPU),
            WorkerGroup("trn", gpus=1, accelerator=accelerators.AWS_NEURON),
        ]
    )
    tpu, amd, trn = doc["spec"]["workerGroupSpecs"]
    assert container(tpu)["resources"]["limits"] == {"google.com/tpu": "4"}
    assert tpu["template"]["spec"]["nodeSelector"] == {
        "cloud.google.com/gke-tpu-accelerator": "tpu-v6e-slice",
        "cloud.google.com/gke-tpu-topology": "2x2",
    }
    assert container(amd)["resources"]["limits"] == {"amd.com/gpu": "1"}
    assert "env" not in container(amd)
    assert container(trn)["resources"]["requests"] == {"aws.amazon.com/neuron": "1"}
    # Non-NVIDIA groups keep the CPU image; only NVIDIA groups switch to -gpu.
    assert container(tpu)["image"] == "rayproject/ray:2.53.0"


def test_node_pool_placement_feeds_a_group() -> None:
    pool = accelerators.Placement(
        {"pool": "a100-spot"}, (accelerators.Toleration("spot", effect="NoSchedule"),)
    )
    doc = build(
        worker_groups=[
            WorkerGroup("gpu", gpus=1, accelerator=accelerators.NVIDIA_A100, placement=pool)
        ]
    )
    spec = doc["spec"]["workerGroupSpecs"][0]["template"]["spec"]
    assert spec["nodeSelector"] == {"pool": "a100-spot"}
    assert spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ][0]["matchExpressions"][0]["values"] == [
        "NVIDIA-A100-SXM4-40GB", "A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB", "A100-PCIE-40GB",
    ]  # fmt: skip
    assert [t["key"] for t in spec["tolerations"]] == ["nvidia.com/gpu", "spot"]


def test_env_values_and_secret_references() -> None:
    doc = build(
        head=HeadGroup(
            env={"LOG_LEVEL": "debug", "WORKERS": 4, "WANDB_API_KEY": SecretRef("wandb", "key")}
        )
    )
    assert container(doc["spec"]["headGroupSpec"])["env"] == [
        {"name": "LOG_LEVEL", "value": "debug"},
        {"name": "WORKERS", "value": "4"},
        {"name": "WANDB_API_KEY", "valueFrom": {"secretKeyRef": {"name": "wandb", "key": "key"}}},
        {"name": "NVIDIA_VISIBLE_DEVICES", "value": "void"},
    ]


def test_volumes_service_account_and_node_selector() -> None:
    doc = build(
        worker_groups=[
            WorkerGroup(
                "cpu",
                volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "shared-pvc"}}],
                volume_mounts=[{"name": "data", "mountPath": "/mnt/data"}],
                service_account="ray-worker",
                node_selector={"pool": "cpu"},
                tolerations=[{"key": "spot", "operator": "Exists"}],
            )
        ]
    )
    worker = doc["spec"]["workerGroupSpecs"][0]
    spec = worker["template"]["spec"]
    assert spec["volumes"] == [
        {"name": "data", "persistentVolumeClaim": {"claimName": "shared-pvc"}}
    ]
    assert container(worker)["volumeMounts"] == [{"name": "data", "mountPath": "/mnt/data"}]
    assert spec["serviceAccountName"] == "ray-worker"
    assert spec["nodeSelector"] == {"pool": "cpu"}
    assert spec["tolerations"] == [{"key": "spot", "operator": "Exists"}]


def test_template_escape_hatch_is_merged_under_shortcuts() -> None:
    template = {
        "metadata": {"labels": {"team": "ml"}},
        "spec": {
            "priorityClassName": "high",
            "containers": [
                {
                    "name": "custom",
                    "image": "rayproject/ray:2.53.0",
                    "env": [{"name": "LOG_LEVEL", "value": "info"}],
                    "resources": {"limits": {"memory": "1Gi"}},
                },
                {"name": "sidecar", "image": "fluent/fluent-bit:3.0"},
            ],
        },
    }
    doc = build(
        worker_groups=[
            WorkerGroup("cpu", memory="8Gi", env={"LOG_LEVEL": "debug"}, template=template)
        ]
    )
    worker = doc["spec"]["workerGroupSpecs"][0]
    assert worker["template"]["metadata"] == {"labels": {"team": "ml"}}
    assert worker["template"]["spec"]["priorityClassName"] == "high"
    ray, sidecar = worker["template"]["spec"]["containers"]
    assert ray["name"] == "custom"
    assert ray["resources"] == {"limits": {"memory": "8Gi"}, "requests": {"memory": "8Gi"}}
    assert ray["env"][0] == {"name": "LOG_LEVEL", "value": "debug"}
    assert sidecar == {"name": "sidecar", "image": "fluent/fluent-bit:3.0"}


def test_a_plan_takes_templates_as_plain_dicts() -> None:
    # Components convert PodTemplateSpecArgs at their edge; the pure plan never sees Pulumi types.
    template = k8s.core.v1.PodTemplateSpecArgs(spec=k8s.core.v1.PodSpecArgs(containers=[]))
    with pytest.raises(ValidationError) as caught:
        build(worker_groups=[WorkerGroup("cpu", template=template)])
    assert caught.value.problems == [
        "worker_groups['cpu'].template: expected a pod template mapping, got PodTemplateSpecArgs "
        "(pulumi_kubernetes PodTemplateSpecArgs are converted by the components; in a plan, pass "
        "a dict)"
    ]


def test_overrides_are_the_last_word() -> None:
    doc = build(overrides={"headGroupSpec": {"serviceType": "NodePort"}, "suspend": True})
    assert doc["spec"]["headGroupSpec"]["serviceType"] == "NodePort"
    assert doc["spec"]["suspend"] is True


def test_autoscaling_and_replica_bounds() -> None:
    doc = build(
        worker_groups=[WorkerGroup("cpu", replicas=2, max_replicas=10)],
        autoscaling=Autoscaling(version="v2", idle_timeout_seconds=120, cpu="500m", memory="512Mi"),
    )
    spec = doc["spec"]
    assert spec["enableInTreeAutoscaling"] is True
    assert spec["autoscalerOptions"] == {
        "version": "v2",
        "idleTimeoutSeconds": 120,
        "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}},
    }
    assert (
        spec["workerGroupSpecs"][0]["minReplicas"],
        spec["workerGroupSpecs"][0]["maxReplicas"],
    ) == (0, 10)


def test_fixed_size_group_without_autoscaling() -> None:
    group = build(worker_groups=[WorkerGroup("cpu", replicas=3)])["spec"]["workerGroupSpecs"][0]
    assert (group["minReplicas"], group["replicas"], group["maxReplicas"]) == (3, 3, 3)


def test_fault_tolerance_with_a_secret_password() -> None:
    doc = build(
        fault_tolerance=GcsFaultTolerance(
            redis_address="redis.ray.svc:6379", redis_password=SecretRef("redis", "password")
        )
    )
    assert doc["spec"]["gcsFaultToleranceOptions"] == {
        "redisAddress": "redis.ray.svc:6379",
        "redisPassword": {"valueFrom": {"secretKeyRef": {"name": "redis", "key": "password"}}},
    }


def test_mixed_ray_images_are_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        build(
            image="rayproject/ray:2.53.0",
            worker_groups=[WorkerGroup("old", image="rayproject/ray:2.46.0")],
        )
    assert caught.value.problems == [
        "worker_groups['old'].image: 'rayproject/ray:2.46.0' differs from the head image "
        "'rayproject/ray:2.53.0'; use one Ray image (one Ray and Python version) across the "
        "cluster, or set BestPractices(single_image=False)",
        "worker_groups['old'].image: 'rayproject/ray:2.46.0' runs Ray 2.46.0 but ray_version is "
        "2.53.0; make them match (KubeRay uses rayVersion to pick compatible behaviour)",
    ]


def test_gpu_and_cpu_builds_of_one_image_are_one_image() -> None:
    doc = build(
        image="rayproject/ray-ml:2.53.0-gpu",
        worker_groups=[WorkerGroup("cpu", image="rayproject/ray-ml:2.53.0")],
    )
    assert validate_manifest(doc) == []


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (WorkerGroup("cpu", cpu="four"), "worker_groups['cpu'].cpu: 'four' is not a Kubernetes quantity; use a CPU amount such as '4' or '500m'"),
        (WorkerGroup("cpu", memory="16 GB"), "worker_groups['cpu'].memory: '16 GB' is not a Kubernetes quantity; use a memory amount such as '16Gi' or '512Mi'"),
        (WorkerGroup("cpu", cpu=-1), "worker_groups['cpu'].cpu: CPU must be positive, got -1"),
    ],
)  # fmt: skip
def test_bad_shortcuts_name_the_field(group: WorkerGroup, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build(worker_groups=[group])
    assert caught.value.problems == [message]


def test_operator_rules_run_on_the_built_cluster() -> None:
    with pytest.raises(ValidationError) as caught:
        build(worker_groups=[WorkerGroup("cpu", replicas=5, max_replicas=2)])
    assert caught.value.problems == [
        "spec.workerGroupSpecs[0].replicas: 5 is above maxReplicas (2); KubeRay 1.5 would "
        "silently lower it, 1.6 rejects it; set replicas within [minReplicas, maxReplicas]"
    ]


def test_typos_in_arguments_are_errors() -> None:
    with pytest.raises(ValidationError) as caught:
        WorkerGroup("cpu", memroy="8Gi")
    assert str(caught.value) == (
        "WorkerGroup 'cpu': memroy: unknown argument; did you mean 'memory'?"
    )


def test_ray_env_reaches_the_ray_container_of_head_and_every_worker_group() -> None:
    cluster = ClusterArgs(worker_groups=[WorkerGroup("a"), WorkerGroup("b")])
    extra = secret_container_env({"HF_TOKEN": SecretRef("hf", "token")}, None)
    spec = plan_cluster_spec(cluster, ray_env=extra)
    templates = [spec.head_group_spec.template] + [
        g.template for g in spec.worker_group_specs or []
    ]
    assert len(templates) == 3
    for template in templates:
        assert extra.env[0] in template["spec"]["containers"][0]["env"]
