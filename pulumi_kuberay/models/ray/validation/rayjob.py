"""The operator's RayJob rules (KubeRay 1.5 ``ValidateRayJobMetadata``/``ValidateRayJobSpec``).

https://github.com/ray-project/kuberay/blob/v1.5.1/ray-operator/controllers/ray/utils/validation.go
The operator stops at the first problem; :func:`rayjob_problems` lists every one, each naming
the field, what is wrong and the fix. Things the operator accepts but that are risky (a literal
credential) are kept apart in :func:`rayjob_warnings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.field_requirements import object_requirement_problems
from pulumi_kuberay.models.kubernetes.names import dns1035_label_problems, resource_name_problems
from pulumi_kuberay.models.ray.raycluster import RayClusterSpec
from pulumi_kuberay.models.ray.rayjob import (
    CLUSTER_SELECTOR_KEY,
    INTERACTIVE_MODE,
    SIDECAR_MODE,
    SUBMISSION_MODES,
    DeletionPolicy,
    RayJob,
    RayJobSpec,
)
from pulumi_kuberay.models.ray.resource import ObjectMeta
from pulumi_kuberay.models.ray.validation.raycluster import (
    autoscaling_enabled,
    cluster_spec_problems,
    restart_policy,
)
from pulumi_kuberay.models.ray.validation.scope import watched_namespace_problems
from pulumi_kuberay.models.secrets import env_vars_secret_warnings, pod_template_secret_warnings

SIDECAR_MODE_SINCE = "1.5.0"
# Lower TTL deletes earlier: workers first, then the cluster, then the RayJob itself.
DELETION_ORDER = ("DeleteWorkers", "DeleteCluster", "DeleteSelf")
_SELECTOR_FORBIDS = ("DeleteCluster", "DeleteWorkers")
# The API server keeps at most 58 characters of generateName and appends 5 random ones
# (k8s.io/apiserver/pkg/storage/names).
GENERATED_SUFFIX_LENGTH = 5
GENERATE_NAME_BASE_LIMIT = 58


def object_name_problems(kind: str, metadata: ObjectMeta, max_length: int) -> list[str]:
    """The operator's name check, also for ``generateName`` (judged with its random suffix)."""
    base = metadata.generate_name
    if metadata.name or not base:
        return resource_name_problems(kind, metadata.name, max_length)
    length = len(base[:GENERATE_NAME_BASE_LIMIT]) + GENERATED_SUFFIX_LENGTH
    problems = []
    if length > max_length:
        problems.append(
            f"metadata.generateName: {base!r} plus the {GENERATED_SUFFIX_LENGTH} random "
            f"characters Kubernetes appends makes a {length}-character {kind} name; KubeRay allows "
            f"at most {max_length} because it derives Service and Pod names from it; shorten it"
        )
    # The random suffix is lowercase alphanumeric, so only the start and the characters matter.
    problems += [
        f"metadata.generateName: {base!r} does not start a valid DNS-1035 label: {problem}"
        for problem in dns1035_label_problems(base[:GENERATE_NAME_BASE_LIMIT] + "x")
        if not problem.startswith("must be no more")
    ]
    return problems


def rayjob_problems(job: RayJob, caps: OperatorCapabilities) -> list[str]:
    """Every reason the operator would reject this RayJob object."""
    problems = object_name_problems("RayJob", job.metadata, RayJob.MAX_NAME_LENGTH)
    problems += watched_namespace_problems("RayJob", job.metadata.namespace, caps)
    problems += object_requirement_problems(job, caps)
    return problems + job_spec_problems(job.spec, job.metadata.annotations or {}, caps)


def job_spec_problems(
    spec: RayJobSpec, annotations: Mapping[str, str], caps: OperatorCapabilities
) -> list[str]:
    """Every reason the operator would reject ``spec`` (a RayJob's ``spec``)."""
    problems = _lifecycle_problems(spec)
    problems += deletion_strategy_problems(spec, caps)
    problems += _cluster_problems(spec)
    problems += _submission_mode_problems(spec, caps)
    if spec.ray_cluster_spec is not None:
        problems += cluster_spec_problems(
            spec.ray_cluster_spec, annotations, caps, at="spec.rayClusterSpec"
        )
    problems += runtime_env_yaml_problems(spec.runtime_env_yaml)
    return problems


def _lifecycle_problems(spec: RayJobSpec) -> list[str]:
    problems = []
    shutdown = bool(spec.shutdown_after_job_finishes)
    if spec.suspend and not shutdown:
        problems.append(
            "spec.suspend: a RayJob can be suspended only with spec.shutdownAfterJobFinishes: "
            "true (the operator must be able to delete the cluster it suspends); set "
            "shutdownAfterJobFinishes: true or remove suspend"
        )
    ttl = spec.ttl_seconds_after_finished
    if ttl is not None and ttl < 0:
        problems.append(
            f"spec.ttlSecondsAfterFinished: must not be negative, got {ttl}; use 0 or more seconds"
        )
    if ttl is not None and ttl > 0 and not shutdown:
        problems.append(
            f"spec.ttlSecondsAfterFinished: {ttl} needs spec.shutdownAfterJobFinishes: true (the "
            "TTL delays that shutdown); set shutdownAfterJobFinishes: true or remove "
            "ttlSecondsAfterFinished"
        )
    deadline = spec.active_deadline_seconds
    if deadline is not None and deadline <= 0:
        problems.append(
            f"spec.activeDeadlineSeconds: must be positive, got {deadline}; set the longest the "
            "job may run, in seconds, or remove it"
        )
    if spec.backoff_limit is not None and spec.backoff_limit < 0:
        problems.append(
            f"spec.backoffLimit: must not be negative, got {spec.backoff_limit}; use 0 (no "
            "retries) or the number of retries"
        )
    return problems


def _cluster_problems(spec: RayJobSpec) -> list[str]:
    selector = spec.cluster_selector or {}
    problems = []
    if selector and spec.suspend:
        problems.append(
            "spec.suspend: not supported for a job on an existing cluster (spec.clusterSelector); "
            "remove suspend, or let the job create its own cluster with spec.rayClusterSpec"
        )
    if spec.ray_cluster_spec is None and not selector:
        problems.append(
            "spec: one of rayClusterSpec (a cluster created for the job) or clusterSelector (an "
            f"existing cluster) is required; set rayClusterSpec, or clusterSelector with "
            f"{CLUSTER_SELECTOR_KEY}: <cluster name>"
        )
    if selector and not selector.get(CLUSTER_SELECTOR_KEY):
        problems.append(
            f"spec.clusterSelector[{CLUSTER_SELECTOR_KEY}]: must name the existing RayCluster the "
            f"job runs on; set clusterSelector {CLUSTER_SELECTOR_KEY}: <cluster name>"
        )
    return problems


def _submission_mode_problems(spec: RayJobSpec, caps: OperatorCapabilities) -> list[str]:
    mode = spec.submission_mode
    problems = []
    if mode is not None and mode not in SUBMISSION_MODES:
        problems.append(
            f"spec.submissionMode: {mode!r} is not a submission mode KubeRay knows, so the job "
            f"would never be submitted; use one of {', '.join(SUBMISSION_MODES)}"
        )
    if mode == INTERACTIVE_MODE and spec.backoff_limit is not None and spec.backoff_limit > 0:
        problems.append(
            f"spec.backoffLimit: {spec.backoff_limit} retries are not supported with "
            "submissionMode InteractiveMode (a retried job keeps its jobId and reports a wrong "
            "state); set backoffLimit to 0 or remove it"
        )
    if mode != SIDECAR_MODE:
        return problems
    if not caps.at_least(SIDECAR_MODE_SINCE):
        problems.append(
            f"spec.submissionMode: SidecarMode needs KubeRay operator >= {SIDECAR_MODE_SINCE} "
            f"(this operator is {caps.version}); upgrade the operator or use K8sJobMode"
        )
    why = "the submitter runs as a sidecar of the job's own head pod"
    if spec.cluster_selector:
        problems.append(
            f"spec.clusterSelector: not supported with submissionMode SidecarMode ({why}); use "
            "spec.rayClusterSpec or another submission mode"
        )
    if spec.submitter_pod_template is not None:
        problems.append(
            f"spec.submitterPodTemplate: not supported with submissionMode SidecarMode ({why}); "
            "remove it or use K8sJobMode"
        )
    if spec.submitter_config is not None:
        problems.append(
            f"spec.submitterConfig: not supported with submissionMode SidecarMode ({why}); "
            "remove it or use K8sJobMode"
        )
    if spec.ray_cluster_spec is not None:
        policy = restart_policy(spec.ray_cluster_spec.head_group_spec.template)
        if policy not in ("", "Never"):
            problems.append(
                "spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy: "
                f"{policy} is not allowed with submissionMode SidecarMode ({why}); set it to "
                "Never or leave it unset"
            )
    return problems


def runtime_env_yaml_problems(text: str | None) -> list[str]:
    """``runtimeEnvYAML`` must parse as a YAML mapping (its schema is Ray's, not checked here)."""
    if not text:
        return []
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        return [f"spec.runtimeEnvYAML: not valid YAML ({detail}); fix the YAML syntax"]
    if parsed is not None and not isinstance(parsed, dict):
        return [
            "spec.runtimeEnvYAML: must be a YAML mapping (pip:, env_vars:, working_dir:, ...), "
            f"got a {type(parsed).__name__}; write the runtime environment as key: value pairs"
        ]
    return []


# --- deletionStrategy ---------------------------------------------------------------------


def deletion_strategy_problems(spec: RayJobSpec, caps: OperatorCapabilities) -> list[str]:
    """The ``deletionStrategy`` rules: the feature gate, the two forms and their contents."""
    strategy = spec.deletion_strategy
    if strategy is None:
        return []
    at = "spec.deletionStrategy"
    # The RayJobDeletionPolicy gate and the 1.5 deletionRules field are declared on the model.
    problems = []
    legacy = strategy.on_success is not None or strategy.on_failure is not None
    rules = bool(strategy.deletion_rules)
    if rules and spec.shutdown_after_job_finishes:
        problems.append(
            f"{at}.deletionRules: cannot be combined with spec.shutdownAfterJobFinishes: true; "
            "express the cleanup as a rule (policy DeleteCluster) and remove "
            "shutdownAfterJobFinishes"
        )
    if rules and legacy:
        problems.append(
            f"{at}: the legacy onSuccess/onFailure form and deletionRules cannot be used "
            "together; keep only deletionRules"
        )
    elif legacy:
        problems += _legacy_problems(spec, at)
    elif rules:
        problems += _rules_problems(spec, at)
    else:
        problems.append(
            f"{at}: is empty; set deletionRules, or both onSuccess and onFailure, or remove "
            "deletionStrategy"
        )
    return problems


def _policy_clash(policy: str, path: str, spec: RayJobSpec, autoscaling: bool) -> str | None:
    """The contextual rule shared by both forms, or ``None`` when ``policy`` fits the job."""
    if spec.cluster_selector and policy in _SELECTOR_FORBIDS:
        return (
            f"{path}: {policy} is not allowed for a job on an existing cluster "
            "(spec.clusterSelector), which the operator did not create; use DeleteSelf or "
            "DeleteNone"
        )
    if autoscaling and policy == "DeleteWorkers":
        return (
            f"{path}: DeleteWorkers is not supported while "
            "spec.rayClusterSpec.enableInTreeAutoscaling is true; use DeleteCluster or turn "
            "autoscaling off"
        )
    return None


def _autoscaling(cluster: RayClusterSpec | None) -> bool:
    return cluster is not None and autoscaling_enabled(cluster)


def _legacy_problems(spec: RayJobSpec, at: str) -> list[str]:
    strategy = spec.deletion_strategy
    assert strategy is not None
    sides: dict[str, DeletionPolicy | None] = {
        "onSuccess": strategy.on_success,
        "onFailure": strategy.on_failure,
    }
    problems = []
    for side, other in (("onSuccess", "onFailure"), ("onFailure", "onSuccess")):
        if sides[side] is None:
            problems.append(
                f"{at}.{side}: must be set together with {other} in the legacy form; set both, "
                "or switch to deletionRules"
            )
    autoscaling = _autoscaling(spec.ray_cluster_spec)
    for side, value in sides.items():
        if value is None:
            continue
        path = f"{at}.{side}.policy"
        if value.policy is None:
            problems.append(
                f"{path}: must be set; choose DeleteCluster, DeleteWorkers, DeleteSelf or "
                "DeleteNone"
            )
            continue
        clash = _policy_clash(value.policy, path, spec, autoscaling)
        if clash:
            problems.append(clash)
        if value.policy == "DeleteNone" and spec.shutdown_after_job_finishes:
            problems.append(
                f"{path}: DeleteNone contradicts spec.shutdownAfterJobFinishes: true; remove "
                "shutdownAfterJobFinishes or choose another policy"
            )
    return problems


def _rules_problems(spec: RayJobSpec, at: str) -> list[str]:
    strategy = spec.deletion_strategy
    assert strategy is not None
    autoscaling = _autoscaling(spec.ray_cluster_spec)
    problems = []
    # (jobStatus or jobDeploymentStatus, its value) -> policy -> (rule index, ttl), for the
    # uniqueness and ordering checks (1.6 keeps the two kinds of condition apart).
    by_status: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for index, rule in enumerate(strategy.deletion_rules or []):
        path = f"{at}.deletionRules[{index}]"
        condition = rule.condition
        if condition.job_status is not None and condition.job_deployment_status is not None:
            problems.append(
                f"{path}.condition: jobStatus and jobDeploymentStatus cannot be used together "
                "(the CRD refuses it); keep one"
            )
            continue
        trigger: tuple[str, str]
        if condition.job_status is not None:
            trigger = ("jobStatus", condition.job_status)
        elif condition.job_deployment_status is not None:
            trigger = ("jobDeploymentStatus", condition.job_deployment_status)
        else:
            # Before 1.6 the missing jobStatus is reported from the model (required there).
            problems.append(
                f"{path}.condition: needs jobStatus (SUCCEEDED or FAILED) or jobDeploymentStatus "
                "(Failed); set one"
            )
            continue
        ttl = condition.ttl_seconds or 0
        if ttl < 0:
            problems.append(
                f"{path}.condition.ttlSeconds: must not be negative, got {ttl}; use 0 or more "
                "seconds"
            )
            continue
        clash = _policy_clash(rule.policy, f"{path}.policy", spec, autoscaling)
        if clash:
            problems.append(clash)
            continue
        policies = by_status.setdefault(trigger, {})
        if rule.policy in policies:
            first = policies[rule.policy][0]
            problems.append(
                f"{path}: duplicates deletionRules[{first}] (policy {rule.policy}, {trigger[0]} "
                f"{trigger[1]}); keep one rule per policy and {trigger[0]}"
            )
            continue
        policies[rule.policy] = (index, ttl)
    for trigger, policies in by_status.items():
        problems += _ttl_order_problems(at, trigger, policies)
    return problems


def _ttl_order_problems(
    at: str, trigger: tuple[str, str], policies: Mapping[str, tuple[int, int]]
) -> list[str]:
    problems = []
    previous: tuple[str, int] | None = None
    for policy in DELETION_ORDER:
        if policy not in policies:
            continue
        index, ttl = policies[policy]
        if previous is not None and ttl < previous[1]:
            earlier, earlier_ttl = previous
            problems.append(
                f"{at}.deletionRules[{index}].condition.ttlSeconds: for {trigger[0]} {trigger[1]}, "
                f"{policy} TTL ({ttl}s) must be >= {earlier} TTL ({earlier_ttl}s), because "
                "workers are deleted first, then the cluster, then the RayJob; raise this TTL "
                f"or lower the {earlier} one"
            )
        previous = (policy, ttl)
    return problems


# --- warnings -------------------------------------------------------------------------------


def rayjob_warnings(job: RayJob) -> list[str]:
    """What the operator accepts but should not be deployed as is: literal credentials in
    ``runtimeEnvYAML`` ``env_vars`` or in container env vars of the job's pod templates."""
    spec = job.spec
    warnings: list[str] = []
    env_vars = _runtime_env_vars(spec.runtime_env_yaml)
    warnings += env_vars_secret_warnings(env_vars, "spec.runtimeEnvYAML: env_vars")
    if spec.ray_cluster_spec is not None:
        warnings += cluster_secret_warnings(spec.ray_cluster_spec, "spec.rayClusterSpec")
    if spec.submitter_pod_template is not None:
        warnings += pod_template_secret_warnings(
            spec.submitter_pod_template, "spec.submitterPodTemplate"
        )
    return warnings


def cluster_secret_warnings(cluster: RayClusterSpec, at: str) -> list[str]:
    """Literal credentials in the env vars of a cluster spec's head and worker templates."""
    warnings = pod_template_secret_warnings(
        cluster.head_group_spec.template, f"{at}.headGroupSpec.template"
    )
    for index, group in enumerate(cluster.worker_group_specs or []):
        warnings += pod_template_secret_warnings(
            group.template, f"{at}.workerGroupSpecs[{index}].template"
        )
    return warnings


def _runtime_env_vars(text: str | None) -> Any:
    try:
        parsed = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return None  # reported as a problem by runtime_env_yaml_problems
    return parsed.get("env_vars") if isinstance(parsed, dict) else None
