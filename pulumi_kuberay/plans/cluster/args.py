"""A Ray cluster described once: :class:`ClusterArgs` and its parts (head, worker groups,
autoscaling, GCS fault tolerance).

The same object is what ``RayCluster``, ``RayJob`` (the cluster it creates) and ``RayService``
take, so a field added here reaches all three. Group shortcuts (``cpu``, ``memory``, ``gpus``,
``accelerator``, ``env``, ...) expand into the pod template; ``template`` (a dict, or
``pulumi_kubernetes.core.v1.PodTemplateSpecArgs`` through a component) is the escape hatch,
merged *under* the shortcuts. https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import Field, field_validator

from pulumi_kuberay.models.ray.raycluster import ManagedBy, PullPolicy, ServiceType, UpscalingMode
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.cluster.accelerators import Accelerator, Placement
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.cluster.quantities import CpuValue, MemoryValue
from pulumi_kuberay.plans.env import ConfigMapRef, SecretRef
from pulumi_kuberay.plans.kueue.admission import QueueingArgs
from pulumi_kuberay.plans.node_pools.args import GpuNodePoolArgs
from pulumi_kuberay.plans.tls.args import TlsArgs, TlsIssuerSource
from pulumi_kuberay.versions import DEFAULT_RAY_VERSION

EnvArg = dict[str, str | int | float | bool | SecretRef | ConfigMapRef] | list[dict[str, Any]]
"""Container env: ``{"NAME": value}`` (a :class:`SecretRef` becomes ``secretKeyRef``) or a list
of core/v1 EnvVar dicts."""

StartParamValue = str | int | float | bool
"""A ``rayStartParams`` value as written in Python; rendered as the string the CRD requires."""


class GroupArgs(ArgumentModel):
    """What the head and every worker group have in common: the pod and its Ray container."""

    cpu: CpuValue | None = None
    """CPU of the Ray container (``resources.requests.cpu``; also the limit with
    ``BestPractices(cpu_limits=True)``). ``4``, ``0.5`` or ``"500m"``; default: unset."""
    memory: MemoryValue | None = None
    """Memory of the Ray container (``resources.limits.memory``, and an equal request by
    default). ``"16Gi"`` or bytes; default: unset."""
    gpus: int = 0
    """Accelerator devices per pod (the accelerator's extended resource as limit and request,
    e.g. ``nvidia.com/gpu``). Default: 0."""
    accelerator: Accelerator | None = None
    """Which accelerator (``accelerators.NVIDIA_A100``, ...): resource name, toleration and node
    selector. Default: any NVIDIA GPU when ``gpus`` > 0."""
    placement: Placement | None = None
    """Node selector and tolerations (``template.spec.nodeSelector``/``tolerations``), e.g. from
    a node pool. Default: none."""
    image: str | None = None
    """The Ray container image (``containers[0].image``). Default: the cluster's ``image``, else
    ``rayproject/ray:<ray_version>`` (``-gpu`` for NVIDIA groups)."""
    image_pull_policy: PullPolicy | None = None
    """``containers[0].imagePullPolicy``. Default: unset (Kubernetes decides)."""
    env: EnvArg | None = None
    """Env vars of the Ray container (``containers[0].env``). Default: none."""
    volumes: list[dict[str, Any]] | None = None
    """Pod volumes (``template.spec.volumes``), core/v1 Volume dicts. Default: none."""
    volume_mounts: list[dict[str, Any]] | None = None
    """Mounts of the Ray container (``containers[0].volumeMounts``). Default: none."""
    node_selector: dict[str, str] | None = None
    """Extra ``template.spec.nodeSelector`` labels (win over the accelerator's). Default: none."""
    tolerations: list[dict[str, Any]] | None = None
    """Extra ``template.spec.tolerations``, core/v1 Toleration dicts. Default: none."""
    service_account: str | None = None
    """``template.spec.serviceAccountName``. Default: the namespace's ``default``."""
    pod_labels: dict[str, str] | None = None
    """Labels on the pods (``template.metadata.labels``). Default: none."""
    pod_annotations: dict[str, str] | None = None
    """Annotations on the pods (``template.metadata.annotations``). Default: none."""
    ray_start_params: dict[str, StartParamValue] | None = None
    """``rayStartParams``; values are rendered as strings. Default: only best-practice ones."""
    ray_resources: dict[str, str] | None = None
    """Ray logical resources (the group's ``resources`` field, KubeRay >= 1.5). Default: unset
    (Ray infers them from the container)."""
    ray_labels: dict[str, str] | None = None
    """Ray node labels (the group's ``labels`` field, KubeRay >= 1.5). Default: unset."""
    container_name: str | None = None
    """Name of the Ray container. Default: ``ray-head`` / ``ray-worker``, or the template's."""
    template: Any = None
    """A full pod template (dict or ``PodTemplateSpecArgs``) the shortcuts are applied on
    (``template``). Default: an empty pod."""

    @field_validator("gpus")
    @classmethod
    def _non_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError(f"must not be negative, got {value}")
        return value


class HeadGroup(GroupArgs):
    """The head pod: GCS, dashboard, client server and the autoscaler (``headGroupSpec``).

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#head-pod
    """

    service_type: ServiceType | None = None
    """``headGroupSpec.serviceType`` of the head Service. Default: unset (ClusterIP)."""
    enable_ingress: bool | None = None
    """``headGroupSpec.enableIngress``: the operator creates an Ingress for the dashboard.
    Default: unset (no Ingress)."""
    head_service: dict[str, Any] | None = None
    """``headGroupSpec.headService``: a core/v1 Service the operator starts its head Service
    from. Default: unset."""


@runtime_checkable
class NodePoolSource(Protocol):
    """Anything that describes a node pool (a ``GpuNodePool`` component): ``node_pool=``
    accepts it as well as a :class:`GpuNodePoolArgs`, and the cluster then depends on it."""

    def node_pool_args(self) -> GpuNodePoolArgs:
        """The pool's pure description."""
        ...


class WorkerGroup(GroupArgs):
    """One group of identical worker pods (``workerGroupSpecs[]``):
    ``WorkerGroup("gpu-a100", replicas=2, gpus=1, ...)``.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
    """

    name: str
    """``groupName``: unique within the cluster; part of every worker pod's name."""
    replicas: int = 1
    """``replicas``: pods to start with. Default: 1."""
    min_replicas: int | None = None
    """``minReplicas``. Default: 0 with autoscaling, else ``replicas`` (a fixed-size group)."""
    max_replicas: int | None = None
    """``maxReplicas``: the autoscaler's ceiling. Default: ``replicas``."""
    num_of_hosts: int | None = None
    """``numOfHosts``: pods per replica, for multi-host TPU slices. Default: unset (1)."""
    idle_timeout_seconds: int | None = None
    """``idleTimeoutSeconds`` of this group (autoscaler v2). Default: the cluster's."""
    suspend: bool | None = None
    """``suspend``: delete this group's pods (``RayJobDeletionPolicy`` gate). Default: unset."""
    node_pool: GpuNodePoolArgs | NodePoolSource | None = None
    """The node pool the group runs on (a ``GpuNodePool`` or :class:`GpuNodePoolArgs`): its
    node selector or affinity and GPU toleration, its device resource, and, for ``cpu``,
    ``memory`` and ``gpus`` not given, a pod that fills one node (less the pool's daemonset
    reserve; ``BestPractices(size_pods_to_nodes=False)`` turns that off). A pod that cannot fit
    one node is an error. Default: none."""

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)


class Autoscaling(ArgumentModel):
    """In-tree autoscaling: ``enableInTreeAutoscaling: true`` and the ``autoscalerOptions`` of the
    autoscaler sidecar on the head.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/configuring-autoscaling.html
    """

    version: Literal["v1", "v2"] | None = None
    """``autoscalerOptions.version`` (KubeRay >= 1.4). Default: unset (the operator's choice)."""
    upscaling_mode: UpscalingMode | None = None
    """``autoscalerOptions.upscalingMode``: Default, Aggressive or Conservative. Default: unset."""
    idle_timeout_seconds: int | None = None
    """``autoscalerOptions.idleTimeoutSeconds`` before an idle worker is removed. Default:
    unset (60)."""
    image: str | None = None
    """``autoscalerOptions.image``. Default: unset (the head's image)."""
    image_pull_policy: PullPolicy | None = None
    """``autoscalerOptions.imagePullPolicy``. Default: unset."""
    cpu: CpuValue | None = None
    """CPU limit of the sidecar (``autoscalerOptions.resources.limits.cpu``). Default: unset
    (the operator's 500m)."""
    memory: MemoryValue | None = None
    """Memory limit of the sidecar (``autoscalerOptions.resources.limits.memory``). Default:
    unset (the operator's 512Mi)."""
    resources: dict[str, Any] | None = None
    """``autoscalerOptions.resources`` as core/v1 ResourceRequirements; ``cpu``/``memory`` win.
    Default: unset."""
    env: list[dict[str, Any]] | None = None
    """``autoscalerOptions.env``. Default: unset."""
    env_from: list[dict[str, Any]] | None = None
    """``autoscalerOptions.envFrom``. Default: unset."""
    volume_mounts: list[dict[str, Any]] | None = None
    """``autoscalerOptions.volumeMounts``. Default: unset."""
    security_context: dict[str, Any] | None = None
    """``autoscalerOptions.securityContext``. Default: unset."""


class GcsFaultTolerance(ArgumentModel):
    """GCS fault tolerance with an external Redis (``gcsFaultToleranceOptions``): the head can
    restart without losing the cluster. Give the password as a :class:`SecretRef` so it never
    lands in the custom resource.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/kuberay-gcs-ft.html
    """

    redis_address: str
    """``gcsFaultToleranceOptions.redisAddress``: ``host:port`` (or ``redis://``) of Redis."""
    redis_password: SecretRef | str | None = None
    """``redisPassword``: a :class:`SecretRef` (``valueFrom.secretKeyRef``) or a literal.
    Default: no password."""
    redis_username: SecretRef | str | None = None
    """``redisUsername``. Default: unset."""
    external_storage_namespace: str | None = None
    """``externalStorageNamespace``: the key prefix of this cluster's state in Redis. Default:
    unset (the operator uses the RayCluster's UID)."""


@runtime_checkable
class FaultToleranceSource(Protocol):
    """Anything that knows how a cluster reaches its GCS store (a Redis component, a managed
    Redis): ``fault_tolerance=`` accepts it as well as a :class:`GcsFaultTolerance`."""

    def gcs_fault_tolerance(self) -> GcsFaultTolerance:
        """The options a cluster using this store gets."""
        ...


class ClusterArgs(ArgumentModel):
    """A Ray cluster, described once: what ``RayCluster``, ``RayJob(cluster=...)`` and
    ``RayService(cluster=...)`` render into a ``RayClusterSpec`` (RayCluster ``spec``, RayJob
    ``rayClusterSpec``, RayService ``rayClusterConfig``).

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
    """

    head: HeadGroup = Field(default_factory=HeadGroup)
    """The head pod (``headGroupSpec``). Default: a head with no resources set."""
    worker_groups: list[WorkerGroup] = Field(default_factory=list)
    """The worker groups (``workerGroupSpecs``). Default: none (a head-only cluster)."""
    image: str | None = None
    """The Ray image of every group that names none. Default: ``rayproject/ray:<ray_version>``
    (``-gpu`` for NVIDIA groups)."""
    ray_version: str = DEFAULT_RAY_VERSION
    """``rayVersion``; must match the image's Ray. Default: the library's Ray version."""
    autoscaling: Autoscaling | bool | None = None
    """In-tree autoscaling (``enableInTreeAutoscaling`` and ``autoscalerOptions``); ``True`` for
    the defaults. Default: off."""
    fault_tolerance: GcsFaultTolerance | FaultToleranceSource | None = None
    """GCS fault tolerance (``gcsFaultToleranceOptions``). Default: off."""
    auth_token: bool = False
    """Ray token authentication (``authOptions.mode: token``; Ray >= 2.52). Default: off."""
    tls: bool | TlsArgs | TlsIssuerSource | None = None
    """Mutual TLS between Ray nodes: ``True`` (KubeRay >= 1.7 native ``tlsOptions``), a CA
    component such as ``RayCertificateAuthority`` (per-pod certificates on any KubeRay), or a
    :class:`TlsArgs`. Every Ray container (head, workers, autoscaler, a RayJob's submitter)
    gets the same settings. See ``docs/tls.md``. Default: off."""
    head_service_annotations: dict[str, str] | None = None
    """``headServiceAnnotations`` on the head Service. Default: none."""
    pod_labels: dict[str, str] | None = None
    """Labels on every Ray pod, head and workers (a group's ``pod_labels`` win). Default: none."""
    best_practices: BestPractices = Field(default_factory=BestPractices)
    """The best-practice defaults applied to every group; each can be turned off by name."""
    overrides: dict[str, Any] | None = None
    """Raw cluster spec fields (camelCase), deep-merged last: the escape hatch for anything the
    arguments do not cover. Default: none."""

    @field_validator("worker_groups", mode="before")
    @classmethod
    def _groups_as_list(cls, value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value


class RayClusterArgs(ClusterArgs, QueueingArgs):
    """A standalone ``RayCluster``: the cluster plus the fields only a RayCluster object has,
    and ``queue=`` (a Kueue LocalQueue; see
    :class:`~pulumi_kuberay.plans.kueue.admission.QueueingArgs`)."""

    suspend: bool | None = None
    """``spec.suspend``: delete the cluster's pods and keep the object. Default: unset, or true
    when ``queue`` is set (Kueue starts the cluster on admission)."""
    managed_by: ManagedBy | None = None
    """``spec.managedBy``: ``kueue.x-k8s.io/multikueue`` hands the cluster to MultiKueue.
    Default: unset (the operator), or MultiKueue's when ``queue`` dispatches to worker
    clusters."""
