"""plan_rayjob: a validated RayJob from its JobArgs, secrets kept out of it."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

import pulumi_kuberay as kuberay
from pulumi_kuberay.models import DeletionRule, DeletionStrategy
from pulumi_kuberay.models.ray.rayjob import DeletionCondition, RayJob
from pulumi_kuberay.plans.cluster.args import ClusterArgs
from pulumi_kuberay.plans.env import ContainerEnv, SecretRef
from pulumi_kuberay.plans.ray_object import ObjectArgs, RayObjectPlan
from pulumi_kuberay.plans.rayjob import (
    JobArgs,
    decide_shutdown_after_job_finishes,
    decide_submitter_template,
    default_submitter_template,
    plan_rayjob,
)
from pulumi_kuberay.plans.runtime_env import RuntimeEnv
from pulumi_kuberay.spec import OperatorCapabilities


def build_rayjob(
    name: str,
    *,
    namespace: str | None = None,
    capabilities: OperatorCapabilities | None = None,
    **job: Any,
) -> RayObjectPlan[RayJob]:
    """The plan of a RayJob called ``name`` with these job arguments."""
    caps = capabilities or OperatorCapabilities()
    return plan_rayjob(ObjectArgs(name, namespace), JobArgs(**job), caps)


WANDB = {"WANDB_API_KEY": SecretRef("wandb", "api-key")}
WANDB_REF = {
    "name": "WANDB_API_KEY",
    "valueFrom": {"secretKeyRef": {"name": "wandb", "key": "api-key"}},
}


def ray_containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    cluster = spec["rayClusterSpec"]
    templates = [cluster["headGroupSpec"]["template"]]
    templates += [group["template"] for group in cluster.get("workerGroupSpecs") or []]
    return [template["spec"]["containers"][0] for template in templates]


def training_job(**kwargs: Any) -> dict[str, Any]:
    """The seed's training job, built the safe way."""
    kwargs.setdefault("secret_env", WANDB)
    built = build_rayjob(
        "training-job",
        namespace="ml",
        entrypoint="python /home/ray/train.py --epochs 10",
        runtime_env=RuntimeEnv(
            pip=["torch==2.5.0", "transformers"],
            working_dir="https://github.com/org/repo/archive/main.zip",
        ),
        cluster=ClusterArgs(
            image="rayproject/ray-ml:2.53.0-gpu",
            head=kuberay.HeadGroup(cpu=4, memory="16Gi"),
            worker_groups=[
                kuberay.WorkerGroup("gpu-workers", replicas=4, cpu=8, memory="64Gi", gpus=1)
            ],
        ),
        ttl_seconds_after_finished=300,
        active_deadline_seconds=7200,
        backoff_limit=2,
        submission_mode="K8sJobMode",
        **kwargs,
    )
    assert built.warnings == ()
    return built.manifest


def test_the_training_job_reads_its_key_from_a_secret_everywhere_it_runs() -> None:
    spec = training_job()["spec"]
    for container in ray_containers(spec):
        assert WANDB_REF in container["env"]
    submitter = spec["submitterPodTemplate"]["spec"]["containers"][0]
    assert submitter["env"] == [WANDB_REF]
    assert submitter["image"] == "rayproject/ray-ml:2.53.0-gpu"  # the head's image
    assert "WANDB" not in spec["runtimeEnvYAML"]
    assert yaml.safe_load(spec["runtimeEnvYAML"]) == {
        "pip": ["torch==2.5.0", "transformers"],
        "working_dir": "https://github.com/org/repo/archive/main.zip",
    }


def test_the_training_job_keeps_the_seed_settings() -> None:
    spec = training_job()["spec"]
    assert {k: spec[k] for k in ("entrypoint", "shutdownAfterJobFinishes", "backoffLimit")} == {
        "entrypoint": "python /home/ray/train.py --epochs 10",
        "shutdownAfterJobFinishes": True,
        "backoffLimit": 2,
    }
    assert spec["ttlSecondsAfterFinished"] == 300
    assert spec["activeDeadlineSeconds"] == 7200
    assert spec["rayClusterSpec"]["workerGroupSpecs"][0]["replicas"] == 4


def test_whole_secrets_can_be_mounted_as_env_from() -> None:
    spec = training_job(secret_env=None, env_from_secrets=["wandb"])["spec"]
    for container in [*ray_containers(spec), spec["submitterPodTemplate"]["spec"]["containers"][0]]:
        assert container["envFrom"] == [{"secretRef": {"name": "wandb"}}]


def test_a_literal_credential_is_a_warning_with_the_fix() -> None:
    built = build_rayjob(
        "train",
        entrypoint="python train.py",
        runtime_env={"env_vars": {"WANDB_API_KEY": "secret"}},
    )
    assert built.warnings == (
        "spec.runtimeEnvYAML: env_vars.WANDB_API_KEY: a literal value for a credential-like "
        "variable is stored in plain text in the custom resource, readable by anyone who can "
        "read it; put the value in a Kubernetes Secret and pass it as "
        "secret_env={'WANDB_API_KEY': SecretRef('<secret>', '<key>')}, which injects it into "
        "the Ray containers with valueFrom.secretKeyRef",
    )


def test_a_secret_also_given_as_a_literal_is_refused() -> None:
    with pytest.raises(kuberay.ValidationError) as caught:
        build_rayjob(
            "train",
            runtime_env=RuntimeEnv(env_vars={"WANDB_API_KEY": "x"}),
            secret_env=WANDB,
        )
    assert caught.value.subject == "RayJob train"
    assert caught.value.problems == [
        "runtime_env.env_vars.WANDB_API_KEY: also given in secret_env; Ray would use the literal "
        "from the runtime env instead of the Secret, so remove it from env_vars"
    ]


def test_default_job_gets_a_small_cluster_that_shuts_down() -> None:
    manifest = build_rayjob("train", entrypoint="python train.py").manifest
    spec = manifest["spec"]
    assert spec["shutdownAfterJobFinishes"] is True
    assert spec["rayClusterSpec"]["rayVersion"] == "2.53.0"
    assert "submitterPodTemplate" not in spec  # KubeRay's default submitter applies
    assert manifest["metadata"] == {"name": "train"}


def test_existing_cluster_by_name() -> None:
    spec = build_rayjob(
        "on-shared",
        entrypoint="python x.py",
        existing_cluster="shared",
        secret_env=WANDB,
        submitter_image="rayproject/ray:2.53.0-py311",
    ).manifest["spec"]
    assert spec["clusterSelector"] == {"ray.io/cluster": "shared"}
    assert "rayClusterSpec" not in spec
    assert "shutdownAfterJobFinishes" not in spec  # an existing cluster is never deleted
    submitter = spec["submitterPodTemplate"]["spec"]["containers"][0]
    assert submitter["image"] == "rayproject/ray:2.53.0-py311"
    assert submitter["env"] == [WANDB_REF]


def test_existing_cluster_and_a_cluster_description_are_exclusive() -> None:
    with pytest.raises(kuberay.ValidationError, match="pass either existing_cluster"):
        build_rayjob("x", existing_cluster="shared", cluster=ClusterArgs())


def test_queue_labels_and_suspends_the_job() -> None:
    manifest = build_rayjob(
        "queued-training", entrypoint="python t.py", queue="user-queue"
    ).manifest
    assert manifest["metadata"]["labels"] == {"kueue.x-k8s.io/queue-name": "user-queue"}
    assert manifest["spec"]["suspend"] is True
    assert manifest["spec"]["shutdownAfterJobFinishes"] is True


def test_deletion_rules_replace_shutdown_and_need_the_gate() -> None:
    strategy = DeletionStrategy(
        deletion_rules=[
            DeletionRule(
                policy="DeleteCluster",
                condition=DeletionCondition(job_status="SUCCEEDED", ttl_seconds=60),
            ),
            DeletionRule(
                policy="DeleteSelf",
                condition=DeletionCondition(job_status="SUCCEEDED", ttl_seconds=300),
            ),
        ]
    )
    with pytest.raises(
        kuberay.ValidationError, match="needs the RayJobDeletionPolicy feature gate"
    ):
        build_rayjob("train", deletion_strategy=strategy)
    caps = OperatorCapabilities(feature_gates={"RayJobDeletionPolicy": True})
    spec = build_rayjob("train", deletion_strategy=strategy, capabilities=caps).manifest["spec"]
    assert "shutdownAfterJobFinishes" not in spec
    assert spec["deletionStrategy"]["deletionRules"][1] == {
        "policy": "DeleteSelf",
        "condition": {"jobStatus": "SUCCEEDED", "ttlSeconds": 300},
    }


@pytest.mark.parametrize(
    ("explicit", "existing", "rules", "expected"),
    [
        (None, False, False, True),
        (None, True, False, None),
        (None, False, True, None),
        (False, False, False, False),
        (True, True, False, True),
    ],
)
def test_decide_shutdown_after_job_finishes(
    explicit: bool | None, existing: bool, rules: bool, expected: bool | None
) -> None:
    assert (
        decide_shutdown_after_job_finishes(
            explicit, on_existing_cluster=existing, uses_deletion_rules=rules
        )
        is expected
    )


@pytest.mark.parametrize("mode", ["HTTPMode", "InteractiveMode", "SidecarMode"])
def test_only_the_k8s_job_submitter_gets_secrets(mode: str) -> None:
    template = decide_submitter_template(
        None, submission_mode=mode, image="img", extra=ContainerEnv(env=(WANDB_REF,))
    )
    assert template is None


def test_a_given_submitter_template_gets_the_secrets_added() -> None:
    given = {
        "spec": {
            "containers": [{"name": "mine", "image": "img", "command": ["ray"]}],
            "restartPolicy": "Never",
        }
    }
    template = decide_submitter_template(
        given, submission_mode=None, image="ignored", extra=ContainerEnv(env=(WANDB_REF,))
    )
    assert template == {
        "spec": {
            "containers": [
                {"name": "mine", "image": "img", "command": ["ray"], "env": [WANDB_REF]}
            ],
            "restartPolicy": "Never",
        }
    }
    assert default_submitter_template("img")["spec"]["containers"][0]["resources"] == {
        "limits": {"cpu": "1", "memory": "1Gi"},
        "requests": {"cpu": "500m", "memory": "200Mi"},
    }


def test_entrypoint_resources_become_the_json_ray_reads() -> None:
    spec = build_rayjob(
        "train", entrypoint_resources={"accelerator": 1}, entrypoint_num_gpus=0.5
    ).manifest["spec"]
    assert json.loads(spec["entrypointResources"]) == {"accelerator": 1}
    assert spec["entrypointNumGpus"] == 0.5


def test_cluster_problems_are_reported_at_the_embedded_field() -> None:
    with pytest.raises(kuberay.ValidationError) as caught:
        build_rayjob("train", cluster=ClusterArgs(overrides={"enableInTreeAutoScaling": True}))
    assert caught.value.subject == "RayJob train"
    assert caught.value.problems == [
        "spec.rayClusterSpec.enableInTreeAutoScaling: unknown field (the API server would "
        "silently drop it); did you mean 'enableInTreeAutoscaling'? (from overrides)"
    ]


def test_every_operator_rule_is_checked() -> None:
    with pytest.raises(kuberay.ValidationError) as caught:
        build_rayjob("x" * 48, backoff_limit=-1, submission_mode="InteractiveMode")
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "metadata.name",
        "spec.backoffLimit",
    ]


def test_overrides_are_merged_last() -> None:
    spec = build_rayjob(
        "train", overrides={"submitterConfig": {"backoffLimit": 3}, "jobId": "run-1"}
    ).manifest["spec"]
    assert spec["submitterConfig"] == {"backoffLimit": 3}
    assert spec["jobId"] == "run-1"
