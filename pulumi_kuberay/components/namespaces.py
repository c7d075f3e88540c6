"""Namespaces of the Ray custom resources: plain or a ``pulumi.Output``, checked either way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.spec.capabilities import OperatorCapabilities
from pulumi_kuberay.spec.validation.scope import watched_namespace_problems


def resource_metadata(
    kind: str,
    manifest: Mapping[str, Any],
    namespace: pulumi.Input[str] | None,
    caps: OperatorCapabilities,
) -> dict[str, Any]:
    """The custom resource's ``metadata``: the manifest's, with a namespace given as an Output
    filled in at deploy and checked against the operator's watched namespaces then (a plain
    namespace was checked at preview with the manifest)."""
    metadata = dict(manifest["metadata"])
    if namespace is None or isinstance(namespace, str):
        return metadata

    def checked(value: str) -> str:
        problems = watched_namespace_problems(kind, value, caps)
        if problems:
            raise ValidationError(problems, subject=kind)
        return value

    given: pulumi.Input[str] = namespace  # narrowed to Output/Awaitable, which mypy rejects
    metadata["namespace"] = pulumi.Output.from_input(given).apply(checked)
    return metadata


def decide_namespace_output(
    namespace: pulumi.Input[str] | None, resource: k8s.apiextensions.CustomResource
) -> pulumi.Output[str]:
    """The namespace the object lands in: the one given, else what the provider filled in.

    The lifted ``metadata["namespace"]`` stays known at preview, unlike an ``apply`` over the
    whole metadata (which holds server-side unknowns such as ``uid``).
    """
    if namespace is not None:
        return pulumi.Output.from_input(namespace)
    metadata: pulumi.Output[Any] = resource.metadata  # type: ignore[attr-defined]
    return metadata["namespace"].apply(lambda ns: ns or "default")
