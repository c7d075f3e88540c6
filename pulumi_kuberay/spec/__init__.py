"""Pure models of the KubeRay ``ray.io/v1`` API and the operator's validation rules.

The manifest dict is the contract between layers: ``parse_manifest(doc).to_manifest()``
round-trips, ``validate_manifest(doc)`` lists what the operator would reject.
"""

from pulumi_kuberay.spec.capabilities import OperatorCapabilities, capabilities_from
from pulumi_kuberay.spec.manifest import parse_manifest, validate_manifest, validate_model
from pulumi_kuberay.spec.raycluster import (
    AuthOptions,
    AutoscalerOptions,
    GcsFaultToleranceOptions,
    HeadGroupSpec,
    RayCluster,
    RayClusterSpec,
    RedisCredential,
    ScaleStrategy,
    WorkerGroupSpec,
)
from pulumi_kuberay.spec.resource import CustomResourceModel, ObjectMeta

__all__ = [
    "AuthOptions",
    "AutoscalerOptions",
    "CustomResourceModel",
    "GcsFaultToleranceOptions",
    "HeadGroupSpec",
    "ObjectMeta",
    "OperatorCapabilities",
    "RayCluster",
    "RayClusterSpec",
    "RedisCredential",
    "ScaleStrategy",
    "WorkerGroupSpec",
    "capabilities_from",
    "parse_manifest",
    "validate_manifest",
    "validate_model",
]
