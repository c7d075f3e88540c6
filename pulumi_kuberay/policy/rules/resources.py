"""Container resources of Ray pods: CPU and memory set, memory requests equal to limits, CPU
requests without limits.

KubeRay tells Ray how much CPU and memory a pod has from the Ray container's resources:
https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#resources
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_kuberay.models.kubernetes.quantities import same_quantity
from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.model import Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import (
    Container,
    cluster_specs,
    ray_containers,
    resource_value,
)
from pulumi_kuberay.policy.remediation import as_dict, ensure_dict, fixed_copy
from pulumi_kuberay.policy.rules import docs


def _all_ray_containers(manifest: Mapping[str, Any]) -> Iterator[Container]:
    for cluster in cluster_specs(manifest):
        yield from ray_containers(cluster)


# --- ray-container-resources ---------------------------------------------------------------


def check_ray_container_resources(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for container in _all_ray_containers(manifest):
        missing = [
            resource
            for resource in ("cpu", "memory")
            if resource_value(container, "requests", resource) is None
            and resource_value(container, "limits", resource) is None
        ]
        if missing:
            what = " and ".join(missing)
            yield Violation(
                f"{container.path}.resources",
                f"{container.label} sets no {what}; KubeRay sizes Ray from the container's "
                f"resources and the scheduler needs them to place the pod: set "
                f"requests.{missing[0]}"
                + (" (and a memory limit equal to the request)" if "memory" in missing else ""),
            )


RAY_CONTAINER_RESOURCES = Rule(
    id="ray-container-resources",
    severity=Severity.MEDIUM,
    description="Every Ray container sets CPU and memory",
    reason=(
        "KubeRay passes the Ray container's CPU and memory to ray start; without them Ray "
        "detects the whole node's capacity and over-schedules, and Kubernetes places the pod "
        "as best-effort, first to be evicted."
    ),
    url=docs.RESOURCES,
    check=check_ray_container_resources,
)

# --- memory-requests-equal-limits ----------------------------------------------------------


def _memory_mismatches(manifest: Mapping[str, Any]) -> Iterator[tuple[Container, Any, Any]]:
    for container in _all_ray_containers(manifest):
        request = resource_value(container, "requests", "memory")
        limit = resource_value(container, "limits", "memory")
        if request is None or request is UNKNOWN or limit is UNKNOWN:
            continue
        if limit is None or same_quantity(request, limit) is False:
            yield container, request, limit


def check_memory_requests_equal_limits(
    manifest: Manifest, settings: Settings
) -> Iterator[Violation]:
    for container, request, limit in _memory_mismatches(manifest):
        if limit is None:
            yield Violation(
                f"{container.path}.resources.limits.memory",
                f"{container.label} requests {request} of memory but sets no limit; KubeRay gives "
                f"Ray the limit, and without one Ray assumes the node's memory; set "
                f"limits.memory: {request}",
            )
        else:
            yield Violation(
                f"{container.path}.resources.requests.memory",
                f"{container.label} requests {request} of memory but its limit is {limit}; Ray "
                f"plans with the limit while the node only reserved the request, so pods get "
                f"OOM-killed under pressure; set requests.memory: {limit}",
            )


def memory_requests_to_limits(manifest: Manifest, settings: Settings) -> Manifest:
    fixed = fixed_copy(manifest)
    for container, request, limit in list(_memory_mismatches(fixed)):
        resources = ensure_dict(as_dict(container.spec), "resources")
        if limit is None:
            ensure_dict(resources, "limits")["memory"] = request
        else:
            ensure_dict(resources, "requests")["memory"] = limit
    return fixed


MEMORY_REQUESTS_EQUAL_LIMITS = Rule(
    id="memory-requests-equal-limits",
    severity=Severity.MEDIUM,
    description="Ray containers' memory requests equal their limits",
    reason=(
        "KubeRay sets Ray's memory from the container's memory limit. A request below the "
        "limit lets the node overcommit memory Ray believes it has, and the kernel OOM-kills "
        "Ray workers (or the head) when it is claimed."
    ),
    url=docs.RESOURCES,
    check=check_memory_requests_equal_limits,
    remediate=memory_requests_to_limits,
)

# --- cpu-requests-without-limits -----------------------------------------------------------


def check_cpu_requests_without_limits(
    manifest: Manifest, settings: Settings
) -> Iterator[Violation]:
    for container in _all_ray_containers(manifest):
        limit = resource_value(container, "limits", "cpu")
        request = resource_value(container, "requests", "cpu")
        if limit is None or limit is UNKNOWN:
            continue
        path = f"{container.path}.resources.limits.cpu"
        if request is None:
            yield Violation(
                path,
                f"{container.label} sets a CPU limit ({limit}) but no request; CPU limits make "
                f"the kernel throttle Ray's processes; set requests.cpu: {limit} and remove the "
                "limit",
            )
        else:
            keeps_count = same_quantity(request, limit) is True
            yield Violation(
                path,
                f"{container.label} sets a CPU limit ({limit}); CPU limits make the kernel "
                f"throttle Ray's processes (latency spikes, heartbeat timeouts); keep "
                f"requests.cpu and remove the limit"
                + (
                    ""
                    if keeps_count
                    else f" (Ray's CPU count then becomes the request, {request}, not {limit})"
                ),
                fixable=keeps_count,
            )


def cpu_limits_to_requests(manifest: Manifest, settings: Settings) -> Manifest:
    """Move a CPU limit to the request, only where Ray's CPU count stays the same (no request,
    or a request equal to the limit): KubeRay uses the limit when set, else the request."""
    fixed = fixed_copy(manifest)
    for container in list(_all_ray_containers(fixed)):
        limit = resource_value(container, "limits", "cpu")
        request = resource_value(container, "requests", "cpu")
        if limit is None or limit is UNKNOWN or request is UNKNOWN:
            continue
        if request is not None and same_quantity(request, limit) is not True:
            continue
        resources = ensure_dict(as_dict(container.spec), "resources")
        ensure_dict(resources, "requests")["cpu"] = limit
        limits = ensure_dict(resources, "limits")
        del limits["cpu"]
        if not limits:
            del resources["limits"]
    return fixed


CPU_REQUESTS_WITHOUT_LIMITS = Rule(
    id="cpu-requests-without-limits",
    severity=Severity.LOW,
    description="Ray containers request CPU and set no CPU limit",
    reason=(
        "A CPU limit makes the kernel's CFS quota throttle every Ray process once the pod uses "
        "its share, even on an idle node; Ray schedules by the logical CPU count KubeRay derives "
        "from the request anyway. The fix keeps Ray's CPU count: it is applied only where the "
        "request is absent or equals the limit."
    ),
    url=docs.RESOURCES,
    check=check_cpu_requests_without_limits,
    remediate=cpu_limits_to_requests,
)

RULES = (RAY_CONTAINER_RESOURCES, MEMORY_REQUESTS_EQUAL_LIMITS, CPU_REQUESTS_WITHOUT_LIMITS)
