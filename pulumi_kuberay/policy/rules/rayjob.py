"""RayJob lifecycle: a deadline, and cleanup of the cluster a job creates.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from pulumi_kuberay.policy.manifest_reading import UNKNOWN, mapping
from pulumi_kuberay.policy.model import Manifest, Rule, Setting, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import object_labels
from pulumi_kuberay.policy.remediation import ensure_dict, fixed_copy
from pulumi_kuberay.policy.rules import docs

KUEUE_QUEUE_LABEL: Final = "kueue.x-k8s.io/queue-name"
RAYJOB: Final = frozenset({"RayJob"})


def spec(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping(manifest.get("spec"))


def uses_existing_cluster(manifest: Mapping[str, Any]) -> bool:
    """A RayJob with a non-empty ``clusterSelector`` runs on a cluster it does not own."""
    selector = spec(manifest).get("clusterSelector")
    return selector is UNKNOWN or bool(mapping(selector))


def creates_cluster(manifest: Mapping[str, Any]) -> bool:
    return spec(manifest).get("rayClusterSpec") is not None


def queued_by_kueue(manifest: Mapping[str, Any]) -> bool:
    return bool(object_labels(manifest).get(KUEUE_QUEUE_LABEL))


# --- rayjob-active-deadline ----------------------------------------------------------------


def check_active_deadline(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    if "activeDeadlineSeconds" not in spec(manifest) and isinstance(manifest.get("spec"), Mapping):
        yield Violation(
            "spec.activeDeadlineSeconds",
            "is not set, so a hung job (or a cluster that never becomes ready) holds its "
            "resources forever; set activeDeadlineSeconds to the longest run you accept",
        )


RAYJOB_ACTIVE_DEADLINE = Rule(
    id="rayjob-active-deadline",
    severity=Severity.MEDIUM,
    description="RayJobs set activeDeadlineSeconds",
    reason=(
        "activeDeadlineSeconds is the only bound on how long a RayJob and its cluster run; "
        "when it passes, KubeRay fails the job and (with shutdownAfterJobFinishes) frees the "
        "cluster."
    ),
    url=docs.RAYJOB_QUICKSTART,
    check=check_active_deadline,
    kinds=RAYJOB,
)

# --- rayjob-cluster-cleanup ----------------------------------------------------------------


def _cleanup_gaps(manifest: Mapping[str, Any]) -> tuple[bool, bool]:
    """Whether a one-off job cluster lacks ``shutdownAfterJobFinishes`` and lacks a TTL."""
    body = spec(manifest)
    if (
        not isinstance(manifest.get("spec"), Mapping)
        or not creates_cluster(manifest)
        or uses_existing_cluster(manifest)
        or body.get("deletionStrategy") is not None
    ):
        return False, False
    shutdown = body.get("shutdownAfterJobFinishes")
    no_shutdown = shutdown is not True and shutdown is not UNKNOWN
    no_ttl = "ttlSecondsAfterFinished" not in body
    return no_shutdown, no_ttl


def check_cluster_cleanup(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    no_shutdown, no_ttl = _cleanup_gaps(manifest)
    ttl = settings["ttlSecondsAfterFinished"]
    # A Kueue-queued job without shutdown is reported by kueue-shutdown-after-finish.
    if no_shutdown and not queued_by_kueue(manifest):
        yield Violation(
            "spec.shutdownAfterJobFinishes",
            "is not true, so the RayCluster this job creates keeps running (and holding its "
            "nodes) after the job ends; set shutdownAfterJobFinishes: true with a "
            f"ttlSecondsAfterFinished (e.g. {ttl})",
        )
    elif no_ttl and not no_shutdown:
        yield Violation(
            "spec.ttlSecondsAfterFinished",
            "is not set, so the cluster is deleted the moment the job ends and its logs and "
            f"dashboard go with it; set ttlSecondsAfterFinished (e.g. {ttl})",
        )


def add_cluster_cleanup(manifest: Manifest, settings: Settings) -> Manifest:
    no_shutdown, no_ttl = _cleanup_gaps(manifest)
    if not (no_shutdown or no_ttl):
        return manifest
    fixed = fixed_copy(manifest)
    body = ensure_dict(fixed, "spec")
    body["shutdownAfterJobFinishes"] = True
    if no_ttl:
        body["ttlSecondsAfterFinished"] = settings["ttlSecondsAfterFinished"]
    return fixed


RAYJOB_CLUSTER_CLEANUP = Rule(
    id="rayjob-cluster-cleanup",
    severity=Severity.MEDIUM,
    description=(
        "RayJobs that create their own cluster set shutdownAfterJobFinishes with a "
        "ttlSecondsAfterFinished"
    ),
    reason=(
        "A RayJob with rayClusterSpec creates a cluster for that one job. Without "
        "shutdownAfterJobFinishes the cluster outlives the job and keeps its (often GPU) nodes; "
        "with it but without a TTL the cluster, its logs and dashboard disappear immediately."
    ),
    url=docs.RAYJOB_QUICKSTART,
    check=check_cluster_cleanup,
    remediate=add_cluster_cleanup,
    kinds=RAYJOB,
    settings=(
        Setting(
            "ttlSecondsAfterFinished",
            300,
            {"type": "integer", "minimum": 0},
            "TTL the fix writes when ttlSecondsAfterFinished is missing",
        ),
    ),
)

RULES = (RAYJOB_ACTIVE_DEADLINE, RAYJOB_CLUSTER_CLEANUP)

__all__ = [
    "KUEUE_QUEUE_LABEL",
    "RAYJOB_ACTIVE_DEADLINE",
    "RAYJOB_CLUSTER_CLEANUP",
    "RULES",
    "creates_cluster",
    "queued_by_kueue",
    "uses_existing_cluster",
]
