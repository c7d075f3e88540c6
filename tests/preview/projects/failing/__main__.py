"""Creates a namespace, then fails the way config ``mode`` asks for."""

import pulumi
import pulumi_kubernetes as k8s


class ValidationError(ValueError):
    """Like pulumi_kuberay's: a manifest KubeRay would reject."""


class ResourceError(Exception):
    """Like Pulumi's ResourceError in other SDKs: a message and the resource at fault."""

    def __init__(self, message: str, resource: pulumi.Resource) -> None:
        super().__init__(message, resource)


mode = pulumi.Config().require("mode")
namespace = k8s.core.v1.Namespace("ml", metadata={"name": "ml"})


def reject_namespace(name: str) -> str:
    raise ValidationError(f"namespace {name!r} is reserved for the operator")


if mode == "validation":
    raise ValidationError("RayCluster 'demo': workerGroupSpecs[0].replicas 9 > maxReplicas 4")
if mode == "resource":
    raise ResourceError("the namespace already exists", namespace)
if mode == "apply":
    k8s.core.v1.ConfigMap(
        "settings",
        metadata={"name": "settings", "namespace": namespace.metadata.name.apply(reject_namespace)},
        data={"a": "b"},
    )
if mode == "log":
    pulumi.log.error("refusing to deploy on Fridays")
