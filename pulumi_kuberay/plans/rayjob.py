"""Building a RayJob: a cluster for the job (or an existing one), a typed runtime env, and
credentials from Kubernetes Secrets; checked with the operator's rules before anything exists.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_kuberay.components.pulumi_inputs import deep_merge, to_plain
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.raycluster import ManagedBy, RayClusterSpec
from pulumi_kuberay.models.ray.rayjob import (
    CLUSTER_SELECTOR_KEY,
    K8S_JOB_MODE,
    DeletionStrategy,
    RayJob,
)
from pulumi_kuberay.models.ray.validation.rayjob import rayjob_warnings
from pulumi_kuberay.plans.cluster.args import Autoscaling, GcsFaultTolerance, HeadGroup, WorkerGroup
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.cluster.cluster_spec import build_cluster_spec
from pulumi_kuberay.plans.ray_object import validated_resource
from pulumi_kuberay.plans.runtime_env import (
    RuntimeEnvArg,
    SecretEnv,
    env_var_conflicts,
    inject_cluster_env,
    inject_container_env,
    render_runtime_env_yaml,
    secret_container_env,
)
from pulumi_kuberay.versions import DEFAULT_RAY_VERSION, default_ray_image

KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
"""The label that hands a suspended RayJob to a Kueue LocalQueue."""

SUBMITTER_CONTAINER_NAME = "ray-job-submitter"
SUBMITTER_RESOURCES: dict[str, dict[str, str]] = {
    "limits": {"cpu": "1", "memory": "1Gi"},
    "requests": {"cpu": "500m", "memory": "200Mi"},
}
"""KubeRay's own defaults for the submitter (``GetDefaultSubmitterTemplate``), kept when we
have to write the template out to add env vars to it."""


@dataclass(frozen=True)
class BuiltRayJob:
    """A validated RayJob model and the warnings to show (things the operator accepts)."""

    model: RayJob
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobCluster:
    """The cluster a job creates for itself: the same shortcuts as the RayCluster component."""

    head: HeadGroup | None = None
    worker_groups: Sequence[WorkerGroup] = ()
    image: str | None = None
    ray_version: str = DEFAULT_RAY_VERSION
    autoscaling: Autoscaling | bool | None = None
    fault_tolerance: GcsFaultTolerance | None = None
    auth_token: bool = False
    best_practices: BestPractices | None = None
    overrides: Mapping[str, Any] | None = None
    """Raw ``rayClusterSpec`` fields (camelCase), deep-merged last."""


def decide_shutdown_after_job_finishes(
    explicit: bool | None, *, on_existing_cluster: bool, uses_deletion_rules: bool
) -> bool | None:
    """``shutdownAfterJobFinishes`` when not given: ``True`` for a cluster made for the job
    (nothing keeps paying for it once the job ends, and suspending for Kueue needs it), unset
    for an existing cluster (never deleted) or with deletion rules (which replace it)."""
    if explicit is not None:
        return explicit
    if on_existing_cluster or uses_deletion_rules:
        return None
    return True


def default_submitter_template(image: str) -> dict[str, Any]:
    """KubeRay's default submitter pod template, written out so env vars can be added to it."""
    return {
        "spec": {
            "containers": [
                {
                    "name": SUBMITTER_CONTAINER_NAME,
                    "image": image,
                    "resources": {k: dict(v) for k, v in SUBMITTER_RESOURCES.items()},
                }
            ],
            "restartPolicy": "Never",
        }
    }


def decide_submitter_template(
    template: Mapping[str, Any] | None,
    *,
    submission_mode: str | None,
    image: str,
    env: list[dict[str, Any]],
    env_from: list[dict[str, Any]],
) -> dict[str, Any] | None:
    """The submitter pod template: yours, with the secret env added in K8sJobMode. Without a
    template and without secrets it stays unset, so KubeRay's default applies."""
    uses_submitter_job = submission_mode in (None, K8S_JOB_MODE)
    if not uses_submitter_job or not (env or env_from):
        return dict(template) if template is not None else None
    base = dict(template) if template is not None else default_submitter_template(image)
    return inject_container_env(base, env, env_from)


def render_entrypoint_resources(resources: Mapping[str, float] | str | None) -> str | None:
    """``entrypointResources``: custom Ray resources for the driver, as the JSON text Ray reads."""
    if resources is None or isinstance(resources, str):
        return resources
    return json.dumps(dict(resources))


def _deletion_strategy(strategy: DeletionStrategy | Mapping[str, Any] | None) -> Any:
    if strategy is None:
        return None
    if isinstance(strategy, DeletionStrategy):
        return strategy.to_dict()
    return to_plain(dict(strategy), "deletion_strategy")


def job_cluster_spec(
    cluster: JobCluster,
    env: list[dict[str, Any]],
    env_from: list[dict[str, Any]],
    *,
    at: str = "spec.rayClusterSpec",
    subject: str | None = None,
) -> RayClusterSpec:
    """The embedded cluster spec (best practices applied) with the secret env on its Ray
    containers; problems are reported at ``at`` (the field that embeds it)."""
    try:
        spec = build_cluster_spec(
            head=cluster.head,
            worker_groups=cluster.worker_groups,
            ray_version=cluster.ray_version,
            image=cluster.image,
            autoscaling=cluster.autoscaling,
            fault_tolerance=cluster.fault_tolerance,
            auth_token=cluster.auth_token,
            best_practices=cluster.best_practices,
            spec_overrides=cluster.overrides,
        )
    except ValidationError as exc:
        # The cluster builder speaks of a RayCluster's spec; here it is the job's rayClusterSpec.
        raise ValidationError(
            [_embedded(problem, at) for problem in exc.problems], subject=subject or exc.subject
        ) from None
    return inject_cluster_env(spec, env, env_from)


def _embedded(problem: str, at: str) -> str:
    return f"{at}.{problem.removeprefix('spec.')}" if problem.startswith("spec.") else problem


def _head_image(spec: RayClusterSpec) -> str | None:
    containers = (spec.head_group_spec.template.get("spec") or {}).get("containers") or []
    image = containers[0].get("image") if containers else None
    return image if isinstance(image, str) else None


def build_rayjob(
    name: str,
    *,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    capabilities: OperatorCapabilities | None = None,
    entrypoint: str | None = None,
    runtime_env: RuntimeEnvArg | None = None,
    secret_env: SecretEnv | None = None,
    env_from_secrets: Sequence[str] | None = None,
    cluster: JobCluster | None = None,
    cluster_name: str | None = None,
    submission_mode: str | None = None,
    submitter_pod_template: Any = None,
    submitter_image: str | None = None,
    submitter_backoff_limit: int | None = None,
    job_id: str | None = None,
    job_metadata: Mapping[str, str] | None = None,
    shutdown_after_job_finishes: bool | None = None,
    ttl_seconds_after_finished: int | None = None,
    active_deadline_seconds: int | None = None,
    backoff_limit: int | None = None,
    suspend: bool | None = None,
    kueue_queue: str | None = None,
    managed_by: ManagedBy | None = None,
    entrypoint_num_cpus: float | None = None,
    entrypoint_num_gpus: float | None = None,
    entrypoint_resources: Mapping[str, float] | str | None = None,
    deletion_strategy: DeletionStrategy | Mapping[str, Any] | None = None,
    spec_overrides: Mapping[str, Any] | None = None,
) -> BuiltRayJob:
    """A validated RayJob and its warnings. See :class:`pulumi_kuberay.RayJob` for the arguments.

    Either ``cluster`` (a :class:`JobCluster` the job creates; the default is a small one) or
    ``cluster_name`` (an existing RayCluster in the same namespace). ``secret_env`` and
    ``env_from_secrets`` go to the Ray containers and, in K8sJobMode, the submitter, never into
    ``runtimeEnvYAML``. Raises :class:`ValidationError` with every problem found.
    """
    subject = f"RayJob {name}"
    if cluster is not None and cluster_name is not None:
        raise ValidationError(
            "cluster_name: pass either cluster_name (an existing RayCluster) or a cluster for "
            "the job (head=, worker_groups=, ...), not both",
            subject=subject,
        )
    try:
        env, env_from = secret_container_env(secret_env, env_from_secrets)
        problems = env_var_conflicts(runtime_env, secret_env)
        runtime_env_yaml = render_runtime_env_yaml(runtime_env)
        template = to_plain(submitter_pod_template, "submitter_pod_template")
    except ValueError as exc:
        raise ValidationError(str(exc), subject=subject) from None
    if problems:
        raise ValidationError(problems, subject=subject)

    cluster_spec = None
    if cluster_name is None:
        cluster_spec = job_cluster_spec(cluster or JobCluster(), env, env_from, subject=subject)
    # The submitter runs `ray job submit`: the head's image keeps its Ray version in step.
    image = submitter_image or (_head_image(cluster_spec) if cluster_spec else None)
    image = image or default_ray_image(cluster.ray_version if cluster else DEFAULT_RAY_VERSION)
    deletion = _deletion_strategy(deletion_strategy)
    spec: dict[str, Any] = {
        "entrypoint": entrypoint,
        "runtimeEnvYAML": runtime_env_yaml,
        "jobId": job_id,
        "metadata": dict(job_metadata) if job_metadata else None,
        "submissionMode": submission_mode,
        "submitterPodTemplate": decide_submitter_template(
            template, submission_mode=submission_mode, image=image, env=env, env_from=env_from
        ),
        "submitterConfig": (
            {"backoffLimit": submitter_backoff_limit}
            if submitter_backoff_limit is not None
            else None
        ),
        "clusterSelector": {CLUSTER_SELECTOR_KEY: cluster_name} if cluster_name else None,
        "rayClusterSpec": cluster_spec.to_dict() if cluster_spec else None,
        "shutdownAfterJobFinishes": decide_shutdown_after_job_finishes(
            shutdown_after_job_finishes,
            on_existing_cluster=cluster_name is not None,
            uses_deletion_rules=bool(deletion and deletion.get("deletionRules")),
        ),
        "ttlSecondsAfterFinished": ttl_seconds_after_finished,
        "activeDeadlineSeconds": active_deadline_seconds,
        "backoffLimit": backoff_limit,
        # Kueue admits a job by unsuspending it, so a queued job starts suspended.
        "suspend": True if suspend is None and kueue_queue else suspend,
        "managedBy": managed_by,
        "entrypointNumCpus": entrypoint_num_cpus,
        "entrypointNumGpus": entrypoint_num_gpus,
        "entrypointResources": render_entrypoint_resources(entrypoint_resources),
        "deletionStrategy": deletion,
    }
    spec = {key: value for key, value in spec.items() if value is not None}
    if spec_overrides:
        spec = deep_merge(spec, to_plain(dict(spec_overrides), "spec_overrides"))

    all_labels = dict(labels or {})
    if kueue_queue:
        all_labels[KUEUE_QUEUE_LABEL] = kueue_queue
    job = validated_resource(
        RayJob,
        name,
        spec,
        namespace=namespace,
        labels=all_labels,
        annotations=annotations,
        capabilities=capabilities,
    )
    return BuiltRayJob(job, tuple(rayjob_warnings(job)))
