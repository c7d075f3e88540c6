"""rayjob-active-deadline and rayjob-cluster-cleanup."""

from __future__ import annotations

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.rules.rayjob import RAYJOB_ACTIVE_DEADLINE, RAYJOB_CLUSTER_CLEANUP
from tests.policy.manifests import DELETE, edit, good
from tests.policy.rules.support import assert_fix, assert_flags, assert_passes


def test_a_job_with_a_deadline_passes() -> None:
    assert_passes(RAYJOB_ACTIVE_DEADLINE, good("RayJob"))


def test_a_job_without_a_deadline_is_flagged() -> None:
    assert_flags(
        RAYJOB_ACTIVE_DEADLINE,
        edit(good("RayJob"), spec__activeDeadlineSeconds=DELETE),
        "spec.activeDeadlineSeconds",
        "a hung job (or a cluster that never becomes ready) holds its resources forever",
        "set activeDeadlineSeconds",
    )


def test_an_unknown_deadline_passes() -> None:
    assert_passes(RAYJOB_ACTIVE_DEADLINE, edit(good("RayJob"), spec__activeDeadlineSeconds=UNKNOWN))


def test_the_rule_is_only_for_rayjobs() -> None:
    assert not RAYJOB_ACTIVE_DEADLINE.applies_to(good("RayCluster"))


# --- rayjob-cluster-cleanup ------------------------------------------------------------------


def test_a_one_off_cluster_with_shutdown_and_ttl_passes() -> None:
    assert_passes(RAYJOB_CLUSTER_CLEANUP, good("RayJob"))


def test_a_one_off_cluster_without_shutdown_is_flagged_and_fixed() -> None:
    doc = edit(
        good("RayJob"), spec__shutdownAfterJobFinishes=DELETE, spec__ttlSecondsAfterFinished=DELETE
    )

    assert_flags(
        RAYJOB_CLUSTER_CLEANUP,
        doc,
        "spec.shutdownAfterJobFinishes",
        "keeps running (and holding its nodes) after the job ends",
        "set shutdownAfterJobFinishes: true with a ttlSecondsAfterFinished (e.g. 300)",
    )
    fixed = assert_fix(RAYJOB_CLUSTER_CLEANUP, doc, ttlSecondsAfterFinished=60)
    assert fixed["spec"]["shutdownAfterJobFinishes"] is True
    assert fixed["spec"]["ttlSecondsAfterFinished"] == 60


def test_shutdown_without_ttl_is_flagged_and_fixed() -> None:
    doc = edit(good("RayJob"), spec__ttlSecondsAfterFinished=DELETE)

    assert_flags(
        RAYJOB_CLUSTER_CLEANUP,
        doc,
        "spec.ttlSecondsAfterFinished",
        "deleted the moment the job ends and its logs and dashboard go with it",
    )
    assert assert_fix(RAYJOB_CLUSTER_CLEANUP, doc) == good("RayJob")


def test_jobs_on_existing_clusters_or_with_a_deletion_strategy_are_exempt() -> None:
    on_existing = edit(
        good("RayJob"),
        spec__rayClusterSpec=DELETE,
        spec__shutdownAfterJobFinishes=DELETE,
        spec__clusterSelector={"ray.io/cluster": "shared"},
    )
    with_strategy = edit(
        good("RayJob"),
        spec__shutdownAfterJobFinishes=DELETE,
        spec__ttlSecondsAfterFinished=DELETE,
        spec__deletionStrategy={"deletionRules": []},
    )
    assert_passes(RAYJOB_CLUSTER_CLEANUP, on_existing)
    assert_passes(RAYJOB_CLUSTER_CLEANUP, with_strategy)
