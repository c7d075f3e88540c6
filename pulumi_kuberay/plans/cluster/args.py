"""The ergonomic description of a Ray cluster: head, worker groups, autoscaling, GCS FT.

Shortcuts (``cpu``, ``memory``, ``gpus``, ``accelerator``, ``env``, ...) expand into the pod
template; ``template`` (a dict or ``pulumi_kubernetes.core.v1.PodTemplateSpecArgs``) is the
escape hatch, merged *under* the shortcuts.
https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from pulumi_kuberay.components.pulumi_inputs import to_plain
from pulumi_kuberay.models.ray.raycluster import PullPolicy, ServiceType, UpscalingMode
from pulumi_kuberay.plans.cluster.accelerators import Accelerator, Placement
from pulumi_kuberay.plans.cluster.quantities import CpuValue, MemoryValue
from pulumi_kuberay.plans.env import ConfigMapRef, SecretRef

EnvArg = dict[str, str | int | float | bool | SecretRef | ConfigMapRef] | list[dict[str, Any]]
StartParamValue = str | int | float | bool


class _Shortcuts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    cpu: CpuValue | None = None
    """CPU for the Ray container: a request (and a limit only with ``cpu_limits``)."""
    memory: MemoryValue | None = None
    """Memory limit (and, by default, an equal request)."""
    gpus: int = 0
    """Number of accelerator devices (GPUs, TPU chips, Neuron devices) per pod."""
    accelerator: Accelerator | None = None
    """Which accelerator; defaults to any NVIDIA GPU when ``gpus`` > 0."""
    placement: Placement | None = None
    """Node selector and tolerations, e.g. from a node pool."""
    image: str | None = None
    image_pull_policy: PullPolicy | None = None
    env: EnvArg | None = None
    volumes: list[dict[str, Any]] | None = None
    volume_mounts: list[dict[str, Any]] | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[dict[str, Any]] | None = None
    service_account: str | None = None
    pod_labels: dict[str, str] | None = None
    pod_annotations: dict[str, str] | None = None
    ray_start_params: dict[str, StartParamValue] | None = None
    ray_resources: dict[str, str] | None = None
    """Ray logical resources (the group's ``resources`` field, KubeRay >= 1.5)."""
    ray_labels: dict[str, str] | None = None
    """Ray node labels (the group's ``labels`` field, KubeRay >= 1.5)."""
    container_name: str | None = None
    template: Any = None
    """A full pod template (dict or ``PodTemplateSpecArgs``) the shortcuts are applied on."""

    @field_validator("template")
    @classmethod
    def _plain_template(cls, value: Any) -> dict[str, Any] | None:
        if value is None:
            return None
        plain = to_plain(value, "template")
        if not isinstance(plain, dict):
            raise ValueError("template must be a pod template mapping or PodTemplateSpecArgs")
        return plain

    @field_validator("gpus")
    @classmethod
    def _non_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError(f"gpus must not be negative, got {value}")
        return value


class HeadGroup(_Shortcuts):
    """The head pod (GCS, dashboard, autoscaler).

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#head-pod
    """

    service_type: ServiceType | None = None
    enable_ingress: bool | None = None
    head_service: dict[str, Any] | None = None


class WorkerGroup(_Shortcuts):
    """One group of identical worker pods: ``WorkerGroup("gpu-a100", replicas=2, gpus=1, ...)``.

    ``min_replicas``/``max_replicas`` bound the autoscaler; without autoscaling they default to
    ``replicas``. https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
    """

    name: str
    replicas: int = 1
    min_replicas: int | None = None
    max_replicas: int | None = None
    num_of_hosts: int | None = None
    idle_timeout_seconds: int | None = None
    suspend: bool | None = None

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)


class Autoscaling(BaseModel):
    """In-tree autoscaling: the autoscaler sidecar on the head.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/configuring-autoscaling.html
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal["v1", "v2"] | None = None
    upscaling_mode: UpscalingMode | None = None
    idle_timeout_seconds: int | None = None
    image: str | None = None
    image_pull_policy: PullPolicy | None = None
    cpu: CpuValue | None = None
    memory: MemoryValue | None = None
    resources: dict[str, Any] | None = None
    env: list[dict[str, Any]] | None = None
    env_from: list[dict[str, Any]] | None = None
    volume_mounts: list[dict[str, Any]] | None = None
    security_context: dict[str, Any] | None = None


class GcsFaultTolerance(BaseModel):
    """GCS fault tolerance with an external Redis: the head can restart without losing the
    cluster. Give the password as a :class:`SecretRef` so it never lands in the resource.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/kuberay-gcs-ft.html
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    redis_address: str
    redis_password: SecretRef | str | None = None
    redis_username: SecretRef | str | None = None
    external_storage_namespace: str | None = None
