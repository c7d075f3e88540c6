"""stacks/training-job: the guide's training RayJob, its W&B key read from a Secret."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from pulumi_kuberay.preview import PreviewResult, run_program
from pulumi_kuberay.spec import validate_manifest
from tests.stacks.conftest import REPO_ROOT, STACKS

SEED = REPO_ROOT.parent / "shared" / "seed" / "kuberay-skill.md"
STACK = STACKS / "training-job"
API_KEY = "wandb-key-0123456789abcdef"
KEY_REF = {
    "name": "WANDB_API_KEY",
    "valueFrom": {"secretKeyRef": {"name": "wandb", "key": "api-key"}},
}


def mission_rayjob() -> dict[str, Any]:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: the mission's RayJob example lives in ../shared/seed")
    text = SEED.read_text()
    section = text[text.index("## RayJob") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None
    doc: dict[str, Any] = yaml.safe_load(block.group(1))
    return doc


def rayjob_of(result: PreviewResult) -> dict[str, Any]:
    (job,) = [o for o in result.kubernetes_objects() if o["kind"] == "RayJob"]
    return job


def containers_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    cluster = spec["rayClusterSpec"]
    templates = [cluster["headGroupSpec"]["template"]]
    templates += [g["template"] for g in cluster["workerGroupSpecs"]]
    templates.append(spec["submitterPodTemplate"])
    return [t["spec"]["containers"][0] for t in templates]


def test_the_job_is_valid_and_reads_its_key_from_the_secret() -> None:
    result = run_program(STACK)
    job = rayjob_of(result)
    assert validate_manifest(job) == []
    assert job["metadata"] == {"name": "training-job", "namespace": "ml"}
    for container in containers_of(job["spec"]):
        assert KEY_REF in container["env"]
    assert "WANDB" not in job["spec"]["runtimeEnvYAML"]
    assert [d for d in result.diagnostics if d.severity == "warning"] == []
    # The Secret is expected to exist: nothing else is created.
    assert [r.type for r in result.resources] == [
        "kuberay:index:RayJob",
        "kubernetes:ray.io/v1:RayJob",
    ]


def test_the_job_keeps_the_missions_settings() -> None:
    ours = rayjob_of(run_program(STACK))["spec"]
    mission = mission_rayjob()["spec"]
    for field in (
        "entrypoint",
        "shutdownAfterJobFinishes",
        "ttlSecondsAfterFinished",
        "activeDeadlineSeconds",
        "backoffLimit",
        "submissionMode",
    ):
        assert ours[field] == mission[field], field
    mission_env = yaml.safe_load(mission["runtimeEnvYAML"])
    del mission_env["env_vars"]["WANDB_API_KEY"]  # moved to the Secret
    assert {k: v for k, v in mission_env.items() if v} == yaml.safe_load(ours["runtimeEnvYAML"])
    our_cluster, their_cluster = ours["rayClusterSpec"], mission["rayClusterSpec"]
    assert our_cluster["rayVersion"] == their_cluster["rayVersion"]
    for ours_group, theirs_group in zip(
        our_cluster["workerGroupSpecs"], their_cluster["workerGroupSpecs"], strict=True
    ):
        assert ours_group["groupName"] == theirs_group["groupName"]
        assert ours_group["replicas"] == theirs_group["replicas"]
    ours_images = {c["image"] for c in containers_of(ours)}
    theirs_images = {
        their_cluster["headGroupSpec"]["template"]["spec"]["containers"][0]["image"],
        their_cluster["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]["image"],
    }
    assert ours_images == theirs_images
    worker = our_cluster["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]
    limits = their_cluster["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]["resources"][
        "limits"
    ]
    assert worker["resources"]["limits"] == {k: v for k, v in limits.items() if k != "cpu"}
    assert worker["resources"]["requests"]["cpu"] == limits["cpu"]  # CPU: requests, no limit


def test_with_an_api_key_the_stack_creates_the_secret_and_the_job_waits_for_it() -> None:
    result = run_program(STACK, config={"wandbApiKey": API_KEY})
    secret = result.resource("wandb", "kubernetes:core/v1:Secret")
    assert secret.inputs["metadata"] == {"name": "wandb", "namespace": "ml"}
    assert API_KEY in json.dumps(secret.inputs, default=str)
    job_resource = result.resource("training-job", "kubernetes:ray.io/v1:RayJob")
    assert secret.urn in job_resource.dependencies
    assert API_KEY not in json.dumps(rayjob_of(result), default=str)


def test_kueue_and_waiting_are_config_values() -> None:
    job = rayjob_of(
        run_program(STACK, config={"kueueQueue": "user-queue", "waitForCompletion": "true"})
    )
    assert job["metadata"]["labels"] == {"kueue.x-k8s.io/queue-name": "user-queue"}
    assert job["spec"]["suspend"] is True
    assert job["metadata"]["annotations"]["pulumi.com/waitFor"] == (
        "jsonpath={.status.jobDeploymentStatus}=Complete"
    )
