"""The Kueue stack rules on plain manifests: queue objects Kueue rejects, references to queue
objects not created alongside, and workloads their ClusterQueue can never admit."""

from __future__ import annotations

import copy
from typing import Any

from pulumi_kuberay.policy.engine import check_manifests
from pulumi_kuberay.policy.kueue_stack_rules import (
    KUEUE_ADMISSION,
    KUEUE_QUEUE_OBJECTS,
    KUEUE_REFERENCES,
    check_admission,
    check_queue_objects,
    check_references,
)
from pulumi_kuberay.policy.manifest_reading import UNKNOWN

V = "kueue.x-k8s.io/v1beta2"
FLAVOR = {
    "apiVersion": V,
    "kind": "ResourceFlavor",
    "metadata": {"name": "a100"},
    "spec": {"nodeLabels": {"gpu": "a100"}},
}


def cluster_queue(name: str, gpus: int, cohort: str | None = None, **quota: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "namespaceSelector": {},
        "resourceGroups": [
            {
                "coveredResources": ["cpu", "memory", "nvidia.com/gpu"],
                "flavors": [
                    {
                        "name": "a100",
                        "resources": [
                            {"name": "cpu", "nominalQuota": 256},
                            {"name": "memory", "nominalQuota": "2Ti"},
                            {"name": "nvidia.com/gpu", "nominalQuota": gpus, **quota},
                        ],
                    }
                ],
            }
        ],
    }
    if cohort:
        spec["cohortName"] = cohort
    return {"apiVersion": V, "kind": "ClusterQueue", "metadata": {"name": name}, "spec": spec}


def local_queue(cq: str) -> dict[str, Any]:
    return {
        "apiVersion": V,
        "kind": "LocalQueue",
        "metadata": {"name": "training", "namespace": "ml"},
        "spec": {"clusterQueue": cq},
    }


def rayjob(gpus_workers: int, **labels: str) -> dict[str, Any]:
    worker = {
        "name": "ray-worker",
        "image": "rayproject/ray:2.53.0",
        "resources": {"limits": {"cpu": "8", "memory": "64Gi", "nvidia.com/gpu": "1"}},
    }
    head = {
        "name": "ray-head",
        "image": "rayproject/ray:2.53.0",
        "resources": {"limits": {"cpu": "2", "memory": "8Gi"}},
    }
    return {
        "apiVersion": "ray.io/v1",
        "kind": "RayJob",
        "metadata": {
            "name": "train",
            "namespace": "ml",
            "labels": {"kueue.x-k8s.io/queue-name": "training", **labels},
        },
        "spec": {
            "entrypoint": "python t.py",
            "shutdownAfterJobFinishes": True,
            "rayClusterSpec": {
                "headGroupSpec": {
                    "rayStartParams": {},
                    "template": {"spec": {"containers": [head]}},
                },
                "workerGroupSpecs": [
                    {
                        "groupName": "gpu",
                        "replicas": gpus_workers,
                        "minReplicas": 0,
                        "maxReplicas": gpus_workers,
                        "rayStartParams": {},
                        "template": {"spec": {"containers": [worker]}},
                    }
                ],
            },
        },
    }


def test_a_job_its_queue_can_hold_passes() -> None:
    stack = [
        FLAVOR,
        cluster_queue("team-a", 8, "ml"),
        cluster_queue("team-b", 8, "ml"),
        local_queue("team-a"),
        rayjob(16),
    ]
    assert check_admission(stack, {}) == []
    assert check_references(stack, {}) == []
    assert check_queue_objects(stack, {}) == []


def test_a_job_beyond_quota_and_borrowing_is_reported_on_the_job() -> None:
    stack = [
        FLAVOR,
        cluster_queue("team-a", 8, "ml", borrowingLimit=4),
        cluster_queue("team-b", 8, "ml"),
        local_queue("team-a"),
        rayjob(16),
    ]
    [(index, violation)] = check_admission(stack, {})
    assert index == 4
    assert violation.path == "spec.rayClusterSpec.workerGroupSpecs[0].template"
    assert "needs cpu 128, memory 1Ti, nvidia.com/gpu 16" in violation.text
    assert "'a100' gives at most nvidia.com/gpu 12 (nominal 8 + 4 borrowable)" in violation.text


def test_admission_is_not_judged_without_the_queue_or_with_unknown_values() -> None:
    assert check_admission([cluster_queue("team-a", 1), rayjob(16)], {}) == []
    unknown = cluster_queue("team-a", 1)
    unknown["spec"]["resourceGroups"][0]["flavors"][0]["resources"][2]["nominalQuota"] = UNKNOWN
    assert check_admission([unknown, local_queue("team-a"), rayjob(16)], {}) == []


def test_queue_objects_kueue_rejects_are_mandatory_findings() -> None:
    bad = cluster_queue("team-a", 8, borrowingLimit=2)
    findings = list(check_manifests([FLAVOR, bad])[1])
    assert [(f.rule_id, f.enforcement.value, f.path) for f in findings] == [
        (
            "kueue-queue-objects",
            "mandatory",
            "spec.resourceGroups[0].flavors[0].resources[2].borrowingLimit",
        )
    ]
    assert KUEUE_QUEUE_OBJECTS.id in findings[0].rule_id


def test_references_to_queue_objects_not_created_here() -> None:
    stack = [
        local_queue("missing"),
        cluster_queue("team-a", 8),
        rayjob(1, **{"kueue.x-k8s.io/priority-class": "high"}),
    ]
    found = {(i, v.path) for i, v in check_references(stack, {})}
    assert found == {
        (0, "spec.clusterQueue"),
        (1, "spec.resourceGroups[0].flavors[0].name"),
        (2, "metadata.labels[kueue.x-k8s.io/priority-class]"),
    }
    assert KUEUE_REFERENCES.severity.value == "low"


def test_the_findings_reach_the_engine_for_every_object() -> None:
    stack = [FLAVOR, cluster_queue("team-a", 1), local_queue("team-a"), copy.deepcopy(rayjob(4))]
    findings = check_manifests(stack)
    assert any(f.rule_id == KUEUE_ADMISSION.id for f in findings[3])
