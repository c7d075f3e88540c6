"""Faithful models of Kueue's ``kueue.x-k8s.io/v1beta2`` queue objects (the storage version since
Kueue 0.15): ResourceFlavor, ClusterQueue, Cohort, LocalQueue, WorkloadPriorityClass and
AdmissionCheck.

Field names are the CRD's (camelCase aliases); unknown fields are an error, because the API
server would prune them. Schemas: ``config/components/crd/bases`` of
https://github.com/kubernetes-sigs/kueue/tree/v0.19.2 and https://kueue.sigs.k8s.io/docs/concepts/.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.kubernetes.core_types import kubernetes_shape
from pulumi_kuberay.models.objects import KubernetesObject

API_VERSION = "kueue.x-k8s.io/v1beta2"

Quantity = int | str
"""A Kubernetes quantity as the CRD takes it (``int-or-string``): ``64``, ``"500m"``, ``"1Ti"``."""
Taint = Annotated[dict[str, Any], kubernetes_shape("V1Taint")]
Toleration = Annotated[dict[str, Any], kubernetes_shape("V1Toleration")]
LabelSelector = Annotated[dict[str, Any], kubernetes_shape("V1LabelSelector")]
StopPolicy = Literal["None", "Hold", "HoldAndDrain"]


class FairSharing(CrdModel):
    """``fairSharing``: this node's share of unused cohort capacity (``weight``, default 1).
    https://kueue.sigs.k8s.io/docs/concepts/fair_sharing/"""

    weight: Quantity | None = None


# --- ResourceFlavor --------------------------------------------------------------------------


class ResourceFlavorSpec(CrdModel):
    """``ResourceFlavor.spec``: the nodes a flavor stands for.
    https://kueue.sigs.k8s.io/docs/concepts/resource_flavor/"""

    node_labels: dict[str, str] | None = None
    """Labels of the flavor's nodes (at most 8); added to admitted pods' nodeSelector."""
    node_taints: list[Taint] | None = None
    """Taints of the flavor's nodes (at most 8); a pod set must tolerate them to use it."""
    tolerations: list[Toleration] | None = None
    """Tolerations added to admitted pods (at most 8)."""
    topology_name: str | None = None
    """The Topology for topology-aware scheduling; needs at least one node label."""


class ResourceFlavor(KubernetesObject):
    """A cluster-scoped ``ResourceFlavor``."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "ResourceFlavor"

    api_version: str = Field(default=API_VERSION)
    kind: str = Field(default="ResourceFlavor")
    spec: ResourceFlavorSpec = Field(default_factory=ResourceFlavorSpec)


# --- quotas (ClusterQueue and Cohort) --------------------------------------------------------


class ResourceQuota(CrdModel):
    """One resource of a flavor: ``nominalQuota`` and the optional borrowing and lending limits.
    https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/#resources"""

    name: str
    nominal_quota: Quantity
    borrowing_limit: Quantity | None = None
    lending_limit: Quantity | None = None


class FlavorQuotas(CrdModel):
    """``resourceGroups[].flavors[]``: a flavor and its quota for each covered resource, in the
    order of ``coveredResources``."""

    name: str
    resources: list[ResourceQuota]


class ResourceGroup(CrdModel):
    """``resourceGroups[]``: resources that are always assigned the same flavor."""

    covered_resources: list[str]
    flavors: list[FlavorQuotas]


# --- ClusterQueue ----------------------------------------------------------------------------


class BorrowWithinCohort(CrdModel):
    """``preemption.borrowWithinCohort``: preempt in the cohort while borrowing."""

    policy: Literal["Never", "LowerPriority"] | None = None
    max_priority_threshold: int | None = None


class ClusterQueuePreemption(CrdModel):
    """``preemption``: which workloads an incoming one may preempt.
    https://kueue.sigs.k8s.io/docs/concepts/preemption/"""

    reclaim_within_cohort: Literal["Never", "LowerPriority", "Any"] | None = None
    borrow_within_cohort: BorrowWithinCohort | None = None
    within_cluster_queue: Literal["Never", "LowerPriority", "LowerOrNewerEqualPriority"] | None = (
        None
    )


class FlavorFungibility(CrdModel):
    """``flavorFungibility``: whether to try the next flavor before borrowing or preempting."""

    when_can_borrow: Literal["MayStopSearch", "TryNextFlavor"] | None = None
    when_can_preempt: Literal["MayStopSearch", "TryNextFlavor"] | None = None
    preference: Literal["BorrowingOverPreemption", "PreemptionOverBorrowing"] | None = None


class AdmissionCheckStrategyRule(CrdModel):
    """``admissionChecksStrategy.admissionChecks[]``: a check, optionally on some flavors only."""

    name: str
    on_flavors: list[str] | None = None


class AdmissionChecksStrategy(CrdModel):
    """``admissionChecksStrategy``: the AdmissionChecks a workload must pass."""

    admission_checks: list[AdmissionCheckStrategyRule]


class AdmissionScope(CrdModel):
    """``admissionScope``: admission fair sharing for the queue."""

    admission_mode: Literal["UsageBasedAdmissionFairSharing", "NoAdmissionFairSharing"]


class MigrationConstraints(CrdModel):
    """``concurrentAdmissionPolicy.migration.constraints``."""

    last_acceptable_flavor_name: str | None = None


class Migration(CrdModel):
    """``concurrentAdmissionPolicy.migration``."""

    mode: Literal["TryPreferredFlavors", "RetainFirstAdmission"]
    constraints: MigrationConstraints | None = None


class ConcurrentAdmissionPolicy(CrdModel):
    """``concurrentAdmissionPolicy`` (alpha gate ``ConcurrentAdmission``)."""

    migration: Migration


class ClusterQueueSpec(CrdModel):
    """``ClusterQueue.spec`` in v1beta2. https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/"""

    resource_groups: list[ResourceGroup] | None = None
    cohort_name: str | None = None
    queueing_strategy: Literal["StrictFIFO", "BestEffortFIFO"] | None = None
    namespace_selector: LabelSelector | None = None
    flavor_fungibility: FlavorFungibility | None = None
    preemption: ClusterQueuePreemption | None = None
    admission_checks_strategy: AdmissionChecksStrategy | None = None
    stop_policy: StopPolicy | None = None
    fair_sharing: FairSharing | None = None
    admission_scope: AdmissionScope | None = None
    concurrent_admission_policy: ConcurrentAdmissionPolicy | None = None


class ClusterQueue(KubernetesObject):
    """A cluster-scoped ``ClusterQueue``: quotas per flavor and the admission policy."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "ClusterQueue"

    api_version: str = Field(default=API_VERSION)
    kind: str = Field(default="ClusterQueue")
    spec: ClusterQueueSpec = Field(default_factory=ClusterQueueSpec)


# --- Cohort ----------------------------------------------------------------------------------


class CohortSpec(CrdModel):
    """``Cohort.spec``: its parent cohort and quota of its own, lent to its members.
    https://kueue.sigs.k8s.io/docs/concepts/cohort/"""

    parent_name: str | None = None
    resource_groups: list[ResourceGroup] | None = None
    fair_sharing: FairSharing | None = None


class Cohort(KubernetesObject):
    """A cluster-scoped ``Cohort`` (hierarchical cohorts)."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "Cohort"

    api_version: str = Field(default=API_VERSION)
    kind: str = Field(default="Cohort")
    spec: CohortSpec = Field(default_factory=CohortSpec)


# --- LocalQueue ------------------------------------------------------------------------------


class LocalQueueSpec(CrdModel):
    """``LocalQueue.spec``: the ClusterQueue a namespace's workloads go to.
    https://kueue.sigs.k8s.io/docs/concepts/local_queue/"""

    cluster_queue: str | None = None
    stop_policy: StopPolicy | None = None
    fair_sharing: FairSharing | None = None


class LocalQueue(KubernetesObject):
    """A namespaced ``LocalQueue``; workloads name it in ``kueue.x-k8s.io/queue-name``."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "LocalQueue"

    api_version: str = Field(default=API_VERSION)
    kind: str = Field(default="LocalQueue")
    spec: LocalQueueSpec = Field(default_factory=LocalQueueSpec)


# --- WorkloadPriorityClass -------------------------------------------------------------------


class WorkloadPriorityClass(KubernetesObject):
    """A cluster-scoped ``WorkloadPriorityClass``: ``value`` orders workloads and decides
    preemption; workloads name it in ``kueue.x-k8s.io/priority-class``.
    https://kueue.sigs.k8s.io/docs/concepts/workload_priority_class/"""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "WorkloadPriorityClass"

    api_version: str = Field(default=API_VERSION)
    kind: str = Field(default="WorkloadPriorityClass")
    value: int
    description: str | None = None


# --- AdmissionCheck --------------------------------------------------------------------------


class AdmissionCheckParameters(CrdModel):
    """``AdmissionCheck.spec.parameters``: the controller's configuration object."""

    api_group: str
    kind: str
    name: str


class AdmissionCheckSpec(CrdModel):
    """``AdmissionCheck.spec``: which controller runs the check (``kueue.x-k8s.io/multikueue``
    for MultiKueue). https://kueue.sigs.k8s.io/docs/concepts/admission_check/"""

    controller_name: str
    parameters: AdmissionCheckParameters | None = None


class AdmissionCheck(KubernetesObject):
    """A cluster-scoped ``AdmissionCheck``."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "AdmissionCheck"

    api_version: str = Field(default=API_VERSION)
    kind: str = Field(default="AdmissionCheck")
    spec: AdmissionCheckSpec
