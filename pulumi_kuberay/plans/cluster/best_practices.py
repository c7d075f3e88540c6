"""The best-practice defaults the builder applies, each a named, switchable decision.

From KubeRay's configuration guide:
https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
"""

from __future__ import annotations

from pulumi_kuberay.plans.arguments import ArgumentModel


class BestPractices(ArgumentModel):
    """Every default the builder adds to what you asked for. Turn one off by name::

    BestPractices(cpu_limits=True, hide_gpus_from_cpu_containers=False)
    """

    head_runs_no_workloads: bool = True
    """Head ``num-cpus: "0"`` when the cluster has workers: tasks and actors stay off the head,
    which runs the GCS and would take the whole cluster down with it if it ran out of memory."""

    dashboard_on_all_interfaces: bool = True
    """Head ``dashboard-host: "0.0.0.0"``: the dashboard and Jobs API reachable via the Service."""

    memory_requests_equal_limits: bool = True
    """KubeRay gives Ray the memory *limit*; a lower request lets the node overcommit."""

    gpu_requests_equal_limits: bool = True
    """Extended resources must have requests equal to limits anyway; state it explicitly."""

    cpu_limits: bool = False
    """CPU limits throttle Ray; KubeRay uses the request when no limit is set. Off by default."""

    hide_gpus_from_cpu_containers: bool = True
    """``NVIDIA_VISIBLE_DEVICES=void`` on Ray containers without a GPU, so a pod that lands on a
    GPU node does not see (and let Ray schedule onto) GPUs it did not request."""

    single_image: bool = True
    """One Ray image (so one Ray and one Python version) across head and every worker group,
    matching ``rayVersion``; CUDA/``-gpu`` variants of the same image are allowed."""

    size_pods_to_nodes: bool = True
    """Worker groups on a ``node_pool`` that give no ``cpu``/``memory``/``gpus`` get a pod that
    fills one node of the pool (fewer, larger pods), less the pool's daemonset reserve."""

    standard_head_ports: bool = True
    """Name the head's ports: 6379 gcs, 8265 dashboard, 10001 client, 8000 serve, 8080 metrics."""


HEAD_PORTS: tuple[tuple[str, int], ...] = (
    ("gcs", 6379),
    ("dashboard", 8265),
    ("client", 10001),
    ("serve", 8000),
    ("metrics", 8080),
)
"""The head's standard ports, as KubeRay's head Service exposes them."""
