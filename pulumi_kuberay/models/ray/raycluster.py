"""The RayCluster custom resource (``ray.io/v1``, KubeRay 1.5) as pydantic models.

Field for field the ``RayClusterSpec`` of
https://github.com/ray-project/kuberay/blob/v1.5.1/ray-operator/apis/ray/v1/raycluster_types.go
(API reference: https://ray-project.github.io/kuberay/reference/api/). These models are
faithful: they add no defaults and apply no operator rule (see ``validation``).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.kubernetes.core_types import (
    EnvFromSource,
    EnvVar,
    EnvVarSource,
    PodTemplate,
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


class RedisCredential(CrdModel):
    """A Redis username or password: a literal ``value`` or ``valueFrom`` a Secret/ConfigMap."""

    value: str | None = None
    value_from: EnvVarSource | None = None


class GcsFaultToleranceOptions(CrdModel):
    """External Redis for GCS fault tolerance (KubeRay >= 1.3).

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/kuberay-gcs-ft.html
    """

    redis_address: str
    redis_username: RedisCredential | None = None
    redis_password: RedisCredential | None = None
    external_storage_namespace: str | None = None


class AuthOptions(CrdModel):
    """Ray token authentication (KubeRay >= 1.5, Ray >= 2.52)."""

    mode: AuthMode | None = None


class AutoscalerOptions(CrdModel):
    """The autoscaler sidecar of the head pod.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/configuring-autoscaling.html
    """

    version: AutoscalerVersion | None = None
    upscaling_mode: UpscalingMode | None = None
    idle_timeout_seconds: int | None = None
    image: str | None = None
    image_pull_policy: PullPolicy | None = None
    resources: ResourceRequirements | None = None
    env: list[EnvVar] | None = None
    env_from: list[EnvFromSource] | None = None
    volume_mounts: list[VolumeMount] | None = None
    security_context: SecurityContext | None = None


class HeadGroupSpec(CrdModel):
    """The head pod: GCS, dashboard, client server, autoscaler."""

    template: PodTemplate
    ray_start_params: dict[str, str] | None = None
    service_type: ServiceType | None = None
    head_service: Service | None = None
    enable_ingress: bool | None = None
    resources: dict[str, str] | None = None
    labels: dict[str, str] | None = None


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
    idle_timeout_seconds: int | None = None
    ray_start_params: dict[str, str] | None = None
    template: PodTemplate
    scale_strategy: ScaleStrategy | None = None
    suspend: bool | None = None
    resources: dict[str, str] | None = None
    labels: dict[str, str] | None = None


class RayClusterSpec(CrdModel):
    """``RayCluster.spec``; also embedded as RayJob ``rayClusterSpec`` and RayService
    ``rayClusterConfig``."""

    ray_version: str | None = None
    head_group_spec: HeadGroupSpec
    worker_group_specs: list[WorkerGroupSpec] | None = None
    enable_in_tree_autoscaling: bool | None = None
    autoscaler_options: AutoscalerOptions | None = None
    gcs_fault_tolerance_options: GcsFaultToleranceOptions | None = None
    auth_options: AuthOptions | None = None
    head_service_annotations: dict[str, str] | None = None
    suspend: bool | None = None
    managed_by: ManagedBy | None = None


class RayCluster(CustomResourceModel):
    """A whole RayCluster object.

    https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/raycluster-quick-start.html
    """

    KIND: ClassVar[str] = "RayCluster"
    MAX_NAME_LENGTH: ClassVar[int] = 53

    kind: Literal["RayCluster"] = Field(default="RayCluster")
    spec: RayClusterSpec
