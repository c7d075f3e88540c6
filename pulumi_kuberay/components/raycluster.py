"""The ``RayCluster`` component: a validated ``ray.io/v1`` RayCluster custom resource.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/raycluster-quick-start.html
"""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_kuberay.components.base import RayObjectComponent, derived
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.raycluster import RayCluster as RayClusterModel
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.cluster.args import ClusterArgs, RayClusterArgs
from pulumi_kuberay.plans.ray_object import ObjectArgs, RayObjectPlan
from pulumi_kuberay.plans.raycluster import plan_raycluster


def head_service_name(cluster_name: str) -> str:
    """The head Service KubeRay creates for a RayCluster: ``<cluster>-head-svc``."""
    return f"{cluster_name}-head-svc"


def cluster_addresses(cluster_name: str, namespace: str) -> dict[str, str]:
    """In-cluster addresses of the head: dashboard URL, Ray client and GCS."""
    host = f"{head_service_name(cluster_name)}.{namespace}.svc.cluster.local"
    return {
        "dashboard_url": f"http://{host}:8265",
        "client_address": f"ray://{host}:10001",
        "gcs_address": f"{host}:6379",
    }


class RayCluster(RayObjectComponent[RayClusterArgs, RayClusterModel]):
    """A Ray cluster managed by the KubeRay operator::

        RayCluster("raycluster", namespace="ray", head=HeadGroup(cpu=2, memory="8Gi"),
                   worker_groups=[WorkerGroup("cpu", replicas=1, max_replicas=4, cpu=4)],
                   autoscaling=Autoscaling(idle_timeout_seconds=60))

    The cluster is a :class:`ClusterArgs` (positional or ``cluster=``, the same object RayJob and
    RayService take) and/or its fields as keywords, plus the RayCluster-only fields of
    :class:`RayClusterArgs` (``suspend``, ``managed_by``). The manifest is built with best
    practices, checked with the operator's rules for the operator it runs on, and created as
    the ``ray.io/v1`` custom resource child. See :class:`RayObjectComponent` for the keywords
    every Ray component takes.

    Outputs: ``name``, ``namespace``, ``head_service_name``, ``dashboard_url``,
    ``client_address`` and ``gcs_address`` (in-cluster addresses through the head Service).
    """

    TYPE_NAME = "RayCluster"
    ARGS = RayClusterArgs
    READY_TIMEOUT = 600

    head_service_name: pulumi.Output[str]
    """The head Service KubeRay creates: ``<name>-head-svc``."""
    dashboard_url: pulumi.Output[str]
    """The dashboard and Jobs API inside the cluster: ``http://<head-svc>.<ns>...:8265``."""
    client_address: pulumi.Output[str]
    """The Ray client address: ``ray://<head-svc>.<ns>.svc.cluster.local:10001``."""
    gcs_address: pulumi.Output[str]
    """The GCS address for ``ray start --address``: ``<head-svc>.<ns>...:6379``."""

    @classmethod
    def base_arguments(
        cls, args: RayClusterArgs | None, fields: dict[str, Any]
    ) -> ArgumentModel | None:
        """``cluster=`` names the shared :class:`ClusterArgs`, like RayJob's and RayService's."""
        shared = fields.pop("cluster", None)
        if shared is not None and not isinstance(shared, ClusterArgs):
            fields["cluster"] = shared  # reported as an unknown argument with the fix
            return args
        return args if args is not None else shared

    def plan(
        self, obj: ObjectArgs, args: RayClusterArgs, caps: OperatorCapabilities
    ) -> RayObjectPlan[RayClusterModel]:
        return plan_raycluster(obj, args, caps)

    def outputs(
        self, plan: RayObjectPlan[RayClusterModel], namespace: str | pulumi.Output[str]
    ) -> dict[str, pulumi.Input[Any]]:
        name = plan.model.metadata.name or ""
        addresses = derived(namespace, lambda ns: cluster_addresses(name, ns))
        return {
            "head_service_name": head_service_name(name),
            "dashboard_url": addresses["dashboard_url"],
            "client_address": addresses["client_address"],
            "gcs_address": addresses["gcs_address"],
        }
