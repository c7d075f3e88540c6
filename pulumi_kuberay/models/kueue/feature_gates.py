"""Kueue's feature gates per release: when each appeared, its default, and whether it is locked.

Taken from ``defaultVersionedFeatureGates`` in Kueue's ``pkg/features/kube_features.go`` at
v0.19.2 (https://github.com/kubernetes-sigs/kueue/blob/v0.19.2/pkg/features/kube_features.go);
the gates that matter for Ray are documented in ``docs/kueue.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pulumi_kuberay.versions import parse_version


@dataclass(frozen=True)
class GateStage:
    """One step of a gate's life: from ``since`` on it defaults to ``default``."""

    since: str
    default: bool
    stage: str
    """Alpha, Beta, GA or Deprecated."""
    locked: bool = False
    """``LockToDefault``: setting the gate to anything but its default fails Kueue's start-up."""


def _s(since: str, default: bool, stage: str, *, locked: bool = False) -> GateStage:
    return GateStage(since, default, stage, locked)


KUEUE_FEATURE_GATES: Final[Mapping[str, tuple[GateStage, ...]]] = {
    "PartialAdmission": (
        _s("0.4", False, "Alpha"),
        _s("0.5", True, "Beta"),
    ),
    "FlavorFungibility": (_s("0.5", True, "Beta"),),
    "VisibilityOnDemand": (
        _s("0.6", False, "Alpha"),
        _s("0.9", True, "Beta"),
    ),
    "DisableWaitForPodsReady": (_s("0.19", False, "Alpha"),),
    "PrioritySortingWithinCohort": (_s("0.6", True, "Beta"),),
    "FairSharingPreemptWithinNominal": (_s("0.17", True, "Beta"),),
    "FairSharingPrioritizeNonBorrowing": (_s("0.17", True, "Beta"),),
    "MultiKueue": (
        _s("0.6", False, "Alpha"),
        _s("0.9", True, "Beta"),
    ),
    "TopologyAwareScheduling": (
        _s("0.9", False, "Alpha"),
        _s("0.14", True, "Beta"),
    ),
    "LocalQueueMetrics": (
        _s("0.10", False, "Alpha"),
        _s("0.17", True, "Beta"),
    ),
    "TASProfileMixed": (
        _s("0.10", False, "Alpha"),
        _s("0.15", True, "Beta"),
    ),
    "HierarchicalCohorts": (
        _s("0.11", True, "Beta"),
        _s("0.17", True, "GA", locked=True),
    ),
    "AdmissionFairSharing": (
        _s("0.12", False, "Alpha"),
        _s("0.15", True, "Beta"),
    ),
    "ObjectRetentionPolicies": (
        _s("0.12", False, "Alpha"),
        _s("0.13", True, "Beta"),
        _s("0.17", True, "GA", locked=True),
    ),
    "TASFailedNodeReplacement": (
        _s("0.12", False, "Alpha"),
        _s("0.14", True, "Beta"),
    ),
    "ElasticJobsViaWorkloadSlices": (
        _s("0.13", False, "Alpha"),
        _s("0.18", True, "Beta"),
    ),
    "ElasticJobsViaWorkloadSlicesWithTAS": (_s("0.17", False, "Alpha"),),
    "TASFailedNodeReplacementFailFast": (
        _s("0.13", False, "Alpha"),
        _s("0.14", True, "Beta"),
    ),
    "TASReplaceNodeOnPodTermination": (
        _s("0.13", False, "Alpha"),
        _s("0.14", True, "Beta"),
    ),
    "SkipReassignmentForPodOwnedWorkloads": (_s("0.19", True, "Beta"),),
    "TASReplaceNodeDueToNotReadyOverFixedTime": (
        _s("0.17", True, "Beta"),
        _s("0.19", False, "Deprecated"),
    ),
    "ManagedJobsNamespaceSelectorAlwaysRespected": (
        _s("0.13", False, "Alpha"),
        _s("0.15", True, "Beta"),
        _s("0.19", True, "GA", locked=True),
    ),
    "TASBalancedPlacement": (_s("0.15", False, "Alpha"),),
    "TASAssignmentsEncodingByHostnamePrefix": (_s("0.19", True, "Beta"),),
    "KueueDRAIntegration": (_s("0.18", True, "Beta"),),
    "KueueDRAIntegrationExtendedResource": (
        _s("0.18", False, "Alpha"),
        _s("0.19", True, "Beta"),
    ),
    "KueueDRARejectWorkloadsWhenDRADisabled": (_s("0.18", True, "Beta"),),
    "KueueDRAIntegrationPartitionableDevices": (
        _s("0.18", False, "Alpha"),
        _s("0.19", True, "Beta"),
    ),
    "KueueDRAIntegrationConsumableCapacity": (_s("0.19", False, "Alpha"),),
    "MultiKueueAdaptersForCustomJobs": (
        _s("0.14", False, "Alpha"),
        _s("0.15", True, "Beta"),
    ),
    "WorkloadRequestUseMergePatch": (_s("0.14", False, "Alpha"),),
    "MultiKueueAllowInsecureKubeconfigs": (
        _s("0.15", False, "Alpha"),
        _s("0.17", False, "Deprecated"),
        _s("0.19", False, "Deprecated", locked=True),
    ),
    "MultiKueueKubeConfigPathValidation": (_s("0.19", False, "Alpha"),),
    "ReclaimablePods": (_s("0.15", True, "Beta"),),
    "PropagateBatchJobLabelsToWorkload": (
        _s("0.15", True, "Beta"),
        _s("0.17", True, "GA", locked=True),
    ),
    "MultiKueueClusterProfile": (_s("0.15", False, "Alpha"),),
    "FailureRecoveryPolicy": (_s("0.15", False, "Alpha"),),
    "SkipFinalizersForPodsSuspendedByParent": (
        _s("0.16", True, "Beta"),
        _s("0.18", True, "GA", locked=True),
    ),
    "MultiKueueWaitForWorkloadAdmitted": (
        _s("0.16", True, "Beta"),
        _s("0.18", True, "GA", locked=True),
    ),
    "MultiKueueRedoAdmissionOnEvictionInWorker": (
        _s("0.16", True, "Beta"),
        _s("0.18", True, "GA", locked=True),
    ),
    "TLSOptions": (_s("0.16", True, "Beta"),),
    "RemoveFinalizersWithStrictPatch": (_s("0.17", True, "Beta"),),
    "TASReplaceNodeOnNodeTaints": (_s("0.17", True, "Beta"),),
    "AssignQueueLabelsForPods": (_s("0.17", True, "Beta"),),
    "TASMultiLayerTopology": (
        _s("0.17", False, "Alpha"),
        _s("0.19", True, "Beta"),
    ),
    "SchedulingEquivalenceHashing": (
        _s("0.17", False, "Beta"),
        _s("0.18", True, "Beta"),
    ),
    "SchedulerLongRequeueInterval": (_s("0.17", False, "Alpha"),),
    "SchedulerTimestampPreemptionBuffer": (_s("0.17", False, "Alpha"),),
    "CustomMetricLabels": (_s("0.17", False, "Alpha"),),
    "SparkApplicationIntegration": (_s("0.17", False, "Alpha"),),
    "MultiKueueOrchestratedPreemption": (_s("0.17", False, "Alpha"),),
    "PriorityBoost": (_s("0.17", False, "Alpha"),),
    "AdmissionGatedBy": (
        _s("0.17", False, "Alpha"),
        _s("0.19", True, "Beta"),
    ),
    "ShortWorkloadNames": (_s("0.17", False, "Alpha"),),
    "FastQuotaReleaseInPodIntegration": (_s("0.17", False, "Alpha"),),
    "RejectUpdatesToCQWithInvalidOnFlavors": (_s("0.18", False, "Alpha"),),
    "FinishOrphanedWorkloads": (_s("0.18", True, "Beta"),),
    "MultiKueueIncrementalDispatcherConfig": (_s("0.19", True, "Beta"),),
    "MultiKueueIncrementalDispatcherRespectConfigOrder": (_s("0.19", True, "Beta"),),
    "ConcurrentAdmission": (_s("0.18", False, "Alpha"),),
    "QuotaCheckStrategy": (
        _s("0.18", False, "Alpha"),
        _s("0.19", True, "Beta"),
    ),
    "MetricForWorkloadCreationLatency": (_s("0.18", True, "Beta"),),
    "TASRespectNodeAffinityPreferred": (_s("0.18", False, "Alpha"),),
    "MultiKueueManagerQuotaAutomation": (_s("0.18", False, "Alpha"),),
    "WorkloadIdentifierAnnotations": (_s("0.18", True, "Beta"),),
    "WorkloadPriorityClassDefaulting": (_s("0.18", False, "Alpha"),),
    "MetricsForCohorts": (_s("0.18", True, "Beta"),),
    "CleanupProvisioningRequestsOnEviction": (_s("0.19", True, "Beta"),),
    "TASHandleOverlappingFlavors": (_s("0.18", True, "Beta"),),
    "UnadmittedWorkloadsObservability": (_s("0.19", False, "Beta"),),
    "TASRecomputeAssignmentWithinSchedulingCycle": (_s("0.19", True, "Beta"),),
    "UnadmittedWorkloadsExplicitStatus": (_s("0.19", False, "Beta"),),
    "DeferRayServiceFinalizationForRedisCleanup": (_s("0.19", True, "Beta"),),
    "TASCacheNodeMatchResults": (_s("0.19", True, "Beta"),),
    "TASCachingRemainingResources": (_s("0.19", True, "Beta"),),
    "TASCacheTopologyTree": (_s("0.19", False, "Alpha"),),
    "SchedulerLibraryIntegration": (_s("0.19", False, "Alpha"),),
    "VectorizedResourceRequests": (_s("0.19", True, "Beta"),),
    "WorkloadValidateResourcesAreNonNegative": (_s("0.19", True, "Beta"),),
    "TASValidateWorkloadSliceSize": (_s("0.19", True, "Beta"),),
    "WorkloadValidationForPodSetMetadata": (_s("0.19", True, "Beta"),),
    "PrioritizePreemptorWorkloads": (_s("0.19", False, "Alpha"),),
    "LWSImmutableGroupSize": (_s("0.19", True, "Beta"),),
    "FlavorFungibilityPreserveScanProgress": (_s("0.19", True, "Beta"),),
    "SkipAncestorCheckForDeletedWorkloads": (_s("0.19", True, "Beta"),),
    "MultiKueueRemoteSpecSync": (_s("0.19", True, "Beta"),),
    "RecomputeAssignmentUponPreemptionTargetsOverlap": (_s("0.19", False, "Alpha"),),
    "PodIntegrationValidateGroupOwner": (_s("0.18", True, "Beta"),),
    "ValidateRayAndSparkJobUpdates": (_s("0.18", True, "Beta"),),
}
"""Gate name -> its stages, oldest first."""

ELASTIC_JOBS_GATE: Final = "ElasticJobsViaWorkloadSlices"
"""Autoscaling Ray workloads under Kueue (workload slices); beta and on by default since 0.18."""
MULTIKUEUE_GATE: Final = "MultiKueue"
"""Dispatching workloads to worker clusters; beta and on by default since 0.9."""
TOPOLOGY_AWARE_SCHEDULING_GATE: Final = "TopologyAwareScheduling"
"""``ResourceFlavor.spec.topologyName`` and topology requests; beta and on since 0.14."""
CONCURRENT_ADMISSION_GATE: Final = "ConcurrentAdmission"
"""``ClusterQueue.spec.concurrentAdmissionPolicy`` (alpha since 0.18)."""
WORKLOAD_PRIORITY_CLASS_DEFAULTING_GATE: Final = "WorkloadPriorityClassDefaulting"
"""A WorkloadPriorityClass named ``default`` applies to unlabelled workloads (alpha since 0.18)."""


def stage_at(name: str, version: str) -> GateStage | None:
    """The stage of gate ``name`` in Kueue ``version`` (``None``: the release lacks the gate)."""
    release = parse_version(version)
    current = None
    for stage in KUEUE_FEATURE_GATES.get(name, ()):
        if parse_version(stage.since) <= release:
            current = stage
    return current


def gates_at(version: str) -> dict[str, GateStage]:
    """Every gate Kueue ``version`` knows, with its stage there."""
    found = {name: stage_at(name, version) for name in KUEUE_FEATURE_GATES}
    return {name: stage for name, stage in found.items() if stage is not None}


def default_gates(version: str) -> dict[str, bool]:
    """Gate name -> enabled, as Kueue ``version`` starts with no ``featureGates`` set."""
    return {name: stage.default for name, stage in gates_at(version).items()}
