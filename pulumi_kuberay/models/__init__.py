"""The pure model layer: faithful models of the objects the library emits and the rules of the
systems that accept them (the KubeRay operator, its Helm chart, the API server).

Nothing here imports Pulumi. ``ray`` holds ``ray.io/v1``, ``kubernetes`` the embedded core
shapes and name syntax, ``operator_chart`` the chart values; :mod:`pulumi_kuberay.spec` is the
public contract over plain manifests (``parse_manifest``/``validate_manifest``).
"""

from pulumi_kuberay.models.capabilities import OperatorCapabilities, capabilities_from
from pulumi_kuberay.models.field_requirements import Requires
from pulumi_kuberay.models.ray.raycluster import (
    AuthOptions,
    AutoscalerOptions,
    CollectorOptions,
    GcsEmbeddedStorage,
    GcsFaultToleranceOptions,
    HeadGroupSpec,
    HistoryServerOptions,
    IngressOptions,
    NetworkPolicyConfig,
    NetworkPolicyRules,
    RayCluster,
    RayClusterSpec,
    RayClusterUpgradeStrategy,
    RedisCredential,
    ScaleStrategy,
    TLSOptions,
    WorkerGroupNetworkPolicyRules,
    WorkerGroupSpec,
)
from pulumi_kuberay.models.ray.raycronjob import RayCronJob, RayCronJobSpec
from pulumi_kuberay.models.ray.rayjob import (
    DeletionCondition,
    DeletionPolicy,
    DeletionRule,
    DeletionStrategy,
    RayJob,
    RayJobSpec,
    SubmitterConfig,
)
from pulumi_kuberay.models.ray.rayservice import (
    ClusterUpgradeOptions,
    RayService,
    RayServiceSpec,
    RayServiceUpgradeStrategy,
)
from pulumi_kuberay.models.ray.resource import CustomResourceModel, ObjectMeta
from pulumi_kuberay.models.secrets import looks_like_secret

__all__ = [
    "AuthOptions",
    "AutoscalerOptions",
    "ClusterUpgradeOptions",
    "CollectorOptions",
    "CustomResourceModel",
    "DeletionCondition",
    "DeletionPolicy",
    "DeletionRule",
    "DeletionStrategy",
    "GcsEmbeddedStorage",
    "GcsFaultToleranceOptions",
    "HeadGroupSpec",
    "HistoryServerOptions",
    "IngressOptions",
    "NetworkPolicyConfig",
    "NetworkPolicyRules",
    "ObjectMeta",
    "OperatorCapabilities",
    "RayCluster",
    "RayClusterSpec",
    "RayClusterUpgradeStrategy",
    "RayCronJob",
    "RayCronJobSpec",
    "RayJob",
    "RayJobSpec",
    "RayService",
    "RayServiceSpec",
    "RayServiceUpgradeStrategy",
    "RedisCredential",
    "Requires",
    "ScaleStrategy",
    "SubmitterConfig",
    "TLSOptions",
    "WorkerGroupNetworkPolicyRules",
    "WorkerGroupSpec",
    "capabilities_from",
    "looks_like_secret",
]
