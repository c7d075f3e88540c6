"""Environment variables for Ray containers, with Secrets referenced rather than inlined.

https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/#define-container-environment-variables-using-secret-data
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_kuberay.errors import ValidationError


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
                raise ValidationError(
                    f"{field}.{name}: expected a string, number, SecretRef or ConfigMapRef, got "
                    f"{type(value).__name__}"
                )
        return rendered
    items = [dict(item) for item in env]
    for index, item in enumerate(items):
        if "name" not in item:
            raise ValidationError(f"{field}[{index}]: an EnvVar needs a name")
    return items


def merge_env(base: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``base`` with ``overrides`` applied by name (order kept, new names appended)."""
    by_name = {item["name"]: item for item in overrides}
    merged = [by_name.pop(item["name"], item) for item in base]
    return merged + [item for item in overrides if item["name"] in by_name]


@dataclass(frozen=True)
class ContainerEnv:
    """Env vars (``env``) and whole Secrets or ConfigMaps (``envFrom``) added to a container:
    how credentials reach the Ray containers and the RayJob submitter without being written
    into the custom resource."""

    env: tuple[dict[str, Any], ...] = ()
    env_from: tuple[dict[str, Any], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.env or self.env_from)

    def applied_to(self, container: dict[str, Any]) -> None:
        """Add these to ``container`` in place: env by name (these win), envFrom once each."""
        if self.env:
            container["env"] = merge_env(list(container.get("env") or []), list(self.env))
        if self.env_from:
            existing = list(container.get("envFrom") or [])
            container["envFrom"] = existing + [s for s in self.env_from if s not in existing]


SecretEnv = Mapping[str, SecretRef | ConfigMapRef]
"""``{"WANDB_API_KEY": SecretRef("wandb", "api-key")}``: env vars read from Secrets."""


def secret_container_env(
    secret_env: SecretEnv | None, env_from_secrets: Sequence[str] | None
) -> ContainerEnv:
    """The env the Ray containers (and a RayJob's submitter) get for ``secret_env`` and
    ``env_from_secrets``: ``secretKeyRef`` per variable, and ``secretRef`` for whole Secrets
    (every key becomes a variable)."""
    for name, ref in (secret_env or {}).items():
        if not isinstance(ref, (SecretRef, ConfigMapRef)):
            raise ValidationError(
                f"secret_env.{name}: expected a SecretRef (or ConfigMapRef), got "
                f"{type(ref).__name__}; a literal value would be stored in the custom resource"
            )
        if not isinstance(ref.name, str) or not isinstance(ref.key, str):
            raise ValidationError(
                f"secret_env.{name}: the Secret's name and key must be plain strings, because "
                "the manifest is validated at preview; give the Secret a fixed metadata.name, "
                "use that here, and add depends_on=[secret]"
            )
    for name in env_from_secrets or ():
        if not isinstance(name, str):
            raise ValidationError(
                "env_from_secrets: Secret names must be plain strings, because the manifest is "
                "validated at preview; give the Secret a fixed metadata.name and use that"
            )
    env = render_env(dict(secret_env or {}), "secret_env")
    env_from = [{"secretRef": {"name": name}} for name in env_from_secrets or ()]
    return ContainerEnv(tuple(env), tuple(env_from))


def inject_container_env(template: Mapping[str, Any], extra: ContainerEnv) -> dict[str, Any]:
    """A copy of a pod template with ``extra`` on its first container (the one KubeRay runs
    Ray, or the submitter, in)."""
    pod = copy.deepcopy(dict(template))
    containers = pod.setdefault("spec", {}).setdefault("containers", [])
    if not containers:
        containers.append({})
    extra.applied_to(containers[0])
    return pod
