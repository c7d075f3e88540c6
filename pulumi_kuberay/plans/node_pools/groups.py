"""A worker group on a node pool: ``WorkerGroup(..., node_pool=pool)`` gets the pool's placement,
a pod size that fills one node (unless given), the pool's device resource, Ray's ``num-gpus``
where Ray would not count the devices, and errors at preview when it cannot fit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.node_pools.args import GpuNodePoolArgs
from pulumi_kuberay.plans.node_pools.devices import needs_num_gpus, pool_accelerator, pool_resource
from pulumi_kuberay.plans.node_pools.placement import pool_placement, untolerated_taint_problems
from pulumi_kuberay.plans.node_pools.sizing import (
    PodSize,
    decide_pod_size,
    pod_fit_problems,
    replica_capacity_warnings,
)

if TYPE_CHECKING:
    from pulumi_kuberay.plans.cluster.args import NodePoolSource, WorkerGroup


def decide_node_pool(source: GpuNodePoolArgs | NodePoolSource | None) -> GpuNodePoolArgs | None:
    """The pool description of ``WorkerGroup.node_pool``: given directly, or from a
    ``GpuNodePool`` component (anything with ``node_pool_args()``)."""
    if source is None or isinstance(source, GpuNodePoolArgs):
        return source
    return source.node_pool_args()


def group_pod_size(group: WorkerGroup, pool: GpuNodePoolArgs, *, fill: bool) -> PodSize:
    """The group's pod size on ``pool`` (see :func:`decide_pod_size`): only the arguments the
    group gave count as given."""
    given = group.model_fields_set
    return decide_pod_size(
        pool,
        cpu=group.cpu,
        memory=group.memory,
        gpus=group.gpus if "gpus" in given else None,
        fill=fill,
    )


def _template_tolerations(group: WorkerGroup) -> list[dict[str, Any]]:
    template = group.template if isinstance(group.template, dict) else {}
    spec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    found = spec.get("tolerations") if isinstance(spec, dict) else None
    return [t for t in found or [] if isinstance(t, dict)]


@dataclass(frozen=True)
class GroupOnPool:
    """A worker group with its pool applied: the arguments the renderer sees."""

    group: WorkerGroup
    size: PodSize


def group_on_pool(
    group: WorkerGroup, pool: GpuNodePoolArgs, *, fill: bool, field: str
) -> GroupOnPool:
    """``group`` as placed and sized on ``pool``. Raises :class:`ValidationError` with the
    numbers when a pod cannot fit one node, the group asks for GPUs on a CPU pool, or it does not
    tolerate one of the pool's taints."""
    problems: list[str] = []
    if group.accelerator is not None:
        problems.append(
            f"{field}: give accelerator or node_pool, not both (the pool's accelerator "
            f"{pool.accelerator.name if pool.accelerator else 'none'} decides the devices)"
        )
    size = group_pod_size(group, pool, fill=fill)
    problems += pod_fit_problems(pool, size, field)
    placement = pool_placement(pool)
    if group.placement is not None:
        placement = placement.merged(group.placement)
    tolerations = [t.to_dict() for t in placement.tolerations]
    tolerations += list(group.tolerations or []) + _template_tolerations(group)
    problems += untolerated_taint_problems(pool, tolerations, field)
    if problems:
        raise ValidationError(problems)

    update: dict[str, Any] = {"placement": placement, "gpus": size.gpus}
    if size.cpu is not None:
        update["cpu"] = size.cpu
    if size.memory is not None:
        update["memory"] = size.memory
    accelerator = pool_accelerator(pool) if size.gpus else None
    if accelerator is not None:
        # The pool's placement already selects the model; the accelerator gives the resource.
        update["accelerator"] = replace(accelerator, labels={}, extra_labels={}, taint_key=None)
    resource = pool_resource(pool)
    if size.gpus and needs_num_gpus(resource):
        # The Ray autoscaler counts only resources ending in "gpu" (and KubeRay not
        # nvidia.com/gpu.shared): say how many GPUs the pod has.
        if group.ray_resources is not None:
            update["ray_resources"] = {"GPU": str(size.gpus), **group.ray_resources}
        else:
            update["ray_start_params"] = {
                "num-gpus": str(size.gpus),
                **(group.ray_start_params or {}),
            }
    return GroupOnPool(group.model_copy(update=update), size)


def group_pool_warnings(
    group: WorkerGroup, pool: GpuNodePoolArgs, *, fill: bool, autoscaling: bool, field: str
) -> list[str]:
    """What to know about a group on a pool: more replicas than the pool can hold."""
    size = group_pod_size(group, pool, fill=fill)
    high = group.max_replicas if group.max_replicas is not None else group.replicas
    if not autoscaling:
        high = max(high, group.replicas)
    return replica_capacity_warnings(pool, size, high * (group.num_of_hosts or 1), field)
