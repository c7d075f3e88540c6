"""Plans of Kueue's queue objects: defaults, the v1beta1 rendering, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
from pulumi_kuberay.plans.kueue.args import (
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
    decide_namespace_selector,
    plan_cluster_queue,
    plan_cohort,
    plan_local_queue,
    plan_resource_flavor,
    plan_workload_priority_class,
    render_quantity,
)

OLD_KUEUE = KueueCapabilities(version="0.14.7")
GPU_TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}


class GpuPool:
    """A stand-in for a GPU node pool (anything with the KueueFlavorSource shape)."""

    name = "a100-pool"

    def node_labels(self) -> dict[str, str]:
        return {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"}

    def node_taints(self) -> list[dict[str, Any]]:
        return [GPU_TAINT]

    def capacity(self) -> dict[str, str]:
        return {"cpu": "384", "memory": "4400Gi", "nvidia.com/gpu": "32"}


def team_queue(**extra: Any) -> ClusterQueueArgs:
    return ClusterQueueArgs(
        name="team-a",
        cohort="ml",
        resource_groups=[
            ResourceGroup(
                flavors=[
                    FlavorQuotas(
                        "a100",
                        {
                            "cpu": 96,
                            "memory": "1Ti",
                            "nvidia.com/gpu": Quota(16, borrowing_limit=8),
                        },
                    ),
                    FlavorQuotas("cpu", {"cpu": 64, "memory": "256Gi", "nvidia.com/gpu": 0}),
                ]
            )
        ],
        **extra,
    )


def test_a_cluster_queue_in_v1beta2_admits_every_namespace_by_default() -> None:
    spec = plan_cluster_queue(team_queue()).manifest["spec"]
    assert spec["cohortName"] == "ml"
    assert spec["namespaceSelector"] == {}
    assert spec["resourceGroups"][0]["coveredResources"] == ["cpu", "memory", "nvidia.com/gpu"]
    assert spec["resourceGroups"][0]["flavors"][0]["resources"][2] == {
        "name": "nvidia.com/gpu",
        "nominalQuota": 16,
        "borrowingLimit": 8,
    }
    assert decide_namespace_selector({"matchLabels": {"team": "a"}}) == {
        "matchLabels": {"team": "a"}
    }


def test_the_v1beta1_rendering_uses_cohort_and_admission_check_names() -> None:
    manifest = plan_cluster_queue(team_queue(admission_checks=["multikueue"]), OLD_KUEUE).manifest
    assert manifest["apiVersion"] == "kueue.x-k8s.io/v1beta1"
    assert manifest["spec"]["cohort"] == "ml"
    assert "cohortName" not in manifest["spec"]
    assert manifest["spec"]["admissionChecks"] == ["multikueue"]


def test_v1beta2_fields_on_v1beta1_are_errors_naming_the_field() -> None:
    policy = {"migration": {"mode": "TryPreferredFlavors"}}
    gates = KueueCapabilities(
        version="0.18.0", api_version="v1beta1", feature_gates={"ConcurrentAdmission": True}
    )
    with pytest.raises(
        ValidationError,
        match=r"concurrent_admission_policy: spec.concurrentAdmissionPolicy exists only in kueue.x-k8s.io/v1beta2",
    ):
        plan_cluster_queue(team_queue(concurrent_admission_policy=policy), gates)
    # Raw overrides are written in v1beta2 terms too, and converted.
    converted = plan_cluster_queue(team_queue(overrides={"cohortName": "other"}), OLD_KUEUE)
    assert converted.manifest["spec"]["cohort"] == "other"


def test_quotas_that_are_not_quantities_name_the_flavor_and_resource() -> None:
    bad = ClusterQueueArgs(
        name="q", resource_groups=[ResourceGroup(flavors=[FlavorQuotas("f", {"cpu": "lots"})])]
    )
    with pytest.raises(ValidationError) as error:
        plan_cluster_queue(bad)
    assert error.value.problems == [
        "resource_groups[0].flavors[0].quotas[cpu].nominal: 'lots' is not a quantity; use a "
        "number or a Kubernetes quantity such as '64', '500m' or '256Gi'"
    ]
    assert "ClusterQueue q" in str(error.value)
    assert render_quantity(0.5, "x") == "0.5"
    with pytest.raises(ValidationError, match="negative"):
        render_quantity(-1, "x")


def test_duplicate_flavors_and_a_covered_resource_missing_from_a_flavor() -> None:
    bad = ClusterQueueArgs(
        name="q",
        resource_groups=[
            ResourceGroup(
                flavors=[
                    FlavorQuotas("f", {"cpu": 1, "memory": "1Gi"}),
                    FlavorQuotas("f", {"cpu": 1}),
                ]
            )
        ],
    )
    with pytest.raises(ValidationError) as error:
        plan_cluster_queue(bad)
    assert error.value.problems == [
        "resource_groups[0].flavors[1]: flavor 'f' is already used in resource_groups[0].flavors[0]; "
        "a flavor appears once per queue (give the other nodes their own flavor)",
        "resource_groups[0].flavors[1].quotas: flavor 'f' gives no quota for memory, which the "
        "group covers; every flavor needs a quota for each covered resource (use 0 for none)",
    ]


@pytest.mark.allow_nonconforming_manifests  # the plan renders the bad queue, then rejects it
def test_borrowing_without_a_cohort_is_kueues_error() -> None:
    bad = ClusterQueueArgs(
        name="q",
        resource_groups=[
            ResourceGroup(flavors=[FlavorQuotas("f", {"cpu": Quota(4, borrowing_limit=2)})])
        ],
    )
    with pytest.raises(
        ValidationError, match="borrowingLimit: only allowed when the ClusterQueue is in a cohort"
    ):
        plan_cluster_queue(bad)


def test_a_flavor_from_a_node_pool_writes_labels_and_taints_once() -> None:
    pool = GpuPool()
    flavor = plan_resource_flavor(ResourceFlavorArgs.from_source(pool)).manifest
    assert flavor["metadata"] == {"name": "a100-pool"}
    assert flavor["spec"] == {"nodeLabels": pool.node_labels(), "nodeTaints": [GPU_TAINT]}
    tolerant = plan_resource_flavor(
        ResourceFlavorArgs.from_source(pool, tolerate_taints=True)
    ).manifest
    assert tolerant["spec"]["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Equal", "effect": "NoSchedule", "value": "present"}
    ]
    queue = ClusterQueueArgs(
        name="gpu", resource_groups=[ResourceGroup(flavors=[FlavorQuotas(pool)])]
    )
    resources = plan_cluster_queue(queue).manifest["spec"]["resourceGroups"][0]["flavors"][0]
    assert resources == {
        "name": "a100-pool",
        "resources": [
            {"name": "cpu", "nominalQuota": "384"},
            {"name": "memory", "nominalQuota": "4400Gi"},
            {"name": "nvidia.com/gpu", "nominalQuota": "32"},
        ],
    }


def test_a_flavor_known_by_name_needs_quotas() -> None:
    with pytest.raises(ValidationError, match="has no quotas and no known capacity"):
        plan_cluster_queue(
            ClusterQueueArgs(name="q", resource_groups=[ResourceGroup(flavors=[FlavorQuotas("f")])])
        )


def test_topology_needs_the_gate() -> None:
    caps = KueueCapabilities(feature_gates={"TopologyAwareScheduling": False})
    with pytest.raises(ValidationError, match="TopologyAwareScheduling"):
        plan_resource_flavor(
            ResourceFlavorArgs(name="f", node_labels={"a": "b"}, topology_name="t"), caps
        )


def test_cohorts_local_queues_and_priorities() -> None:
    cohort = plan_cohort(CohortArgs(name="research", parent="org", fair_sharing_weight=2)).manifest
    assert cohort["spec"] == {"parentName": "org", "fairSharing": {"weight": 2}}
    queue = plan_local_queue(
        LocalQueueArgs(name="training", namespace="team-a", cluster_queue="team-a"), "team-a"
    )
    assert queue.manifest["metadata"] == {"name": "training", "namespace": "team-a"}
    assert queue.manifest["spec"] == {"clusterQueue": "team-a"}
    held = plan_local_queue(LocalQueueArgs(name="t", cluster_queue="x", stop_policy="Hold"), "x")
    assert held.warnings[0] == "stop_policy is Hold: the queue takes no new workload"
    assert "cluster_queue 'x' is given by name: it must already exist" in held.warnings[1]
    wpc = plan_workload_priority_class(
        WorkloadPriorityClassArgs(name="high", value=1000), OLD_KUEUE
    )
    assert wpc.manifest == {
        "apiVersion": "kueue.x-k8s.io/v1beta1",
        "kind": "WorkloadPriorityClass",
        "metadata": {"name": "high"},
        "value": 1000,
    }
    with pytest.raises(ValidationError, match="cannot be its own parent"):
        plan_cohort(CohortArgs(name="a", parent="a"))


def test_typos_in_arguments_get_did_you_mean() -> None:
    with pytest.raises(ValidationError, match="did you mean 'borrowing_limit'"):
        Quota(4, borrowing_limt=2)
