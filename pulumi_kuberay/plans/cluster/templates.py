"""Rendering a group's shortcuts onto its pod template (head and workers).

The user's ``template`` is the base; shortcuts win where both set the same thing; best
practices fill in what neither set. The Ray container is ``containers[0]``, as KubeRay expects.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.cluster.accelerators import NVIDIA_GPU, Accelerator, Placement
from pulumi_kuberay.plans.cluster.args import GroupArgs
from pulumi_kuberay.plans.cluster.best_practices import HEAD_PORTS, BestPractices
from pulumi_kuberay.plans.cluster.quantities import cpu_quantity, memory_quantity
from pulumi_kuberay.plans.env import ContainerEnv, merge_env, render_env

NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES"
GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu")


def decide_accelerator(group: GroupArgs) -> Accelerator | None:
    """The group's accelerator: the one given, or any NVIDIA GPU when only ``gpus`` is set;
    ``None`` for a group without devices."""
    if not group.gpus:
        return None
    return group.accelerator if group.accelerator is not None else NVIDIA_GPU


@dataclass(frozen=True)
class GroupRendering:
    """What is decided once per group before its pod template is rendered."""

    field: str
    """How messages name the group (``head``, ``worker_groups['gpu']``)."""
    image: str
    """The Ray image when neither the group nor its template names one."""
    container_name: str
    """The Ray container's name when neither the group nor its template names one."""
    accelerator: Accelerator | None
    """The group's devices (see :func:`decide_accelerator`)."""
    head: bool
    """Whether this is the head (which gets the standard ports)."""


def _render_resources(
    container: dict[str, Any], group: GroupArgs, rendering: GroupRendering, best: BestPractices
) -> None:
    resources = container.get("resources") or {}
    limits: dict[str, Any] = dict(resources.get("limits") or {})
    requests: dict[str, Any] = dict(resources.get("requests") or {})
    if group.cpu is not None:
        cpu = cpu_quantity(group.cpu, f"{rendering.field}.cpu")
        requests["cpu"] = cpu
        if best.cpu_limits:
            limits["cpu"] = cpu
    if group.memory is not None:
        limits["memory"] = memory_quantity(group.memory, f"{rendering.field}.memory")
    if rendering.accelerator is not None:
        limits.update(rendering.accelerator.resource_limits(group.gpus))
    if best.memory_requests_equal_limits and "memory" in limits:
        requests["memory"] = limits["memory"]
    if best.gpu_requests_equal_limits:
        for name, value in limits.items():
            if "/" in name:  # extended resources (GPUs, TPUs, Neuron): requests must equal limits
                requests[name] = value
    rendered = {k: v for k, v in (("limits", limits), ("requests", requests)) if v}
    if rendered or resources:
        container["resources"] = {**resources, **rendered}


def _has_gpu(container: dict[str, Any]) -> bool:
    limits = (container.get("resources") or {}).get("limits") or {}
    return any(name in limits and str(limits[name]) not in ("0", "") for name in GPU_RESOURCES)


def _placement(group: GroupArgs, accelerator: Accelerator | None) -> Placement:
    placement = accelerator.placement() if accelerator is not None else Placement()
    if group.placement is not None:
        placement = placement.merged(group.placement)
    return placement


def _render_pod_spec(
    pod: dict[str, Any],
    group: GroupArgs,
    accelerator: Accelerator | None,
    pod_labels: dict[str, str] | None,
) -> None:
    spec = pod["spec"]
    placement = _placement(group, accelerator)
    selector = {**(spec.get("nodeSelector") or {}), **placement.node_selector}
    selector.update(group.node_selector or {})
    if selector:
        spec["nodeSelector"] = selector
    if placement.required:
        _require_node_affinity(spec, [r.to_dict() for r in placement.required])
    tolerations: list[dict[str, Any]] = list(spec.get("tolerations") or [])
    for toleration in [t.to_dict() for t in placement.tolerations] + list(group.tolerations or []):
        if toleration not in tolerations:
            tolerations.append(toleration)
    if tolerations:
        spec["tolerations"] = tolerations
    if group.volumes:
        spec["volumes"] = list(spec.get("volumes") or []) + list(group.volumes)
    if group.service_account:
        spec["serviceAccountName"] = group.service_account
    labels = {**(pod_labels or {}), **(group.pod_labels or {})}
    if labels or group.pod_annotations:
        metadata = pod.setdefault("metadata", {})
        if labels:
            metadata["labels"] = {**(metadata.get("labels") or {}), **labels}
        if group.pod_annotations:
            metadata["annotations"] = {
                **(metadata.get("annotations") or {}),
                **group.pod_annotations,
            }


def _require_node_affinity(spec: dict[str, Any], expressions: list[dict[str, Any]]) -> None:
    """Add ``expressions`` to every required node selector term of the pod (all must hold);
    a pod without required node affinity gets one term of them."""
    affinity = spec.setdefault("affinity", {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    required = node_affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    terms = required.get("nodeSelectorTerms") or [{}]
    for term in terms:
        existing = list(term.get("matchExpressions") or [])
        term["matchExpressions"] = existing + [e for e in expressions if e not in existing]
    required["nodeSelectorTerms"] = terms


def _base_pod(group: GroupArgs, field: str) -> dict[str, Any]:
    if group.template is None:
        return {"spec": {"containers": [{}]}}
    if not isinstance(group.template, dict):
        raise ValidationError(
            f"{field}.template: expected a pod template mapping, got "
            f"{type(group.template).__name__} (pulumi_kubernetes PodTemplateSpecArgs are "
            "converted by the components; in a plan, pass a dict)"
        )
    pod = copy.deepcopy(group.template)
    spec = pod.setdefault("spec", {})
    if not isinstance(spec, dict):
        raise ValidationError(f"{field}.template.spec: expected a mapping (a core/v1 PodSpec)")
    containers = spec.setdefault("containers", [])
    if not isinstance(containers, list) or not all(isinstance(c, dict) for c in containers):
        raise ValidationError(f"{field}.template.spec.containers: expected a list of containers")
    if not containers:
        containers.append({})
    return pod


def render_pod_template(
    group: GroupArgs,
    rendering: GroupRendering,
    *,
    best: BestPractices,
    ray_env: ContainerEnv | None = None,
    pod_labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The pod template of one group (head or worker), as a plain core/v1 dict.

    ``ray_env`` goes onto the Ray container (credentials for a RayJob's or RayService's Ray
    processes); ``pod_labels`` are the cluster-wide pod labels, under the group's own.
    Raises :class:`ValidationError` for a shortcut that is not a valid value.
    """
    pod = _base_pod(group, rendering.field)
    container = pod["spec"]["containers"][0]
    container["name"] = group.container_name or container.get("name") or rendering.container_name
    container["image"] = group.image or container.get("image") or rendering.image
    if group.image_pull_policy:
        container["imagePullPolicy"] = group.image_pull_policy
    _render_resources(container, group, rendering, best)
    env = merge_env(
        list(container.get("env") or []), render_env(group.env, f"{rendering.field}.env")
    )
    already_named = any(item.get("name") == NVIDIA_VISIBLE_DEVICES for item in env)
    if best.hide_gpus_from_cpu_containers and not _has_gpu(container) and not already_named:
        env.append({"name": NVIDIA_VISIBLE_DEVICES, "value": "void"})
    if env:
        container["env"] = env
    if ray_env:
        ray_env.applied_to(container)

    if group.volume_mounts:
        container["volumeMounts"] = list(container.get("volumeMounts") or []) + list(
            group.volume_mounts
        )
    if rendering.head and best.standard_head_ports:
        ports = list(container.get("ports") or [])
        names = {p.get("name") for p in ports}
        numbers = {p.get("containerPort") for p in ports}
        for name, number in HEAD_PORTS:
            if name not in names and number not in numbers:
                ports.append({"containerPort": number, "name": name})
        container["ports"] = ports
    _render_pod_spec(pod, group, rendering.accelerator, pod_labels)
    return pod
