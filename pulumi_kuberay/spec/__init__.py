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
from pulumi_kuberay.spec.rayjob import (
    DeletionCondition,
    DeletionPolicy,
    DeletionRule,
    DeletionStrategy,
    RayJob,
    RayJobSpec,
    SubmitterConfig,
)
from pulumi_kuberay.spec.rayservice import (
    ClusterUpgradeOptions,
    RayService,
    RayServiceSpec,
    RayServiceUpgradeStrategy,
)
from pulumi_kuberay.spec.resource import CustomResourceModel, ObjectMeta
from pulumi_kuberay.spec.secrets import looks_like_secret

__all__ = [
    "AuthOptions",
    "AutoscalerOptions",
    "ClusterUpgradeOptions",
    "CustomResourceModel",
    "DeletionCondition",
    "DeletionPolicy",
    "DeletionRule",
    "DeletionStrategy",
    "GcsFaultToleranceOptions",
    "HeadGroupSpec",
    "ObjectMeta",
    "OperatorCapabilities",
    "RayCluster",
    "RayClusterSpec",
    "RayJob",
    "RayJobSpec",
    "RayService",
    "RayServiceSpec",
    "RayServiceUpgradeStrategy",
    "RedisCredential",
    "ScaleStrategy",
    "SubmitterConfig",
    "WorkerGroupSpec",
    "capabilities_from",
    "looks_like_secret",
    "parse_manifest",
    "validate_manifest",
    "validate_model",
]
