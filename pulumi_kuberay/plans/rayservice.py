"""The plan of a ``RayService``: a Serve config, the cluster that serves it, high availability
and upgrades, checked with the operator's rules before anything exists.

- https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-high-availability.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from pydantic import Field

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.rayservice import (
    INCREMENTAL_UPGRADE,
    INITIALIZING_TIMEOUT_ANNOTATION,
    ClusterUpgradeOptions,
    RayService,
    RayServiceSpec,
    RayServiceUpgradeStrategy,
)
from pulumi_kuberay.models.ray.validation.rayservice import rayservice_warnings
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.cluster.args import ClusterArgs
from pulumi_kuberay.plans.cluster.cluster_spec import (
    apply_overrides,
    cluster_warnings,
    plan_cluster_spec,
)
from pulumi_kuberay.plans.env import SecretEnv, secret_container_env
from pulumi_kuberay.plans.kueue.admission import (
    Queueing,
    QueueingArgs,
    finish_queued,
    plan_queueing,
    queued_cluster_spec,
)
from pulumi_kuberay.plans.ray_object import (
    ObjectArgs,
    RayObjectPlan,
    finish_ray_object,
    problems_of,
    subject_of,
)
from pulumi_kuberay.plans.readiness import RAYSERVICE_READY
from pulumi_kuberay.plans.serve_config import ServeConfigArg, render_serve_config

RAYSERVICE_TOP_LEVEL_SINCE = "0.17.0"
"""Kueue manages RayServices as workloads of their own from 0.17
(https://kueue.sigs.k8s.io/docs/tasks/run/rayservices/)."""

UpgradeType = Literal["NewCluster", "NewClusterWithIncrementalUpgrade", "None"]


class IncrementalUpgrade(ArgumentModel):
    """Move traffic to a new cluster in steps through a Gateway API route
    (``upgradeStrategy.clusterUpgradeOptions``; KubeRay >= 1.5, ``RayServiceIncrementalUpgrade``
    gate, autoscaling on).

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html
    """

    gateway_class_name: str
    """``gatewayClassName``: the GatewayClass of your Gateway API controller (e.g. ``istio``)."""
    step_size_percent: int
    """``stepSizePercent``: share of traffic moved at each step."""
    interval_seconds: int
    """``intervalSeconds``: seconds between steps."""
    max_surge_percent: int | None = None
    """``maxSurgePercent``: extra capacity the new cluster may add beyond the old one's.
    Default: unset (KubeRay's 100)."""


class ServiceArgs(QueueingArgs):
    """Ray Serve applications and the cluster that serves them, described once: what
    ``RayService`` renders into a ``RayServiceSpec``. ``queue=`` (a Kueue LocalQueue, Kueue >=
    0.17) queues it; see :class:`~pulumi_kuberay.plans.kueue.admission.QueueingArgs`."""

    serve_config: ServeConfigArg
    """``serveConfigV2``: a :class:`ServeConfig`, a mapping or raw YAML."""
    cluster: ClusterArgs = Field(default_factory=ClusterArgs)
    """The cluster that serves (``rayClusterConfig``). Default: a small default cluster."""
    secret_env: SecretEnv | None = None
    """Env vars from Secrets on the Ray containers (``secretKeyRef``), for Serve replicas that
    need credentials (``HF_TOKEN``). Default: none."""
    env_from_secrets: list[str] | None = None
    """Whole Secrets as env (``envFrom.secretRef``) on the Ray containers. Default: none."""
    upgrade_type: UpgradeType | None = None
    """``upgradeStrategy.type``: NewCluster (KubeRay's default), NewClusterWithIncrementalUpgrade
    or None (no upgrades). Default: unset."""
    incremental_upgrade: IncrementalUpgrade | None = None
    """Incremental upgrades (implies their ``upgradeStrategy.type``). Default: off."""
    initializing_timeout: str | int | None = None
    """The ``ray.io/initializing-timeout`` annotation: seconds or a Go duration (``"15m"``)
    a new cluster may take to serve. Default: unset (the operator's)."""
    ray_cluster_deletion_delay_seconds: int | None = None
    """``rayClusterDeletionDelaySeconds``: how long an old cluster lives after an upgrade.
    Default: unset (60)."""
    exclude_head_pod_from_serve_svc: bool | None = None
    """``excludeHeadPodFromServeSvc``: no Serve traffic to the head. Default: unset (false)."""
    serve_service: Any = None
    """``serveService``: a core/v1 Service the operator starts the Serve Service from (dict or
    ``ServiceArgs`` of pulumi_kubernetes). Default: unset."""
    overrides: dict[str, Any] | None = None
    """Raw RayService ``spec`` fields (camelCase), deep-merged last. Default: none."""


def decide_upgrade_strategy(
    upgrade_type: UpgradeType | None, incremental: IncrementalUpgrade | None
) -> RayServiceUpgradeStrategy | None:
    """``upgradeStrategy``: ``incremental_upgrade`` implies its type; otherwise the type given,
    or unset (KubeRay's default, NewCluster)."""
    if incremental is None:
        return RayServiceUpgradeStrategy(type=upgrade_type) if upgrade_type is not None else None
    if upgrade_type not in (None, INCREMENTAL_UPGRADE):
        raise ValidationError(
            f"upgrade_type: {upgrade_type!r} contradicts incremental_upgrade, which is the "
            f"{INCREMENTAL_UPGRADE} strategy; remove one of them"
        )
    options = ClusterUpgradeOptions.of(**incremental.model_dump())
    return RayServiceUpgradeStrategy(type=INCREMENTAL_UPGRADE, cluster_upgrade_options=options)


def initializing_timeout_annotation(timeout: str | int | None) -> dict[str, str]:
    """``ray.io/initializing-timeout``: seconds (an int) or a Go duration such as ``"15m"``."""
    if timeout is None:
        return {}
    return {INITIALIZING_TIMEOUT_ANNOTATION: str(timeout)}


def plan_service_spec(
    args: ServiceArgs,
    *,
    at: str = "spec",
    queueing: Queueing | None = None,
    caps: OperatorCapabilities | None = None,
    namespace: str | None = None,
) -> RayServiceSpec:
    """The ``RayServiceSpec`` a :class:`ServiceArgs` describes; ``queueing`` suspends its
    cluster (``rayClusterConfig.suspend``) for Kueue; ``caps`` and ``namespace`` as for
    :func:`plan_cluster_spec`.

    Raises :class:`ValidationError` listing every problem of the arguments.
    """
    extra = secret_container_env(args.secret_env, args.env_from_secrets)
    serve_service = args.serve_service
    if serve_service is not None and not isinstance(serve_service, dict):
        raise ValidationError(
            f"serve_service: expected a core/v1 Service mapping, got {type(serve_service).__name__}"
        )
    cluster = plan_cluster_spec(
        args.cluster, at=f"{at}.rayClusterConfig", ray_env=extra, caps=caps, namespace=namespace
    )
    if queueing is not None:
        cluster = queued_cluster_spec(cluster, queueing, suspend=True)
    spec = RayServiceSpec.of(
        serve_config_v2=render_serve_config(args.serve_config),
        ray_cluster_config=cluster,
        upgrade_strategy=decide_upgrade_strategy(args.upgrade_type, args.incremental_upgrade),
        ray_cluster_deletion_delay_seconds=args.ray_cluster_deletion_delay_seconds,
        exclude_head_pod_from_serve_svc=args.exclude_head_pod_from_serve_svc,
        serve_service=serve_service,
    )
    if args.overrides:
        spec = apply_overrides(RayServiceSpec, spec, args.overrides, at=at)
    return spec


def plan_rayservice(
    obj: ObjectArgs, args: ServiceArgs, caps: OperatorCapabilities
) -> RayObjectPlan[RayService]:
    """The validated RayService for ``args`` on an operator with ``caps``, and its warnings
    (deprecated fields, literal credentials the operator would accept).

    Raises :class:`pulumi_kuberay.ValidationError` naming the service and every problem.
    """
    with problems_of(subject_of(RayService, obj)):
        queueing = plan_service_queueing(args, obj.namespace)
        spec = plan_service_spec(args, queueing=queueing, caps=caps, namespace=obj.namespace)
    annotations = {**obj.annotations, **initializing_timeout_annotation(args.initializing_timeout)}
    labels = dict(obj.labels)
    if queueing is not None:
        labels.update(queueing.labels)
        annotations.update(queueing.annotations)
    plan = finish_ray_object(
        RayService,
        replace(obj, labels=labels, annotations=annotations),
        spec,
        caps,
        ready_when=RAYSERVICE_READY,
        warnings=rayservice_warnings,
        argument_warnings=cluster_warnings(args.cluster),
    )
    return finish_queued(plan, queueing)


def plan_service_queueing(args: ServiceArgs, namespace: str | None) -> Queueing | None:
    """What ``queue=`` adds to the service (``None`` when it is not queued). Kueue manages a
    RayService itself from 0.17 (before, through the RayCluster it creates); MultiKueue needs
    ``spec.managedBy``, which the RayService model of KubeRay 1.5 lacks."""
    cluster = args.cluster
    override = (cluster.overrides or {}).get("enableInTreeAutoscaling")
    autoscaling = override if isinstance(override, bool) else bool(cluster.autoscaling)
    queueing = plan_queueing("RayService", args, autoscaling=autoscaling, namespace=namespace)
    if queueing is None:
        return None
    if not queueing.target.kueue.at_least(RAYSERVICE_TOP_LEVEL_SINCE):
        raise ValidationError(
            f"queue: Kueue {queueing.target.kueue.version} manages a RayService only through "
            f"the RayCluster it creates (a top-level RayService needs Kueue >= "
            f"{RAYSERVICE_TOP_LEVEL_SINCE}); upgrade Kueue"
        )
    if queueing.managed_by is not None:
        raise ValidationError(
            f"queue: {queueing.target.name!r} dispatches through MultiKueue, which needs "
            "spec.managedBy on the RayService; this library's RayService (KubeRay 1.5) has no "
            "such field; queue the service to a queue without MultiKueue"
        )
    return queueing
