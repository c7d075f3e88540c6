"""Kueue rules: shutdown, no clusterSelector, autoscaling only when elastic, max pod sets."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_kuberay.policy.model import Rule
from pulumi_kuberay.policy.rules.kueue import (
    KUEUE_AUTOSCALING,
    KUEUE_MAX_POD_SETS,
    KUEUE_NO_CLUSTER_SELECTOR,
    KUEUE_SHUTDOWN_AFTER_FINISH,
)
from pulumi_kuberay.policy.rules.rayjob import RAYJOB_CLUSTER_CLEANUP
from tests.policy.manifests import DELETE, at, cluster_edit, edit_paths, good
from tests.policy.rules.support import assert_fix, assert_flags, assert_passes, violations

QUEUE = "metadata.labels[kueue.x-k8s.io/queue-name]"
KUEUE_RULES = [
    KUEUE_SHUTDOWN_AFTER_FINISH,
    KUEUE_NO_CLUSTER_SELECTOR,
    KUEUE_AUTOSCALING,
    KUEUE_MAX_POD_SETS,
]


def queued(kind: str = "RayJob") -> dict[str, Any]:
    return edit_paths(good(kind), {QUEUE: "team-a"})


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
@pytest.mark.parametrize("rule", KUEUE_RULES, ids=lambda r: r.id)
def test_a_well_formed_queued_workload_passes(rule: Rule, kind: str) -> None:
    assert_passes(rule, queued(kind))


def test_a_queued_job_without_shutdown_is_flagged_and_fixed() -> None:
    doc = edit_paths(queued(), {"spec.shutdownAfterJobFinishes": False})

    assert_flags(
        KUEUE_SHUTDOWN_AFTER_FINISH,
        doc,
        "spec.shutdownAfterJobFinishes",
        "must be true for a job queued by Kueue",
        "Kueue's webhook rejects the job",
    )
    # rayjob-cluster-cleanup leaves this case to the Kueue rule: one finding, not two.
    assert_passes(RAYJOB_CLUSTER_CLEANUP, doc)
    assert assert_fix(KUEUE_SHUTDOWN_AFTER_FINISH, doc) == queued()


def test_unqueued_jobs_are_not_kueue_business() -> None:
    doc = edit_paths(good("RayJob"), {"spec.shutdownAfterJobFinishes": False})
    assert_passes(KUEUE_SHUTDOWN_AFTER_FINISH, doc)


def test_a_queued_job_with_a_cluster_selector_and_spec_is_flagged() -> None:
    doc = edit_paths(queued(), {"spec.clusterSelector": {"ray.io/cluster": "shared"}})
    assert_flags(
        KUEUE_NO_CLUSTER_SELECTOR,
        doc,
        "spec.clusterSelector",
        "Kueue's webhook rejects a queued job that also names an existing cluster",
    )


def test_a_queued_job_on_an_existing_cluster_is_flagged_as_not_queued() -> None:
    doc = edit_paths(
        queued(),
        {"spec.clusterSelector": {"ray.io/cluster": "shared"}, "spec.rayClusterSpec": DELETE},
    )
    assert_flags(
        KUEUE_NO_CLUSTER_SELECTOR,
        doc,
        "spec.clusterSelector",
        "Kueue does not manage jobs on existing clusters, so the queue label does nothing",
    )


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
def test_queued_autoscaling_is_flagged_unless_elastic(kind: str) -> None:
    doc = cluster_edit(kind, queued(kind), {"enableInTreeAutoscaling": True})

    assert_flags(
        KUEUE_AUTOSCALING,
        doc,
        at(kind, "enableInTreeAutoscaling"),
        "Kueue admits a fixed size and rejects autoscaling",
        'kueue.x-k8s.io/elastic-job: "true"',
    )
    elastic = edit_paths(doc, {"metadata.annotations[kueue.x-k8s.io/elastic-job]": "true"})
    assert_passes(KUEUE_AUTOSCALING, elastic)


def _with_groups(doc: dict[str, Any], kind: str, count: int) -> dict[str, Any]:
    groups = []
    template = doc["spec"] if kind == "RayCluster" else doc["spec"]["rayClusterSpec"]
    for index in range(count):
        group = copy.deepcopy(template["workerGroupSpecs"][0])
        group["groupName"] = f"g{index}"
        groups.append(group)
    return cluster_edit(kind, doc, {"workerGroupSpecs": groups})


def test_a_queued_job_counts_head_groups_and_submitter() -> None:
    doc = _with_groups(queued(), "RayJob", 7)  # 1 + 7 + 1 = 9 pod sets

    assert_flags(
        KUEUE_MAX_POD_SETS,
        doc,
        "spec.rayClusterSpec.workerGroupSpecs",
        "Kueue builds 9 pod sets for this workload (1 head + 7 worker groups + 1 submitter)",
        "admits at most 8",
        maxPodSets=8,
    )
    assert_passes(KUEUE_MAX_POD_SETS, doc)  # the default, 18, admits it


def test_http_mode_jobs_have_no_submitter_pod_set() -> None:
    doc = edit_paths(_with_groups(queued(), "RayJob", 7), {"spec.submissionMode": "HTTPMode"})
    assert_passes(KUEUE_MAX_POD_SETS, doc, maxPodSets=8)


def test_queued_raycluster_above_the_default_limit_is_flagged() -> None:
    doc = _with_groups(queued("RayCluster"), "RayCluster", 18)
    [violation] = violations(KUEUE_MAX_POD_SETS, doc)
    assert "19 pod sets" in violation.message
    assert "at most 18" in violation.message
