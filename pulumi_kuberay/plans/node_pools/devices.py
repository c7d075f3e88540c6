"""What a pool's GPUs look like to pods: the extended resource they request, how many devices a
node advertises, and whether Ray needs ``num-gpus`` spelled out.

- Resource names: NVIDIA k8s-device-plugin README (v0.20.0), "Configuration Option Details"
  and "Shared Access to GPUs": ``nvidia.com/mig-<profile>`` under the ``mixed`` MIG strategy,
  ``nvidia.com/gpu.shared`` for renamed time-slicing, ``nvidia.com/gpu`` otherwise. GKE's
  device plugin advertises only ``nvidia.com/gpu``
  (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus-multi,
  https://cloud.google.com/kubernetes-engine/docs/concepts/timesharing-gpus).
- KubeRay sets ``--num-gpus`` from limits whose key ends in ``gpu`` or matches
  ``nvidia.com/mig-\\d+g.\\d+gb`` (``IsGPUResourceKey``, ray-operator/controllers/ray/utils/
  resources.go at v1.7.0); the Ray autoscaler only counts keys ending in ``gpu``
  (python/ray/autoscaler/_private/kuberay/autoscaling_config.py ``_get_num_gpus``). So MIG and
  ``gpu.shared`` groups get ``num-gpus`` in ``rayStartParams``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from pulumi_kuberay.plans.cluster.accelerators import NVIDIA_RESOURCE, Accelerator
from pulumi_kuberay.plans.node_pools.args import GkeNodePool

if TYPE_CHECKING:
    from pulumi_kuberay.plans.node_pools.args import GpuNodePoolArgs

SHARED_SUFFIX = ".shared"
"""What renamed time-slicing appends to the resource name (``DefaultSharedResourceNameSuffix``)."""


def on_gke(pool: GpuNodePoolArgs) -> bool:
    """Whether GKE's device plugin serves the pool (its nodes are a GKE node pool)."""
    return isinstance(pool.realisation, GkeNodePool)


def pool_resource(pool: GpuNodePoolArgs) -> str | None:
    """The extended resource a pod requests for one device of this pool (``None``: no GPUs)."""
    if pool.accelerator is None or not pool.gpus_per_node:
        return None
    base = pool.accelerator.resource
    if not pool.accelerator.is_nvidia or on_gke(pool):
        return base
    if pool.mig is not None and pool.mig.strategy == "mixed":
        return f"nvidia.com/mig-{pool.mig.profile}"
    if pool.time_slicing is not None and pool.time_slicing.rename_by_default:
        return f"{base}{SHARED_SUFFIX}"
    return base


def devices_per_node(pool: GpuNodePoolArgs) -> int:
    """How many of :func:`pool_resource` one node advertises: GPUs, times the MIG instances
    per GPU, times the time-slicing replicas."""
    count = pool.gpus_per_node
    if pool.mig is not None:
        count *= pool.mig.devices_per_gpu
    if pool.time_slicing is not None:
        count *= pool.time_slicing.replicas
    return count


def shares_devices(pool: GpuNodePoolArgs) -> bool:
    """Whether one device is less than a whole GPU (MIG or time-slicing)."""
    return pool.mig is not None or pool.time_slicing is not None


def max_devices_per_pod(pool: GpuNodePoolArgs) -> int:
    """The most devices one pod may request: every device of a node, except that GKE
    time-sharing refuses more than one per container."""
    if on_gke(pool) and pool.time_slicing is not None:
        return 1
    return devices_per_node(pool)


def pool_accelerator(pool: GpuNodePoolArgs) -> Accelerator | None:
    """The pool's accelerator with the resource its pods request (MIG and shared names)."""
    resource = pool_resource(pool)
    if pool.accelerator is None or resource is None:
        return None
    if resource == pool.accelerator.resource:
        return pool.accelerator
    return replace(pool.accelerator, resource=resource)


def needs_num_gpus(resource: str | None) -> bool:
    """Whether Ray must be told ``num-gpus``: the autoscaler counts only keys ending in ``gpu``
    (and KubeRay does not count ``nvidia.com/gpu.shared``)."""
    return (
        resource is not None and resource.startswith("nvidia.com/") and resource != NVIDIA_RESOURCE
    )
