"""Kueue-queued Ray workloads (label ``kueue.x-k8s.io/queue-name``): what Kueue's webhooks
reject or silently ignore.

https://kueue.sigs.k8s.io/docs/tasks/run/rayjobs/ and
https://docs.ray.io/en/latest/cluster/kubernetes/examples/rayjob-kueue-gang-scheduling.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from pulumi_kuberay.policy.manifest_reading import UNKNOWN, items
from pulumi_kuberay.policy.model import Manifest, Rule, Setting, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import cluster_specs, object_annotations
from pulumi_kuberay.policy.remediation import ensure_dict, fixed_copy
from pulumi_kuberay.policy.rules import docs
from pulumi_kuberay.policy.rules.rayjob import (
    KUEUE_QUEUE_LABEL,
    RAYJOB,
    creates_cluster,
    queued_by_kueue,
    spec,
    uses_existing_cluster,
)

ELASTIC_JOB_ANNOTATION: Final = "kueue.x-k8s.io/elastic-job"
K8S_JOB_MODE: Final = "K8sJobMode"
CURRENT_MAX_POD_SETS: Final = 18
"""Pod sets a Kueue Workload admits in current Kueue releases (older releases: 8)."""

# --- kueue-shutdown-after-finish -----------------------------------------------------------


def _needs_shutdown(manifest: Mapping[str, Any]) -> bool:
    shutdown = spec(manifest).get("shutdownAfterJobFinishes")
    return (
        queued_by_kueue(manifest)
        and creates_cluster(manifest)
        and not uses_existing_cluster(manifest)
        and shutdown is not True
        and shutdown is not UNKNOWN
    )


def check_kueue_shutdown(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    if _needs_shutdown(manifest):
        yield Violation(
            "spec.shutdownAfterJobFinishes",
            f"must be true for a job queued by Kueue ({KUEUE_QUEUE_LABEL}): Kueue's webhook "
            "rejects the job otherwise, since its cluster would keep the queue's quota after the "
            "job ends; set shutdownAfterJobFinishes: true",
        )


def set_kueue_shutdown(manifest: Manifest, settings: Settings) -> Manifest:
    if not _needs_shutdown(manifest):
        return manifest
    fixed = fixed_copy(manifest)
    ensure_dict(fixed, "spec")["shutdownAfterJobFinishes"] = True
    return fixed


KUEUE_SHUTDOWN_AFTER_FINISH = Rule(
    id="kueue-shutdown-after-finish",
    severity=Severity.HIGH,
    description="Kueue-queued RayJobs set shutdownAfterJobFinishes: true",
    reason=(
        "Kueue admits a RayJob with the quota its cluster needs; the cluster must go when the "
        "job ends so the quota returns to the queue. Kueue's RayJob webhook rejects jobs "
        "without shutdownAfterJobFinishes."
    ),
    url=docs.KUEUE_RAYJOB,
    check=check_kueue_shutdown,
    remediate=set_kueue_shutdown,
    kinds=RAYJOB,
)

# --- kueue-no-cluster-selector -------------------------------------------------------------


def check_kueue_cluster_selector(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    if not queued_by_kueue(manifest) or spec(manifest).get("clusterSelector") is UNKNOWN:
        return
    if not uses_existing_cluster(manifest):
        return
    if creates_cluster(manifest):
        why = "Kueue's webhook rejects a queued job that also names an existing cluster"
    else:
        why = "Kueue does not manage jobs on existing clusters, so the queue label does nothing"
    yield Violation(
        "spec.clusterSelector",
        f"is set on a job labelled {KUEUE_QUEUE_LABEL}; {why}; give the job its own "
        "rayClusterSpec (Kueue admits it as a whole) or drop the queue label",
    )


KUEUE_NO_CLUSTER_SELECTOR = Rule(
    id="kueue-no-cluster-selector",
    severity=Severity.HIGH,
    description="Kueue-queued RayJobs create their own cluster (no clusterSelector)",
    reason=(
        "Kueue queues the resources a job's cluster needs; a job that runs on an existing "
        "cluster (clusterSelector) has nothing to admit: Kueue rejects it (with rayClusterSpec) "
        "or ignores it."
    ),
    url=docs.KUEUE_RAYJOB,
    check=check_kueue_cluster_selector,
    kinds=RAYJOB,
)

# --- kueue-autoscaling ---------------------------------------------------------------------


def check_kueue_autoscaling(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    if not queued_by_kueue(manifest):
        return
    elastic = object_annotations(manifest).get(ELASTIC_JOB_ANNOTATION)
    if elastic is UNKNOWN or elastic == "true":
        return
    for cluster in cluster_specs(manifest):
        if cluster.spec.get("enableInTreeAutoscaling") is True:
            yield Violation(
                f"{cluster.path}.enableInTreeAutoscaling",
                "is true on a workload queued by Kueue; Kueue admits a fixed size and rejects "
                "autoscaling unless the workload is elastic; turn autoscaling off, or annotate "
                f'the object {ELASTIC_JOB_ANNOTATION}: "true" (Kueue ElasticJobsViaWorkloadSlices)',
            )


KUEUE_AUTOSCALING = Rule(
    id="kueue-autoscaling",
    severity=Severity.HIGH,
    description="Kueue-queued workloads use in-tree autoscaling only as elastic jobs",
    reason=(
        "Kueue reserves quota for the pod counts it admitted. Its webhook rejects "
        "enableInTreeAutoscaling unless the object is an elastic job (annotation "
        f'{ELASTIC_JOB_ANNOTATION}: "true", feature gate ElasticJobsViaWorkloadSlices).'
    ),
    url=docs.KUEUE_RAYJOB,
    check=check_kueue_autoscaling,
)

# --- kueue-max-pod-sets --------------------------------------------------------------------


def pod_set_count(manifest: Mapping[str, Any], worker_groups: int) -> tuple[int, str]:
    """How many pod sets Kueue builds: the head, one per worker group and, for a RayJob in
    K8sJobMode (the default), the submitter Job; with the breakdown as text."""
    parts = [f"1 head + {worker_groups} worker group{'s' if worker_groups != 1 else ''}"]
    count = 1 + worker_groups
    if manifest.get("kind") == "RayJob":
        mode = spec(manifest).get("submissionMode")
        if mode in (None, K8S_JOB_MODE):
            count += 1
            parts.append("1 submitter")
    return count, " + ".join(parts)


def check_kueue_max_pod_sets(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    if not queued_by_kueue(manifest):
        return
    limit = int(settings["maxPodSets"])
    for cluster in cluster_specs(manifest):
        groups = cluster.spec.get("workerGroupSpecs")
        if groups is UNKNOWN:
            continue
        count, breakdown = pod_set_count(manifest, len(items(groups)))
        if count > limit:
            yield Violation(
                f"{cluster.path}.workerGroupSpecs",
                f"Kueue builds {count} pod sets for this workload ({breakdown}) but a Workload "
                f"admits at most {limit}; Kueue rejects it; merge worker groups (a group can hold "
                "different replicas of one pod shape) until the total is within the limit",
            )


KUEUE_MAX_POD_SETS = Rule(
    id="kueue-max-pod-sets",
    severity=Severity.HIGH,
    description="Kueue-queued workloads have no more pod sets than a Kueue Workload admits",
    reason=(
        "Kueue represents every Ray group as one pod set of a Workload (plus the head, and the "
        "submitter of a RayJob in K8sJobMode). Workloads have a fixed maximum: 8 pod sets in "
        f"older Kueue, {CURRENT_MAX_POD_SETS} in current releases; set maxPodSets to match yours."
    ),
    url=docs.KUEUE_RAYJOB,
    check=check_kueue_max_pod_sets,
    settings=(
        Setting(
            "maxPodSets",
            CURRENT_MAX_POD_SETS,
            {"type": "integer", "minimum": 1},
            f"Pod sets a Kueue Workload admits: {CURRENT_MAX_POD_SETS} in current Kueue, 8 in "
            "older releases",
        ),
    ),
)

RULES = (
    KUEUE_SHUTDOWN_AFTER_FINISH,
    KUEUE_NO_CLUSTER_SELECTOR,
    KUEUE_AUTOSCALING,
    KUEUE_MAX_POD_SETS,
)
