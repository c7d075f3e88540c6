"""stacks/kueue-training: two teams in a cohort sharing GPU and CPU flavors, queued RayJobs
with priorities; every Kueue object passes the Kueue CRDs and every Ray object is queued."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay.preview import PreviewResult, run_program
from pulumi_kuberay.preview.errors import PreviewError
from tests.conformance.kueue_crds import kueue_problems, require_kueue_crds
from tests.stacks.conftest import STACKS

STACK = STACKS / "kueue-training"


@pytest.fixture(scope="module")
def preview() -> PreviewResult:
    return run_program(STACK)


def objects(result: PreviewResult, kind: str) -> list[dict[str, Any]]:
    return [o for o in result.kubernetes_objects() if o["kind"] == kind]


def test_two_teams_share_flavors_in_one_cohort(preview: PreviewResult) -> None:
    queues = {q["metadata"]["name"]: q["spec"] for q in objects(preview, "ClusterQueue")}
    assert set(queues) == {"team-a", "team-b"}
    assert {spec["cohortName"] for spec in queues.values()} == {"ml"}
    flavors = [f["name"] for f in queues["team-a"]["resourceGroups"][0]["flavors"]]
    assert flavors == ["a100", "cpu"]
    assert [c["metadata"]["name"] for c in objects(preview, "Cohort")] == ["ml"]
    locals_ = {
        (q["metadata"]["namespace"], q["spec"]["clusterQueue"])
        for q in objects(preview, "LocalQueue")
    }
    assert locals_ == {("team-a", "team-a"), ("team-b", "team-b")}


def test_jobs_are_queued_with_priorities(preview: PreviewResult) -> None:
    jobs = {j["metadata"]["name"]: j for j in objects(preview, "RayJob")}
    assert jobs["llm-finetune"]["metadata"]["labels"] == {
        "kueue.x-k8s.io/queue-name": "training",
        "kueue.x-k8s.io/priority-class": "high",
    }
    assert jobs["sweep"]["metadata"]["labels"]["kueue.x-k8s.io/priority-class"] == "low"
    assert all(j["spec"]["suspend"] is True for j in jobs.values())
    values = {p["metadata"]["name"]: p["value"] for p in objects(preview, "WorkloadPriorityClass")}
    assert values == {"high": 10000, "low": 100}


def test_jobs_depend_on_their_queue(preview: PreviewResult) -> None:
    job = preview.resource("sweep", "kubernetes:ray.io/v1:RayJob")
    queue = preview.resource("team-b-queue", "kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue")
    assert queue.urn in job.dependencies


def test_every_kueue_object_passes_the_kueue_crds(preview: PreviewResult) -> None:
    require_kueue_crds()
    kueue = [
        o for o in preview.kubernetes_objects() if o["apiVersion"].startswith("kueue.x-k8s.io/")
    ]
    assert len(kueue) == 9
    for manifest in kueue:
        assert kueue_problems(manifest) == [], manifest["metadata"]["name"]


def test_a_job_larger_than_team_and_borrowable_quota_fails_the_preview() -> None:
    # Each team has 1 GPU of its own and may borrow 1: the sweep asks for 3.
    with pytest.raises(PreviewError, match="can never be admitted"):
        run_program(STACK, config={"gpusPerTeam": "1"})


def test_kueue_may_already_run() -> None:
    result = run_program(STACK, config={"installKueue": "false"})
    assert not [r for r in result.resources if r.type == "kubernetes:helm.sh/v4:Chart"]
