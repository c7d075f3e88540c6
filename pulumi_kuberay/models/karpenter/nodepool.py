"""Karpenter's ``karpenter.sh/v1`` NodePool: which nodes Karpenter may launch for pending pods.

Faithful to ``karpenter.sh_nodepools.yaml`` of Karpenter v1.14.1 (the fields the library sets;
unknown fields are an error). https://karpenter.sh/docs/concepts/nodepools/
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.objects import KubernetesObject

RequirementOperator = Literal["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte"]
TaintEffect = Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]


class Requirement(CrdModel):
    """``spec.template.spec.requirements[]``: a node selector requirement Karpenter honours when
    it picks instance types (``minValues``: how many distinct values must stay possible)."""

    key: str
    operator: RequirementOperator
    values: list[str] | None = None
    min_values: int | None = None


class Taint(CrdModel):
    """A core/v1 Taint on the nodes (``taints[]``, ``startupTaints[]``)."""

    key: str
    value: str | None = None
    effect: TaintEffect


class NodeClassReference(CrdModel):
    """``spec.template.spec.nodeClassRef``: the provider's node class (an EC2NodeClass on AWS)."""

    group: str
    kind: str
    name: str


class NodeClaimTemplateSpec(CrdModel):
    """``spec.template.spec``: what every node of the pool is."""

    requirements: list[Requirement]
    node_class_ref: NodeClassReference
    taints: list[Taint] | None = None
    startup_taints: list[Taint] | None = None
    expire_after: str | None = None
    termination_grace_period: str | None = None


class TemplateMetadata(CrdModel):
    """``spec.template.metadata``: labels and annotations put on every node."""

    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


class NodeClaimTemplate(CrdModel):
    """``spec.template``."""

    metadata: TemplateMetadata | None = None
    spec: NodeClaimTemplateSpec


class Budget(CrdModel):
    """``spec.disruption.budgets[]``: how many nodes may be disrupted at once."""

    nodes: str
    schedule: str | None = None
    duration: str | None = None
    reasons: list[Literal["Underutilized", "Empty", "Drifted"]] | None = None


class Disruption(CrdModel):
    """``spec.disruption``: when Karpenter consolidates nodes away."""

    consolidate_after: str
    consolidation_policy: Literal["WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"] | None = None
    budgets: list[Budget] | None = None


class NodePoolSpec(CrdModel):
    """``spec`` of a NodePool."""

    template: NodeClaimTemplate
    disruption: Disruption | None = None
    limits: dict[str, str] | None = None
    weight: int | None = None
    replicas: int | None = None


class NodePool(KubernetesObject):
    """A ``karpenter.sh/v1`` NodePool."""

    API_VERSION = "karpenter.sh/v1"
    KIND = "NodePool"

    spec: NodePoolSpec = Field(...)
