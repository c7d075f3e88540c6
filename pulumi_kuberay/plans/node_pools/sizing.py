"""Sizing Ray pods against a pool's nodes: the default that fills one node (fewer, larger pods),
the checks that a group fits one node, and the pool's total capacity.

KubeRay's guide: "Size each Ray pod to fill one Kubernetes node"
(https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#pod-and-container-lifecyle-resource-requests).
A node's *allocatable* is what pods can use (capacity less kube and system reserves); the
daemonsets on every node take part of it, so a filling pod is sized to allocatable less the
pool's ``daemonset_reserve``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from pulumi_kuberay.models.kubernetes.quantities import parse_quantity
from pulumi_kuberay.plans.cluster.quantities import CpuValue, MemoryValue
from pulumi_kuberay.plans.node_pools.devices import (
    devices_per_node,
    max_devices_per_pod,
    pool_resource,
    shares_devices,
)

if TYPE_CHECKING:
    from pulumi_kuberay.plans.node_pools.args import GpuNodePoolArgs

MI = Decimal(2**20)
GI = Decimal(2**30)


def _amount(value: CpuValue | MemoryValue) -> Decimal:
    amount = parse_quantity(value)
    assert amount is not None, f"not a quantity: {value!r}"  # checked by the argument objects
    return amount


def format_cpu(amount: Decimal) -> str:
    """CPU as a quantity string: whole cores (``"95"``) or millicores (``"500m"``)."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{int((amount * 1000).to_integral_value(rounding=ROUND_FLOOR))}m"


def format_memory(amount: Decimal) -> str:
    """Memory as a quantity string in ``Gi`` when whole, else whole ``Mi`` (rounded down)."""
    if amount % GI == 0:
        return f"{int(amount / GI)}Gi"
    return f"{int((amount / MI).to_integral_value(rounding=ROUND_FLOOR))}Mi"


@dataclass(frozen=True)
class NodeRoom:
    """What one node of a pool offers Ray pods: allocatable less the daemonset reserve."""

    cpu: Decimal
    """CPU cores."""
    memory: Decimal
    """Memory in bytes."""
    devices: int
    """Devices of :attr:`resource` (GPUs, MIG instances or shares)."""
    resource: str | None
    """The extended resource pods request (``None``: a CPU pool)."""
    reserve_cpu: Decimal
    """CPU kept for daemonsets."""
    reserve_memory: Decimal
    """Memory kept for daemonsets."""


def node_room(pool: GpuNodePoolArgs) -> NodeRoom:
    """The room a Ray pod has on one node of ``pool``."""
    reserve_cpu = reserve_memory = Decimal(0)
    if pool.daemonset_reserve is not None:
        reserve_cpu = _amount(pool.daemonset_reserve.cpu)
        reserve_memory = _amount(pool.daemonset_reserve.memory)
    return NodeRoom(
        cpu=max(Decimal(0), _amount(pool.cpu_per_node) - reserve_cpu),
        memory=max(Decimal(0), _amount(pool.memory_per_node) - reserve_memory),
        devices=devices_per_node(pool),
        resource=pool_resource(pool),
        reserve_cpu=reserve_cpu,
        reserve_memory=reserve_memory,
    )


@dataclass(frozen=True)
class PodSize:
    """A Ray pod's size on a pool, and which parts were decided rather than given."""

    cpu: str | None
    """CPU request (quantity string)."""
    memory: str | None
    """Memory limit and request (quantity string)."""
    gpus: int
    """Devices of the pool's resource."""
    decided: tuple[str, ...]
    """The arguments filled in by :func:`decide_pod_size` (``cpu``, ``memory``, ``gpus``)."""


def decide_pod_size(
    pool: GpuNodePoolArgs,
    *,
    cpu: CpuValue | None,
    memory: MemoryValue | None,
    gpus: int | None,
    fill: bool = True,
) -> PodSize:
    """A Ray pod's size on ``pool``: what the group gave, the rest filled in (with ``fill``) so
    that pods fill nodes.

    - ``gpus`` not given: every device of a node (one share on a MIG or time-sliced pool, since
      sharing exists to split GPUs); 0 on a CPU pool.
    - ``cpu``/``memory`` not given: the node's room (allocatable less the daemonset reserve)
      times the pod's share of the node's devices (all of it for a pod without devices), rounded
      down to whole cores and MiB.
    """
    room = node_room(pool)
    decided: list[str] = []
    if gpus is None:
        gpus = 0
        if fill and room.devices:
            gpus = 1 if shares_devices(pool) else min(room.devices, max_devices_per_pod(pool))
            decided.append("gpus")
    share = Decimal(gpus) / Decimal(room.devices) if gpus and room.devices else Decimal(1)
    cpu_text: str | None = None if cpu is None else str(cpu)
    memory_text: str | None = None if memory is None else str(memory)
    if cpu is None and fill and room.cpu > 0:
        amount = room.cpu * share
        whole = amount.to_integral_value(rounding=ROUND_FLOOR)
        cpu_text = format_cpu(whole if whole >= 1 else amount)
        decided.append("cpu")
    if memory is None and fill and room.memory > 0:
        memory_text = format_memory(room.memory * share)
        decided.append("memory")
    return PodSize(cpu_text, memory_text, gpus, tuple(decided))


def pods_per_node(pool: GpuNodePoolArgs, size: PodSize) -> int:
    """How many pods of ``size`` fit on one node (0 when none does)."""
    room = node_room(pool)
    counts = []
    if size.cpu is not None:
        counts.append(int(room.cpu / _amount(size.cpu)))
    if size.memory is not None:
        counts.append(int(room.memory / _amount(size.memory)))
    if size.gpus:
        counts.append(room.devices // size.gpus)
    return min(counts) if counts else 0


def _reserve_note(room: NodeRoom, what: str) -> str:
    reserve = room.reserve_cpu if what == "cpu" else room.reserve_memory
    if not reserve:
        return ""
    shown = format_cpu(reserve) if what == "cpu" else format_memory(reserve)
    return f" after the daemonset reserve of {shown} (daemonset_reserve=None leaves none)"


def pod_fit_problems(pool: GpuNodePoolArgs, size: PodSize, field: str) -> list[str]:
    """Errors for a pod that can never fit on one node of ``pool``, with the numbers."""
    room = node_room(pool)
    problems = []
    if size.gpus and not room.devices:
        problems.append(
            f"{field}: asks for {size.gpus} GPU(s) but pool {pool.name!r} has no GPUs; use a "
            "GPU pool or drop gpus"
        )
    elif size.gpus > max_devices_per_pod(pool):
        limit = max_devices_per_pod(pool)
        why = "GKE time-sharing allows 1 per container" if limit < room.devices else "per node"
        problems.append(
            f"{field}: asks for {size.gpus} {room.resource} per pod but a node of pool "
            f"{pool.name!r} has {limit} ({why}); lower gpus to at most {limit}"
        )
    if size.cpu is not None and _amount(size.cpu) > room.cpu:
        problems.append(
            f"{field}: asks for {size.cpu} CPU but a node of pool {pool.name!r} has "
            f"{format_cpu(room.cpu)} allocatable{_reserve_note(room, 'cpu')}; lower cpu to at "
            f"most {format_cpu(room.cpu)}"
        )
    if size.memory is not None and _amount(size.memory) > room.memory:
        problems.append(
            f"{field}: asks for {size.memory} memory but a node of pool {pool.name!r} has "
            f"{format_memory(room.memory)} allocatable{_reserve_note(room, 'memory')}; lower "
            f"memory to at most {format_memory(room.memory)}"
        )
    return problems


def replica_capacity_warnings(
    pool: GpuNodePoolArgs, size: PodSize, max_replicas: int, field: str
) -> list[str]:
    """A warning when ``max_replicas`` pods cannot all fit on ``max_nodes`` nodes."""
    per_node = pods_per_node(pool, size)
    if per_node == 0 or per_node * pool.max_nodes >= max_replicas:
        return []
    return [
        f"{field}: max_replicas is {max_replicas} but pool {pool.name!r} holds at most "
        f"{per_node * pool.max_nodes} such pods ({per_node} per node x max_nodes "
        f"{pool.max_nodes}); the rest would stay Pending: raise max_nodes or lower max_replicas"
    ]


def pool_capacity(pool: GpuNodePoolArgs) -> dict[str, str]:
    """The pool's total room at ``max_nodes`` (see :meth:`GpuNodePoolArgs.capacity`)."""
    room = node_room(pool)
    nodes = Decimal(pool.max_nodes)
    capacity = {"cpu": format_cpu(room.cpu * nodes), "memory": format_memory(room.memory * nodes)}
    if room.resource is not None:
        capacity[room.resource] = str(room.devices * pool.max_nodes)
    return capacity
