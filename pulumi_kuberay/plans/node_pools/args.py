"""A GPU node pool, described once: :class:`GpuNodePoolArgs` and its parts (GPU sharing, the room
left for daemonsets, taints) and the one way the pool is realised (:class:`ExistingNodes`,
:class:`Karpenter`, :class:`GkeNodePool`, :class:`EksNodeGroup`).

The same description feeds worker groups (``WorkerGroup(node_pool=...)``: placement and pod
size), Kueue flavors and quotas (:meth:`GpuNodePoolArgs.node_labels`, ``node_taints``,
``capacity``) and the policy pack (the pools of a stack). See ``docs/gpus.md``.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from pulumi_kuberay.models.kubernetes.names import (
    dns1035_label_problems,
    label_value_problems,
    qualified_name_problems,
)
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.cluster.accelerators import Accelerator, NodeLabelScheme
from pulumi_kuberay.plans.cluster.quantities import (
    CpuValue,
    MemoryValue,
    cpu_quantity,
    memory_quantity,
)

TaintEffect = Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]
CapacityType = Literal["on-demand", "spot"]


class NodeTaint(ArgumentModel):
    """A taint the pool's nodes carry (core/v1 Taint): pods without a matching toleration stay
    off them. https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/"""

    key: str
    """The taint key, e.g. ``nvidia.com/gpu``."""
    value: str | None = None
    """The taint value. Default: none."""
    effect: TaintEffect = "NoSchedule"
    """``NoSchedule`` (default), ``PreferNoSchedule`` or ``NoExecute``."""

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        problems = qualified_name_problems(value)
        if problems:
            raise ValueError(f"{value!r} is not a valid taint key: {'; '.join(problems)}")
        return value

    def to_dict(self) -> dict[str, Any]:
        """The core/v1 Taint dict ``{key, value?, effect}``."""
        rendered: dict[str, Any] = {"key": self.key}
        if self.value is not None:
            rendered["value"] = self.value
        rendered["effect"] = self.effect
        return rendered


class Mig(ArgumentModel):
    """NVIDIA Multi-Instance GPU: every GPU of the pool split into ``devices_per_gpu`` instances
    of one ``profile``. https://docs.nvidia.com/datacenter/tesla/mig-user-guide/

    With the device plugin's ``mixed`` strategy pods request ``nvidia.com/mig-<profile>``; with
    ``single`` they request ``nvidia.com/gpu`` and GFD names the product
    ``<model>-MIG-<profile>``. On GKE the resource stays ``nvidia.com/gpu`` and nodes carry
    ``cloud.google.com/gke-gpu-partition-size: <profile>``.
    """

    profile: str
    """The MIG profile, e.g. ``1g.10gb`` (A100 80GB) or ``3g.20gb`` (A100 40GB)."""
    devices_per_gpu: int
    """How many instances of ``profile`` one GPU holds (A100 80GB ``1g.10gb``: 7, ``2g.20gb``:
    3, ``3g.40gb``: 2; the MIG user guide lists them per GPU). Required: the same profile name
    fits a different number of times on different GPUs."""
    strategy: Literal["mixed", "single"] = "mixed"
    """The device plugin's MIG strategy (``--mig-strategy``). Default: ``mixed``."""

    @field_validator("profile")
    @classmethod
    def _profile(cls, value: str) -> str:
        if not re.fullmatch(r"\d+g\.\d+gb", value):
            raise ValueError(f"{value!r} is not a MIG profile such as '1g.10gb'")
        return value

    @field_validator("devices_per_gpu")
    @classmethod
    def _devices(cls, value: int) -> int:
        if not 1 <= value <= 7:
            raise ValueError(f"a GPU holds 1 to 7 MIG instances, got {value}")
        return value


class TimeSlicing(ArgumentModel):
    """GPU time-slicing: each GPU advertised ``replicas`` times (no memory or fault isolation).
    https://github.com/NVIDIA/k8s-device-plugin#shared-access-to-gpus

    With ``rename_by_default`` the device plugin advertises ``nvidia.com/gpu.shared``; otherwise
    ``nvidia.com/gpu`` and GFD appends ``-SHARED`` to the product name. On GKE this is
    time-sharing (``nvidia.com/gpu``, at most 1 per container).
    """

    replicas: int
    """Shares per GPU (``sharing.timeSlicing.resources[].replicas``; GKE
    ``max_shared_clients_per_gpu``)."""
    rename_by_default: bool = False
    """``sharing.timeSlicing.renameByDefault``: advertise ``nvidia.com/gpu.shared``. Default:
    off (the device plugin's default)."""

    @field_validator("replicas")
    @classmethod
    def _replicas(cls, value: int) -> int:
        if value < 2:
            raise ValueError(f"time-slicing needs at least 2 replicas per GPU, got {value}")
        return value


class DaemonSetReserve(ArgumentModel):
    """Room left on every node for the daemonsets running there (GPU device plugin, DCGM
    exporter, CNI, kube-proxy, log and metrics agents), subtracted from the node's allocatable
    before a Ray pod is sized to fill it."""

    cpu: CpuValue = 1
    """CPU left for daemonsets. Default: 1."""
    memory: MemoryValue = "2Gi"
    """Memory left for daemonsets. Default: ``2Gi``."""


class ExistingNodes(ArgumentModel):
    """Nodes that already exist (most clusters have their pools): the description only, nothing
    is created. ``label_scheme`` says which labels the nodes carry."""

    label_scheme: NodeLabelScheme = NodeLabelScheme.GPU_FEATURE_DISCOVERY
    """Which label identifies the GPU model on these nodes. Default: GFD's
    ``nvidia.com/gpu.product`` (needs GFD or the GPU Operator on the nodes)."""


_AWS_ID = {"subnet-": re.compile(r"subnet-[0-9a-z]+"), "sg-": re.compile(r"sg-[0-9a-z]+")}
"""The id patterns of ``subnetSelectorTerms[].id`` and ``securityGroupSelectorTerms[].id``."""


class EC2NodeClassArgs(ArgumentModel):
    """The Karpenter ``EC2NodeClass`` (``karpenter.k8s.aws/v1``) a Karpenter pool launches from:
    AMI, IAM role, subnets and security groups.
    https://karpenter.sh/docs/concepts/nodeclasses/"""

    name: str | None = None
    """``metadata.name``. Default: the pool's name."""
    ami_alias: str = "al2023@latest"
    """``amiSelectorTerms[].alias`` (``family@version``). Karpenter picks the NVIDIA variant of
    the AMI for GPU instance types by itself. Default: ``al2023@latest`` (pin a version such as
    ``al2023@v20250101`` for production: ``@latest`` replaces nodes on every AMI release)."""
    role: str | None = None
    """``role``: the IAM role name of the nodes (exactly one of ``role``/``instance_profile``)."""
    instance_profile: str | None = None
    """``instanceProfile``: an existing instance profile instead of ``role``."""
    subnet_tags: dict[str, str] | None = None
    """``subnetSelectorTerms[].tags``, e.g. ``{"karpenter.sh/discovery": "my-cluster"}``."""
    subnet_ids: list[str] | None = None
    """``subnetSelectorTerms[].id``."""
    security_group_tags: dict[str, str] | None = None
    """``securityGroupSelectorTerms[].tags``."""
    security_group_ids: list[str] | None = None
    """``securityGroupSelectorTerms[].id``."""
    root_volume_size: MemoryValue = "200Gi"
    """Size of the root EBS volume (``blockDeviceMappings``): Ray GPU images are large.
    Default: ``200Gi``."""
    tags: dict[str, str] | None = None
    """``tags`` on the instances and volumes. Default: none."""

    @field_validator("subnet_ids", "security_group_ids")
    @classmethod
    def _aws_ids(cls, ids: list[str] | None, info: ValidationInfo) -> list[str] | None:
        # The EC2NodeClass CRD's patterns: Karpenter's API server rejects anything else.
        prefix = "subnet-" if info.field_name == "subnet_ids" else "sg-"
        for value in ids or []:
            if not _AWS_ID[prefix].fullmatch(value):
                raise ValueError(
                    f"{value!r} is not an AWS {prefix.rstrip('-')} id ({prefix}<hex>, e.g. "
                    f"{prefix}0abc123); use the id, or select by tags"
                )
        return ids

    @model_validator(mode="after")
    def _one_identity(self) -> EC2NodeClassArgs:
        if (self.role is None) == (self.instance_profile is None):
            raise ValueError("give exactly one of role (an IAM role name) or instance_profile")
        if not (self.subnet_tags or self.subnet_ids):
            raise ValueError("give subnet_tags or subnet_ids (subnetSelectorTerms is required)")
        if not (self.security_group_tags or self.security_group_ids):
            raise ValueError(
                "give security_group_tags or security_group_ids "
                "(securityGroupSelectorTerms is required)"
            )
        return self


class Karpenter(ArgumentModel):
    """Realise the pool with Karpenter on AWS: a ``karpenter.sh/v1`` NodePool (and the
    ``EC2NodeClass`` it launches from), Kubernetes objects only.
    https://karpenter.sh/docs/concepts/nodepools/"""

    node_class: EC2NodeClassArgs | None = None
    """The EC2NodeClass to create. Exactly one of ``node_class``/``node_class_name``."""
    node_class_name: str | None = None
    """An EC2NodeClass that already exists, by name."""
    instance_types: list[str] | None = None
    """``node.kubernetes.io/instance-type In`` (e.g. ``["p4de.24xlarge"]``). Default: any type
    with the pool's GPU model and count."""
    instance_families: list[str] | None = None
    """``karpenter.k8s.aws/instance-family In`` (e.g. ``["p5"]``). Default: any."""
    architecture: Literal["amd64", "arm64"] = "amd64"
    """``kubernetes.io/arch``. Default: ``amd64``."""
    consolidation_policy: Literal["WhenEmpty", "WhenEmptyOrUnderutilized"] | None = None
    """``disruption.consolidationPolicy``. Default: ``WhenEmpty`` for GPU pools (consolidating
    an underutilised node evicts the Ray workers on it), Karpenter's own otherwise."""
    consolidate_after: str = "5m"
    """``disruption.consolidateAfter``: how long a node stays empty before it goes. Default:
    ``5m``."""
    expire_after: str | None = None
    """``template.spec.expireAfter`` (``720h`` if unset, Karpenter's default; ``Never`` keeps
    nodes until disrupted otherwise). Default: unset."""
    weight: int | None = None
    """``weight`` (1..100): preference among NodePools that fit. Default: unset."""

    @model_validator(mode="after")
    def _one_node_class(self) -> Karpenter:
        if (self.node_class is None) == (self.node_class_name is None):
            raise ValueError(
                "give exactly one of node_class (an EC2NodeClass to create) or node_class_name "
                "(an existing one)"
            )
        return self


GkeDriverVersion = Literal["DEFAULT", "LATEST", "INSTALLATION_DISABLED"]


class GkeNodePool(ArgumentModel):
    """Realise the pool as a GKE node pool (``pulumi_gcp.container.NodePool``; install
    ``pulumi-kuberay[gke]``), with GKE's GPU driver installation.
    https://cloud.google.com/kubernetes-engine/docs/how-to/gpus

    ``cluster``, ``location`` and ``project`` may be Pulumi Inputs (e.g. a cluster's name);
    give worker groups the ``GpuNodePool`` component then, since argument objects with Outputs
    inside cannot be checked at preview.
    """

    cluster: Any
    """The GKE cluster (name or id) the pool joins (``cluster``)."""
    machine_type: str
    """``node_config.machine_type`` carrying the GPUs (``a2-ultragpu-8g``, ``g2-standard-48``)."""
    location: Any = None
    """``location`` of the cluster (region or zone). Default: the provider's."""
    project: Any = None
    """``project``. Default: the provider's."""
    gpu_driver_version: GkeDriverVersion = "DEFAULT"
    """``guest_accelerators[].gpu_driver_installation_config.gpu_driver_version``: GKE installs
    the driver (``DEFAULT`` or ``LATEST``), or not (``INSTALLATION_DISABLED``, when the NVIDIA
    GPU Operator manages drivers). Default: ``DEFAULT``."""
    image_type: str | None = None
    """``node_config.image_type`` (``COS_CONTAINERD``, ``UBUNTU_CONTAINERD``). Default: GKE's."""
    disk_size_gb: int | None = 200
    """``node_config.disk_size_gb``: Ray GPU images are large. Default: 200."""
    service_account: Any = None
    """``node_config.service_account``. Default: the Compute Engine default."""


class EksNodeGroup(ArgumentModel):
    """Realise the pool as an EKS managed node group (``pulumi_aws.eks.NodeGroup``; install
    ``pulumi-kuberay[eks]``) on the EKS NVIDIA AMI.
    https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html

    ``cluster_name``, ``node_role_arn`` and ``subnet_ids`` may be Pulumi Inputs (give worker
    groups the ``GpuNodePool`` component then).
    """

    cluster_name: Any
    """``cluster_name`` of the EKS cluster."""
    node_role_arn: Any
    """``node_role_arn``: the nodes' IAM role."""
    subnet_ids: Any
    """``subnet_ids``: where nodes run (they decide the zones)."""
    instance_types: list[str]
    """``instance_types`` carrying the pool's GPUs (``["p4de.24xlarge"]``)."""
    ami_type: str | None = None
    """``ami_type``. Default: ``AL2023_x86_64_NVIDIA`` for GPU pools (driver included, device
    plugin not), ``AL2023_x86_64_STANDARD`` otherwise; ``BOTTLEROCKET_x86_64_NVIDIA`` brings
    the device plugin too."""
    disk_size: int | None = 200
    """``disk_size`` (GiB) of the root volume. Default: 200."""
    release_version: str | None = None
    """``release_version`` of the AMI. Default: the latest for the cluster version."""


Realisation = ExistingNodes | Karpenter | GkeNodePool | EksNodeGroup
"""How a pool comes to exist: one choice per pool."""


class GpuNodePoolArgs(ArgumentModel):
    """A node pool, described once: its nodes (accelerator, allocatable CPU and memory), its
    labels and taints, capacity type, zones, size, and how it is realised::

        GpuNodePoolArgs(name="a100", accelerator=accelerators.NVIDIA_A100_80GB, gpus_per_node=8,
                        cpu_per_node=95, memory_per_node="1100Gi", max_nodes=4)

    It satisfies the Kueue side's ``KueueFlavorSource`` (``name``, :meth:`node_labels`,
    :meth:`node_taints`, :meth:`capacity`). ``docs/gpus.md`` explains every field.
    """

    name: str
    """The pool's name (DNS-1035 label): the Karpenter NodePool, GKE pool or EKS node group
    name, and the Kueue ResourceFlavor name."""
    accelerator: Accelerator | None = None
    """The GPU model (``accelerators.NVIDIA_A100_80GB``, or ``.with_label(...)`` for the exact
    label your nodes carry). Default: none (a CPU pool)."""
    gpus_per_node: int = 0
    """Physical GPUs per node. Default: 0."""
    mig: Mig | None = None
    """Split every GPU with MIG. Default: whole GPUs."""
    time_slicing: TimeSlicing | None = None
    """Share every GPU by time-slicing. Default: no sharing."""
    cpu_per_node: CpuValue
    """Allocatable CPU of one node (``kubectl describe node``: Allocatable, not Capacity)."""
    memory_per_node: MemoryValue
    """Allocatable memory of one node (``"1100Gi"``)."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Node labels of the pool: put on the nodes by Karpenter, GKE and EKS; for existing nodes,
    labels they already carry. Selected by worker groups and Kueue flavors. Default: none."""
    taints: list[NodeTaint] | None = None
    """Taints of the pool's nodes. Default: ``nvidia.com/gpu=present:NoSchedule`` on GPU pools
    (see :func:`~pulumi_kuberay.plans.node_pools.placement.decide_taints`), none otherwise."""
    capacity_type: CapacityType = "on-demand"
    """``on-demand`` or ``spot`` capacity. Default: ``on-demand``."""
    zones: list[str] = Field(default_factory=list)
    """Zones the nodes run in (Karpenter requirement, GKE ``node_locations``). Default: any."""
    min_nodes: int = 0
    """The fewest nodes (autoscaler minimum). Default: 0."""
    max_nodes: int
    """The most nodes: bounds autoscaling, Karpenter limits and Kueue quota."""
    daemonset_reserve: DaemonSetReserve | None = Field(default_factory=DaemonSetReserve)
    """Room left on each node for daemonsets when a Ray pod is sized to fill it; ``None`` to
    leave none. Default: 1 CPU and 2Gi."""
    realisation: Realisation = Field(default_factory=ExistingNodes)
    """How the pool exists: :class:`ExistingNodes` (default), :class:`Karpenter`,
    :class:`GkeNodePool` or :class:`EksNodeGroup`."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        problems = dns1035_label_problems(value)
        if problems:
            raise ValueError(f"{value!r} is not a valid pool name: {'; '.join(problems)}")
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        problems = [
            f"label {key!r}: {p}" for key in value for p in qualified_name_problems(key)
        ] + [f"label {k}={v!r}: {p}" for k, v in value.items() for p in label_value_problems(v)]
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("cpu_per_node")
    @classmethod
    def _cpu(cls, value: CpuValue) -> str:
        return cpu_quantity(value, "cpu_per_node")

    @field_validator("memory_per_node")
    @classmethod
    def _memory(cls, value: MemoryValue) -> str:
        return memory_quantity(value, "memory_per_node")

    @field_validator("gpus_per_node", "min_nodes", "max_nodes")
    @classmethod
    def _non_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError(f"must not be negative, got {value}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> GpuNodePoolArgs:
        problems = []
        if self.min_nodes > self.max_nodes:
            problems.append(
                f"min_nodes ({self.min_nodes}) is greater than max_nodes ({self.max_nodes}); "
                "raise max_nodes or lower min_nodes"
            )
        if self.gpus_per_node and self.accelerator is None:
            problems.append("gpus_per_node is set but accelerator is not; name the GPU model")
        if self.accelerator is not None and not self.gpus_per_node:
            problems.append(
                f"accelerator {self.accelerator.name} is set but gpus_per_node is 0; give the "
                "GPUs per node"
            )
        if (self.mig or self.time_slicing) and not self.gpus_per_node:
            problems.append("mig and time_slicing need a GPU pool (gpus_per_node > 0)")
        if self.mig is not None and self.accelerator is not None and not self.accelerator.is_nvidia:
            problems.append(f"mig: {self.accelerator.name} is not an NVIDIA GPU")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # --- the KueueFlavorSource protocol ---------------------------------------------------

    def node_labels(self) -> dict[str, str]:
        """Labels that select exactly this pool's nodes (a Kueue ResourceFlavor's
        ``nodeLabels``, a worker group's ``nodeSelector``): the realisation's pool label
        (``karpenter.sh/nodepool``, ``cloud.google.com/gke-nodepool``,
        ``eks.amazonaws.com/nodegroup``), the GPU model where one exact value is known, the
        capacity type and sharing labels the platform writes, and :attr:`labels`. Empty for
        existing nodes found only through GPU-model variants (several GFD names): give
        ``labels`` then, or an exact ``accelerator.with_label(...)``."""
        from pulumi_kuberay.plans.node_pools.placement import pool_node_labels

        return pool_node_labels(self)

    def node_taints(self) -> list[dict[str, Any]]:
        """The pool's taints as core/v1 Taint dicts ``{key, value?, effect}`` (a Kueue
        ResourceFlavor's ``nodeTaints``)."""
        from pulumi_kuberay.plans.node_pools.placement import decide_taints

        return [taint.to_dict() for taint in decide_taints(self)]

    def capacity(self) -> dict[str, str]:
        """What workloads can use at ``max_nodes``: resource -> quantity string (``cpu``,
        ``memory``, and ``nvidia.com/gpu`` or the MIG/shared resource), each node's allocatable
        less the daemonset reserve. A Kueue ClusterQueue's nominal quota for this flavor."""
        from pulumi_kuberay.plans.node_pools.sizing import pool_capacity

        return pool_capacity(self)
