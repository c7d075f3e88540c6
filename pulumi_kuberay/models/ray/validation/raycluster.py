"""The operator's RayCluster rules (KubeRay 1.5 ``utils/validation.go`` and the webhook).

https://github.com/ray-project/kuberay/blob/v1.5.1/ray-operator/controllers/ray/utils/validation.go
Where KubeRay 1.5 silently corrects a mistake (it clamps ``replicas`` into
``[minReplicas, maxReplicas]``), we reject it, as KubeRay 1.6 does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.field_requirements import object_requirement_problems
from pulumi_kuberay.models.kubernetes.names import (
    label_value_problems,
    qualified_name_problems,
    resource_name_problems,
)
from pulumi_kuberay.models.ray.raycluster import RayCluster, RayClusterSpec
from pulumi_kuberay.models.ray.validation.scope import watched_namespace_problems
from pulumi_kuberay.versions import parse_version

FT_ENABLED_ANNOTATION = "ray.io/ft-enabled"
EXTERNAL_STORAGE_NAMESPACE_ANNOTATION = "ray.io/external-storage-namespace"
RAY_REDIS_ADDRESS = "RAY_REDIS_ADDRESS"
REDIS_PASSWORD = "REDIS_PASSWORD"
REDIS_USERNAME = "REDIS_USERNAME"
RAY_ENABLE_AUTOSCALER_V2 = "RAY_enable_autoscaler_v2"
RESOURCE_START_PARAMS = ("num-cpus", "num-gpus", "memory", "resources")
AUTH_MIN_RAY_VERSION = "2.52.0"
AUTOSCALER_V2_DEFAULT_SINCE_RAY = "2.47.0"


def containers(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The containers of a pod template (``[]`` when absent or malformed)."""
    spec = template.get("spec") or {}
    found = spec.get("containers") if isinstance(spec, dict) else None
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def ray_container(template: Mapping[str, Any]) -> dict[str, Any] | None:
    """The Ray container: KubeRay always treats ``containers[0]`` as the one running Ray."""
    found = containers(template)
    return found[0] if found else None


def env_value(container: Mapping[str, Any] | None, name: str) -> tuple[bool, str | None]:
    """Whether env var ``name`` is set on ``container``, and its literal value if any."""
    for item in (container or {}).get("env") or []:
        if isinstance(item, dict) and item.get("name") == name:
            value = item.get("value")
            return True, value if isinstance(value, str) else None
    return False, None


def restart_policy(template: Mapping[str, Any]) -> str:
    spec = template.get("spec") or {}
    return str(spec.get("restartPolicy") or "") if isinstance(spec, dict) else ""


def autoscaling_enabled(spec: RayClusterSpec) -> bool:
    """In-tree autoscaling is on (the head gets the autoscaler sidecar)."""
    return bool(spec.enable_in_tree_autoscaling)


def autoscaler_v2_in_use(spec: RayClusterSpec) -> bool:
    """Autoscaler v2 runs: asked for explicitly, or by default for Ray >= 2.47 with autoscaling.

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/configuring-autoscaling.html#autoscaler-v2-with-kuberay
    """
    if not autoscaling_enabled(spec):
        return False
    options = spec.autoscaler_options
    if options is not None and options.version is not None:
        return options.version == "v2"
    set_on_head, value = env_value(
        ray_container(spec.head_group_spec.template), RAY_ENABLE_AUTOSCALER_V2
    )
    if set_on_head:
        return value in ("1", "true", "True")
    try:
        return parse_version(spec.ray_version or "") >= parse_version(
            AUTOSCALER_V2_DEFAULT_SINCE_RAY
        )
    except ValueError:
        return False


def gcs_fault_tolerance_enabled(spec: RayClusterSpec, annotations: Mapping[str, str]) -> bool:
    """GCS FT is on through ``gcsFaultToleranceOptions`` or the legacy annotation."""
    return spec.gcs_fault_tolerance_options is not None or bool(
        annotations.get(FT_ENABLED_ANNOTATION)
    )


def _group_problems(
    at: str,
    label: str,
    template: Mapping[str, Any],
    start_params: Mapping[str, str] | None,
    resources: Mapping[str, str] | None,
    labels: Mapping[str, str] | None,
) -> list[str]:
    problems = []
    if not containers(template):
        problems.append(
            f"{at}.template.spec.containers: the {label} needs at least one container; the first "
            "one runs Ray"
        )
    params = start_params or {}
    clashing = [p for p in RESOURCE_START_PARAMS if params.get(p)]
    if clashing and resources:
        problems.append(
            f"{at}: rayStartParams {', '.join(clashing)} and the resources field are both set for "
            f"the {label}; KubeRay rejects this, so use only one (prefer {at}.resources)"
        )
    if "labels" in params:
        problems.append(
            f"{at}.rayStartParams.labels: not allowed for the {label}; move the labels to "
            f"{at}.labels"
        )
    for key, value in (labels or {}).items():
        problems += [
            f"{at}.labels: invalid label key {key!r} for the {label}: {p}"
            for p in qualified_name_problems(key)
        ]
        problems += [
            f"{at}.labels.{key}: invalid label value {value!r} for the {label}: {p}"
            for p in label_value_problems(value)
        ]
    return problems


def cluster_spec_problems(
    spec: RayClusterSpec,
    annotations: Mapping[str, str],
    caps: OperatorCapabilities,
    at: str = "spec",
) -> list[str]:
    """Every reason the operator would reject ``spec`` (``at`` prefixes the field paths).

    Used for RayCluster ``spec``, RayJob ``spec.rayClusterSpec`` and RayService
    ``spec.rayClusterConfig``.
    """
    head = spec.head_group_spec
    head_at = f"{at}.headGroupSpec"
    problems = _group_problems(
        head_at, "head group", head.template, head.ray_start_params, head.resources, head.labels
    )
    groups = spec.worker_group_specs or []
    seen: set[str] = set()
    for index, group in enumerate(groups):
        group_at = f"{at}.workerGroupSpecs[{index}]"
        label = f"worker group {group.group_name!r}"
        problems += _group_problems(
            group_at, label, group.template, group.ray_start_params, group.resources, group.labels
        )
        if not group.group_name:
            problems.append(f"{group_at}.groupName: must not be empty; name the group")
        elif group.group_name in seen:
            problems.append(
                f"{group_at}.groupName: {group.group_name!r} is used by another worker group; "
                "worker group names must be unique"
            )
        seen.add(group.group_name)
        problems += _replica_problems(
            group_at, group.min_replicas, group.replicas, group.max_replicas
        )
        if group.num_of_hosts is not None and group.num_of_hosts < 1:
            problems.append(f"{group_at}.numOfHosts: must be at least 1, got {group.num_of_hosts}")
        # The RayJobDeletionPolicy gate is declared on WorkerGroupSpec.suspend itself.
        if group.suspend and autoscaling_enabled(spec):
            problems.append(
                f"{group_at}.suspend: worker group {group.group_name!r} cannot be suspended "
                "while enableInTreeAutoscaling is true; turn one of them off"
            )

    problems += _fault_tolerance_problems(spec, annotations, at)
    problems += _autoscaler_problems(spec, at)
    problems += _auth_problems(spec, at)
    problems += native_tls_problems(spec, caps, at)
    return problems


NATIVE_TLS_ENV: Final = (
    "RAY_USE_TLS",
    "RAY_TLS_SERVER_CERT",
    "RAY_TLS_SERVER_KEY",
    "RAY_TLS_CA_CERT",
)
NATIVE_TLS_VOLUME: Final = "ray-tls"
NATIVE_TLS_MOUNT_PATH: Final = "/etc/ray/tls"


def _native_tls_conflicts(
    env: Sequence[Mapping[str, Any]] | None,
    mounts: Sequence[Mapping[str, Any]] | None,
    where: str,
) -> list[str]:
    problems = []
    names = {item.get("name") for item in env or ()}
    for name in NATIVE_TLS_ENV:
        if name in names:
            problems.append(
                f"{where}: sets {name}, which the operator manages when tlsOptions is enabled; "
                "remove it"
            )
    for mount in mounts or ():
        volume, path = mount.get("name"), mount.get("mountPath")
        if volume == NATIVE_TLS_VOLUME or path == NATIVE_TLS_MOUNT_PATH:
            problems.append(
                f"{where}: mounts {volume!r} at {path!r}, where the operator mounts its "
                f"certificates ({NATIVE_TLS_VOLUME} at {NATIVE_TLS_MOUNT_PATH}) when tlsOptions "
                "is enabled; rename or move it"
            )
    return problems


def native_tls_problems(spec: RayClusterSpec, caps: OperatorCapabilities, at: str) -> list[str]:
    """KubeRay 1.7's ``validateTLSOptions``: with native mTLS on (gate and ``tlsOptions.enabled``)
    the Ray containers and the autoscaler may not set the TLS variables nor use the operator's
    certificate mount."""
    options = spec.tls_options
    if options is None or options.enabled is not True or not caps.gate_enabled("RayClusterMTLS"):
        return []
    problems = []
    groups = [(f"{at}.headGroupSpec", spec.head_group_spec.template)] + [
        (f"{at}.workerGroupSpecs[{i}]", g.template)
        for i, g in enumerate(spec.worker_group_specs or [])
    ]
    for group_at, template in groups:
        ray = ray_container(template)
        if ray is not None:
            problems += _native_tls_conflicts(
                ray.get("env"), ray.get("volumeMounts"), f"{group_at}.template.spec.containers[0]"
            )
    autoscaler = spec.autoscaler_options
    if autoscaler is not None:
        problems += _native_tls_conflicts(
            autoscaler.env, autoscaler.volume_mounts, f"{at}.autoscalerOptions"
        )
    return problems


def _replica_problems(
    at: str, low: int | None, replicas: int | None, high: int | None
) -> list[str]:
    problems = []
    for field, value in (("minReplicas", low), ("replicas", replicas), ("maxReplicas", high)):
        if value is not None and value < 0:
            problems.append(f"{at}.{field}: must not be negative, got {value}")
    if low is not None and high is not None and low > high:
        problems.append(
            f"{at}: minReplicas ({low}) is greater than maxReplicas ({high}); lower minReplicas "
            "or raise maxReplicas"
        )
    if replicas is not None:
        if low is not None and replicas < low:
            problems.append(
                f"{at}.replicas: {replicas} is below minReplicas ({low}); KubeRay 1.5 would "
                "silently raise it, 1.6 rejects it; set replicas within [minReplicas, maxReplicas]"
            )
        if high is not None and replicas > high:
            problems.append(
                f"{at}.replicas: {replicas} is above maxReplicas ({high}); KubeRay 1.5 would "
                "silently lower it, 1.6 rejects it; set replicas within [minReplicas, maxReplicas]"
            )
    return problems


def _fault_tolerance_problems(
    spec: RayClusterSpec, annotations: Mapping[str, str], at: str
) -> list[str]:
    problems = []
    head = spec.head_group_spec
    container = ray_container(head.template)
    params = head.ray_start_params or {}
    options = spec.gcs_fault_tolerance_options
    env_at = f"{at}.headGroupSpec.template.spec.containers[0].env"
    if FT_ENABLED_ANNOTATION in annotations and options is not None:
        problems.append(
            f"metadata.annotations[{FT_ENABLED_ANNOTATION}]: set together with "
            f"{at}.gcsFaultToleranceOptions; remove the annotation and use only "
            "gcsFaultToleranceOptions"
        )
    if (
        not gcs_fault_tolerance_enabled(spec, annotations)
        and env_value(container, RAY_REDIS_ADDRESS)[0]
    ):
        problems.append(
            f"{env_at}: {RAY_REDIS_ADDRESS} implicitly enables GCS fault tolerance, but "
            f"{at}.gcsFaultToleranceOptions is not set; set gcsFaultToleranceOptions.redisAddress "
            "instead of the env var"
        )
    if options is not None:
        if params.get("redis-password"):
            problems.append(
                f"{at}.headGroupSpec.rayStartParams.redis-password: not allowed with "
                f"gcsFaultToleranceOptions; use {at}.gcsFaultToleranceOptions.redisPassword"
            )
        if env_value(container, REDIS_PASSWORD)[0]:
            problems.append(
                f"{env_at}: {REDIS_PASSWORD} is not allowed with gcsFaultToleranceOptions; use "
                f"{at}.gcsFaultToleranceOptions.redisPassword"
            )
        if env_value(container, RAY_REDIS_ADDRESS)[0]:
            problems.append(
                f"{env_at}: {RAY_REDIS_ADDRESS} is not allowed with gcsFaultToleranceOptions; use "
                f"{at}.gcsFaultToleranceOptions.redisAddress"
            )
        if annotations.get(EXTERNAL_STORAGE_NAMESPACE_ANNOTATION):
            problems.append(
                f"metadata.annotations[{EXTERNAL_STORAGE_NAMESPACE_ANNOTATION}]: not allowed with "
                f"gcsFaultToleranceOptions; use "
                f"{at}.gcsFaultToleranceOptions.externalStorageNamespace"
            )
        for name, credential in (
            ("redisPassword", options.redis_password),
            ("redisUsername", options.redis_username),
        ):
            if credential is not None and credential.value is not None and credential.value_from:
                problems.append(
                    f"{at}.gcsFaultToleranceOptions.{name}: set either value or valueFrom, not both"
                )
    if params.get("redis-username") or env_value(container, REDIS_USERNAME)[0]:
        problems.append(
            f"{at}.headGroupSpec: a Redis username in rayStartParams (redis-username) or the "
            f"{REDIS_USERNAME} env var is not allowed; use "
            f"{at}.gcsFaultToleranceOptions.redisUsername"
        )
    return problems


def _autoscaler_problems(spec: RayClusterSpec, at: str) -> list[str]:
    problems = []
    container = ray_container(spec.head_group_spec.template)
    env_at = f"{at}.headGroupSpec.template.spec.containers[0].env"
    v2_env_set, v2_env_value = env_value(container, RAY_ENABLE_AUTOSCALER_V2)
    if not autoscaling_enabled(spec):
        if v2_env_set and v2_env_value in ("1", "true"):
            problems.append(
                f"{env_at}: {RAY_ENABLE_AUTOSCALER_V2}={v2_env_value} but "
                f"{at}.enableInTreeAutoscaling is not true; set enableInTreeAutoscaling: true to "
                "use autoscaler v2, or remove the env var"
            )
        return problems
    options = spec.autoscaler_options
    if options is not None and options.version is not None and v2_env_set:
        problems.append(
            f"{env_at}: {RAY_ENABLE_AUTOSCALER_V2} is set together with "
            f"{at}.autoscalerOptions.version; remove the env var and keep autoscalerOptions.version"
        )
    if autoscaler_v2_in_use(spec):
        why = (
            "autoscalerOptions.version is v2"
            if options is not None and options.version == "v2"
            else f"Ray {spec.ray_version} defaults to autoscaler v2"
        )
        head_policy = restart_policy(spec.head_group_spec.template)
        if head_policy not in ("", "Never"):
            problems.append(
                f"{at}.headGroupSpec.template.spec.restartPolicy: {head_policy} is not allowed "
                f"with autoscaler v2 ({why}); set it to Never or leave it unset"
            )
        for index, group in enumerate(spec.worker_group_specs or []):
            policy = restart_policy(group.template)
            if policy not in ("", "Never"):
                problems.append(
                    f"{at}.workerGroupSpecs[{index}].template.spec.restartPolicy: {policy} is not "
                    f"allowed for worker group {group.group_name!r} with autoscaler v2 ({why}); "
                    "set it to Never or leave it unset"
                )
    return problems


def _auth_problems(spec: RayClusterSpec, at: str) -> list[str]:
    if spec.auth_options is None or spec.auth_options.mode != "token":
        return []
    if not spec.ray_version:
        return [
            f"{at}.rayVersion: authOptions.mode is 'token' but rayVersion is not set; set "
            f"rayVersion to {AUTH_MIN_RAY_VERSION} or later"
        ]
    try:
        version = parse_version(spec.ray_version)
    except ValueError:
        return [
            f"{at}.rayVersion: authOptions.mode is 'token' but rayVersion {spec.ray_version!r} is "
            f"not a version; use e.g. {AUTH_MIN_RAY_VERSION}"
        ]
    if version < parse_version(AUTH_MIN_RAY_VERSION):
        return [
            f"{at}.authOptions.mode: token authentication needs Ray >= {AUTH_MIN_RAY_VERSION}, "
            f"rayVersion is {spec.ray_version}; upgrade Ray or disable token auth"
        ]
    return []


def raycluster_problems(cluster: RayCluster, caps: OperatorCapabilities) -> list[str]:
    """Every reason the operator would reject this RayCluster object."""
    annotations = cluster.metadata.annotations or {}
    problems = resource_name_problems(
        "RayCluster",
        cluster.metadata.name or cluster.metadata.generate_name,
        RayCluster.MAX_NAME_LENGTH,
    )
    problems += watched_namespace_problems("RayCluster", cluster.metadata.namespace, caps)
    problems += object_requirement_problems(cluster, caps)
    return problems + cluster_spec_problems(cluster.spec, annotations, caps)
