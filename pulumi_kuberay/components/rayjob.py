"""The ``RayJob`` component: a validated ``ray.io/v1`` RayJob custom resource.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import pulumi
import pulumi_kubernetes as k8s

from pulumi_kuberay.components.operator_link import (
    OperatorLike,
    decide_capabilities,
)
from pulumi_kuberay.components.ray_resource import create_ray_resource, decide_namespace_output
from pulumi_kuberay.components.raycluster import (
    RayCluster,
    cluster_addresses,
)
from pulumi_kuberay.components.readiness import wait_for_annotations
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.ray.raycluster import ManagedBy
from pulumi_kuberay.models.ray.rayjob import DeletionStrategy
from pulumi_kuberay.plans.cluster.args import Autoscaling, GcsFaultTolerance, HeadGroup, WorkerGroup
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.rayjob import JobCluster, build_rayjob
from pulumi_kuberay.plans.runtime_env import RuntimeEnvArg, SecretEnv
from pulumi_kuberay.versions import DEFAULT_RAY_VERSION

TYPE_TOKEN = "kuberay:index:RayJob"

RAYJOB_COMPLETE = "jsonpath={.status.jobDeploymentStatus}=Complete"
"""``jobDeploymentStatus`` turns ``Complete`` once the job has finished and been cleaned up as
asked. A failed job never gets there, so ``pulumi up`` fails at the timeout."""


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


def head_image(cluster: RayCluster) -> str | None:
    """The image of an existing cluster's head, which the job's submitter should also run."""
    containers = (cluster.model.spec.head_group_spec.template.get("spec") or {}).get(
        "containers"
    ) or []
    image = containers[0].get("image") if containers else None
    return image if isinstance(image, str) else None


def decide_job_namespace(
    namespace: pulumi.Input[str] | None, cluster: RayCluster | None
) -> pulumi.Input[str] | None:
    """The job's namespace: the one given, else the existing cluster's, because KubeRay looks
    the cluster up in the job's own namespace."""
    if cluster is None:
        return namespace
    cluster_namespace = cluster.model.metadata.namespace
    if namespace is None:
        return cluster_namespace if cluster_namespace is not None else cluster.namespace
    if isinstance(namespace, str) and cluster_namespace and namespace != cluster_namespace:
        raise ValidationError(
            f"namespace: the RayJob is in {namespace!r} but cluster "
            f"{cluster.model.metadata.name!r} is in {cluster_namespace!r}; KubeRay looks the "
            "cluster up in the job's own namespace, so put the job there (or leave namespace "
            "unset)"
        )
    return namespace


class RayJob(pulumi.ComponentResource):
    """A Ray job run by the KubeRay operator: on a cluster created for it (``head``,
    ``worker_groups``, ... as for :class:`RayCluster`) or on an existing one (``cluster=``).

    - ``runtime_env``: a :class:`~pulumi_kuberay.RuntimeEnv`, a mapping or raw YAML, rendered to
      ``runtimeEnvYAML``. Never put credentials there: ``secret_env={"WANDB_API_KEY":
      SecretRef("wandb", "api-key")}`` and ``env_from_secrets=["wandb"]`` put them on the Ray
      containers (head and every worker group) and the K8sJobMode submitter as
      ``secretKeyRef``/``secretRef``, so they never appear in the custom resource. A literal
      credential-like value in ``env_vars`` is logged as a warning (``self.warnings``).
    - ``cluster``: a :class:`RayCluster` component; sets ``clusterSelector`` ``ray.io/cluster``,
      the namespace (when not given) and a dependency on it. ``cluster_name`` names one by
      name instead.
    - ``shutdown_after_job_finishes`` defaults to true for a cluster made for the job (unset on
      an existing cluster or with deletion rules). ``kueue_queue`` labels the job for a Kueue
      LocalQueue and suspends it until admitted.
    - ``wait_for_completion`` makes ``pulumi up`` wait for ``jobDeploymentStatus: Complete``
      (up to ``completion_timeout_seconds``). With ``rerun_on_change`` (default), a changed
      spec replaces the RayJob, so the job runs again; KubeRay ignores spec changes of a job
      that has started.

    Outputs: ``name``, ``namespace``, ``job_id`` (``job_id`` when given, otherwise the id KubeRay
    reports in ``status.jobId``; unknown during preview), ``cluster_name`` and
    ``dashboard_url``. For an existing cluster both are known in advance; a cluster made for
    the job gets a generated name (``<job>-<random>``), so they come from ``status`` after
    deploy (unknown in preview, ``None`` if the operator has not reported them yet).
    """

    name: pulumi.Output[str]
    namespace: pulumi.Output[str]
    job_id: pulumi.Output[str | None]
    cluster_name: pulumi.Output[str | None]
    dashboard_url: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        entrypoint: str | None = None,
        namespace: pulumi.Input[str] | None = None,
        name: str | None = None,
        runtime_env: RuntimeEnvArg | None = None,
        secret_env: SecretEnv | None = None,
        env_from_secrets: Sequence[str] | None = None,
        cluster: RayCluster | None = None,
        cluster_name: str | None = None,
        head: HeadGroup | None = None,
        worker_groups: Sequence[WorkerGroup] = (),
        image: str | None = None,
        ray_version: str = DEFAULT_RAY_VERSION,
        autoscaling: Autoscaling | bool | None = None,
        fault_tolerance: GcsFaultTolerance | None = None,
        auth_token: bool = False,
        best_practices: BestPractices | None = None,
        cluster_overrides: Mapping[str, Any] | None = None,
        submission_mode: str | None = None,
        submitter_pod_template: Any = None,
        submitter_backoff_limit: int | None = None,
        job_id: str | None = None,
        job_metadata: Mapping[str, str] | None = None,
        shutdown_after_job_finishes: bool | None = None,
        ttl_seconds_after_finished: int | None = None,
        active_deadline_seconds: int | None = None,
        backoff_limit: int | None = None,
        suspend: bool | None = None,
        kueue_queue: str | None = None,
        managed_by: ManagedBy | None = None,
        entrypoint_num_cpus: float | None = None,
        entrypoint_num_gpus: float | None = None,
        entrypoint_resources: Mapping[str, float] | str | None = None,
        deletion_strategy: DeletionStrategy | Mapping[str, Any] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        spec_overrides: Mapping[str, Any] | None = None,
        operator: OperatorLike | None = None,
        operator_version: str | None = None,
        feature_gates: Mapping[str, bool] | None = None,
        wait_for_completion: bool = False,
        completion_timeout_seconds: int = 3600,
        rerun_on_change: bool = True,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        job_name = name or resource_name
        caps = decide_capabilities(operator, operator_version, feature_gates)
        if cluster is not None and cluster_name is not None:
            raise ValidationError(
                "cluster_name: pass either cluster= (a RayCluster component) or cluster_name, "
                "not both"
            )
        existing = cluster.model.metadata.name if cluster is not None else cluster_name
        describes_cluster = bool(
            head is not None
            or worker_groups
            or image
            or autoscaling
            or fault_tolerance
            or auth_token
            or best_practices
            or cluster_overrides
        )
        job_cluster = None
        if existing is None or describes_cluster:
            job_cluster = JobCluster(
                head=head,
                worker_groups=worker_groups,
                image=image,
                ray_version=ray_version,
                autoscaling=autoscaling,
                fault_tolerance=fault_tolerance,
                auth_token=auth_token,
                best_practices=best_practices,
                overrides=cluster_overrides,
            )
        job_namespace = decide_job_namespace(namespace, cluster)
        plain_namespace = job_namespace if isinstance(job_namespace, str) else None
        all_annotations = dict(annotations or {})
        if wait_for_completion:
            if completion_timeout_seconds <= 0:
                raise ValueError(
                    f"completion_timeout_seconds must be positive, got {completion_timeout_seconds}"
                )
            all_annotations.update(
                wait_for_annotations(RAYJOB_COMPLETE, completion_timeout_seconds)
            )

        built = build_rayjob(
            job_name,
            namespace=plain_namespace,
            labels=labels,
            annotations=all_annotations,
            capabilities=caps,
            entrypoint=entrypoint,
            runtime_env=runtime_env,
            secret_env=secret_env,
            env_from_secrets=env_from_secrets,
            cluster=job_cluster,
            cluster_name=existing,
            submission_mode=submission_mode,
            submitter_pod_template=submitter_pod_template,
            submitter_image=head_image(cluster) if cluster is not None else None,
            submitter_backoff_limit=submitter_backoff_limit,
            job_id=job_id,
            job_metadata=job_metadata,
            shutdown_after_job_finishes=shutdown_after_job_finishes,
            ttl_seconds_after_finished=ttl_seconds_after_finished,
            active_deadline_seconds=active_deadline_seconds,
            backoff_limit=backoff_limit,
            suspend=suspend,
            kueue_queue=kueue_queue,
            managed_by=managed_by,
            entrypoint_num_cpus=entrypoint_num_cpus,
            entrypoint_num_gpus=entrypoint_num_gpus,
            entrypoint_resources=entrypoint_resources,
            deletion_strategy=deletion_strategy,
            spec_overrides=spec_overrides,
        )
        self.model = built.model
        self.warnings: tuple[str, ...] = built.warnings
        """What the operator accepts but should be fixed (logged as Pulumi warnings too)."""
        extra = pulumi.ResourceOptions(depends_on=[cluster] if cluster is not None else None)
        if rerun_on_change:
            # The name is fixed, so the old RayJob has to go before its replacement exists.
            extra.replace_on_changes = ["spec"]
            extra.delete_before_replace = True
        self.manifest: dict[str, Any]
        """The exact manifest sent to Kubernetes (namespace filled in at deploy if an Output)."""
        self.manifest, resource = create_ray_resource(
            self,
            resource_name,
            self.model,
            namespace=job_namespace,
            caps=caps,
            operator=operator,
            component_opts=opts,
            warnings=self.warnings,
            resource_class=RayJobResource,
            extra_opts=extra,
        )
        self.custom_resource = cast(RayJobResource, resource)

        self.name = pulumi.Output.from_input(job_name)
        self.namespace = decide_namespace_output(job_namespace, self.custom_resource)
        status: pulumi.Output[Any] = self.custom_resource.status
        self.job_id = (
            pulumi.Output.from_input(job_id)
            if job_id
            else status.apply(lambda s: _status_field(s, "jobId"))
        )
        self.cluster_name = (
            pulumi.Output.from_input(existing)
            if existing is not None
            else status.apply(lambda s: _status_field(s, "rayClusterName"))
        )
        self.dashboard_url = pulumi.Output.all(self.cluster_name, self.namespace).apply(
            lambda args: cluster_addresses(args[0], args[1])["dashboard_url"] if args[0] else None
        )
        self.register_outputs(
            {
                "name": self.name,
                "namespace": self.namespace,
                "job_id": self.job_id,
                "cluster_name": self.cluster_name,
                "dashboard_url": self.dashboard_url,
            }
        )


def _status_field(status: Any, field: str) -> str | None:
    value = status.get(field) if isinstance(status, dict) else None
    return value if isinstance(value, str) and value else None
