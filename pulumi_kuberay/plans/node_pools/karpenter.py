"""A pool realised by Karpenter on AWS: its ``karpenter.sh/v1`` NodePool and ``EC2NodeClass``.

Labels Karpenter reads for GPUs, and the restricted label domains, are from
karpenter-provider-aws v1.14.1 (``pkg/apis/v1/labels.go``) and the NodePool CRD's validation
rules. Karpenter picks the NVIDIA variant of the AL2023 or Bottlerocket AMI for GPU instance
types by itself (``pkg/providers/amifamily/al2023.go``); the AL2023 NVIDIA AMI has the driver
but no device plugin, without which Karpenter never marks a GPU node initialized
(https://karpenter.sh/docs/concepts/scheduling/#acceleratorsgpu-resources).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.karpenter.ec2nodeclass import (
    AmiSelectorTerm,
    BlockDevice,
    BlockDeviceMapping,
    EC2NodeClass,
    EC2NodeClassSpec,
    SecurityGroupSelectorTerm,
    SubnetSelectorTerm,
)
from pulumi_kuberay.models.karpenter.nodepool import (
    Disruption,
    NodeClaimTemplate,
    NodeClaimTemplateSpec,
    NodeClassReference,
    NodePool,
    NodePoolSpec,
    Requirement,
    Taint,
    TemplateMetadata,
)
from pulumi_kuberay.models.objects import ObjectMeta
from pulumi_kuberay.plans.cluster.quantities import memory_quantity
from pulumi_kuberay.plans.node_pools.args import EC2NodeClassArgs, Karpenter
from pulumi_kuberay.plans.node_pools.placement import accelerator_label_values, decide_taints

if TYPE_CHECKING:
    from pulumi_kuberay.plans.node_pools.args import GpuNodePoolArgs

GPU_COUNT = "karpenter.k8s.aws/instance-gpu-count"
INSTANCE_FAMILY = "karpenter.k8s.aws/instance-family"
INSTANCE_TYPE = "node.kubernetes.io/instance-type"
ZONE = "topology.kubernetes.io/zone"
ARCH = "kubernetes.io/arch"
CAPACITY_TYPE = "karpenter.sh/capacity-type"
NODE_CLASS_GROUP = "karpenter.k8s.aws"
NODE_CLASS_KIND = "EC2NodeClass"
RESTRICTED_DOMAINS = ("karpenter.sh", "karpenter.k8s.aws")
RESTRICTED_KEYS = ("kubernetes.io/hostname",)


@dataclass(frozen=True)
class KarpenterPlan:
    """The Karpenter objects of a pool, and what to know about them."""

    node_pool: NodePool
    node_class: EC2NodeClass | None
    warnings: tuple[str, ...]


def restricted_label_problems(labels: dict[str, str]) -> list[str]:
    """Labels Karpenter refuses on a NodePool template: its own domains and hostname."""
    problems = []
    for key in labels:
        domain = key.split("/", 1)[0] if "/" in key else ""
        if key in RESTRICTED_KEYS or domain.endswith(RESTRICTED_DOMAINS):
            problems.append(
                f"labels: {key!r} is in a domain Karpenter sets itself and refuses on a "
                "NodePool template; use a label of your own domain"
            )
    return problems


def decide_consolidation_policy(pool: GpuNodePoolArgs, karpenter: Karpenter) -> str | None:
    """``WhenEmpty`` for GPU pools unless given: consolidating an underutilised GPU node evicts
    the Ray workers on it (and a GPU pod restarted elsewhere loses its work)."""
    if karpenter.consolidation_policy is not None:
        return karpenter.consolidation_policy
    return "WhenEmpty" if pool.gpus_per_node else None


def decide_requirements(pool: GpuNodePoolArgs, karpenter: Karpenter) -> list[Requirement]:
    """The NodePool requirements: the GPU model and count (or no GPU at all), capacity type,
    architecture, zones, and the instance types or families given."""
    requirements: list[Requirement] = []
    if pool.gpus_per_node:
        for key, values in accelerator_label_values(pool).items():
            requirements.append(Requirement(key=key, operator="In", values=list(values)))
        requirements.append(
            Requirement(key=GPU_COUNT, operator="In", values=[str(pool.gpus_per_node)])
        )
    else:
        requirements.append(Requirement(key=GPU_COUNT, operator="DoesNotExist"))
    requirements.append(Requirement(key=CAPACITY_TYPE, operator="In", values=[pool.capacity_type]))
    requirements.append(Requirement(key=ARCH, operator="In", values=[karpenter.architecture]))
    if pool.zones:
        requirements.append(Requirement(key=ZONE, operator="In", values=list(pool.zones)))
    if karpenter.instance_types:
        requirements.append(
            Requirement(key=INSTANCE_TYPE, operator="In", values=list(karpenter.instance_types))
        )
    if karpenter.instance_families:
        requirements.append(
            Requirement(
                key=INSTANCE_FAMILY, operator="In", values=list(karpenter.instance_families)
            )
        )
    return requirements


def decide_limits(pool: GpuNodePoolArgs) -> dict[str, str]:
    """``spec.limits``: at most ``max_nodes`` nodes, and their GPUs (Karpenter counts the
    instance type's GPUs, whatever the sharing)."""
    limits = {"nodes": str(pool.max_nodes)}
    if pool.accelerator is not None and pool.gpus_per_node:
        limits[pool.accelerator.resource] = str(pool.gpus_per_node * pool.max_nodes)
    return limits


def decide_block_devices(node_class: EC2NodeClassArgs) -> list[BlockDeviceMapping]:
    """The volume images are stored on, sized ``root_volume_size`` (gp3, encrypted): the root
    volume on AL2/AL2023, the data volume ``/dev/xvdb`` on Bottlerocket."""
    ebs = BlockDevice(
        volume_size=memory_quantity(node_class.root_volume_size, "root_volume_size"),
        volume_type="gp3",
        encrypted=True,
        delete_on_termination=True,
    )
    if node_class.ami_alias.startswith("bottlerocket@"):
        return [BlockDeviceMapping(device_name="/dev/xvdb", ebs=ebs)]
    return [BlockDeviceMapping(device_name="/dev/xvda", ebs=ebs, root_volume=True)]


def plan_ec2_node_class(pool: GpuNodePoolArgs, node_class: EC2NodeClassArgs) -> EC2NodeClass:
    """The EC2NodeClass a Karpenter pool launches from."""
    subnets = [SubnetSelectorTerm(id=i) for i in node_class.subnet_ids or []]
    if node_class.subnet_tags:
        subnets.append(SubnetSelectorTerm(tags=dict(node_class.subnet_tags)))
    groups = [SecurityGroupSelectorTerm(id=i) for i in node_class.security_group_ids or []]
    if node_class.security_group_tags:
        groups.append(SecurityGroupSelectorTerm(tags=dict(node_class.security_group_tags)))
    spec = EC2NodeClassSpec.of(
        ami_selector_terms=[AmiSelectorTerm(alias=node_class.ami_alias)],
        subnet_selector_terms=subnets,
        security_group_selector_terms=groups,
        role=node_class.role,
        instance_profile=node_class.instance_profile,
        block_device_mappings=decide_block_devices(node_class),
        tags=dict(node_class.tags) if node_class.tags else None,
    )
    return EC2NodeClass(metadata=ObjectMeta(name=node_class.name or pool.name), spec=spec)


def _alias_problems(alias: str) -> list[str]:
    family, _, version = alias.partition("@")
    if family not in ("al2", "al2023", "bottlerocket") or not version:
        return [
            f"node_class.ami_alias: {alias!r} is not an AMI alias Karpenter runs GPUs on; use "
            "al2023@<version> or bottlerocket@<version> (e.g. al2023@latest)"
        ]
    return []


def karpenter_warnings(pool: GpuNodePoolArgs, karpenter: Karpenter) -> list[str]:
    """What to know: a floating AMI, no minimum size, the NVIDIA device plugin to install."""
    warnings = []
    alias = karpenter.node_class.ami_alias if karpenter.node_class is not None else None
    if alias is not None and alias.endswith("@latest"):
        warnings.append(
            f"pool {pool.name}: ami_alias {alias!r} replaces every node when a new AMI is "
            "released; pin a version (e.g. al2023@v20250101) for production"
        )
    if pool.min_nodes:
        warnings.append(
            f"pool {pool.name}: Karpenter launches nodes for pending pods only, so min_nodes="
            f"{pool.min_nodes} is not kept (Kueue quota and sizing still use the description)"
        )
    if pool.gpus_per_node and (alias is None or not alias.startswith("bottlerocket@")):
        warnings.append(
            f"pool {pool.name}: the EKS AL2023 NVIDIA AMI has the driver but no device plugin; "
            "install the NVIDIA device plugin (or the GPU Operator with driver and toolkit "
            "off), or nvidia.com/gpu never appears and Karpenter never marks the nodes ready"
        )
    return warnings


def plan_karpenter(pool: GpuNodePoolArgs) -> KarpenterPlan:
    """The NodePool (and EC2NodeClass, when the pool creates one) realising ``pool``.

    Raises :class:`ValidationError` for labels Karpenter refuses and a bad AMI alias.
    """
    karpenter = pool.realisation
    assert isinstance(karpenter, Karpenter)
    problems = restricted_label_problems(pool.labels)
    if karpenter.node_class is not None:
        problems += _alias_problems(karpenter.node_class.ami_alias)
    if karpenter.weight is not None and not 1 <= karpenter.weight <= 100:
        problems.append(f"weight: must be between 1 and 100, got {karpenter.weight}")
    if pool.max_nodes < 1:
        problems.append("max_nodes: a Karpenter pool needs at least 1 node")
    if problems:
        raise ValidationError(problems, subject=f"GpuNodePool {pool.name}")
    node_class = (
        plan_ec2_node_class(pool, karpenter.node_class)
        if karpenter.node_class is not None
        else None
    )
    class_name = node_class.metadata.name if node_class is not None else karpenter.node_class_name
    assert class_name is not None
    taints = [Taint.of(key=t.key, value=t.value, effect=t.effect) for t in decide_taints(pool)]
    template = NodeClaimTemplate.of(
        metadata=TemplateMetadata(labels=dict(pool.labels)) if pool.labels else None,
        spec=NodeClaimTemplateSpec.of(
            requirements=decide_requirements(pool, karpenter),
            node_class_ref=NodeClassReference(
                group=NODE_CLASS_GROUP, kind=NODE_CLASS_KIND, name=class_name
            ),
            taints=taints or None,
            expire_after=karpenter.expire_after,
        ),
    )
    spec = NodePoolSpec.of(
        template=template,
        disruption=Disruption.of(
            consolidate_after=karpenter.consolidate_after,
            consolidation_policy=decide_consolidation_policy(pool, karpenter),
        ),
        limits=decide_limits(pool),
        weight=karpenter.weight,
    )
    node_pool = NodePool(metadata=ObjectMeta(name=pool.name), spec=spec)
    return KarpenterPlan(node_pool, node_class, tuple(karpenter_warnings(pool, karpenter)))
