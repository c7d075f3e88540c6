"""The operator's RayService rules (KubeRay 1.5 ``ValidateRayServiceMetadata``/``...Spec``).

https://github.com/ray-project/kuberay/blob/v1.5.1/ray-operator/controllers/ray/utils/validation.go
Incremental upgrades:
https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html
Things the operator accepts but that deserve attention (deprecated fields, literal
credentials) are kept apart in :func:`rayservice_warnings`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.field_requirements import object_requirement_problems
from pulumi_kuberay.models.ray.rayservice import (
    INCREMENTAL_UPGRADE,
    INITIALIZING_TIMEOUT_ANNOTATION,
    UPGRADE_TYPES,
    RayService,
    RayServiceSpec,
)
from pulumi_kuberay.models.ray.validation.raycluster import (
    autoscaling_enabled,
    cluster_spec_problems,
)
from pulumi_kuberay.models.ray.validation.rayjob import (
    cluster_secret_warnings,
    object_name_problems,
)
from pulumi_kuberay.models.ray.validation.scope import watched_namespace_problems
from pulumi_kuberay.models.secrets import env_vars_secret_warnings

INCREMENTAL_GATE = "RayServiceIncrementalUpgrade"
INCREMENTAL_UPGRADE_SINCE = "1.5.0"

# Go accepts both the micro sign (U+00B5) and the Greek mu (U+03BC) for microseconds.
_DURATION_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_GO_INT = re.compile(r"^[+-]?\d+$")


def parse_go_duration(text: str) -> float | None:
    """Seconds in a Go ``time.ParseDuration`` string (``"90s"``, ``"1h30m"``, ``"-2m"``),
    or ``None`` when Go would not parse it."""
    sign = -1.0 if text.startswith("-") else 1.0
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0.0
    if not body:
        return None
    total = 0.0
    position = 0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if match is None:
            return None
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        position = match.end()
    return sign * total


def initializing_timeout_problems(annotations: Mapping[str, str]) -> list[str]:
    """``ray.io/initializing-timeout``: a positive Go duration or a positive integer of seconds."""
    value = annotations.get(INITIALIZING_TIMEOUT_ANNOTATION)
    if not value:
        return []
    at = f"metadata.annotations[{INITIALIZING_TIMEOUT_ANNOTATION}]"
    seconds = parse_go_duration(value)
    if seconds is None and _GO_INT.match(value):
        seconds = float(int(value))
    if seconds is None:
        return [
            f"{at}: {value!r} is neither a Go duration nor a number of seconds; use e.g. '10m', "
            "'1h30m' or '600'"
        ]
    if seconds <= 0:
        return [f"{at}: must be positive, got {value!r}; use e.g. '10m', '1h30m' or '600'"]
    return []


def rayservice_problems(service: RayService, caps: OperatorCapabilities) -> list[str]:
    """Every reason the operator would reject this RayService object."""
    metadata = service.metadata
    annotations = metadata.annotations or {}
    problems = object_name_problems("RayService", metadata, RayService.MAX_NAME_LENGTH)
    problems += initializing_timeout_problems(annotations)
    problems += watched_namespace_problems("RayService", metadata.namespace, caps)
    problems += object_requirement_problems(service, caps)
    return problems + service_spec_problems(service.spec, annotations, caps)


def service_spec_problems(
    spec: RayServiceSpec, annotations: Mapping[str, str], caps: OperatorCapabilities
) -> list[str]:
    """Every reason the operator would reject ``spec`` (a RayService's ``spec``)."""
    at = "spec.rayClusterConfig"
    problems = cluster_spec_problems(spec.ray_cluster_config, annotations, caps, at=at)
    head_service = spec.ray_cluster_config.head_group_spec.head_service or {}
    if (head_service.get("metadata") or {}).get("name"):
        problems.append(
            f"{at}.headGroupSpec.headService.metadata.name: must not be set for a RayService "
            "(the operator names the head Service after the RayService and its clusters); "
            "remove it"
        )
    delay = spec.ray_cluster_deletion_delay_seconds
    if delay is not None and delay < 0:
        problems.append(
            f"spec.rayClusterDeletionDelaySeconds: must not be negative, got {delay}; use 0 or "
            "more seconds"
        )
    return problems + upgrade_strategy_problems(spec, caps)


def upgrade_strategy_problems(spec: RayServiceSpec, caps: OperatorCapabilities) -> list[str]:
    """``upgradeStrategy``: a known type; incremental upgrades need the gate and their options."""
    strategy = spec.upgrade_strategy
    if strategy is None:
        return []
    at = "spec.upgradeStrategy"
    problems: list[str] = []  # clusterUpgradeOptions (1.5) is declared on the model
    if strategy.type is None:
        return problems
    if strategy.type not in UPGRADE_TYPES:
        return [
            *problems,
            f"{at}.type: {strategy.type!r} is not an upgrade type; use one of "
            f"{', '.join(UPGRADE_TYPES)}",
        ]
    if strategy.type != INCREMENTAL_UPGRADE:
        return problems
    if not caps.gate_enabled(INCREMENTAL_GATE):
        return [
            *problems,
            f"{at}.type: {INCREMENTAL_UPGRADE} needs the {INCREMENTAL_GATE} feature gate "
            f"(KubeRay >= {INCREMENTAL_UPGRADE_SINCE}), which is off on this operator "
            f"({caps.version}); the operator would accept the RayService but silently disable "
            "upgrades, so changes to rayClusterConfig would never roll out; enable the gate "
            f"(feature_gates={{'{INCREMENTAL_GATE}': True}}) or use NewCluster",
        ]
    return problems + _incremental_problems(spec, at)


def _incremental_problems(spec: RayServiceSpec, at: str) -> list[str]:
    problems = []
    if not autoscaling_enabled(spec.ray_cluster_config):
        problems.append(
            "spec.rayClusterConfig.enableInTreeAutoscaling: must be true for "
            f"{INCREMENTAL_UPGRADE} (the new cluster scales up as traffic moves to it); enable "
            "autoscaling"
        )
    options = spec.upgrade_strategy.cluster_upgrade_options if spec.upgrade_strategy else None
    if options is None:
        problems.append(
            f"{at}.clusterUpgradeOptions: required for {INCREMENTAL_UPGRADE}; set "
            "gatewayClassName, stepSizePercent and intervalSeconds"
        )
        return problems
    at = f"{at}.clusterUpgradeOptions"
    for field, value in (
        ("maxSurgePercent", options.max_surge_percent),
        ("stepSizePercent", options.step_size_percent),
    ):
        if value is not None and not 0 <= value <= 100:
            problems.append(f"{at}.{field}: must be between 0 and 100, got {value}")
    if options.interval_seconds <= 0:
        problems.append(
            f"{at}.intervalSeconds: must be greater than 0, got {options.interval_seconds}; set "
            "the seconds between traffic steps"
        )
    if not options.gateway_class_name:
        problems.append(
            f"{at}.gatewayClassName: must not be empty; name the GatewayClass of your Gateway API "
            "controller (e.g. istio)"
        )
    return problems


# --- warnings -------------------------------------------------------------------------------

_DEPRECATED = {
    "service_unhealthy_second_threshold": "serviceUnhealthySecondThreshold",
    "deployment_unhealthy_second_threshold": "deploymentUnhealthySecondThreshold",
}


def rayservice_warnings(service: RayService) -> list[str]:
    """What the operator accepts but deserves attention: deprecated fields, and literal
    credentials in Serve ``runtime_env.env_vars`` or container env vars."""
    spec = service.spec
    warnings = [
        f"spec.{field}: deprecated; KubeRay no longer uses it to restart unhealthy clusters; "
        "remove it (tune Ray Serve health checks in serveConfigV2 instead)"
        for attribute, field in _DEPRECATED.items()
        if attribute in spec.model_fields_set
    ]
    for index, application in enumerate(_applications(spec.serve_config_v2)):
        runtime_env = application.get("runtime_env") if isinstance(application, dict) else None
        if isinstance(runtime_env, dict):
            warnings += env_vars_secret_warnings(
                runtime_env.get("env_vars"),
                f"spec.serveConfigV2: applications[{index}].runtime_env.env_vars",
            )
    return warnings + cluster_secret_warnings(spec.ray_cluster_config, "spec.rayClusterConfig")


def _applications(serve_config: str | None) -> list[Any]:
    try:
        parsed = yaml.safe_load(serve_config or "")
    except yaml.YAMLError:
        return []
    found = parsed.get("applications") if isinstance(parsed, dict) else None
    return found if isinstance(found, list) else []
