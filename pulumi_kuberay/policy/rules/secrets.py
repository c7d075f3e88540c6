"""Secrets never in plain text: container env, runtime environments, the Redis password.

A custom resource is readable by anyone who can ``get`` it and is stored unencrypted in etcd
and in Pulumi state; credentials belong in a Secret referenced with ``valueFrom``.
https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from pulumi_kuberay.models.secrets import is_literal_secret
from pulumi_kuberay.policy.manifest_reading import items, lookup, mapping, text
from pulumi_kuberay.policy.model import Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.paths import child
from pulumi_kuberay.policy.ray_objects import cluster_specs, containers, groups
from pulumi_kuberay.policy.rules import docs

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pod_envs(manifest: Mapping[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    """``(path, env list)`` of every container of the Ray pods and the RayJob submitter."""
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            for container in containers(group, init=True):
                yield f"{container.path}.env", items(container.spec.get("env"))
    if manifest.get("kind") == "RayJob":
        submitter = lookup(manifest, "spec", "submitterPodTemplate", "spec")
        for field in ("containers", "initContainers"):
            for index, container in enumerate(items(lookup(submitter, field))):
                path = f"spec.submitterPodTemplate.spec.{field}[{index}].env"
                yield path, items(lookup(container, "env"))


def _yaml(source: object) -> Any:
    if not isinstance(source, str) or not source.strip():
        return None
    try:
        return yaml.load(source, Loader=_Loader)
    except yaml.YAMLError:
        return None  # Invalid YAML is the operator rule's to report.


def _runtime_env_vars(manifest: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """``(path, where inside, env_vars)`` of the runtime environments a RayJob or RayService
    embeds as YAML text."""
    kind = manifest.get("kind")
    if kind == "RayJob":
        runtime_env = mapping(_yaml(lookup(manifest, "spec", "runtimeEnvYAML")))
        yield "spec.runtimeEnvYAML", "env_vars", mapping(runtime_env.get("env_vars"))
    elif kind == "RayService":
        config = mapping(_yaml(lookup(manifest, "spec", "serveConfigV2")))
        for index, app in enumerate(items(config.get("applications"))):
            env_vars = mapping(lookup(app, "runtime_env", "env_vars"))
            yield "spec.serveConfigV2", f"applications[{index}].runtime_env.env_vars", env_vars


def check_no_plaintext_secrets(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for env_path, env in _pod_envs(manifest):
        for index, item in enumerate(env):
            name, value = text(lookup(item, "name")), lookup(item, "value")
            if name and is_literal_secret(name, value if isinstance(value, str) else None):
                yield Violation(
                    f"{env_path}[{index}].value",
                    f"{name} is written in plain text in the custom resource (anyone who can read "
                    f"it, and the Pulumi state, sees it); put it in a Secret and use "
                    f"valueFrom.secretKeyRef",
                )
    for path, inside, env_vars in _runtime_env_vars(manifest):
        for name, value in env_vars.items():
            if isinstance(value, (str, int, float)) and is_literal_secret(str(name), value):
                yield Violation(
                    path,
                    f"{child(inside, str(name))} holds a literal secret; runtime environments are "
                    "stored in the custom resource in plain text; put the value in a Secret, "
                    "inject it into the Ray containers with env valueFrom.secretKeyRef (the "
                    "runtime environment inherits the container environment) and drop it here",
                )


NO_PLAINTEXT_SECRETS = Rule(
    id="no-plaintext-secrets",
    severity=Severity.HIGH,
    description="No secret-looking env var (KEY, TOKEN, PASSWORD, SECRET, ...) has a literal value",
    reason=(
        "Custom resources are not Secrets: their fields are readable with get/list on the "
        "resource, stored unencrypted in etcd and copied into Pulumi state and CI logs. "
        "Reference a Kubernetes Secret from the Ray containers instead."
    ),
    tags=("security",),
    url=docs.K8S_SECRETS_ENV,
    check=check_no_plaintext_secrets,
)

# --- redis-password-from-secret ------------------------------------------------------------


def check_redis_password_from_secret(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for cluster in cluster_specs(manifest):
        literal = lookup(cluster.spec, "gcsFaultToleranceOptions", "redisPassword", "value")
        if isinstance(literal, str) and literal:
            yield Violation(
                f"{cluster.path}.gcsFaultToleranceOptions.redisPassword.value",
                "the Redis password is written in plain text; store it in a Secret and use "
                "redisPassword.valueFrom.secretKeyRef",
            )
        param = lookup(cluster.spec, "headGroupSpec", "rayStartParams", "redis-password")
        if isinstance(param, str) and param and not param.startswith("$"):
            yield Violation(
                f"{cluster.path}.headGroupSpec.rayStartParams.redis-password",
                "the Redis password is written in plain text; use "
                "gcsFaultToleranceOptions.redisPassword.valueFrom.secretKeyRef",
            )


REDIS_PASSWORD_FROM_SECRET = Rule(
    id="redis-password-from-secret",
    severity=Severity.HIGH,
    description="The GCS fault tolerance Redis password comes from a Secret, never a literal value",
    reason=(
        "The external Redis holds the cluster's GCS state; its password in plain text in the "
        "custom resource is readable by anyone who can read RayClusters."
    ),
    tags=("security",),
    url=docs.GCS_FT,
    check=check_redis_password_from_secret,
)

RULES = (NO_PLAINTEXT_SECRETS, REDIS_PASSWORD_FROM_SECRET)
