"""How Kueue sees a Ray object: pod sets and requests, and its Ray webhook rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pulumi_kuberay.models.kueue.capabilities import pod_set_limit
from pulumi_kuberay.models.kueue.workloads import (
    expected_pod_set_count,
    pod_requests,
    queued_workload_problems,
    ray_pod_sets,
)

GI = 2**30
QUEUED = {"name": "job", "labels": {"kueue.x-k8s.io/queue-name": "team-a"}}


def pod(cpu: str, memory: str, **extra: Any) -> dict[str, Any]:
    return {
        "spec": {
            "containers": [
                {"name": "ray", "resources": {"requests": {"cpu": cpu, "memory": memory}}}
            ],
            **extra,
        }
    }


def cluster(*groups: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "headGroupSpec": {"template": pod("2", "8Gi")},
        "workerGroupSpecs": list(groups),
        **spec,
    }


def group(name: str, replicas: int, **extra: Any) -> dict[str, Any]:
    return {"groupName": name, "replicas": replicas, "template": pod("8", "64Gi"), **extra}


def rayjob(spec_cluster: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "kind": "RayJob",
        "metadata": QUEUED,
        "spec": {"shutdownAfterJobFinishes": True, "rayClusterSpec": spec_cluster, **spec},
    }


def test_pod_requests_count_limits_init_containers_sidecars_and_overhead() -> None:
    spec = {
        "containers": [
            {"name": "a", "resources": {"limits": {"cpu": "2", "memory": "1Gi"}}},
            {"name": "b", "resources": {"requests": {"cpu": "500m"}}},
        ],
        "initContainers": [
            {"name": "sidecar", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}},
            {"name": "setup", "resources": {"requests": {"cpu": "4"}}},
        ],
        "overhead": {"cpu": "100m"},
    }
    # max(2 + 0.5 + sidecar 1, sidecar 1 + setup 4) + overhead 0.1
    assert pod_requests(spec) == {"cpu": Decimal("5.1"), "memory": Decimal(GI)}


def test_a_rayjob_in_k8sjobmode_is_head_workers_and_the_submitter() -> None:
    sets = ray_pod_sets(rayjob(cluster(group("GPU", 3), group("cpu", 2, numOfHosts=2))))
    assert [(s.name, s.count) for s in sets] == [
        ("head", 1),
        ("gpu", 3),
        ("cpu", 4),
        ("submitter", 1),
    ]
    assert sets[-1].requests == {"cpu": Decimal("0.5"), "memory": Decimal(200 * 2**20)}
    assert sets[0].requests == {"cpu": Decimal(2), "memory": Decimal(8 * GI)}


def test_sidecar_mode_puts_the_submitter_on_the_head() -> None:
    sets = ray_pod_sets(rayjob(cluster(), submissionMode="SidecarMode"))
    assert [s.name for s in sets] == ["head"]
    assert sets[0].requests == {"cpu": Decimal("2.5"), "memory": Decimal(8 * GI + 200 * 2**20)}


def test_the_autoscaler_and_redis_cleanup_are_counted_on_the_head() -> None:
    ft = cluster(enableInTreeAutoscaling=True, gcsFaultToleranceOptions={"redisAddress": "r:6379"})
    ft["headGroupSpec"]["template"] = pod("100m", "128Mi")
    head = ray_pod_sets({"kind": "RayCluster", "metadata": QUEUED, "spec": ft})[0]
    # Ray container max-merged with 200m/256Mi, plus the autoscaler's 500m/512Mi.
    assert head.requests == {"cpu": Decimal("0.7"), "memory": Decimal(768 * 2**20)}


def test_elastic_pod_sets_know_their_max_replicas() -> None:
    [_, workers] = ray_pod_sets(
        {"kind": "RayCluster", "metadata": QUEUED, "spec": cluster(group("w", 2, maxReplicas=6))}
    )
    assert (workers.count, workers.max_count) == (2, 6)


def test_pod_set_counts_and_the_limit_per_kueue_release() -> None:
    assert expected_pod_set_count(rayjob(cluster(group("a", 1)))) == (
        3,
        "1 head + 1 worker group + 1 submitter",
    )
    assert [pod_set_limit(v) for v in ("0.17.3", "0.18.0", "0.19.2")] == [8, 10, 18]


def test_kueues_rayjob_rules() -> None:
    no_shutdown = rayjob(cluster(), shutdownAfterJobFinishes=False)
    assert queued_workload_problems(no_shutdown, max_pod_sets=18) == [
        "spec.shutdownAfterJobFinishes: must be true for a job queued by Kueue (its cluster would "
        "keep the queue's quota after the job); set it to true"
    ]
    both = rayjob(cluster(), clusterSelector={"ray.io/cluster": "shared"})
    assert queued_workload_problems(both, max_pod_sets=18)[0].startswith("spec.clusterSelector:")
    selector_only = {
        "kind": "RayJob",
        "metadata": QUEUED,
        "spec": {"clusterSelector": {"ray.io/cluster": "x"}},
    }
    assert queued_workload_problems(selector_only, max_pod_sets=18) == []
    unqueued = {**no_shutdown, "metadata": {"name": "job"}}
    assert queued_workload_problems(unqueued, max_pod_sets=18) == []


def test_the_submitter_counts_against_the_pod_set_limit() -> None:
    job = rayjob(cluster(*(group(f"g{i}", 1) for i in range(17))))
    [problem] = queued_workload_problems(job, max_pod_sets=18)
    assert problem == (
        "spec.rayClusterSpec.workerGroupSpecs: Kueue builds 19 pod sets (1 head + 17 worker groups "
        "+ 1 submitter) but a Workload holds at most 18; merge worker groups"
    )


def test_autoscaling_needs_the_elastic_annotation() -> None:
    job = rayjob(cluster(enableInTreeAutoscaling=True))
    [problem] = queued_workload_problems(job, max_pod_sets=18)
    assert problem.startswith(
        "spec.rayClusterSpec.enableInTreeAutoscaling: Kueue rejects autoscaling"
    )
    job["metadata"] = {**QUEUED, "annotations": {"kueue.x-k8s.io/elastic-job": "true"}}
    assert queued_workload_problems(job, max_pod_sets=18) == []


def test_group_names_become_pod_set_names() -> None:
    job = rayjob(cluster(group("head", 1), group("GPU", 1), group("gpu", 1), group("a_b", 1)))
    problems = queued_workload_problems(job, max_pod_sets=18)
    assert any('"head" is reserved by Kueue' in p for p in problems)
    assert any("'gpu' gives the same pod set name as workerGroupSpecs[1]" in p for p in problems)
    assert any("'a_b' makes the pod set name 'a_b'" in p for p in problems)
