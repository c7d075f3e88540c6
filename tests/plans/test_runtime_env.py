"""Runtime environments rendered to YAML, and secrets routed to the containers instead."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from pulumi_kuberay.models.ray.raycluster import RayClusterSpec
from pulumi_kuberay.plans.env import ConfigMapRef, SecretRef
from pulumi_kuberay.plans.runtime_env import (
    PipOptions,
    RuntimeEnv,
    RuntimeEnvConfig,
    env_var_conflicts,
    inject_cluster_env,
    inject_container_env,
    render_runtime_env_yaml,
    secret_container_env,
)
from tests.models.conftest import MINIMAL_RAYCLUSTER


def test_the_seed_runtime_env_renders_as_people_write_it() -> None:
    env = RuntimeEnv(
        pip=["torch==2.5.0", "transformers"],
        working_dir="https://github.com/org/repo/archive/main.zip",
        env_vars={"EPOCHS": 10, "DEBUG": False, "LR": 0.1},
    )
    assert env.to_yaml() == (
        "pip:\n"
        "- torch==2.5.0\n"
        "- transformers\n"
        "env_vars:\n"
        "  EPOCHS: '10'\n"
        "  DEBUG: 'false'\n"
        "  LR: '0.1'\n"
        "working_dir: https://github.com/org/repo/archive/main.zip\n"
    )


def test_every_field_renders_with_rays_names() -> None:
    env = RuntimeEnv(
        pip=PipOptions(packages=["torch"], pip_check=False),
        py_modules=["s3://bucket/mod.zip"],
        excludes=["*.ckpt"],
        config=RuntimeEnvConfig(setup_timeout_seconds=1200, eager_install=True),
        extra={"image_uri": "my/image:1"},
    )
    assert yaml.safe_load(env.to_yaml()) == {
        "pip": {"packages": ["torch"], "pip_check": False},
        "py_modules": ["s3://bucket/mod.zip"],
        "excludes": ["*.ckpt"],
        "config": {"setup_timeout_seconds": 1200, "eager_install": True},
        "image_uri": "my/image:1",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pip": ["a"], "conda": "env"}, "pip and conda are alternatives"),
        ({"pip": ["a"], "uv": ["b"]}, "pip and uv are alternatives"),
        ({"extra": {"pip": ["a"]}}, "runtime_env.extra: pip has a typed argument"),
    ],
)
def test_conflicting_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RuntimeEnv(**kwargs)


def test_raw_yaml_is_kept_as_written_and_mappings_are_dumped() -> None:
    raw = "pip: [torch]  # pinned elsewhere\n"
    assert render_runtime_env_yaml(raw) == raw
    assert render_runtime_env_yaml({"uv": ["torch"]}) == "uv:\n- torch\n"
    assert render_runtime_env_yaml(None) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [("pip: [torch\n", "runtime_env: not valid YAML"), ("- torch\n", "must be a YAML mapping")],
)
def test_bad_raw_yaml_fails_early(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_runtime_env_yaml(raw)


def test_secret_env_becomes_secret_key_refs_and_env_from() -> None:
    env, env_from = secret_container_env(
        {"WANDB_API_KEY": SecretRef("wandb", "api-key"), "MODEL": ConfigMapRef("cfg", "model")},
        ["hf-credentials"],
    )
    assert env == [
        {
            "name": "WANDB_API_KEY",
            "valueFrom": {"secretKeyRef": {"name": "wandb", "key": "api-key"}},
        },
        {"name": "MODEL", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "model"}}},
    ]
    assert env_from == [{"secretRef": {"name": "hf-credentials"}}]


def test_a_literal_secret_value_is_refused() -> None:
    with pytest.raises(ValueError, match=r"secret_env.WANDB_API_KEY: expected a SecretRef"):
        secret_container_env({"WANDB_API_KEY": "abc"}, None)  # type: ignore[dict-item]


def test_secret_names_must_be_plain_strings() -> None:
    import pulumi

    with pytest.raises(ValueError, match=r"secret_env.TOKEN: the Secret's name and key must be"):
        secret_container_env({"TOKEN": SecretRef(pulumi.Output.from_input("s"), "k")}, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="env_from_secrets: Secret names must be plain strings"):
        secret_container_env(None, [pulumi.Output.from_input("s")])  # type: ignore[list-item]


def test_a_name_both_secret_and_runtime_env_literal_is_a_conflict() -> None:
    problems = env_var_conflicts(
        RuntimeEnv(env_vars={"WANDB_API_KEY": "abc", "EPOCHS": 1}),
        {"WANDB_API_KEY": SecretRef("wandb", "api-key")},
    )
    assert problems == [
        "runtime_env.env_vars.WANDB_API_KEY: also given in secret_env; Ray would use the literal "
        "from the runtime env instead of the Secret, so remove it from env_vars"
    ]


def test_injection_adds_to_the_first_container_and_keeps_the_rest() -> None:
    template = {
        "spec": {
            "containers": [
                {"name": "ray-head", "env": [{"name": "A", "value": "1"}]},
                {"name": "sidecar"},
            ]
        }
    }
    env = [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]
    env_from = [{"secretRef": {"name": "all"}}]
    out = inject_container_env(template, env, env_from)
    assert out["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}, *env]
    assert out["spec"]["containers"][0]["envFrom"] == env_from
    assert out["spec"]["containers"][1] == {"name": "sidecar"}
    assert "env" not in template["spec"]["containers"][1]  # the input is not modified
    assert len(template["spec"]["containers"][0]["env"]) == 1


def test_cluster_injection_reaches_head_and_every_worker_group() -> None:
    plain = dict(MINIMAL_RAYCLUSTER["spec"])
    plain["workerGroupSpecs"] = [
        {**plain["workerGroupSpecs"][0], "groupName": name} for name in ("a", "b")
    ]
    spec = RayClusterSpec.model_validate(plain)
    env, env_from = secret_container_env({"HF_TOKEN": SecretRef("hf", "token")}, None)
    out = inject_cluster_env(spec, env, env_from)
    templates = [out.head_group_spec.template] + [g.template for g in out.worker_group_specs or []]
    assert len(templates) == 3
    for template in templates:
        assert template["spec"]["containers"][0]["env"] == env
    assert inject_cluster_env(spec, [], []) is spec
