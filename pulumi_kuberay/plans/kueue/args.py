"""Kueue's queue objects, described once: flavors, ClusterQueues with their quotas, Cohorts,
LocalQueues, WorkloadPriorityClasses and AdmissionChecks.

Each argument object is what its component takes (``ClusterQueue(args)`` or its fields as
keywords) and what other objects refer to: a ``FlavorQuotas`` names its flavor by a
``ResourceFlavor`` component, a :class:`ResourceFlavorArgs`, a GPU node pool
(:class:`KueueFlavorSource`) or a plain name; a ``LocalQueueArgs`` names its ClusterQueue the
same way. https://kueue.sigs.k8s.io/docs/concepts/
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import Field, field_validator

from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
from pulumi_kuberay.models.kueue.v1beta2 import (
    ClusterQueuePreemption,
    ConcurrentAdmissionPolicy,
    FlavorFungibility,
    StopPolicy,
)
from pulumi_kuberay.models.kueue.workloads import MULTIKUEUE_CONTROLLER
from pulumi_kuberay.plans.arguments import ArgumentModel

QuantityArg = int | float | str
"""A quota amount: ``64``, ``0.5``, ``"500m"``, ``"256Gi"``."""


@runtime_checkable
class KueueFlavorSource(Protocol):
    """Anything that describes a set of nodes well enough to be a Kueue flavor (a GPU node
    pool): ``FlavorQuotas(pool)`` and ``ResourceFlavorArgs.from_source(pool)`` accept it."""

    name: str
    """The ResourceFlavor's name."""

    def node_labels(self) -> dict[str, str]:
        """Labels every node of the pool carries (``spec.nodeLabels``)."""
        ...

    def node_taints(self) -> list[dict[str, Any]]:
        """core/v1 Taint dicts of the pool's nodes (``spec.nodeTaints``)."""
        ...

    def capacity(self) -> dict[str, str]:
        """Total allocatable of the pool at its maximum size, resource -> quantity: the
        default ``nominalQuota`` of a flavor made from it."""
        ...


class ResourceFlavorArgs(ArgumentModel):
    """A ResourceFlavor: the nodes a quota stands for.
    https://kueue.sigs.k8s.io/docs/concepts/resource_flavor/"""

    name: str
    """``metadata.name``: how ClusterQueues name the flavor."""
    node_labels: dict[str, str] | None = None
    """``spec.nodeLabels`` (at most 8): added to the nodeSelector of pods admitted in this
    flavor, and matched against their own selectors. Default: none (any node)."""
    node_taints: list[dict[str, Any]] | None = None
    """``spec.nodeTaints`` (core/v1 Taint dicts, at most 8): only pod sets that tolerate them
    get this flavor. Default: none."""
    tolerations: list[dict[str, Any]] | None = None
    """``spec.tolerations`` (core/v1 Toleration dicts): added to pods admitted in this flavor.
    Default: none."""
    tolerate_taints: bool = False
    """Also add a toleration for each of ``node_taints`` to admitted pods (so any pod set may
    use the flavor). Default: off, so taints keep pods that do not tolerate them (CPU-only
    heads on a GPU flavor) away, as the taints do for the scheduler."""
    topology_name: str | None = None
    """``spec.topologyName``: the Topology for topology-aware scheduling (needs node labels).
    Default: unset."""
    capacity: dict[str, QuantityArg] | None = None
    """The flavor's total allocatable (resource -> quantity): the default quota of a
    :class:`FlavorQuotas` that gives none. Not written to the object. Default: unknown."""

    @classmethod
    def from_source(cls, source: KueueFlavorSource, **overrides: Any) -> ResourceFlavorArgs:
        """The flavor of a node pool: its name, labels, taints and capacity, written once;
        ``overrides`` replace any of them."""
        fields: dict[str, Any] = {
            "name": source.name,
            "node_labels": dict(source.node_labels()) or None,
            "node_taints": [dict(t) for t in source.node_taints()] or None,
            "capacity": dict(source.capacity()) or None,
        }
        fields.update(overrides)
        return cls(**fields)


@runtime_checkable
class ResourceFlavorSource(Protocol):
    """Anything that stands for a ResourceFlavor (the ``ResourceFlavor`` component)."""

    def resource_flavor(self) -> ResourceFlavorArgs:
        """The flavor's description."""
        ...


FlavorArg = str | ResourceFlavorArgs | ResourceFlavorSource | KueueFlavorSource
"""How a quota names its flavor: a component, its description, a node pool, or a name."""


class Quota(ArgumentModel):
    """One resource of a flavor: ``nominalQuota`` and the optional limits.
    https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/#resources"""

    nominal: QuantityArg
    """``nominalQuota``: what the queue has for itself."""
    borrowing_limit: QuantityArg | None = None
    """``borrowingLimit``: the most it may borrow above nominal from its cohort (needs a
    cohort). Default: unset (no limit)."""
    lending_limit: QuantityArg | None = None
    """``lendingLimit``: the most of its nominal quota it lends (needs a cohort). Default: unset
    (all of it)."""

    def __init__(self, nominal: QuantityArg | None = None, /, **data: Any) -> None:
        if nominal is not None:
            data["nominal"] = nominal
        super().__init__(**data)


QuotaArg = Quota | QuantityArg
"""A resource's quota: a :class:`Quota`, or just its nominal amount."""


class FlavorQuotas(ArgumentModel):
    """A flavor of a resource group and its quota for each covered resource::

    FlavorQuotas(a100, {"cpu": 96, "nvidia.com/gpu": Quota(16, borrowing_limit=8)})
    """

    flavor: FlavorArg
    """The flavor (``resourceGroups[].flavors[].name``)."""
    quotas: dict[str, QuotaArg] | None = None
    """Resource -> quota. Default: the flavor's capacity (a node pool's allocatable at its
    maximum size), each as nominal quota."""

    def __init__(self, flavor: FlavorArg | None = None, quotas: Any = None, /, **data: Any) -> None:
        if flavor is not None:
            data["flavor"] = flavor
        if quotas is not None:
            data["quotas"] = quotas
        super().__init__(**data)


class ResourceGroup(ArgumentModel):
    """``resourceGroups[]``: resources always assigned the same flavor, and the flavors tried
    in order. https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/#flavors-and-resources"""

    flavors: list[FlavorQuotas]
    """The flavors, in the order Kueue tries them."""
    covered_resources: list[str] | None = None
    """``coveredResources``. Default: every resource the flavors give a quota for, in the
    order they first appear. Every flavor must give a quota for each of them."""

    @field_validator("flavors", mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value


@runtime_checkable
class CohortSource(Protocol):
    """Anything that stands for a Cohort and knows its members (the ``Cohort`` component)."""

    def cohort_name(self) -> str:
        """The cohort's name."""
        ...

    def quota_objects(self) -> list[dict[str, Any]]:
        """The Cohort and ClusterQueue manifests of its whole tree, as known so far."""
        ...

    def quota_tree_complete(self) -> bool:
        """Whether every queue of the tree is known (its root cohort is known too)."""
        ...


class CohortArgs(ArgumentModel):
    """A Cohort: queues that lend and borrow unused quota, optionally with quota of its own and
    a parent (hierarchical cohorts, Kueue >= 0.13). https://kueue.sigs.k8s.io/docs/concepts/cohort/"""

    name: str
    """``metadata.name``; ClusterQueues join with ``cohortName``."""
    parent: str | CohortArgs | CohortSource | None = None
    """``spec.parentName``. Default: none (a root cohort)."""
    resource_groups: list[ResourceGroup] | None = None
    """``spec.resourceGroups``: quota the cohort itself lends to its members. Default: none."""
    fair_sharing_weight: QuantityArg | None = None
    """``spec.fairSharing.weight``. Default: unset (1)."""


CohortArg = str | CohortArgs | CohortSource
"""How a ClusterQueue names its cohort: a component, its description, or a name."""


@runtime_checkable
class AdmissionCheckSource(Protocol):
    """Anything that stands for an AdmissionCheck (the ``AdmissionCheck`` component)."""

    def admission_check(self) -> AdmissionCheckArgs:
        """The check's description."""
        ...


class AdmissionCheckArgs(ArgumentModel):
    """An AdmissionCheck: a controller that must approve a workload before it runs (MultiKueue,
    provisioning requests). https://kueue.sigs.k8s.io/docs/concepts/admission_check/"""

    name: str
    """``metadata.name``."""
    controller_name: str
    """``spec.controllerName`` (``kueue.x-k8s.io/multikueue`` for MultiKueue)."""
    parameters: dict[str, str] | None = None
    """``spec.parameters``: ``{"apiGroup", "kind", "name"}`` of the controller's config object.
    Default: none."""

    @classmethod
    def multikueue(cls, name: str, config: str) -> AdmissionCheckArgs:
        """A MultiKueue check using MultiKueueConfig ``config`` (workloads admitted through it
        run on the worker clusters). https://kueue.sigs.k8s.io/docs/concepts/multikueue/"""
        return cls(
            name=name,
            controller_name=MULTIKUEUE_CONTROLLER,
            parameters={"apiGroup": "kueue.x-k8s.io", "kind": "MultiKueueConfig", "name": config},
        )


class ClusterQueueArgs(ArgumentModel):
    """A ClusterQueue: quotas per flavor, its cohort, and how it admits and preempts.
    https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/"""

    name: str
    """``metadata.name``; LocalQueues name it in ``spec.clusterQueue``."""
    resource_groups: list[ResourceGroup] = Field(default_factory=list)
    """``spec.resourceGroups``. Default: none (the queue admits nothing that asks for
    resources)."""
    cohort: CohortArg | None = None
    """``spec.cohortName`` (``cohort`` in v1beta1): the cohort it lends to and borrows from.
    Default: none."""
    namespace_selector: dict[str, Any] | None = None
    """``spec.namespaceSelector`` (a core/v1 LabelSelector). Default: ``{}``, every namespace
    (see :func:`~pulumi_kuberay.plans.kueue.queues.decide_namespace_selector`)."""
    queueing_strategy: Literal["StrictFIFO", "BestEffortFIFO"] | None = None
    """``spec.queueingStrategy``. Default: unset (BestEffortFIFO)."""
    preemption: ClusterQueuePreemption | dict[str, Any] | None = None
    """``spec.preemption``: reclaimWithinCohort, borrowWithinCohort, withinClusterQueue.
    Default: unset (never preempt)."""
    flavor_fungibility: FlavorFungibility | dict[str, Any] | None = None
    """``spec.flavorFungibility``. Default: unset (MayStopSearch / TryNextFlavor)."""
    fair_sharing_weight: QuantityArg | None = None
    """``spec.fairSharing.weight``. Default: unset (1)."""
    stop_policy: StopPolicy | None = None
    """``spec.stopPolicy``: Hold or HoldAndDrain stop admitting. Default: unset (None)."""
    admission_checks: list[str | AdmissionCheckArgs | AdmissionCheckSource] | None = None
    """AdmissionChecks every workload must pass (``spec.admissionChecksStrategy``; v1beta1:
    ``spec.admissionChecks``). A MultiKueue check makes the queue dispatch to worker clusters.
    Default: none."""
    concurrent_admission_policy: ConcurrentAdmissionPolicy | dict[str, Any] | None = None
    """``spec.concurrentAdmissionPolicy`` (v1beta2 only; alpha gate ConcurrentAdmission).
    Default: unset."""
    overrides: dict[str, Any] | None = None
    """Raw ``spec`` fields (camelCase), deep-merged last. Default: none."""


@runtime_checkable
class ClusterQueueSource(Protocol):
    """Anything that stands for a ClusterQueue (the ``ClusterQueue`` component)."""

    def cluster_queue_view(self) -> ClusterQueueView:
        """The ClusterQueue as admission checks need it."""
        ...


class ClusterQueueView(ArgumentModel):
    """A ClusterQueue with what deciding admission needs: its manifest, the Cohort and
    ClusterQueue manifests of its cohort tree, its flavors and the Kueue it runs on."""

    manifest: dict[str, Any]
    """The ClusterQueue manifest."""
    quota_objects: list[dict[str, Any]] = Field(default_factory=list)
    """The ClusterQueue and Cohort manifests of its cohort tree (itself included)."""
    cohort_complete: bool = True
    """Whether every queue of its cohort is known (false when the cohort is only a name)."""
    flavors: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """ResourceFlavor manifests by name (flavors known only by name are absent)."""
    multikueue: bool = False
    """Whether an AdmissionCheck of the queue is MultiKueue's."""
    kueue: KueueCapabilities = Field(default_factory=KueueCapabilities)
    """The Kueue the queue runs on."""


ClusterQueueArg = str | ClusterQueueArgs | ClusterQueueSource | ClusterQueueView
"""How a LocalQueue names its ClusterQueue: a component, its description, or a name."""


class LocalQueueArgs(ArgumentModel):
    """A LocalQueue: the namespaced entry point of a ClusterQueue; Ray objects name it with
    ``queue=``. https://kueue.sigs.k8s.io/docs/concepts/local_queue/"""

    name: str
    """``metadata.name``: the value of ``kueue.x-k8s.io/queue-name`` on workloads."""
    namespace: str | None = None
    """``metadata.namespace``: workloads must be in the same namespace. Default: unset (the
    provider's default namespace)."""
    cluster_queue: ClusterQueueArg
    """``spec.clusterQueue``."""
    stop_policy: StopPolicy | None = None
    """``spec.stopPolicy``. Default: unset (None)."""
    fair_sharing_weight: QuantityArg | None = None
    """``spec.fairSharing.weight`` (admission fair sharing). Default: unset."""


class WorkloadPriorityClassArgs(ArgumentModel):
    """A WorkloadPriorityClass: a priority for queue order and preemption, independent of pod
    priority. https://kueue.sigs.k8s.io/docs/concepts/workload_priority_class/"""

    name: str
    """``metadata.name``: the value of ``kueue.x-k8s.io/priority-class`` on workloads."""
    value: int
    """``value``: higher is more important."""
    description: str | None = None
    """``description``. Default: unset."""
