"""Credentials for Ray containers: Secret references, never literal values."""

from __future__ import annotations

import pulumi
import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.plans.env import (
    ConfigMapRef,
    ContainerEnv,
    SecretRef,
    inject_container_env,
    secret_container_env,
)


def test_secret_env_becomes_secret_key_refs_and_env_from() -> None:
    extra = secret_container_env(
        {"WANDB_API_KEY": SecretRef("wandb", "api-key"), "MODEL": ConfigMapRef("cfg", "model")},
        ["hf-credentials"],
    )
    assert extra.env == (
        {
            "name": "WANDB_API_KEY",
            "valueFrom": {"secretKeyRef": {"name": "wandb", "key": "api-key"}},
        },
        {"name": "MODEL", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "model"}}},
    )
    assert extra.env_from == ({"secretRef": {"name": "hf-credentials"}},)


def test_a_literal_secret_value_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"secret_env.WANDB_API_KEY: expected a SecretRef"):
        secret_container_env({"WANDB_API_KEY": "abc"}, None)  # type: ignore[dict-item]


def test_secret_names_must_be_plain_strings() -> None:
    with pytest.raises(
        ValidationError, match=r"secret_env.TOKEN: the Secret's name and key must be"
    ):
        secret_container_env({"TOKEN": SecretRef(pulumi.Output.from_input("s"), "k")}, None)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError, match="env_from_secrets: Secret names must be plain strings"
    ):
        secret_container_env(None, [pulumi.Output.from_input("s")])  # type: ignore[list-item]


def test_injection_adds_to_the_first_container_and_keeps_the_rest() -> None:
    template = {
        "spec": {
            "containers": [
                {"name": "ray-head", "env": [{"name": "A", "value": "1"}]},
                {"name": "sidecar"},
            ]
        }
    }
    token = {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}
    everything = {"secretRef": {"name": "all"}}
    out = inject_container_env(template, ContainerEnv((token,), (everything,)))
    assert out["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}, token]
    assert out["spec"]["containers"][0]["envFrom"] == [everything]
    assert out["spec"]["containers"][1] == {"name": "sidecar"}
    assert "env" not in template["spec"]["containers"][1]  # the input is not modified
    assert len(template["spec"]["containers"][0]["env"]) == 1
