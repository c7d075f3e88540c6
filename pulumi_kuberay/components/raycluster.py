"""The ``RayCluster`` component: a validated ``ray.io/v1`` RayCluster custom resource.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/raycluster-quick-start.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from pulumi_kuberay.components.operator_link import (
    OperatorLike,
    decide_capabilities,
)
from pulumi_kuberay.components.ray_resource import create_ray_resource, decide_namespace_output
from pulumi_kuberay.components.readiness import RAYCLUSTER_READY, wait_for_annotations
from pulumi_kuberay.models.ray.raycluster import ManagedBy
from pulumi_kuberay.plans.cluster.args import Autoscaling, GcsFaultTolerance, HeadGroup, WorkerGroup
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.cluster.cluster_spec import build_raycluster
from pulumi_kuberay.versions import DEFAULT_RAY_VERSION


def head_service_name(cluster_name: str) -> str:
    """The head Service KubeRay creates for a RayCluster."""
    return f"{cluster_name}-head-svc"


def cluster_addresses(cluster_name: str, namespace: str) -> dict[str, str]:
    """In-cluster addresses of the head: dashboard URL, Ray client and GCS."""
    host = f"{head_service_name(cluster_name)}.{namespace}.svc.cluster.local"
    return {
        "dashboard_url": f"http://{host}:8265",
        "client_address": f"ray://{host}:10001",
        "gcs_address": f"{host}:6379",
    }


class RayCluster(pulumi.ComponentResource):
    """A Ray cluster managed by the KubeRay operator.

    Builds the manifest with best practices (see :class:`BestPractices`), checks it with the
    operator's rules for the operator it will run on, then creates the ``ray.io/v1`` custom
    resource as its child. ``metadata.name`` is the resource name unless ``name`` is given.
    """

    name: pulumi.Output[str]
    namespace: pulumi.Output[str]
    head_service_name: pulumi.Output[str]
    dashboard_url: pulumi.Output[str]
    client_address: pulumi.Output[str]
    gcs_address: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        namespace: pulumi.Input[str] | None = None,
        name: str | None = None,
        head: HeadGroup | None = None,
        worker_groups: Sequence[WorkerGroup] = (),
        image: str | None = None,
        ray_version: str = DEFAULT_RAY_VERSION,
        autoscaling: Autoscaling | bool | None = None,
        fault_tolerance: GcsFaultTolerance | None = None,
        auth_token: bool = False,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        head_service_annotations: Mapping[str, str] | None = None,
        suspend: bool | None = None,
        managed_by: ManagedBy | None = None,
        best_practices: BestPractices | None = None,
        spec_overrides: Mapping[str, Any] | None = None,
        operator: OperatorLike | None = None,
        operator_version: str | None = None,
        feature_gates: Mapping[str, bool] | None = None,
        wait_for_ready: bool = False,
        ready_timeout_seconds: int = 600,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("kuberay:index:RayCluster", resource_name, None, opts)
        cluster_name = name or resource_name
        caps = decide_capabilities(operator, operator_version, feature_gates)
        all_annotations = dict(annotations or {})
        if wait_for_ready:
            all_annotations.update(wait_for_annotations(RAYCLUSTER_READY, ready_timeout_seconds))
        plain_namespace = namespace if isinstance(namespace, str) else None

        self.model = build_raycluster(
            cluster_name,
            namespace=plain_namespace,
            labels=labels,
            annotations=all_annotations,
            capabilities=caps,
            head=head,
            worker_groups=worker_groups,
            image=image,
            ray_version=ray_version,
            autoscaling=autoscaling,
            fault_tolerance=fault_tolerance,
            auth_token=auth_token,
            head_service_annotations=head_service_annotations,
            suspend=suspend,
            managed_by=managed_by,
            best_practices=best_practices,
            spec_overrides=spec_overrides,
        )
        self.manifest: dict[str, Any]
        """The exact manifest sent to Kubernetes (namespace filled in at deploy if an Output)."""
        self.manifest, self.custom_resource = create_ray_resource(
            self,
            resource_name,
            self.model,
            namespace=namespace,
            caps=caps,
            operator=operator,
            component_opts=opts,
        )

        resolved_namespace = decide_namespace_output(namespace, self.custom_resource)
        self.name = pulumi.Output.from_input(cluster_name)
        self.namespace = resolved_namespace
        self.head_service_name = pulumi.Output.from_input(head_service_name(cluster_name))
        self.dashboard_url = resolved_namespace.apply(
            lambda ns: cluster_addresses(cluster_name, ns)["dashboard_url"]
        )
        self.client_address = resolved_namespace.apply(
            lambda ns: cluster_addresses(cluster_name, ns)["client_address"]
        )
        self.gcs_address = resolved_namespace.apply(
            lambda ns: cluster_addresses(cluster_name, ns)["gcs_address"]
        )
        self.register_outputs(
            {
                "name": self.name,
                "namespace": self.namespace,
                "head_service_name": self.head_service_name,
                "dashboard_url": self.dashboard_url,
                "client_address": self.client_address,
                "gcs_address": self.gcs_address,
            }
        )
