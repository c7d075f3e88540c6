"""Kueue's ``kueue.x-k8s.io/v1beta1`` queue objects: the only version before Kueue 0.15, still
served (deprecated) by 0.19.

Only ClusterQueue differs from v1beta2 (``cohort`` instead of ``cohortName``, the
``admissionChecks`` name list, the ``Borrow``/``Preempt`` fungibility values, no
``concurrentAdmissionPolicy``); the other kinds have the same schema under the older
``apiVersion``. https://kueue.sigs.k8s.io/docs/reference/kueue.v1beta1/
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.kueue import v1beta2
from pulumi_kuberay.models.objects import KubernetesObject

API_VERSION = "kueue.x-k8s.io/v1beta1"


class ResourceFlavor(v1beta2.ResourceFlavor):
    """A v1beta1 ``ResourceFlavor`` (same schema as v1beta2)."""

    API_VERSION: ClassVar[str] = API_VERSION
    api_version: str = Field(default=API_VERSION)


class Cohort(v1beta2.Cohort):
    """A v1beta1 ``Cohort`` (same schema as v1beta2; Kueue >= 0.13)."""

    API_VERSION: ClassVar[str] = API_VERSION
    api_version: str = Field(default=API_VERSION)


class LocalQueue(v1beta2.LocalQueue):
    """A v1beta1 ``LocalQueue`` (same schema as v1beta2)."""

    API_VERSION: ClassVar[str] = API_VERSION
    api_version: str = Field(default=API_VERSION)


class WorkloadPriorityClass(v1beta2.WorkloadPriorityClass):
    """A v1beta1 ``WorkloadPriorityClass`` (same schema as v1beta2)."""

    API_VERSION: ClassVar[str] = API_VERSION
    api_version: str = Field(default=API_VERSION)


class AdmissionCheckSpec(v1beta2.AdmissionCheckSpec):
    """v1beta1 ``AdmissionCheck.spec``: also the deprecated ``retryDelayMinutes``."""

    retry_delay_minutes: int | None = None


class AdmissionCheck(v1beta2.AdmissionCheck):
    """A v1beta1 ``AdmissionCheck``."""

    API_VERSION: ClassVar[str] = API_VERSION
    api_version: str = Field(default=API_VERSION)
    spec: AdmissionCheckSpec


class FlavorFungibility(CrdModel):
    """v1beta1 ``flavorFungibility``: also the deprecated ``Borrow`` and ``Preempt`` values."""

    when_can_borrow: Literal["MayStopSearch", "TryNextFlavor", "Borrow"] | None = None
    when_can_preempt: Literal["MayStopSearch", "TryNextFlavor", "Preempt"] | None = None
    preference: Literal["BorrowingOverPreemption", "PreemptionOverBorrowing"] | None = None


class AdmissionScope(CrdModel):
    """v1beta1 ``admissionScope`` (no enum on ``admissionMode``)."""

    admission_mode: str


class ClusterQueueSpec(CrdModel):
    """``ClusterQueue.spec`` in v1beta1."""

    resource_groups: list[v1beta2.ResourceGroup] | None = None
    cohort: str | None = None
    queueing_strategy: Literal["StrictFIFO", "BestEffortFIFO"] | None = None
    namespace_selector: v1beta2.LabelSelector | None = None
    flavor_fungibility: FlavorFungibility | None = None
    preemption: v1beta2.ClusterQueuePreemption | None = None
    admission_checks: list[str] | None = None
    admission_checks_strategy: v1beta2.AdmissionChecksStrategy | None = None
    stop_policy: v1beta2.StopPolicy | None = None
    fair_sharing: v1beta2.FairSharing | None = None
    admission_scope: AdmissionScope | None = None


class ClusterQueue(KubernetesObject):
    """A v1beta1 ``ClusterQueue``."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "ClusterQueue"

    api_version: str = Field(default=API_VERSION)
    kind: str = Field(default="ClusterQueue")
    spec: ClusterQueueSpec = Field(default_factory=ClusterQueueSpec)
