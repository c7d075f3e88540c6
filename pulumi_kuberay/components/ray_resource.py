"""The ``ray.io/v1`` custom resource inside each Ray component, and its namespace (plain or a
``pulumi.Output``, checked either way)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from pulumi_kuberay.components.operator_link import OperatorLike, child_options
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.resource import CustomResourceModel
from pulumi_kuberay.models.ray.validation.scope import watched_namespace_problems


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


def create_ray_resource(
    component: pulumi.ComponentResource,
    resource_name: str,
    model: CustomResourceModel,
    *,
    namespace: pulumi.Input[str] | None,
    caps: OperatorCapabilities,
    operator: OperatorLike | None,
    component_opts: pulumi.ResourceOptions | None,
    warnings: Sequence[str] = (),
    resource_class: type[k8s.apiextensions.CustomResource] = k8s.apiextensions.CustomResource,
    extra_opts: pulumi.ResourceOptions | None = None,
) -> tuple[dict[str, Any], k8s.apiextensions.CustomResource]:
    """Log the build's warnings, then create the custom resource for ``model`` as the
    component's child (depending on the operator and on what the component depends on).

    Returns the exact manifest sent (namespace filled in at deploy if an Output) and the
    resource. https://www.pulumi.com/registry/packages/kubernetes/api-docs/apiextensions/customresource/
    """
    manifest = model.to_manifest()
    kind = manifest["kind"]
    name = manifest["metadata"].get("name")
    for warning in warnings:
        pulumi.log.warn(f"{kind} {name}: {warning}", resource=component)
    opts = child_options(component, component_opts, operator)
    if extra_opts is not None:
        opts = pulumi.ResourceOptions.merge(opts, extra_opts)
    resource = resource_class(
        resource_name,
        api_version=manifest["apiVersion"],
        kind=kind,
        metadata=resource_metadata(kind, manifest, namespace, caps),
        spec=manifest["spec"],
        opts=opts,
    )
    return manifest, resource
