"""The RayCluster custom resource (``ray.io/v1``, KubeRay 1.5 to 1.7) as pydantic models.

Field for field the ``RayClusterSpec`` of
https://github.com/ray-project/kuberay/blob/v1.7.0/ray-operator/apis/ray/v1/raycluster_types.go
(API reference: https://ray-project.github.io/kuberay/reference/api/). A field added after 1.5,
or usable only with a feature gate, says so in its annotation (``Requires``; see
:mod:`pulumi_kuberay.models.field_requirements`). These models are faithful: they add no
defaults and apply no operator rule (see ``validation``).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.field_requirements import Requires, is_true
from pulumi_kuberay.models.kubernetes.core_types import (
    EnvFromSource,
    EnvVar,
    EnvVarSource,
    IngressTLS,
    NetworkPolicyEgressRule,
    NetworkPolicyIngressRule,
    PodTemplate,
    Quantity,
    ResourceRequirements,
    SecurityContext,
    Service,
    VolumeMount,
)
from pulumi_kuberay.models.ray.resource import CustomResourceModel

ServiceType = Literal["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
UpscalingMode = Literal["Default", "Aggressive", "Conservative"]
AutoscalerVersion = Literal["v1", "v2"]
AuthMode = Literal["disabled", "token"]
ManagedBy = Literal["ray.io/kuberay-operator", "kueue.x-k8s.io/multikueue"]
PullPolicy = Literal["Always", "IfNotPresent", "Never"]
ClusterUpgradeType = Literal["Recreate", "None"]
GcsFaultToleranceBackend = Literal["redis", "rocksdb"]
GcsStorageDeletionPolicy = Literal["DeleteWithCluster", "Retain"]
NetworkPolicyMode = Literal["DenyAll", "DenyAllIngress", "DenyAllEgress"]
IngressPathType = Literal["Exact", "Prefix", "ImplementationSpecific"]

ROCKSDB_GATE = "GCSFaultToleranceEmbeddedStorage"


class RedisCredential(CrdModel):
    """A Redis username or password: a literal ``value`` or ``valueFrom`` a Secret/ConfigMap."""

    value: str | None = None
    value_from: EnvVarSource | None = None


class GcsEmbeddedStorage(CrdModel):
    """``gcsFaultToleranceOptions.storage`` (KubeRay >= 1.7): the PersistentVolumeClaim of the
    embedded RocksDB backend. ``claimName`` (an existing claim) or ``size``/
    ``storageClassName``/``accessModes`` (a claim the operator creates, ``{cluster}-gcs-pvc``)."""

    claim_name: str | None = None
    size: Quantity | None = None
    storage_class_name: str | None = None
    access_modes: list[str] | None = None
    sub_path: str | None = None
    deletion_policy: GcsStorageDeletionPolicy | None = None


class GcsFaultToleranceOptions(CrdModel):
    """GCS fault tolerance (KubeRay >= 1.3): external Redis, or from 1.7 an embedded RocksDB.

    ``redisAddress`` is required by the CRD before 1.7.
    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/kuberay-gcs-ft.html
    """

    backend: Annotated[
        GcsFaultToleranceBackend | None,
        Requires(
            since="1.7.0",
            gate=ROCKSDB_GATE,
            when=lambda backend: backend == "rocksdb",
            gate_use="backend rocksdb",
        ),
    ] = None
    redis_address: Annotated[str | None, Requires(required_before="1.7.0")] = None
    redis_username: RedisCredential | None = None
    redis_password: RedisCredential | None = None
    external_storage_namespace: str | None = None
    storage: Annotated[GcsEmbeddedStorage | None, Requires(since="1.7.0")] = None


class AuthOptions(CrdModel):
    """Ray token authentication (KubeRay >= 1.5, Ray >= 2.52); from 1.6 optionally delegated to
    Kubernetes service-account tokens (``enableK8sTokenAuth``, Ray >= 2.55) or read from an
    existing Secret (``secretName``, data key ``auth_token``)."""

    mode: AuthMode | None = None
    enable_k8s_token_auth: Annotated[bool | None, Requires(since="1.6.0")] = Field(
        default=None, alias="enableK8sTokenAuth"
    )
    secret_name: Annotated[str | None, Requires(since="1.6.0")] = None


class AutoscalerOptions(CrdModel):
    """The autoscaler sidecar of the head pod.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/configuring-autoscaling.html
    """

    version: Annotated[AutoscalerVersion | None, Requires(since="1.4.0")] = None
    upscaling_mode: UpscalingMode | None = None
    idle_timeout_seconds: int | None = None
    image: str | None = None
    image_pull_policy: PullPolicy | None = None
    resources: ResourceRequirements | None = None
    env: list[EnvVar] | None = None
    env_from: list[EnvFromSource] | None = None
    volume_mounts: list[VolumeMount] | None = None
    security_context: SecurityContext | None = None
    command: Annotated[list[str] | None, Requires(since="1.7.0")] = None
    args: Annotated[list[str] | None, Requires(since="1.7.0")] = None


class IngressOptions(CrdModel):
    """``headGroupSpec.ingressOptions`` (KubeRay >= 1.7): the Ingress made for
    ``enableIngress: true`` (host, path defaulting to ``/``, pathType defaulting to ``Prefix``,
    TLS)."""

    host: str | None = None
    path: str | None = None
    path_type: IngressPathType | None = None
    tls: list[IngressTLS] | None = None


class HeadGroupSpec(CrdModel):
    """The head pod: GCS, dashboard, client server, autoscaler."""

    template: PodTemplate
    ray_start_params: dict[str, str] | None = None
    service_type: ServiceType | None = None
    head_service: Service | None = None
    enable_ingress: bool | None = None
    ingress_options: Annotated[IngressOptions | None, Requires(since="1.7.0")] = None
    resources: Annotated[dict[str, str] | None, Requires(since="1.5.0")] = None
    labels: Annotated[dict[str, str] | None, Requires(since="1.5.0")] = None


class ScaleStrategy(CrdModel):
    """Pods the autoscaler asks the operator to remove."""

    workers_to_delete: list[str] | None = None


class WorkerGroupSpec(CrdModel):
    """One homogeneous group of worker pods (CPU, a GPU type, spot, TPU slice, ...)."""

    group_name: str
    replicas: int | None = None
    min_replicas: int | None = None
    max_replicas: int | None = None
    num_of_hosts: int | None = None
    idle_timeout_seconds: Annotated[int | None, Requires(since="1.4.0")] = None
    priority: Annotated[int | None, Requires(since="1.7.0")] = None
    """Autoscaler preference among groups that fit the same demand (Ray >= 2.56, autoscaler v2)."""
    ray_start_params: dict[str, str] | None = None
    template: PodTemplate
    scale_strategy: ScaleStrategy | None = None
    suspend: Annotated[
        bool | None,
        Requires(gate="RayJobDeletionPolicy", when=is_true, gate_use="suspend: true"),
    ] = None
    resources: Annotated[dict[str, str] | None, Requires(since="1.5.0")] = None
    labels: Annotated[dict[str, str] | None, Requires(since="1.5.0")] = None


class RayClusterUpgradeStrategy(CrdModel):
    """``upgradeStrategy`` (KubeRay >= 1.6): ``Recreate`` replaces every Pod when the spec
    changes, ``None`` never does. Not allowed on clusters a RayJob or RayService creates."""

    type: ClusterUpgradeType | None = None


class CollectorOptions(CrdModel):
    """``historyServerOptions.collectorOptions``: the history-server collector sidecar."""

    image: str | None = None
    image_pull_policy: PullPolicy | None = None
    resources: ResourceRequirements | None = None
    env: list[EnvVar] | None = None


class HistoryServerOptions(CrdModel):
    """``historyServerOptions`` (KubeRay >= 1.7, gate ``RayClusterHistoryServer``)."""

    collector_options: CollectorOptions | None = None


class NetworkPolicyRules(CrdModel):
    """Extra NetworkPolicy rules appended to the base ones (intra-cluster traffic allowed)."""

    ingress_rules: list[NetworkPolicyIngressRule] | None = None
    egress_rules: list[NetworkPolicyEgressRule] | None = None


class WorkerGroupNetworkPolicyRules(NetworkPolicyRules):
    """Rules for one worker group; they replace ``networkPolicy.worker`` for that group."""

    group_name: str


class NetworkPolicyConfig(CrdModel):
    """``networkPolicy`` (KubeRay >= 1.7, gate ``RayClusterNetworkPolicy``): NetworkPolicies for
    the head and the workers. ``mode`` defaults to ``DenyAll`` in the CRD; DNS egress is not
    added for you."""

    mode: NetworkPolicyMode | None = None
    head: NetworkPolicyRules | None = None
    worker: NetworkPolicyRules | None = None
    worker_groups: list[WorkerGroupNetworkPolicyRules] | None = None


class TLSOptions(CrdModel):
    """``tlsOptions`` (KubeRay >= 1.7, gate ``RayClusterMTLS``): mTLS between Ray pods with
    certificates from cert-manager; off unless ``enabled: true``."""

    enabled: bool | None = None


class RayClusterSpec(CrdModel):
    """``RayCluster.spec``; also embedded as RayJob ``rayClusterSpec``, RayService
    ``rayClusterConfig`` and RayCronJob ``jobTemplate.rayClusterSpec``."""

    ray_version: str | None = None
    head_group_spec: HeadGroupSpec
    worker_group_specs: list[WorkerGroupSpec] | None = None
    enable_in_tree_autoscaling: bool | None = None
    autoscaler_options: AutoscalerOptions | None = None
    gcs_fault_tolerance_options: GcsFaultToleranceOptions | None = None
    auth_options: Annotated[AuthOptions | None, Requires(since="1.5.0")] = None
    head_service_annotations: dict[str, str] | None = None
    suspend: bool | None = None
    managed_by: ManagedBy | None = None
    upgrade_strategy: Annotated[RayClusterUpgradeStrategy | None, Requires(since="1.6.0")] = None
    history_server_options: Annotated[
        HistoryServerOptions | None,
        Requires(since="1.7.0", gate="RayClusterHistoryServer"),
    ] = None
    network_policy: Annotated[
        NetworkPolicyConfig | None,
        Requires(since="1.7.0", gate="RayClusterNetworkPolicy"),
    ] = None
    tls_options: Annotated[TLSOptions | None, Requires(since="1.7.0", gate="RayClusterMTLS")] = None


class RayCluster(CustomResourceModel):
    """A whole RayCluster object.

    https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/raycluster-quick-start.html
    """

    KIND: ClassVar[str] = "RayCluster"
    MAX_NAME_LENGTH: ClassVar[int] = 53

    kind: Literal["RayCluster"] = Field(default="RayCluster")
    spec: RayClusterSpec
