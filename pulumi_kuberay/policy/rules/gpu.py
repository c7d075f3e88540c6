"""GPU pods: requests equal limits, the GPU taint tolerated, a GPU node selected, and GPUs
hidden from containers that did not ask for one.

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/gpu.html
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_kuberay.models.images import split_image
from pulumi_kuberay.models.kubernetes.quantities import same_quantity
from pulumi_kuberay.policy.manifest_reading import UNKNOWN, items, lookup, mapping, text
from pulumi_kuberay.policy.model import Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import (
    GPU_RESOURCES,
    ClusterSpec,
    Container,
    Group,
    cluster_specs,
    containers,
    env_names,
    gpu_resources,
    gpus_unknown,
    groups,
    ray_container,
    resource_value,
)
from pulumi_kuberay.policy.remediation import as_dict, ensure_dict, ensure_list, fixed_copy
from pulumi_kuberay.policy.rules import docs

NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES"
_GPU_TAG = re.compile(r"(^|-)(gpu|cu\d+)($|-)")


def _gpu_groups(manifest: Mapping[str, Any]) -> Iterator[tuple[Group, list[str]]]:
    """Groups whose containers ask for GPUs, with the GPU resources asked for."""
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            wanted: list[str] = []
            for container in containers(group):
                wanted += [r for r in gpu_resources(container) if r not in wanted]
            if wanted:
                yield group, wanted


# --- gpu-requests-equal-limits -------------------------------------------------------------


def _gpu_request_mismatches(
    manifest: Mapping[str, Any],
) -> Iterator[tuple[Container, str, Any, Any]]:
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            for container in containers(group, init=True):
                for resource in GPU_RESOURCES:
                    request = resource_value(container, "requests", resource)
                    limit = resource_value(container, "limits", resource)
                    if request is None or request is UNKNOWN or limit is UNKNOWN:
                        continue
                    if limit is None or same_quantity(request, limit) is False:
                        yield container, resource, request, limit


def check_gpu_requests_equal_limits(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for container, resource, request, limit in _gpu_request_mismatches(manifest):
        path = f"{container.path}.resources.limits[{resource}]"
        if limit is None:
            yield Violation(
                path,
                f"{container.label} requests {request} {resource} without a limit; Kubernetes "
                "rejects such pods (GPUs cannot be overcommitted) and KubeRay counts GPUs from "
                f"the limit; set limits[{resource}]: {request!r}",
            )
        else:
            yield Violation(
                path,
                f"{container.label} requests {request} {resource} but its limit is {limit}; "
                "Kubernetes rejects pods whose GPU request differs from the limit; set both to "
                f"{limit!r}",
            )


def gpu_requests_to_limits(manifest: Manifest, settings: Settings) -> Manifest:
    fixed = fixed_copy(manifest)
    for container, resource, request, limit in list(_gpu_request_mismatches(fixed)):
        resources = ensure_dict(as_dict(container.spec), "resources")
        if limit is None:
            ensure_dict(resources, "limits")[resource] = request
        else:
            ensure_dict(resources, "requests")[resource] = limit
    return fixed


GPU_REQUESTS_EQUAL_LIMITS = Rule(
    id="gpu-requests-equal-limits",
    severity=Severity.HIGH,
    description="GPU requests equal GPU limits",
    reason=(
        "GPUs are extended resources: Kubernetes requires the request to equal the limit (a "
        "request alone is invalid), and KubeRay tells Ray the GPU count from the limit. A "
        "mismatch makes the operator's pod creation fail."
    ),
    url=docs.GPU_GUIDE,
    check=check_gpu_requests_equal_limits,
    remediate=gpu_requests_to_limits,
)

# --- gpu-tolerates-taint -------------------------------------------------------------------


def _tolerates(pod_spec: Mapping[str, Any], key: str) -> bool | None:
    """Whether the pod tolerates taint ``key`` (``None`` when that is not known yet)."""
    tolerations = pod_spec.get("tolerations")
    if tolerations is UNKNOWN:
        return None
    for toleration in items(tolerations):
        if toleration is UNKNOWN:
            return None
        if not isinstance(toleration, Mapping):
            continue
        toleration_key = toleration.get("key")
        operator = toleration.get("operator", "Equal")
        if toleration_key is UNKNOWN or operator is UNKNOWN:
            return None
        if toleration_key == key or (not toleration_key and operator == "Exists"):
            return True
    return False


def _untolerated(manifest: Mapping[str, Any]) -> Iterator[tuple[Group, str]]:
    for group, wanted in _gpu_groups(manifest):
        for resource in wanted:
            if _tolerates(group.pod_spec, resource) is False:
                yield group, resource


def check_gpu_tolerates_taint(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for group, resource in _untolerated(manifest):
        yield Violation(
            f"{group.pod_spec_path}.tolerations",
            f"{group.label} asks for {resource} but does not tolerate the {resource} taint GPU "
            f"nodes carry, so its pods stay Pending on tainted GPU pools; add {{key: {resource}, "
            "operator: Exists, effect: NoSchedule}",
        )


def add_gpu_tolerations(manifest: Manifest, settings: Settings) -> Manifest:
    fixed = fixed_copy(manifest)
    for group, resource in list(_untolerated(fixed)):
        template = ensure_dict(as_dict(group.spec), "template")
        tolerations = ensure_list(ensure_dict(template, "spec"), "tolerations")
        tolerations.append({"key": resource, "operator": "Exists", "effect": "NoSchedule"})
    return fixed


GPU_TOLERATES_TAINT = Rule(
    id="gpu-tolerates-taint",
    severity=Severity.MEDIUM,
    description="GPU groups tolerate the GPU taint",
    reason=(
        "GPU node pools are usually tainted (nvidia.com/gpu:NoSchedule) so that CPU pods stay "
        "off them; a GPU pod without the toleration can never be scheduled there."
    ),
    url=docs.GPU_TAINTS,
    check=check_gpu_tolerates_taint,
    remediate=add_gpu_tolerations,
)

# --- gpu-node-selector ---------------------------------------------------------------------


def _selects_node(pod_spec: Mapping[str, Any]) -> bool | None:
    selector = pod_spec.get("nodeSelector")
    node_affinity = lookup(pod_spec, "affinity", "nodeAffinity")
    if selector is UNKNOWN or node_affinity is UNKNOWN:
        return None
    return bool(mapping(selector)) or bool(node_affinity)


def check_gpu_node_selector(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for group, wanted in _gpu_groups(manifest):
        if _selects_node(group.pod_spec) is False:
            yield Violation(
                f"{group.pod_spec_path}.nodeSelector",
                f"{group.label} asks for {', '.join(wanted)} but selects no node; on clusters "
                "with several GPU models (or node autoprovisioning) pods land on whatever fits; "
                "set a nodeSelector such as nvidia.com/gpu.product (GPU Feature Discovery) or "
                "cloud.google.com/gke-accelerator, or a nodeAffinity",
            )


GPU_NODE_SELECTOR = Rule(
    id="gpu-node-selector",
    severity=Severity.LOW,
    description="GPU groups select a GPU node (nodeSelector or node affinity)",
    reason=(
        "A worker group is meant for one accelerator model; without a selector its pods go to "
        "any node with a free GPU of any model, and autoprovisioners cannot tell which model to "
        "create."
    ),
    url=docs.GPU_GUIDE,
    check=check_gpu_node_selector,
)

# --- hide-gpus-from-cpu-containers ---------------------------------------------------------


def _gpu_image(image: str | None) -> bool:
    if not image:
        return False
    _, tag = split_image(image)
    return bool(tag and _GPU_TAG.search(tag))


def _cluster_has_gpus(manifest: Mapping[str, Any], cluster: ClusterSpec) -> bool | None:
    """Whether a group asks for GPUs (``None`` when some group's ask is not known yet)."""
    if any(g.path.startswith(cluster.path) for g, _ in _gpu_groups(manifest)):
        return True
    if any(gpus_unknown(c) for g in groups(cluster) for c in containers(g)):
        return None
    return False


def _exposed_cpu_containers(manifest: Mapping[str, Any]) -> Iterator[Container]:
    for cluster in cluster_specs(manifest):
        cluster_has_gpus = _cluster_has_gpus(manifest, cluster)
        for group in groups(cluster):
            container = ray_container(group)
            if container is None or gpu_resources(container) or gpus_unknown(container):
                continue
            image = container.spec.get("image")
            if cluster_has_gpus is None or image is UNKNOWN:
                continue
            if not (cluster_has_gpus or _gpu_image(text(image))):
                continue
            names = env_names(container)
            if isinstance(names, set) and NVIDIA_VISIBLE_DEVICES not in names:
                yield container


def check_hide_gpus(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for container in _exposed_cpu_containers(manifest):
        yield Violation(
            f"{container.path}.env",
            f"{container.label} asks for no GPU but runs in a cluster with GPUs (or a GPU image); "
            "if it lands on a GPU node the NVIDIA runtime exposes every GPU and Ray schedules "
            f"onto GPUs it does not own; set {NVIDIA_VISIBLE_DEVICES}=void",
        )


def hide_gpus(manifest: Manifest, settings: Settings) -> Manifest:
    fixed = fixed_copy(manifest)
    for container in list(_exposed_cpu_containers(fixed)):
        env = ensure_list(as_dict(container.spec), "env")
        env.append({"name": NVIDIA_VISIBLE_DEVICES, "value": "void"})
    return fixed


HIDE_GPUS_FROM_CPU_CONTAINERS = Rule(
    id="hide-gpus-from-cpu-containers",
    severity=Severity.LOW,
    description="Ray containers without a GPU set NVIDIA_VISIBLE_DEVICES=void",
    reason=(
        "CUDA-based images set NVIDIA_VISIBLE_DEVICES=all, so a pod without a GPU request that "
        "is scheduled on a GPU node sees all of its GPUs; Ray then advertises them and "
        "schedules GPU tasks onto devices another pod owns."
    ),
    url=docs.GPU_GUIDE,
    check=check_hide_gpus,
    remediate=hide_gpus,
)

RULES = (
    GPU_REQUESTS_EQUAL_LIMITS,
    GPU_TOLERATES_TAINT,
    GPU_NODE_SELECTOR,
    HIDE_GPUS_FROM_CPU_CONTAINERS,
)
