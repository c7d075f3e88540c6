"""The ``RayService`` component: a validated ``ray.io/v1`` RayService custom resource.

- https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-high-availability.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html
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
from pulumi_kuberay.components.raycluster import (
    cluster_addresses,
    head_service_name,
)
from pulumi_kuberay.components.readiness import wait_for_annotations
from pulumi_kuberay.models.ray.rayservice import SERVE_PORT
from pulumi_kuberay.plans.cluster.args import Autoscaling, GcsFaultTolerance, HeadGroup, WorkerGroup
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.rayservice import (
    IncrementalUpgrade,
    ServiceCluster,
    UpgradeType,
    build_rayservice,
)
from pulumi_kuberay.plans.runtime_env import SecretEnv
from pulumi_kuberay.plans.serve_config import ServeConfigArg
from pulumi_kuberay.versions import DEFAULT_RAY_VERSION

TYPE_TOKEN = "kuberay:index:RayService"

RAYSERVICE_READY = "condition=Ready"
"""The RayService ``Ready`` condition: Serve applications are running and the serve Service
has endpoints."""


def serve_service_name(service_name: str) -> str:
    """The Service KubeRay creates for Serve traffic; it follows the active cluster across
    upgrades."""
    return f"{service_name}-serve-svc"


def serve_endpoint(service_name: str, namespace: str) -> str:
    """The in-cluster HTTP address of the Serve applications."""
    return f"http://{serve_service_name(service_name)}.{namespace}.svc.cluster.local:{SERVE_PORT}"


class RayService(pulumi.ComponentResource):
    """Ray Serve applications run by the KubeRay operator, with zero-downtime upgrades.

    - ``serve_config``: a :class:`~pulumi_kuberay.ServeConfig`, a mapping or raw YAML, rendered
      to ``serveConfigV2``.
    - The cluster is described as for :class:`RayCluster` (``head``, ``worker_groups``,
      ``image``, ``autoscaling``, ...; ``cluster_overrides`` for raw fields).
    - High availability is one argument: ``fault_tolerance=GcsFaultTolerance(redis_address=...,
      redis_password=SecretRef(...))`` keeps serving through a head restart (GCS fault
      tolerance with an external Redis; pass the password as a Secret reference).
    - ``secret_env``/``env_from_secrets``: credentials for the Serve replicas (``HF_TOKEN``, ...)
      from Kubernetes Secrets, on the Ray containers of head and workers.
    - Upgrades: ``upgrade_type`` (``NewCluster``, the KubeRay default; ``None`` to disable), or
      ``incremental_upgrade=IncrementalUpgrade(...)`` (Gateway API, needs the
      ``RayServiceIncrementalUpgrade`` gate and autoscaling).
    - ``initializing_timeout`` (seconds or a Go duration like ``"15m"``) becomes the
      ``ray.io/initializing-timeout`` annotation; ``wait_for_ready`` makes ``pulumi up`` wait
      for the ``Ready`` condition up to ``ready_timeout_seconds``.

    Outputs: ``name``, ``namespace``, ``serve_endpoint``
    (``http://<name>-serve-svc.<ns>.svc.cluster.local:8000``), ``serve_service_name`` and
    ``dashboard_url`` (through ``<name>-head-svc``, which follows the active cluster).
    """

    name: pulumi.Output[str]
    namespace: pulumi.Output[str]
    serve_endpoint: pulumi.Output[str]
    serve_service_name: pulumi.Output[str]
    dashboard_url: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        serve_config: ServeConfigArg,
        namespace: pulumi.Input[str] | None = None,
        name: str | None = None,
        head: HeadGroup | None = None,
        worker_groups: Sequence[WorkerGroup] = (),
        image: str | None = None,
        ray_version: str = DEFAULT_RAY_VERSION,
        autoscaling: Autoscaling | bool | None = None,
        fault_tolerance: GcsFaultTolerance | None = None,
        auth_token: bool = False,
        best_practices: BestPractices | None = None,
        cluster_overrides: Mapping[str, Any] | None = None,
        secret_env: SecretEnv | None = None,
        env_from_secrets: Sequence[str] | None = None,
        upgrade_type: UpgradeType | None = None,
        incremental_upgrade: IncrementalUpgrade | None = None,
        initializing_timeout: str | int | None = None,
        ray_cluster_deletion_delay_seconds: int | None = None,
        exclude_head_pod_from_serve_svc: bool | None = None,
        serve_service: Any = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        spec_overrides: Mapping[str, Any] | None = None,
        operator: OperatorLike | None = None,
        operator_version: str | None = None,
        feature_gates: Mapping[str, bool] | None = None,
        wait_for_ready: bool = False,
        ready_timeout_seconds: int = 900,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        service_name = name or resource_name
        caps = decide_capabilities(operator, operator_version, feature_gates)
        plain_namespace = namespace if isinstance(namespace, str) else None
        all_annotations = dict(annotations or {})
        if wait_for_ready:
            all_annotations.update(wait_for_annotations(RAYSERVICE_READY, ready_timeout_seconds))

        built = build_rayservice(
            service_name,
            serve_config=serve_config,
            namespace=plain_namespace,
            labels=labels,
            annotations=all_annotations,
            capabilities=caps,
            cluster=ServiceCluster(
                head=head,
                worker_groups=worker_groups,
                image=image,
                ray_version=ray_version,
                autoscaling=autoscaling,
                fault_tolerance=fault_tolerance,
                auth_token=auth_token,
                best_practices=best_practices,
                overrides=cluster_overrides,
            ),
            secret_env=secret_env,
            env_from_secrets=env_from_secrets,
            upgrade_type=upgrade_type,
            incremental_upgrade=incremental_upgrade,
            initializing_timeout=initializing_timeout,
            ray_cluster_deletion_delay_seconds=ray_cluster_deletion_delay_seconds,
            exclude_head_pod_from_serve_svc=exclude_head_pod_from_serve_svc,
            serve_service=serve_service,
            spec_overrides=spec_overrides,
        )
        self.model = built.model
        self.warnings: tuple[str, ...] = built.warnings
        """What the operator accepts but should be fixed (logged as Pulumi warnings too)."""
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
            warnings=self.warnings,
        )

        resolved_namespace = decide_namespace_output(namespace, self.custom_resource)
        self.name = pulumi.Output.from_input(service_name)
        self.namespace = resolved_namespace
        self.serve_service_name = pulumi.Output.from_input(serve_service_name(service_name))
        self.serve_endpoint = resolved_namespace.apply(lambda ns: serve_endpoint(service_name, ns))
        self.head_service_name = pulumi.Output.from_input(head_service_name(service_name))
        self.dashboard_url = resolved_namespace.apply(
            lambda ns: cluster_addresses(service_name, ns)["dashboard_url"]
        )
        self.register_outputs(
            {
                "name": self.name,
                "namespace": self.namespace,
                "serve_endpoint": self.serve_endpoint,
                "serve_service_name": self.serve_service_name,
                "head_service_name": self.head_service_name,
                "dashboard_url": self.dashboard_url,
            }
        )
