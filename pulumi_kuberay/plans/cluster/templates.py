"""Rendering a group's shortcuts onto its pod template (head and workers).

The user's ``template`` is the base; shortcuts win where both set the same thing; best
practices fill in what neither set. The Ray container is ``containers[0]``, as KubeRay expects.
"""

from __future__ import annotations

import copy
from typing import Any

from pulumi_kuberay.plans.cluster.accelerators import NVIDIA_GPU, Accelerator, Placement
from pulumi_kuberay.plans.cluster.args import HeadGroup, WorkerGroup, _Shortcuts
from pulumi_kuberay.plans.cluster.best_practices import HEAD_PORTS, BestPractices
from pulumi_kuberay.plans.cluster.quantities import cpu_quantity, memory_quantity
from pulumi_kuberay.plans.env import merge_env, render_env

NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES"
GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu")


def group_accelerator(group: _Shortcuts) -> Accelerator | None:
    """The group's accelerator: the one given, or any NVIDIA GPU when only ``gpus`` is set."""
    if group.accelerator is not None:
        return group.accelerator
    return NVIDIA_GPU if group.gpus else None


def _render_resources(
    container: dict[str, Any], group: _Shortcuts, field: str, best: BestPractices
) -> None:
    resources = container.setdefault("resources", {})
    limits: dict[str, Any] = dict(resources.get("limits") or {})
    requests: dict[str, Any] = dict(resources.get("requests") or {})
    if group.cpu is not None:
        cpu = cpu_quantity(group.cpu, f"{field}.cpu")
        requests["cpu"] = cpu
        if best.cpu_limits:
            limits["cpu"] = cpu
    if group.memory is not None:
        limits["memory"] = memory_quantity(group.memory, f"{field}.memory")
    accelerator = group_accelerator(group)
    if accelerator is not None and group.gpus:
        limits.update(accelerator.resource_limits(group.gpus))
    if best.memory_requests_equal_limits and "memory" in limits:
        requests["memory"] = limits["memory"]
    if best.gpu_requests_equal_limits:
        for name, value in limits.items():
            if "/" in name:  # extended resources (GPUs, TPUs, Neuron): requests must equal limits
                requests[name] = value
    rendered = {k: v for k, v in (("limits", limits), ("requests", requests)) if v}
    if rendered or resources:
        container["resources"] = {**resources, **rendered}
    else:
        container.pop("resources")


def _has_gpu(container: dict[str, Any]) -> bool:
    limits = (container.get("resources") or {}).get("limits") or {}
    return any(name in limits and str(limits[name]) not in ("0", "") for name in GPU_RESOURCES)


def _placement(group: _Shortcuts) -> Placement:
    placement = Placement()
    accelerator = group_accelerator(group)
    if accelerator is not None and group.gpus:
        placement = placement.merged(accelerator.placement())
    if group.placement is not None:
        placement = placement.merged(group.placement)
    return placement


def _render_pod_spec(pod: dict[str, Any], group: _Shortcuts) -> None:
    spec = pod["spec"]
    placement = _placement(group)
    selector = {**(spec.get("nodeSelector") or {}), **placement.node_selector}
    selector.update(group.node_selector or {})
    if selector:
        spec["nodeSelector"] = selector
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
    if group.pod_labels or group.pod_annotations:
        metadata = pod.setdefault("metadata", {})
        if group.pod_labels:
            metadata["labels"] = {**(metadata.get("labels") or {}), **group.pod_labels}
        if group.pod_annotations:
            metadata["annotations"] = {
                **(metadata.get("annotations") or {}),
                **group.pod_annotations,
            }


def render_pod_template(
    group: _Shortcuts,
    *,
    image: str,
    default_container_name: str,
    field: str,
    best: BestPractices,
    head: bool,
) -> dict[str, Any]:
    """The pod template of one group (head or worker), as a plain core/v1 dict."""
    pod = copy.deepcopy(group.template) if group.template else {}
    spec = pod.setdefault("spec", {})
    containers = spec.setdefault("containers", [])
    if not containers:
        containers.append({})
    container = containers[0]
    container["name"] = group.container_name or container.get("name") or default_container_name
    container["image"] = group.image or container.get("image") or image
    if group.image_pull_policy:
        container["imagePullPolicy"] = group.image_pull_policy
    _render_resources(container, group, field, best)

    env = merge_env(list(container.get("env") or []), render_env(group.env, f"{field}.env"))
    already_named = any(item["name"] == NVIDIA_VISIBLE_DEVICES for item in env)
    if best.hide_gpus_from_cpu_containers and not _has_gpu(container) and not already_named:
        env.append({"name": NVIDIA_VISIBLE_DEVICES, "value": "void"})
    if env:
        container["env"] = env

    if group.volume_mounts:
        container["volumeMounts"] = list(container.get("volumeMounts") or []) + list(
            group.volume_mounts
        )
    if head and best.standard_head_ports:
        ports = list(container.get("ports") or [])
        names = {p.get("name") for p in ports}
        numbers = {p.get("containerPort") for p in ports}
        for name, number in HEAD_PORTS:
            if name not in names and number not in numbers:
                ports.append({"containerPort": number, "name": name})
        container["ports"] = ports
    _render_pod_spec(pod, group)
    return pod


def render_head_template(head: HeadGroup, *, image: str, best: BestPractices) -> dict[str, Any]:
    """The head pod template: the ``ray-head`` container with the standard ports."""
    return render_pod_template(
        head, image=image, default_container_name="ray-head", field="head", best=best, head=True
    )


def render_worker_template(
    group: WorkerGroup, *, image: str, best: BestPractices
) -> dict[str, Any]:
    """A worker group's pod template: the ``ray-worker`` container."""
    return render_pod_template(
        group,
        image=image,
        default_container_name="ray-worker",
        field=f"worker_groups[{group.name!r}]",
        best=best,
        head=False,
    )
