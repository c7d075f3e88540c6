"""Runtime environments rendered to YAML, and secrets routed to the containers instead."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from pulumi_kuberay.plans.env import SecretRef
from pulumi_kuberay.plans.runtime_env import (
    PipOptions,
    RuntimeEnv,
    RuntimeEnvConfig,
    env_var_conflicts,
    render_runtime_env_yaml,
)


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


def test_a_name_both_secret_and_runtime_env_literal_is_a_conflict() -> None:
    problems = env_var_conflicts(
        RuntimeEnv(env_vars={"WANDB_API_KEY": "abc", "EPOCHS": 1}),
        {"WANDB_API_KEY": SecretRef("wandb", "api-key")},
    )
    assert problems == [
        "runtime_env.env_vars.WANDB_API_KEY: also given in secret_env; Ray would use the literal "
        "from the runtime env instead of the Secret, so remove it from env_vars"
    ]
