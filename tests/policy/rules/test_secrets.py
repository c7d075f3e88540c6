"""no-plaintext-secrets and redis-password-from-secret."""

from __future__ import annotations

import pytest

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.rules.secrets import NO_PLAINTEXT_SECRETS, REDIS_PASSWORD_FROM_SECRET
from tests.policy.manifests import CPU_RAY, at, cluster_edit, edit, good
from tests.policy.rules.support import assert_flags, assert_passes

KINDS = ["RayCluster", "RayJob", "RayService"]


@pytest.mark.parametrize("kind", KINDS)
def test_no_secrets_pass(kind: str) -> None:
    assert_passes(NO_PLAINTEXT_SECRETS, good(kind))
    assert_passes(REDIS_PASSWORD_FROM_SECRET, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_a_literal_secret_in_container_env_is_flagged(kind: str) -> None:
    env = [
        {"name": "NVIDIA_VISIBLE_DEVICES", "value": "void"},
        {"name": "HF_TOKEN", "value": "hf_x"},
    ]
    doc = cluster_edit(kind, good(kind), {f"{CPU_RAY}.env": env})

    assert_flags(
        NO_PLAINTEXT_SECRETS,
        doc,
        at(kind, f"{CPU_RAY}.env[1].value"),
        "HF_TOKEN is written in plain text",
        "put it in a Secret and use valueFrom.secretKeyRef",
    )


def test_secret_references_and_harmless_names_pass() -> None:
    env = [
        {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf", "key": "token"}}},
        {"name": "TOKENIZERS_PARALLELISM", "value": "false"},
        {"name": "API_KEY", "value": "$(OTHER_VAR)"},
    ]
    doc = cluster_edit("RayCluster", good(), {f"{CPU_RAY}.env": env})
    assert_passes(NO_PLAINTEXT_SECRETS, doc)


def test_unknown_values_are_not_flagged() -> None:
    doc = cluster_edit(
        "RayCluster", good(), {f"{CPU_RAY}.env": [{"name": "HF_TOKEN", "value": UNKNOWN}]}
    )
    assert_passes(NO_PLAINTEXT_SECRETS, doc)


def test_rayjob_runtime_env_secrets_are_flagged() -> None:
    doc = edit(
        good("RayJob"),
        spec__runtimeEnvYAML="pip: [wandb]\nenv_vars:\n  WANDB_API_KEY: secret\n  EPOCHS: '3'\n",
    )
    assert_flags(
        NO_PLAINTEXT_SECRETS,
        doc,
        "spec.runtimeEnvYAML",
        "env_vars.WANDB_API_KEY holds a literal secret",
        "inject it into the Ray containers with env valueFrom.secretKeyRef",
    )


def test_rayjob_submitter_env_is_checked() -> None:
    submitter = {
        "spec": {
            "restartPolicy": "Never",
            "containers": [
                {
                    "name": "submit",
                    "image": "rayproject/ray:2.53.0",
                    "env": [{"name": "AWS_SECRET_ACCESS_KEY", "value": "abc"}],
                }
            ],
        }
    }
    doc = edit(good("RayJob"), spec__submitterPodTemplate=submitter)
    assert_flags(
        NO_PLAINTEXT_SECRETS,
        doc,
        "spec.submitterPodTemplate.spec.containers[0].env[0].value",
        "AWS_SECRET_ACCESS_KEY is written in plain text",
    )


def test_rayservice_serve_config_secrets_are_flagged() -> None:
    config = (
        "applications:\n  - name: app\n    import_path: app:d\n"
        "    runtime_env:\n      env_vars:\n        OPENAI_API_KEY: sk-123\n"
    )
    doc = edit(good("RayService"), spec__serveConfigV2=config)
    assert_flags(
        NO_PLAINTEXT_SECRETS,
        doc,
        "spec.serveConfigV2",
        "applications[0].runtime_env.env_vars.OPENAI_API_KEY holds a literal secret",
    )


def test_invalid_runtime_env_yaml_is_left_to_the_operator_rule() -> None:
    assert_passes(NO_PLAINTEXT_SECRETS, edit(good("RayJob"), spec__runtimeEnvYAML="a: [b"))


# --- redis-password-from-secret --------------------------------------------------------------


def test_a_literal_redis_password_is_flagged() -> None:
    doc = cluster_edit(
        "RayService",
        good("RayService"),
        {"gcsFaultToleranceOptions.redisPassword": {"value": "hunter2"}},
    )
    assert_flags(
        REDIS_PASSWORD_FROM_SECRET,
        doc,
        "spec.rayClusterConfig.gcsFaultToleranceOptions.redisPassword.value",
        "the Redis password is written in plain text",
        "redisPassword.valueFrom.secretKeyRef",
    )


def test_a_literal_redis_password_start_param_is_flagged() -> None:
    doc = cluster_edit(
        "RayCluster", good(), {"headGroupSpec.rayStartParams.redis-password": "hunter2"}
    )
    assert_flags(
        REDIS_PASSWORD_FROM_SECRET,
        doc,
        "spec.headGroupSpec.rayStartParams.redis-password",
        "plain text",
    )


def test_a_redis_password_from_an_env_var_passes() -> None:
    doc = cluster_edit(
        "RayCluster", good(), {"headGroupSpec.rayStartParams.redis-password": "$REDIS_PASSWORD"}
    )
    assert_passes(REDIS_PASSWORD_FROM_SECRET, doc)
