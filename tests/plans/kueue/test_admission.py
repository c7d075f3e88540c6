"""``queue=`` on RayJob, RayCluster and RayService: what a queued object gets, Kueue's rules for
Ray at preview, and the quota sanity check with the numbers."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
from pulumi_kuberay.plans.cluster.args import (
    Autoscaling,
    ClusterArgs,
    HeadGroup,
    RayClusterArgs,
    WorkerGroup,
)
from pulumi_kuberay.plans.kueue.admission import QueueTarget, namespace_selector_matches
from pulumi_kuberay.plans.kueue.args import (
    AdmissionCheckArgs,
    ClusterQueueArgs,
    FlavorQuotas,
    LocalQueueArgs,
    ResourceFlavorArgs,
    ResourceGroup,
    WorkloadPriorityClassArgs,
)
from pulumi_kuberay.plans.ray_object import ObjectArgs
from pulumi_kuberay.plans.raycluster import plan_raycluster
from pulumi_kuberay.plans.rayjob import JobArgs, plan_rayjob
from pulumi_kuberay.plans.rayservice import ServiceArgs, plan_rayservice
from pulumi_kuberay.plans.serve_config import ServeApplication, ServeConfig

CAPS = OperatorCapabilities()
A100 = ResourceFlavorArgs(
    name="a100",
    node_labels={"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"},
    node_taints=[{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}],
)
CPU = ResourceFlavorArgs(name="cpu", node_labels={"node-type": "cpu"})


def team_queue(gpus: int = 8, **extra: Any) -> LocalQueueArgs:
    cluster_queue = ClusterQueueArgs(
        name="team-a",
        resource_groups=[
            ResourceGroup(
                flavors=[
                    FlavorQuotas(A100, {"cpu": 64, "memory": "512Gi", "nvidia.com/gpu": gpus}),
                    FlavorQuotas(CPU, {"cpu": 32, "memory": "128Gi", "nvidia.com/gpu": 0}),
                ]
            )
        ],
        **extra,
    )
    return LocalQueueArgs(name="training", namespace="ml", cluster_queue=cluster_queue)


def gpu_cluster(replicas: int, **extra: Any) -> ClusterArgs:
    return ClusterArgs(
        head=HeadGroup(cpu=2, memory="8Gi"),
        worker_groups=[
            WorkerGroup(
                "gpu", replicas=replicas, cpu=8, memory="64Gi", gpus=1, **extra.pop("group", {})
            )
        ],
        **extra,
    )


def job(queue: Any = None, **args: Any) -> dict[str, Any]:
    args.setdefault("cluster", gpu_cluster(4))
    plan = plan_rayjob(
        ObjectArgs("train", "ml"), JobArgs(entrypoint="python t.py", queue=queue, **args), CAPS
    )
    return plan.manifest


def test_a_queued_job_is_labelled_suspended_and_shut_down_after() -> None:
    manifest = job("training", priority_class="high")
    assert manifest["metadata"]["labels"] == {
        "kueue.x-k8s.io/queue-name": "training",
        "kueue.x-k8s.io/priority-class": "high",
    }
    assert manifest["spec"]["suspend"] is True
    assert manifest["spec"]["shutdownAfterJobFinishes"] is True


def test_priority_from_a_description_and_queue_from_a_local_queue() -> None:
    manifest = job(team_queue(), priority_class=WorkloadPriorityClassArgs(name="low", value=1))
    assert manifest["metadata"]["labels"]["kueue.x-k8s.io/priority-class"] == "low"
    assert manifest["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "training"


def test_rules_kueue_enforces_at_preview() -> None:
    with pytest.raises(ValidationError, match="shutdown_after_job_finishes: must be true"):
        job("training", shutdown_after_job_finishes=False)
    with pytest.raises(ValidationError, match="a job on an existing cluster"):
        plan_rayjob(ObjectArgs("train", "ml"), JobArgs(queue="q", existing_cluster="shared"), CAPS)
    with pytest.raises(ValidationError, match="suspend: False, but the object is queued"):
        job("training", suspend=False)
    with pytest.raises(ValidationError, match="priority_class: only means something"):
        job(None, priority_class="high")
    many = ClusterArgs(worker_groups=[WorkerGroup(f"g{i}", cpu=1) for i in range(17)])
    with pytest.raises(ValidationError, match="Kueue builds 19 pod sets"):
        job("training", cluster=many)
    old = QueueTarget(name="q", kueue=KueueCapabilities(version="0.17.0"))
    eight = ClusterArgs(worker_groups=[WorkerGroup(f"g{i}", cpu=1) for i in range(7)])
    with pytest.raises(ValidationError, match=r"9 pod sets .* at most 8"):
        job(old, cluster=eight)


def test_autoscaling_makes_the_job_elastic_and_needs_the_gate() -> None:
    elastic = job(
        "training", cluster=gpu_cluster(2, autoscaling=Autoscaling(), group={"max_replicas": 6})
    )
    assert elastic["metadata"]["annotations"] == {"kueue.x-k8s.io/elastic-job": "true"}
    gate_off = QueueTarget(
        name="q", kueue=KueueCapabilities(feature_gates={"ElasticJobsViaWorkloadSlices": False})
    )
    with pytest.raises(
        ValidationError, match="needs Kueue's ElasticJobsViaWorkloadSlices feature gate"
    ):
        job(gate_off, cluster=gpu_cluster(2, autoscaling=True))
    with pytest.raises(ValidationError, match="elastic: False, but the cluster autoscales"):
        job("training", cluster=gpu_cluster(2, autoscaling=True), elastic=False)
    too_old = QueueTarget(
        name="q",
        kueue=KueueCapabilities(
            version="0.15.1", feature_gates={"ElasticJobsViaWorkloadSlices": True}
        ),
    )
    with pytest.raises(ValidationError, match="cannot run an autoscaling RayJob"):
        job(too_old, cluster=gpu_cluster(2, autoscaling=True))


def test_quota_that_can_never_hold_the_job_is_an_error_with_the_numbers() -> None:
    with pytest.raises(ValidationError) as error:
        job(team_queue(gpus=8), cluster=gpu_cluster(10))
    assert error.value.problems == [
        "spec.rayClusterSpec.workerGroupSpecs[0].template: pod set 'gpu' of RayJob train needs "
        "cpu 80, memory 640Gi, nvidia.com/gpu 10 (10 pods x cpu 8, memory 64Gi, nvidia.com/gpu 1) "
        "but no flavor of ClusterQueue 'team-a' (in no cohort) can ever give that: 'a100' gives at "
        "most cpu 64 (nominal 64); memory 512Gi (nominal 512Gi); nvidia.com/gpu 8 (nominal 8), and "
        "'cpu' gives at most cpu 32 (nominal 32; 2 taken by earlier pod sets); memory 128Gi "
        "(nominal 128Gi; 8Gi taken by earlier pod sets); nvidia.com/gpu 0 (nominal 0); it can "
        "never be admitted; lower the pods' requests or count, or raise the quota (nominalQuota, "
        "or borrowing within the cohort)"
    ]
    assert job(team_queue(gpus=8), cluster=gpu_cluster(8))["spec"]["suspend"] is True


def test_an_elastic_job_is_checked_at_max_replicas() -> None:
    cluster = gpu_cluster(4, autoscaling=True, group={"max_replicas": 12})
    with pytest.raises(ValidationError, match=r"nvidia.com/gpu 12 \(12 pods at maxReplicas x"):
        job(team_queue(gpus=8), cluster=cluster)


def test_borrowing_only_counts_when_the_cohort_is_known() -> None:
    in_cohort = team_queue(gpus=8).model_copy(update={})
    queue = LocalQueueArgs(
        name="training",
        namespace="ml",
        cluster_queue=in_cohort.cluster_queue.model_copy(update={"cohort": "ml"}),  # type: ignore[union-attr]
    )
    # The cohort is only a name: its other queues may lend, so 10 GPUs is not an error.
    assert job(queue, cluster=gpu_cluster(10))["spec"]["suspend"] is True


def test_a_resource_the_queue_does_not_cover() -> None:
    queue = LocalQueueArgs(
        name="training",
        cluster_queue=ClusterQueueArgs(
            name="cpu-only",
            resource_groups=[
                ResourceGroup(flavors=[FlavorQuotas("cpu", {"cpu": 64, "memory": "256Gi"})])
            ],
        ),
    )
    with pytest.raises(
        ValidationError,
        match=r"requests nvidia.com/gpu \(pod sets gpu\), which ClusterQueue 'cpu-only'",
    ):
        job(queue)


def test_a_node_selector_no_flavor_matches_is_a_warning() -> None:
    h100 = {"node_selector": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}}
    only_a100 = LocalQueueArgs(
        name="training",
        cluster_queue=ClusterQueueArgs(
            name="a100",
            resource_groups=[
                ResourceGroup(
                    flavors=[
                        FlavorQuotas(A100, {"cpu": 64, "memory": "1Ti", "nvidia.com/gpu": 16}),
                    ]
                )
            ],
        ),
    )
    plan = plan_rayjob(
        ObjectArgs("train", "ml"),
        JobArgs(queue=only_a100, cluster=gpu_cluster(1, group=h100)),
        CAPS,
    )
    [warning] = [w for w in plan.warnings if "pod set 'gpu'" in w]
    assert "pod set 'gpu' of RayJob train matches no flavor of ClusterQueue 'a100'" in warning
    assert "nodeSelector nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3" in warning


def test_the_queues_namespace_and_selector_must_admit_the_workload() -> None:
    with pytest.raises(
        ValidationError,
        match="LocalQueue 'training' is in namespace 'ml' but the RayJob is in 'other'",
    ):
        plan_rayjob(ObjectArgs("train", "other"), JobArgs(queue=team_queue()), CAPS)
    only_prod = team_queue(
        namespace_selector={"matchLabels": {"kubernetes.io/metadata.name": "prod"}}
    )
    with pytest.raises(ValidationError, match="does not admit workloads from namespace 'ml'"):
        job(only_prod)
    assert namespace_selector_matches({"matchLabels": {"team": "a"}}, "ml") is None


def test_multikueue_sets_managed_by() -> None:
    dispatch = team_queue(admission_checks=[AdmissionCheckArgs.multikueue("multikueue", "workers")])
    assert job(dispatch)["spec"]["managedBy"] == "kueue.x-k8s.io/multikueue"
    with pytest.raises(ValidationError, match=r"needs managedBy 'kueue.x-k8s.io/multikueue'"):
        job(dispatch, managed_by="ray.io/kuberay-operator")


def test_a_queued_raycluster_is_suspended_and_an_elastic_one_gated() -> None:
    args = RayClusterArgs(
        queue="training",
        autoscaling=True,
        worker_groups=[WorkerGroup("cpu", replicas=1, max_replicas=4, cpu=1)],
    )
    manifest = plan_raycluster(ObjectArgs("c", "ml"), args, CAPS).manifest
    assert manifest["spec"]["suspend"] is True
    assert manifest["metadata"]["annotations"] == {"kueue.x-k8s.io/elastic-job": "true"}
    gate = [{"name": "kueue.x-k8s.io/elastic-job"}]
    assert manifest["spec"]["headGroupSpec"]["template"]["spec"]["schedulingGates"] == gate
    assert manifest["spec"]["workerGroupSpecs"][0]["template"]["spec"]["schedulingGates"] == gate
    off = KueueCapabilities(frameworks=["ray.io/rayjob"])
    with pytest.raises(ValidationError, match="does not manage RayClusters"):
        plan_raycluster(
            ObjectArgs("c"), RayClusterArgs(queue=QueueTarget(name="q", kueue=off)), CAPS
        )


def test_a_queued_rayservice_suspends_its_cluster() -> None:
    serve = ServeConfig(applications=[ServeApplication("app", "app:deployment")])
    manifest = plan_rayservice(
        ObjectArgs("svc", "ml"), ServiceArgs(serve_config=serve, queue="serving"), CAPS
    ).manifest
    assert manifest["metadata"]["labels"] == {"kueue.x-k8s.io/queue-name": "serving"}
    assert manifest["spec"]["rayClusterConfig"]["suspend"] is True
    old = QueueTarget(name="q", kueue=KueueCapabilities(version="0.16.0"))
    with pytest.raises(ValidationError, match=r"top-level RayService needs Kueue >= 0.17.0"):
        plan_rayservice(ObjectArgs("svc"), ServiceArgs(serve_config=serve, queue=old), CAPS)
