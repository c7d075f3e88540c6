"""The ``RayService`` component: a validated ``ray.io/v1`` RayService custom resource.

- https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-high-availability.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html
"""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_kuberay.components.base import RayObjectComponent, derived
from pulumi_kuberay.components.raycluster import cluster_addresses, head_service_name
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.rayservice import SERVE_PORT
from pulumi_kuberay.models.ray.rayservice import RayService as RayServiceModel
from pulumi_kuberay.plans.ray_object import ObjectArgs, RayObjectPlan
from pulumi_kuberay.plans.rayservice import ServiceArgs, plan_rayservice


def serve_service_name(service_name: str) -> str:
    """The Service KubeRay creates for Serve traffic (``<name>-serve-svc``); it follows the
    active cluster across upgrades."""
    return f"{service_name}-serve-svc"


def serve_endpoint(service_name: str, namespace: str) -> str:
    """The in-cluster HTTP address of the Serve applications."""
    return f"http://{serve_service_name(service_name)}.{namespace}.svc.cluster.local:{SERVE_PORT}"


class RayService(RayObjectComponent[ServiceArgs, RayServiceModel]):
    """Ray Serve applications run by the KubeRay operator, with zero-downtime upgrades::

        RayService("llm", namespace="ml", serve_config=ServeConfig(...), cluster=cluster,
                   incremental_upgrade=IncrementalUpgrade(...))

    The service is a :class:`ServiceArgs` (positional) and/or its fields as keywords; its
    ``cluster`` is the same :class:`ClusterArgs` RayCluster and RayJob take, so high
    availability is the cluster's ``fault_tolerance``. ``wait_for_ready`` waits for the
    ``Ready`` condition. See :class:`RayObjectComponent` for the keywords every Ray component
    takes.

    Outputs: ``name``, ``namespace``, ``serve_endpoint``
    (``http://<name>-serve-svc.<ns>.svc.cluster.local:8000``), ``serve_service_name``,
    ``head_service_name`` and ``dashboard_url`` (through ``<name>-head-svc``, which follows the
    active cluster).
    """

    TYPE_NAME = "RayService"
    ARGS = ServiceArgs
    READY_TIMEOUT = 900

    serve_endpoint: pulumi.Output[str]
    """The in-cluster HTTP address of the Serve applications."""
    serve_service_name: pulumi.Output[str]
    """The Serve Service: ``<name>-serve-svc``."""
    head_service_name: pulumi.Output[str]
    """The head Service of the active cluster: ``<name>-head-svc``."""
    dashboard_url: pulumi.Output[str]
    """The dashboard of the active cluster inside the cluster."""

    def plan(
        self, obj: ObjectArgs, args: ServiceArgs, caps: OperatorCapabilities
    ) -> RayObjectPlan[RayServiceModel]:
        return plan_rayservice(obj, args, caps)

    def outputs(
        self, plan: RayObjectPlan[RayServiceModel], namespace: str | pulumi.Output[str]
    ) -> dict[str, pulumi.Input[Any]]:
        name = plan.model.metadata.name or ""
        return {
            "serve_endpoint": derived(namespace, lambda ns: serve_endpoint(name, ns)),
            "serve_service_name": serve_service_name(name),
            "head_service_name": head_service_name(name),
            "dashboard_url": derived(
                namespace, lambda ns: cluster_addresses(name, ns)["dashboard_url"]
            ),
        }
