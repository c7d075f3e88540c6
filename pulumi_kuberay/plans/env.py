"""Environment variables for Ray containers, with Secrets referenced rather than inlined.

https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/#define-container-environment-variables-using-secret-data
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SecretRef:
    """A key of a Kubernetes Secret: the value never appears in the custom resource."""

    name: str
    key: str
    optional: bool | None = None

    def to_value_from(self) -> dict[str, Any]:
        ref: dict[str, Any] = {"name": self.name, "key": self.key}
        if self.optional is not None:
            ref["optional"] = self.optional
        return {"secretKeyRef": ref}


@dataclass(frozen=True)
class ConfigMapRef:
    """A key of a ConfigMap."""

    name: str
    key: str

    def to_value_from(self) -> dict[str, Any]:
        return {"configMapKeyRef": {"name": self.name, "key": self.key}}


EnvValue = str | int | float | bool | SecretRef | ConfigMapRef
Env = Mapping[str, EnvValue] | Iterable[Mapping[str, Any]]


def render_env(env: Env | None, field: str) -> list[dict[str, Any]]:
    """``{"NAME": value}`` or a list of core/v1 EnvVar dicts -> the EnvVar list.

    Numbers and booleans become strings (Kubernetes only takes strings); a :class:`SecretRef`
    becomes ``valueFrom.secretKeyRef``.
    """
    if env is None:
        return []
    if isinstance(env, Mapping):
        rendered = []
        for name, value in env.items():
            if isinstance(value, (SecretRef, ConfigMapRef)):
                rendered.append({"name": name, "valueFrom": value.to_value_from()})
            elif isinstance(value, bool):
                rendered.append({"name": name, "value": "true" if value else "false"})
            elif isinstance(value, (str, int, float)):
                rendered.append({"name": name, "value": str(value)})
            else:
                raise ValueError(
                    f"{field}.{name}: expected a string, number, SecretRef or ConfigMapRef, got "
                    f"{type(value).__name__}"
                )
        return rendered
    items = [dict(item) for item in env]
    for index, item in enumerate(items):
        if "name" not in item:
            raise ValueError(f"{field}[{index}]: an EnvVar needs a name")
    return items


def merge_env(base: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``base`` with ``overrides`` applied by name (order kept, new names appended)."""
    by_name = {item["name"]: item for item in overrides}
    merged = [by_name.pop(item["name"], item) for item in base]
    return merged + [item for item in overrides if item["name"] in by_name]
