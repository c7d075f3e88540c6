"""Kueue components under Pulumi mocks: the chart install, queue objects, their dependencies."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import pulumi_kuberay as kuberay
from tests.conftest import RecordingMocks, run_pulumi

CHART = "kubernetes:helm.sh/v4:Chart"
CQ = "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue"


def test_kueue_installs_the_oci_chart_pinned_with_typed_values(
    pulumi_mocks: RecordingMocks,
) -> None:
    def program() -> dict[str, Any]:
        kueue = kuberay.Kueue(
            "kueue",
            feature_gates={"ElasticJobsViaWorkloadSlices": True},
            frameworks=["batch/job", "ray.io/rayjob", "ray.io/raycluster", "ray.io/rayservice"],
        )
        return {"version": kueue.chart_version, "gates": kueue.feature_gates}

    outputs = run_pulumi(program)
    inputs = dict(pulumi_mocks.one(CHART).inputs)
    assert inputs["chart"] == "oci://registry.k8s.io/kueue/charts/kueue"
    assert inputs["version"] == "0.19.2"
    assert inputs["values"]["controllerManager"]["featureGates"] == [
        {"name": "ElasticJobsViaWorkloadSlices", "enabled": True}
    ]
    config = yaml.safe_load(inputs["values"]["managerConfig"]["controllerManagerConfigYaml"])
    assert config["integrations"]["frameworks"][1:] == [
        "ray.io/rayjob",
        "ray.io/raycluster",
        "ray.io/rayservice",
    ]
    assert config["kind"] == "Configuration"
    assert outputs["version"] == "0.19.2"
    assert outputs["gates"]["ElasticJobsViaWorkloadSlices"] is True


def test_an_existing_kueue_installs_nothing(pulumi_mocks: RecordingMocks) -> None:
    run_pulumi(lambda: {"v": kuberay.Kueue("kueue", install=False, version="0.17.3").chart_version})
    assert not pulumi_mocks.of_type(CHART)


def test_bad_install_arguments_fail_before_registration(pulumi_mocks: RecordingMocks) -> None:
    with pytest.raises(
        kuberay.ValidationError, match="did you mean 'ElasticJobsViaWorkloadSlices'"
    ):
        kuberay.Kueue("kueue", feature_gates={"ElasticJobsViaWorkloadSlice": True})
    with pytest.raises(kuberay.ValidationError, match="did you mean 'controllerManager'"):
        kuberay.Kueue("kueue", values={"controllerManger": {}})


def test_queue_objects_depend_on_what_they_name(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        kueue = kuberay.Kueue("kueue")
        flavor = kuberay.ResourceFlavor("a100", kueue=kueue, node_labels={"gpu": "a100"})
        cohort = kuberay.Cohort("ml", kueue=kueue)
        queue = kuberay.ClusterQueue(
            "team-a",
            kueue=kueue,
            cohort=cohort,
            resource_groups=[
                kuberay.ResourceGroup(flavors=[kuberay.FlavorQuotas(flavor, {"cpu": 8})])
            ],
        )
        assert [o["metadata"]["name"] for o in cohort.quota_objects()] == ["ml", "team-a"]
        return {"queue": queue.name}

    run_pulumi(program)
    cq = pulumi_mocks.registration(CQ, "team-a")
    flavor = pulumi_mocks.registration("kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor", "a100")
    cohort = pulumi_mocks.registration("kubernetes:kueue.x-k8s.io/v1beta2:Cohort", "ml")
    chart = pulumi_mocks.registration(CHART, "kueue")
    assert {flavor.urn, cohort.urn, chart.urn} <= set(cq.dependencies)


def test_a_queued_job_depends_on_its_local_queue(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        queue = kuberay.ClusterQueue(
            "team-a",
            resource_groups=[
                kuberay.ResourceGroup(
                    flavors=[kuberay.FlavorQuotas("default", {"cpu": 8, "memory": "32Gi"})]
                )
            ],
        )
        local = kuberay.LocalQueue("training", namespace="ml", cluster_queue=queue)
        job = kuberay.RayJob(
            "train",
            namespace="ml",
            entrypoint="python t.py",
            queue=local,
            cluster=kuberay.ClusterArgs(head=kuberay.HeadGroup(cpu=1, memory="4Gi")),
        )
        return {"queue": local.name, "namespace": local.namespace, "job": job.name}

    outputs = run_pulumi(program)
    assert outputs == {"queue": "training", "namespace": "ml", "job": "train"}
    job = pulumi_mocks.registration("kubernetes:ray.io/v1:RayJob", "train")
    local = pulumi_mocks.registration("kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue", "training")
    assert local.urn in job.dependencies
    cq = pulumi_mocks.registration(CQ, "team-a")
    assert cq.parent.endswith("kuberay:index:ClusterQueue::team-a")
    assert cq.urn in local.dependencies
