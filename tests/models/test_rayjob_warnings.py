"""Warnings: literal credentials (``looks_like_secret``), kept out of validate_manifest."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_kuberay.models.ray.rayjob import RayJob
from pulumi_kuberay.models.ray.validation.rayjob import rayjob_warnings
from pulumi_kuberay.models.secrets import is_literal_secret, looks_like_secret
from pulumi_kuberay.spec import parse_manifest, validate_manifest
from tests.models.test_rayjob_model import MINIMAL_RAYJOB


@pytest.mark.parametrize(
    "name",
    [
        "WANDB_API_KEY",
        "wandbApiKey",
        "HF_TOKEN",
        "hf_token",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "REDIS_PASSWORD",
        "OPENAI_APIKEY",
        "DB_CREDENTIALS",
        "my-secret",
        "GCP_PRIVATE_KEY",
    ],
)
def test_credential_names_look_like_secrets(name: str) -> None:
    assert looks_like_secret(name)


@pytest.mark.parametrize(
    "name",
    [
        "TOKENIZERS_PARALLELISM",
        "MAX_TOKENS",
        "counter_name",
        "PARTITION_KEY",
        "NCCL_DEBUG",
        "CUDA_VISIBLE_DEVICES",
        "KEYCLOAK_URL",
    ],
)
def test_ordinary_names_do_not(name: str) -> None:
    assert not looks_like_secret(name)


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("s3cr3t", True),
        ("", False),
        (None, False),
        ("${WANDB_API_KEY}", False),
        ("$(TOKEN)", False),
    ],
)
def test_only_written_out_values_are_literal_secrets(value: str | None, literal: bool) -> None:
    assert is_literal_secret("WANDB_API_KEY", value) is literal


def warnings_of(doc: dict[str, Any]) -> list[str]:
    model = parse_manifest(doc)
    assert isinstance(model, RayJob)
    return rayjob_warnings(model)


def test_the_seed_example_warns_about_its_wandb_key() -> None:
    doc = copy.deepcopy(MINIMAL_RAYJOB)
    doc["spec"]["runtimeEnvYAML"] = (
        'pip:\n  - torch==2.5.0\nenv_vars:\n  WANDB_API_KEY: "secret"\n  EPOCHS: "10"\n'
    )
    assert validate_manifest(doc) == []  # the operator accepts it: a warning, not a problem
    assert warnings_of(doc) == [
        "spec.runtimeEnvYAML: env_vars.WANDB_API_KEY: a literal value for a credential-like "
        "variable is stored in plain text in the custom resource, readable by anyone who can "
        "read it; put the value in a Kubernetes Secret and pass it as "
        "secret_env={'WANDB_API_KEY': SecretRef('<secret>', '<key>')}, which injects it into "
        "the Ray containers with valueFrom.secretKeyRef"
    ]


def test_submitter_and_cluster_containers_are_checked() -> None:
    doc = copy.deepcopy(MINIMAL_RAYJOB)
    doc["spec"]["submitterPodTemplate"] = {
        "spec": {
            "containers": [
                {
                    "name": "s",
                    "image": "rayproject/ray:2.53.0",
                    "env": [{"name": "HF_TOKEN", "value": "x"}],
                }
            ],
            "restartPolicy": "Never",
        }
    }
    head = doc["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]
    head["initContainers"] = [
        {"name": "init", "image": "busybox", "env": [{"name": "DB_PASSWORD", "value": "p"}]}
    ]
    warnings = warnings_of(doc)
    assert [w.split(":")[0] for w in warnings] == [
        "spec.rayClusterSpec.headGroupSpec.template.spec.initContainers[0].env[0]",
        "spec.submitterPodTemplate.spec.containers[0].env[0]",
    ]


def test_a_job_with_secret_refs_has_no_warnings() -> None:
    doc = copy.deepcopy(MINIMAL_RAYJOB)
    head = doc["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["containers"][0]
    head["env"] = [
        {
            "name": "WANDB_API_KEY",
            "valueFrom": {"secretKeyRef": {"name": "wandb", "key": "api-key"}},
        }
    ]
    doc["spec"]["runtimeEnvYAML"] = "env_vars:\n  WANDB_PROJECT: demo\n"
    assert warnings_of(doc) == []
