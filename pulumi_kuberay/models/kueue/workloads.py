"""How Kueue sees a Ray object: its pod sets (what each pod asks for, how many), and what
Kueue's Ray webhooks reject in a queued RayJob, RayCluster or RayService.

Pure functions over manifest dicts, shared by the plans (``queue=`` on the Ray components) and
the policy rules. Sources (Kueue v0.19.2): ``pkg/controller/jobs/raycluster/common.go``
(``BuildPodSets``: head, one pod set per worker group, the autoscaler container and the Redis
cleanup job accounted on the head), ``pkg/controller/jobs/rayjob/rayjob_controller.go`` (the
``submitter`` pod set in K8sJobMode, the submitter container on the head in SidecarMode),
``rayjob_webhook.go``, ``raycluster_webhook.go``, ``rayservice_webhook.go``, and
``pkg/util/limitrange`` for the pod's requests.
https://kueue.sigs.k8s.io/docs/tasks/run/rayjobs/
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from pulumi_kuberay.models.kubernetes.quantities import parse_quantity

QUEUE_NAME_LABEL: Final = "kueue.x-k8s.io/queue-name"
"""The label naming the LocalQueue (in the object's namespace) a workload is queued to."""
PRIORITY_CLASS_LABEL: Final = "kueue.x-k8s.io/priority-class"
"""The label naming the workload's ``WorkloadPriorityClass``."""
ELASTIC_JOB_ANNOTATION: Final = "kueue.x-k8s.io/elastic-job"
"""``"true"`` makes a workload elastic (workload slices): it may scale within its admission."""
ELASTIC_JOB_SCHEDULING_GATE: Final = "kueue.x-k8s.io/elastic-job"
"""The scheduling gate Kueue's defaulter adds to an elastic RayCluster's and RayService's pods."""
MULTIKUEUE_CONTROLLER: Final = "kueue.x-k8s.io/multikueue"
"""The ``managedBy`` value (and AdmissionCheck controller) of MultiKueue."""
HEAD_POD_SET: Final = "head"
SUBMITTER_POD_SET: Final = "submitter"
K8S_JOB_MODE: Final = "K8sJobMode"
SIDECAR_MODE: Final = "SidecarMode"

AUTOSCALER_RESOURCES: Final = {"cpu": Decimal("0.5"), "memory": Decimal(512 * 2**20)}
"""Kueue's default for the autoscaler sidecar of the head (requests = limits 500m/512Mi)."""
REDIS_CLEANUP_REQUESTS: Final = {"cpu": Decimal("0.2"), "memory": Decimal(256 * 2**20)}
"""Requests of KubeRay's Redis cleanup job, max-merged into the head's Ray container."""
SUBMITTER_REQUESTS: Final = {"cpu": Decimal("0.5"), "memory": Decimal(200 * 2**20)}
"""Requests of KubeRay's default submitter container (limits 1 CPU / 1Gi)."""

_POD_SET_NAME: Final = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

Requests = dict[str, Decimal]
"""Resource name -> amount (CPU in cores, memory in bytes, devices as counts)."""


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def labels_of(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    """``metadata.labels`` (empty when absent)."""
    return _map(_map(manifest.get("metadata")).get("labels"))


def annotations_of(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    """``metadata.annotations`` (empty when absent)."""
    return _map(_map(manifest.get("metadata")).get("annotations"))


def queue_name(manifest: Mapping[str, Any]) -> str | None:
    """The LocalQueue the object is queued to, if any."""
    value = labels_of(manifest).get(QUEUE_NAME_LABEL)
    return value if isinstance(value, str) and value else None


def is_elastic(manifest: Mapping[str, Any]) -> bool:
    """Whether the object asks to be an elastic job (annotation value exactly ``"true"``)."""
    return annotations_of(manifest).get(ELASTIC_JOB_ANNOTATION) == "true"


# --- requests of one pod ---------------------------------------------------------------------


def container_requests(container: Mapping[str, Any]) -> Requests:
    """What one container asks for: its requests, with a missing request taken from its limit
    (as Kueue and the API server default them)."""
    resources = _map(container.get("resources"))
    limits = _map(resources.get("limits"))
    requests = _map(resources.get("requests"))
    found: Requests = {}
    for name in (*limits, *requests):
        value = requests.get(name, limits.get(name))
        amount = parse_quantity(value)
        if amount is not None:
            found[str(name)] = amount
    return found


def _add(total: Requests, more: Mapping[str, Decimal]) -> Requests:
    out = dict(total)
    for name, amount in more.items():
        out[name] = out.get(name, Decimal(0)) + amount
    return out


def _keep_max(total: Requests, other: Mapping[str, Decimal]) -> Requests:
    out = dict(total)
    for name, amount in other.items():
        out[name] = max(out.get(name, Decimal(0)), amount)
    return out


def pod_requests(pod_spec: Mapping[str, Any]) -> Requests:
    """A pod's requests as the scheduler (and Kueue) count them: the app containers' sum, at
    least each init container's (with the sidecars started before it), sidecars
    (``restartPolicy: Always`` init containers) added, plus the pod ``overhead``.
    https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
    """
    total: Requests = {}
    for container in _list(pod_spec.get("containers")):
        total = _add(total, container_requests(_map(container)))
    sidecars: Requests = {}
    init_peak: Requests = {}
    for container in _list(pod_spec.get("initContainers")):
        requests = container_requests(_map(container))
        if _map(container).get("restartPolicy") == "Always":
            sidecars = _add(sidecars, requests)
            init_peak = _keep_max(init_peak, sidecars)
        else:
            init_peak = _keep_max(init_peak, _add(sidecars, requests))
    total = _keep_max(_add(total, sidecars), init_peak)
    overhead = {
        str(k): amount
        for k, v in _map(pod_spec.get("overhead")).items()
        if (amount := parse_quantity(v)) is not None
    }
    return _add(total, overhead)


# --- pod sets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PodSet:
    """One pod set of the Workload Kueue builds for a Ray object."""

    name: str
    """The pod set's name (``head``, the lower-cased worker group name, ``submitter``)."""
    path: str
    """Where its pod template is in the manifest (for messages)."""
    count: int
    """Pods at admission (worker groups: ``replicas * numOfHosts``)."""
    max_count: int
    """Pods at ``maxReplicas * numOfHosts`` (what an elastic job may grow to)."""
    requests: Requests
    """What each pod asks for."""
    pod_spec: Mapping[str, Any] = field(default_factory=dict)
    """The pod spec (node selector, affinity and tolerations decide the flavors it can use)."""

    def total(self, *, at_max: bool = False) -> Requests:
        """Requests of all its pods (at ``count``, or at ``max_count``)."""
        pods = self.max_count if at_max else self.count
        return {name: amount * pods for name, amount in self.requests.items()}


def cluster_spec_of(manifest: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
    """``(path, RayClusterSpec)`` of a RayCluster, RayJob (``rayClusterSpec``) or RayService
    (``rayClusterConfig``); ``None`` when the object has none."""
    spec = _map(manifest.get("spec"))
    kind = manifest.get("kind")
    if kind == "RayCluster":
        return "spec", spec
    key = {"RayJob": "rayClusterSpec", "RayService": "rayClusterConfig"}.get(str(kind))
    if key is None or not isinstance(spec.get(key), Mapping):
        return None
    return f"spec.{key}", spec[key]


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _gcs_fault_tolerance(cluster: Mapping[str, Any], annotations: Mapping[str, Any]) -> bool:
    # KubeRay's IsGCSFaultToleranceEnabled: the options block, or the legacy annotation.
    legacy = str(annotations.get("ray.io/ft-enabled", "")).lower() == "true"
    return isinstance(cluster.get("gcsFaultToleranceOptions"), Mapping) or legacy


def _head_pod_set(
    cluster: Mapping[str, Any], path: str, annotations: Mapping[str, Any], extra: Requests
) -> PodSet:
    template = _map(_map(cluster.get("headGroupSpec")).get("template"))
    pod_spec = _map(template.get("spec"))
    containers = [_map(c) for c in _list(pod_spec.get("containers"))]
    if containers and _gcs_fault_tolerance(cluster, annotations):
        ray = dict(containers[0])
        resources = dict(_map(ray.get("resources")))
        merged = _keep_max(container_requests(ray), REDIS_CLEANUP_REQUESTS)
        resources["requests"] = {k: str(v) for k, v in merged.items()}
        ray["resources"] = resources
        containers[0] = ray
    requests = pod_requests({**pod_spec, "containers": containers})
    if cluster.get("enableInTreeAutoscaling") is True:
        options = _map(cluster.get("autoscalerOptions"))
        custom = options.get("resources")
        autoscaler = (
            container_requests({"resources": custom})
            if isinstance(custom, Mapping)
            else AUTOSCALER_RESOURCES
        )
        requests = _add(requests, autoscaler)
    requests = _add(requests, extra)
    return PodSet(HEAD_POD_SET, f"{path}.headGroupSpec.template", 1, 1, requests, pod_spec)


def pod_set_name(group_name: str) -> str:
    """The pod set of a worker group: its name lower-cased (Kueue's ``NewPodSetReference``)."""
    return group_name.lower()


def ray_cluster_pod_sets(
    cluster: Mapping[str, Any],
    path: str,
    annotations: Mapping[str, Any],
    *,
    head_extra: Requests | None = None,
) -> list[PodSet]:
    """The head and worker pod sets of a RayClusterSpec at ``path``."""
    sets = [_head_pod_set(cluster, path, annotations, head_extra or {})]
    for index, group in enumerate(_list(cluster.get("workerGroupSpecs"))):
        group = _map(group)
        hosts = max(_int(group.get("numOfHosts"), 1), 1)
        replicas = _int(group.get("replicas"), 1)
        maximum = max(_int(group.get("maxReplicas"), replicas), replicas)
        pod_spec = _map(_map(group.get("template")).get("spec"))
        sets.append(
            PodSet(
                pod_set_name(str(group.get("groupName", ""))),
                f"{path}.workerGroupSpecs[{index}].template",
                replicas * hosts,
                maximum * hosts,
                pod_requests(pod_spec),
                pod_spec,
            )
        )
    return sets


def submission_mode(manifest: Mapping[str, Any]) -> str:
    """A RayJob's ``submissionMode`` (the CRD default K8sJobMode when unset)."""
    mode = _map(manifest.get("spec")).get("submissionMode")
    return mode if isinstance(mode, str) and mode else K8S_JOB_MODE


def ray_pod_sets(manifest: Mapping[str, Any]) -> list[PodSet]:
    """Every pod set Kueue builds for a Ray object, in Kueue's order (head, workers,
    submitter); empty when the object has no cluster spec."""
    found = cluster_spec_of(manifest)
    if found is None:
        return []
    path, cluster = found
    annotations = annotations_of(manifest)
    if manifest.get("kind") != "RayJob":
        return ray_cluster_pod_sets(cluster, path, annotations)
    mode = submission_mode(manifest)
    head_extra = SUBMITTER_REQUESTS if mode == SIDECAR_MODE else None
    sets = ray_cluster_pod_sets(cluster, path, annotations, head_extra=head_extra)
    if mode == K8S_JOB_MODE:
        template = _map(_map(manifest.get("spec")).get("submitterPodTemplate"))
        pod_spec = _map(template.get("spec"))
        requests = pod_requests(pod_spec) if template else dict(SUBMITTER_REQUESTS)
        at = "spec.submitterPodTemplate"
        sets.append(PodSet(SUBMITTER_POD_SET, at, 1, 1, requests, pod_spec))
    return sets


def expected_pod_set_count(manifest: Mapping[str, Any]) -> tuple[int, str]:
    """How many pod sets Kueue builds, with the breakdown as text: the head, one per worker
    group, and the submitter of a RayJob in K8sJobMode."""
    found = cluster_spec_of(manifest)
    groups = len(_list(found[1].get("workerGroupSpecs"))) if found else 0
    parts = [f"1 head + {groups} worker group{'s' if groups != 1 else ''}"]
    count = 1 + groups
    if manifest.get("kind") == "RayJob" and submission_mode(manifest) == K8S_JOB_MODE:
        count += 1
        parts.append("1 submitter")
    return count, " + ".join(parts)


# --- what Kueue's Ray webhooks reject --------------------------------------------------------


def _cluster_rules(
    manifest: Mapping[str, Any], path: str, cluster: Mapping[str, Any], max_pod_sets: int
) -> Iterator[str]:
    if cluster.get("enableInTreeAutoscaling") is True and not is_elastic(manifest):
        yield (
            f"{path}.enableInTreeAutoscaling: Kueue rejects autoscaling on a queued workload "
            f'unless it is an elastic job: annotate it {ELASTIC_JOB_ANNOTATION}: "true" (with '
            "the ElasticJobsViaWorkloadSlices gate on), or turn autoscaling off"
        )
    count, breakdown = expected_pod_set_count(manifest)
    if count > max_pod_sets:
        yield (
            f"{path}.workerGroupSpecs: Kueue builds {count} pod sets ({breakdown}) but a Workload "
            f"holds at most {max_pod_sets}; merge worker groups"
        )
    seen: dict[str, int] = {}
    for index, group in enumerate(_list(cluster.get("workerGroupSpecs"))):
        name = str(_map(group).get("groupName", ""))
        at = f"{path}.workerGroupSpecs[{index}].groupName"
        pod_set = pod_set_name(name)
        if pod_set == HEAD_POD_SET:
            yield f'{at}: "head" is reserved by Kueue for the head pod set; rename the group'
        elif len(pod_set) > 63 or not _POD_SET_NAME.match(pod_set):
            yield (
                f"{at}: {name!r} makes the pod set name {pod_set!r}, which Kueue's Workload "
                "rejects (a DNS label: lowercase letters, digits and '-', at most 63); rename it"
            )
        if pod_set in seen:
            yield (
                f"{at}: {name!r} gives the same pod set name as workerGroupSpecs[{seen[pod_set]}] "
                "(Kueue lower-cases group names); rename one of them"
            )
        seen.setdefault(pod_set, index)
    if (
        manifest.get("kind") == "RayCluster"
        and is_elastic(manifest)
        and cluster.get("enableInTreeAutoscaling") is True
        and cluster.get("managedBy") == MULTIKUEUE_CONTROLLER
    ):
        yield (
            f"{path}.enableInTreeAutoscaling: Kueue does not support in-tree autoscaling for a "
            "MultiKueue-managed elastic RayCluster; turn autoscaling off"
        )


def queued_workload_problems(manifest: Mapping[str, Any], *, max_pod_sets: int) -> list[str]:
    """What Kueue's webhooks (and its Workload CRD) reject in a Ray object labelled with a
    queue; none for objects without the label. ``max_pod_sets`` is the Kueue release's limit
    (see :func:`pulumi_kuberay.models.kueue.capabilities.pod_set_limit`).

    Kueue's RayJob webhook counts only the head and worker groups against the limit; the
    submitter pod set is counted here too, because the Workload it builds would be rejected.
    """
    if queue_name(manifest) is None:
        return []
    problems: list[str] = []
    spec = _map(manifest.get("spec"))
    if manifest.get("kind") == "RayJob":
        selector = spec.get("clusterSelector")
        has_cluster = isinstance(spec.get("rayClusterSpec"), Mapping)
        if selector and has_cluster:
            return [
                "spec.clusterSelector: Kueue rejects a queued job that names an existing cluster "
                "(a kueue managed job should not use an existing cluster); drop clusterSelector"
            ]
        if selector:
            return []  # Kueue skips jobs on existing clusters (reported by a policy rule)
        if not has_cluster:
            return ["spec.rayClusterSpec: required for a job queued by Kueue"]
        if spec.get("shutdownAfterJobFinishes") is not True:
            problems.append(
                "spec.shutdownAfterJobFinishes: must be true for a job queued by Kueue (its "
                "cluster would keep the queue's quota after the job); set it to true"
            )
    found = cluster_spec_of(manifest)
    if found is not None:
        problems += _cluster_rules(manifest, found[0], found[1], max_pod_sets)
    return problems


def uses_scheduling_gate(pod_spec: Mapping[str, Any], gate: str) -> bool:
    """Whether ``pod_spec.schedulingGates`` holds ``gate``."""
    return any(_map(g).get("name") == gate for g in _list(pod_spec.get("schedulingGates")))
