"""Which recorded resources are Kubernetes objects, and the manifest each one stands for.

pulumi-kubernetes registers every typed object (``core/v1:ConfigMap``) and every
``apiextensions.CustomResource`` as a custom resource whose type token is
``kubernetes:<apiVersion>:<kind>`` and whose inputs are the object's top-level fields in their
wire (camelCase) names, so the manifest is the inputs. Charts, YAML groups and Kustomize
directories are different: their objects are rendered by the provider (a remote component or an
invoke), which mocks do not run, so offline they are one opaque resource with no children.
See https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v4/chart/.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Mapping
from typing import Any

from pulumi_kuberay.models.unknown import UNKNOWN

__all__ = ["RENDERED_AT_DEPLOY_TYPES", "ResourceRole", "classify", "manifest_from_inputs"]

RENDERED_AT_DEPLOY_TYPES = frozenset(
    {
        # Remote components: one registration, children created inside the provider.
        "kubernetes:helm.sh/v4:Chart",
        "kubernetes:yaml/v2:ConfigFile",
        "kubernetes:yaml/v2:ConfigGroup",
        "kubernetes:kustomize/v2:Directory",
        # Local components whose objects come back from a provider invoke (answered empty).
        "kubernetes:helm.sh/v3:Chart",
        "kubernetes:yaml:ConfigFile",
        "kubernetes:yaml:ConfigGroup",
        "kubernetes:kustomize:Directory",
        # A custom resource that installs a whole release through Helm inside the provider.
        "kubernetes:helm.sh/v3:Release",
    }
)
"""Type tokens whose Kubernetes objects only the provider renders, at deploy time."""


class ResourceRole(enum.Enum):
    """What a recorded resource is, from the point of view of "what would be applied"."""

    KUBERNETES_OBJECT = "Kubernetes object"
    KUBERNETES_PATCH = "patch to an existing Kubernetes object (not written)"
    RENDERED_AT_DEPLOY = "objects rendered by the provider at deploy (not visible offline)"
    COMPONENT = "component"
    PROVIDER = "provider"
    READ = "existing resource read with get() (not written)"
    OTHER = "custom resource"


def classify(
    type_: str, *, custom: bool, remote: bool, read: bool, inputs: Mapping[str, Any]
) -> ResourceRole:
    """The role of a resource registration, from its type token, flags and inputs."""
    if type_.startswith("pulumi:providers:"):
        return ResourceRole.PROVIDER
    if read:
        return ResourceRole.READ
    if remote or type_ in RENDERED_AT_DEPLOY_TYPES:
        return ResourceRole.RENDERED_AT_DEPLOY
    if not custom:
        return ResourceRole.COMPONENT
    kind = inputs.get("kind")
    if type_.startswith("kubernetes:") and isinstance(kind, str):
        type_name = type_.rsplit(":", 1)[-1]
        if type_name == kind:
            return ResourceRole.KUBERNETES_OBJECT
        if type_name == f"{kind}Patch":
            return ResourceRole.KUBERNETES_PATCH
    return ResourceRole.OTHER


def manifest_from_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest a Kubernetes object's inputs describe, as the provider would send it.

    ``apiVersion``, ``kind`` and ``metadata`` come first, then the other top-level fields.
    Internal inputs (``__``-prefixed) are dropped. An object without ``metadata.name`` gets
    :data:`UNKNOWN` there: pulumi-kubernetes auto-names it (``<resource name>-<random suffix>``),
    or the API server does for ``generateName``, so the name only exists after a deploy.
    """
    inputs = copy.deepcopy(dict(inputs))
    manifest: dict[str, Any] = {"apiVersion": inputs.get("apiVersion"), "kind": inputs.get("kind")}
    metadata = inputs.get("metadata")
    if metadata is None:
        metadata = {"name": UNKNOWN}
    elif isinstance(metadata, Mapping) and "name" not in metadata:
        metadata = {**metadata, "name": UNKNOWN}
    manifest["metadata"] = metadata
    for key, value in inputs.items():
        if key in manifest or key.startswith("__"):
            continue
        manifest[key] = value
    return manifest
