"""The ``RayJob`` component: a validated ``ray.io/v1`` RayJob custom resource.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from pulumi_kuberay.components.base import RayObjectComponent
from pulumi_kuberay.components.raycluster import RayCluster, cluster_addresses
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.rayjob import RayJob as RayJobModel
from pulumi_kuberay.plans.ray_object import ObjectArgs, RayObjectPlan
from pulumi_kuberay.plans.rayjob import JobArgs, existing_cluster_name, plan_rayjob


class _WithStatusOutput(pulumi.CustomResource):
    """Adds a ``status`` output to ``k8s.apiextensions.CustomResource``, which only exposes its
    inputs. ``None`` inputs are not sent, so the resource registers exactly as before; the
    engine returns the live object, and the resolver picks ``status`` from it (unknown in
    preview)."""

    def __init__(self, t: str, name: str, props: Any = None, *args: Any, **kwargs: Any) -> None:
        if props is not None:
            props.__dict__["status"] = None
        super().__init__(t, name, props, *args, **kwargs)


class RayJobResource(k8s.apiextensions.CustomResource, _WithStatusOutput):
    """The RayJob custom resource with its ``status`` as an Output."""

    status: pulumi.Output[Any]


class RayJob(RayObjectComponent[JobArgs, RayJobModel]):
    """A Ray job run by the KubeRay operator, on a cluster created for it (``cluster=``, a
    :class:`ClusterArgs`) or on a running one (``existing_cluster=``, a :class:`RayCluster`
    component or its name)::

        RayJob("train", namespace="ml", entrypoint="python train.py", cluster=cluster,
               runtime_env=RuntimeEnv(pip=["torch"]),
               secret_env={"WANDB_API_KEY": SecretRef("wandb", "api-key")})

    The job is a :class:`JobArgs` (positional) and/or its fields as keywords. With an existing
    RayCluster component, the job defaults to its namespace and depends on it. With
    ``rerun_on_change`` (default), a changed spec replaces the RayJob so the job runs again.
    ``wait_for_ready`` waits for ``jobDeploymentStatus: Complete``. See
    :class:`RayObjectComponent` for the keywords every Ray component takes.

    Outputs: ``name``, ``namespace``, ``job_id`` (the given one, else ``status.jobId``),
    ``cluster_name`` (the existing cluster, else ``status.rayClusterName``) and
    ``dashboard_url``; values from ``status`` are unknown in preview and ``None`` until the
    operator reports them.
    """

    TYPE_NAME = "RayJob"
    ARGS = JobArgs
    READY_TIMEOUT = 3600
    RESOURCE_CLASS = RayJobResource

    job_id: pulumi.Output[str | None]
    """The Ray job id: ``job_id`` when given, else ``status.jobId``."""
    cluster_name: pulumi.Output[str | None]
    """The RayCluster the job runs on: the existing one, else ``status.rayClusterName``."""
    dashboard_url: pulumi.Output[str | None]
    """The dashboard of that cluster (``None`` until it is known)."""

    def plan(
        self, obj: ObjectArgs, args: JobArgs, caps: OperatorCapabilities
    ) -> RayObjectPlan[RayJobModel]:
        return plan_rayjob(obj, args, caps)

    def namespace_input(
        self, namespace: pulumi.Input[str] | None, args: JobArgs
    ) -> pulumi.Input[str] | None:
        """The job goes where its existing cluster is, unless a namespace is given."""
        if namespace is None and isinstance(args.existing_cluster, RayCluster):
            return args.existing_cluster.model.metadata.namespace or args.existing_cluster.namespace
        return namespace

    def resource_options(self, args: JobArgs) -> pulumi.ResourceOptions | None:
        if not args.rerun_on_change:
            return None
        # The name is fixed, so the old RayJob has to go before its replacement exists.
        return pulumi.ResourceOptions(replace_on_changes=["spec"], delete_before_replace=True)

    def outputs(
        self, plan: RayObjectPlan[RayJobModel], namespace: str | pulumi.Output[str]
    ) -> dict[str, pulumi.Input[Any]]:
        assert isinstance(self.custom_resource, RayJobResource)
        status: pulumi.Output[Any] = self.custom_resource.status
        job_id = plan.model.spec.job_id
        existing = existing_cluster_name(self.args.existing_cluster)
        cluster_name = (
            pulumi.Output.from_input(existing)
            if existing is not None
            else status.apply(lambda s: _status_field(s, "rayClusterName"))
        )
        return {
            "job_id": (
                pulumi.Output.from_input(job_id)
                if job_id
                else status.apply(lambda s: _status_field(s, "jobId"))
            ),
            "cluster_name": cluster_name,
            "dashboard_url": pulumi.Output.all(cluster_name, namespace).apply(
                lambda a: cluster_addresses(a[0], a[1])["dashboard_url"] if a[0] else None
            ),
        }


def _status_field(status: Any, field: str) -> str | None:
    value = status.get(field) if isinstance(status, dict) else None
    return value if isinstance(value, str) and value else None
