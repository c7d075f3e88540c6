"""What Kueue rejects in queue objects, and what an installed Kueue can do."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
from pulumi_kuberay.models.kueue.feature_gates import default_gates, stage_at
from pulumi_kuberay.models.kueue.validation import queue_object_problems


def cq(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "kueue.x-k8s.io/v1beta2",
        "kind": "ClusterQueue",
        "metadata": {"name": "q"},
        "spec": spec,
    }


def group(*flavors: dict[str, Any], covered: list[str]) -> dict[str, Any]:
    return {"coveredResources": covered, "flavors": list(flavors)}


def test_flavors_must_list_the_covered_resources_in_order() -> None:
    bad = cq(
        {
            "resourceGroups": [
                group(
                    {"name": "f", "resources": [{"name": "cpu", "nominalQuota": 1}]},
                    covered=["cpu", "memory"],
                )
            ]
        }
    )
    assert queue_object_problems(bad) == [
        "spec.resourceGroups[0].flavors[0].resources: must list the covered resources ['cpu', "
        "'memory'] in that order (missing memory); give flavor 'f' a quota for every covered resource"
    ]


def test_limits_need_a_cohort_and_lending_stays_within_nominal() -> None:
    resources = [{"name": "cpu", "nominalQuota": "4", "borrowingLimit": 2, "lendingLimit": "8"}]
    problems = queue_object_problems(
        cq({"resourceGroups": [group({"name": "f", "resources": resources}, covered=["cpu"])]})
    )
    assert any(
        "borrowingLimit: only allowed when the ClusterQueue is in a cohort" in p for p in problems
    )
    assert any("lendingLimit: 8 is more than nominalQuota 4" in p for p in problems)


def test_quantities_and_duplicates() -> None:
    flavor = {"name": "f", "resources": [{"name": "cpu", "nominalQuota": "lots"}]}
    problems = queue_object_problems(
        cq(
            {
                "cohortName": "c",
                "resourceGroups": [group(flavor, covered=["cpu"]), group(flavor, covered=["cpu"])],
            }
        )
    )
    assert any("nominalQuota: 'lots' is not a quantity" in p for p in problems)
    assert any("'cpu' is already covered by spec.resourceGroups[0]" in p for p in problems)
    assert any("flavor 'f' is already listed in spec.resourceGroups[0]" in p for p in problems)


def test_fungibility_and_preemption_rules() -> None:
    problems = queue_object_problems(
        cq(
            {
                "flavorFungibility": {"preference": "BorrowingOverPreemption"},
                "preemption": {"borrowWithinCohort": {"policy": "LowerPriority"}},
            }
        )
    )
    assert len(problems) == 2


def test_resource_flavor_rules() -> None:
    flavor = {
        "apiVersion": "kueue.x-k8s.io/v1beta2",
        "kind": "ResourceFlavor",
        "metadata": {"name": "f"},
        "spec": {
            "nodeTaints": [{"key": "a", "effect": "Sometimes"}],
            "tolerations": [{"operator": "Equal"}],
            "topologyName": "t",
        },
    }
    problems = queue_object_problems(flavor)
    assert (
        "spec.nodeTaints[0].effect: 'Sometimes' is not one of NoSchedule, PreferNoSchedule, NoExecute"
        in problems
    )
    assert "spec.tolerations[0].operator: must be Exists when key is empty (match all)" in problems
    assert any(p.startswith("spec.topologyName: needs at least one nodeLabel") for p in problems)


def test_other_kinds_are_not_checked() -> None:
    assert queue_object_problems({"apiVersion": "v1", "kind": "ConfigMap"}) == []


def test_feature_gates_per_release() -> None:
    assert default_gates("0.17.0")["ElasticJobsViaWorkloadSlices"] is False
    assert default_gates("0.18.0")["ElasticJobsViaWorkloadSlices"] is True
    stage = stage_at("HierarchicalCohorts", "0.19.2")
    assert stage is not None
    assert stage.locked


def test_capabilities_check_gates_api_versions_and_frameworks() -> None:
    caps = KueueCapabilities(version="0.14.7")
    assert caps.queue_api_version == "v1beta1"
    assert KueueCapabilities().queue_api_version == "v1beta2"
    with pytest.raises(ValidationError) as error:
        KueueCapabilities(
            version="0.14.7",
            api_version="v1beta2",
            feature_gates={"ElasticJobsViaWorkloadSlice": True},
            frameworks=["ray.io/rayjobs"],
        )
    text = str(error.value)
    assert "did you mean 'ElasticJobsViaWorkloadSlices'" in text
    assert "Kueue 0.14.7 serves only v1beta1" in text
    assert "did you mean 'ray.io/rayjob'" in text
    with pytest.raises(ValidationError, match="locked to True"):
        KueueCapabilities(feature_gates={"HierarchicalCohorts": False})
    with pytest.raises(ValidationError, match=r"older than 0.13.0"):
        KueueCapabilities(version="0.12.0")
    assert not KueueCapabilities(frameworks=["batch/job"]).manages("RayJob")
