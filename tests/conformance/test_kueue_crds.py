"""Every Kueue object the plans emit passes the real Kueue v0.19.2 CRDs (defaults applied, no
pruned field, CEL rules evaluated): v1beta2 by default, and the v1beta1 rendering against
v1beta1's schema."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
from pulumi_kuberay.plans.kueue.args import (
    AdmissionCheckArgs,
    ClusterQueueArgs,
    CohortArgs,
    FlavorQuotas,
    LocalQueueArgs,
    Quota,
    ResourceFlavorArgs,
    ResourceGroup,
    WorkloadPriorityClassArgs,
)
from pulumi_kuberay.plans.kueue.queues import (
    plan_admission_check,
    plan_cluster_queue,
    plan_cohort,
    plan_local_queue,
    plan_resource_flavor,
    plan_workload_priority_class,
)
from tests.conformance.kueue_crds import kueue_problems, require_kueue_crds

V1BETA1 = KueueCapabilities(version="0.14.7")
V1BETA2 = KueueCapabilities()
A100 = ResourceFlavorArgs(
    name="a100",
    node_labels={
        "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB",
        "topology.kubernetes.io/zone": "a",
    },
    node_taints=[{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}],
    tolerations=[{"key": "spot", "operator": "Exists", "effect": "NoSchedule"}],
    tolerate_taints=True,
)


def every_object(caps: KueueCapabilities) -> list[dict[str, Any]]:
    groups = [
        ResourceGroup(
            flavors=[
                FlavorQuotas(
                    A100,
                    {
                        "cpu": 96,
                        "memory": "1Ti",
                        "nvidia.com/gpu": Quota(16, borrowing_limit=8, lending_limit=4),
                    },
                ),
                FlavorQuotas("cpu", {"cpu": "64", "memory": "256Gi", "nvidia.com/gpu": 0}),
            ]
        ),
        ResourceGroup(flavors=[FlavorQuotas("disk", {"ephemeral-storage": "1Ti"})]),
    ]
    queue = ClusterQueueArgs(
        name="team-a",
        cohort="ml",
        resource_groups=groups,
        namespace_selector={"matchLabels": {"team": "a"}},
        queueing_strategy="StrictFIFO",
        preemption={
            "reclaimWithinCohort": "Any",
            "borrowWithinCohort": {"policy": "LowerPriority", "maxPriorityThreshold": 100},
            "withinClusterQueue": "LowerPriority",
        },
        flavor_fungibility={
            "whenCanBorrow": "TryNextFlavor",
            "whenCanPreempt": "TryNextFlavor",
            "preference": "BorrowingOverPreemption",
        },
        fair_sharing_weight="2",
        stop_policy="None",
        admission_checks=[AdmissionCheckArgs.multikueue("multikueue", "workers")],
    )
    return [
        plan_resource_flavor(A100, caps).manifest,
        plan_resource_flavor(ResourceFlavorArgs(name="plain"), caps).manifest,
        plan_cluster_queue(queue, caps).manifest,
        plan_cluster_queue(ClusterQueueArgs(name="empty"), caps).manifest,
        plan_cohort(
            CohortArgs(name="ml", parent="org", resource_groups=groups[:1], fair_sharing_weight=1),
            caps,
        ).manifest,
        plan_cohort(CohortArgs(name="org"), caps).manifest,
        plan_local_queue(
            LocalQueueArgs(
                name="training",
                namespace="team-a",
                cluster_queue="team-a",
                stop_policy="Hold",
                fair_sharing_weight=1,
            ),
            "team-a",
            caps,
        ).manifest,
        plan_workload_priority_class(
            WorkloadPriorityClassArgs(name="high", value=10000, description="deadlines"), caps
        ).manifest,
        plan_admission_check(AdmissionCheckArgs.multikueue("multikueue", "workers"), caps).manifest,
    ]


@pytest.mark.parametrize("caps", [V1BETA2, V1BETA1], ids=["v1beta2", "v1beta1"])
def test_every_kueue_object_passes_its_versions_crd(caps: KueueCapabilities) -> None:
    require_kueue_crds()
    objects = every_object(caps)
    assert {o["apiVersion"] for o in objects} == {f"kueue.x-k8s.io/{caps.queue_api_version}"}
    assert {o["kind"] for o in objects} == {
        "ResourceFlavor",
        "ClusterQueue",
        "Cohort",
        "LocalQueue",
        "WorkloadPriorityClass",
        "AdmissionCheck",
    }
    for manifest in objects:
        assert kueue_problems(manifest) == [], manifest["kind"]


def test_the_harness_catches_what_the_api_server_would_reject() -> None:
    require_kueue_crds()
    pruned = {
        "apiVersion": "kueue.x-k8s.io/v1beta2",
        "kind": "ClusterQueue",
        "metadata": {"name": "q"},
        "spec": {"cohort": "ml"},
    }
    assert any("spec.cohort: field not in the CRD schema" in p for p in kueue_problems(pruned))
    cel = {
        "apiVersion": "kueue.x-k8s.io/v1beta2",
        "kind": "ClusterQueue",
        "metadata": {"name": "q"},
        "spec": {
            "resourceGroups": [
                {
                    "coveredResources": ["cpu"],
                    "flavors": [
                        {
                            "name": "f",
                            "resources": [{"name": "cpu", "nominalQuota": 1, "borrowingLimit": 1}],
                        }
                    ],
                }
            ]
        },
    }
    assert kueue_problems(cel) == ["spec: borrowingLimit must be nil when cohort is empty"]
    v1 = {**cel, "apiVersion": "kueue.x-k8s.io/v1beta1", "spec": {"cohortName": "ml"}}
    assert any("spec.cohortName: field not in the CRD schema" in p for p in kueue_problems(v1))
