"""Rendering a :class:`ClusterArgs` into a ``RayClusterSpec`` model, best practices applied.

This is the one place where cluster arguments become the CRD's model: RayCluster ``spec``,
RayJob ``rayClusterSpec`` and RayService ``rayClusterConfig`` all come from
:func:`plan_cluster_spec`. Every default is a named ``decide_...`` function; the models are
built directly (no dicts parsed back), and only ``overrides`` goes through a dict merge.
https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.error_paths import describe_errors
from pulumi_kuberay.models.merging import deep_merge
from pulumi_kuberay.models.ray.raycluster import (
    AuthOptions,
    AutoscalerOptions,
    GcsFaultToleranceOptions,
    HeadGroupSpec,
    RayClusterSpec,
    RedisCredential,
    WorkerGroupSpec,
)
from pulumi_kuberay.plans.cluster.args import (
    Autoscaling,
    ClusterArgs,
    GcsFaultTolerance,
    HeadGroup,
    StartParamValue,
    WorkerGroup,
)
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.cluster.images import decide_group_image, single_image_problems
from pulumi_kuberay.plans.cluster.quantities import cpu_quantity, memory_quantity
from pulumi_kuberay.plans.cluster.templates import (
    GroupRendering,
    decide_accelerator,
    render_pod_template,
)
from pulumi_kuberay.plans.env import ContainerEnv, SecretRef
from pulumi_kuberay.plans.node_pools.groups import (
    decide_node_pool,
    group_on_pool,
    group_pool_warnings,
)
from pulumi_kuberay.plans.tls.cluster_tls import ClusterTls, apply_cluster_tls, decide_cluster_tls

Model = TypeVar("Model", bound=pydantic.BaseModel)
CrdModelT = TypeVar("CrdModelT", bound=CrdModel)


def rendered(model: type[CrdModelT], at: str, **fields: Any) -> CrdModelT:
    """``model.of(**fields)``, with what the CRD model refuses (a template value of the wrong shape)
    reported as a :class:`ValidationError` whose paths start at ``at``."""
    try:
        return model.of(**fields)
    except pydantic.ValidationError as exc:
        raise ValidationError([f"{at}.{m}" for m in describe_errors(model, exc)]) from None


def start_params(values: Mapping[str, StartParamValue] | None) -> dict[str, str]:
    """``rayStartParams`` with every value a string, as the CRD requires."""
    rendered = {}
    for key, value in (values or {}).items():
        if isinstance(value, bool):
            rendered[key] = "true" if value else "false"
        else:
            rendered[key] = str(value)
    return rendered


def decide_head_start_params(
    head: HeadGroup, *, has_workers: bool, best: BestPractices
) -> dict[str, str]:
    """The head's rayStartParams: yours, plus dashboard-host and num-cpus "0" when enabled."""
    params = start_params(head.ray_start_params)
    if best.dashboard_on_all_interfaces:
        params.setdefault("dashboard-host", "0.0.0.0")
    # The operator rejects num-cpus together with the group's resources field.
    if best.head_runs_no_workloads and has_workers and head.ray_resources is None:
        params.setdefault("num-cpus", "0")
    return params


def decide_head_ray_resources(
    resources: Mapping[str, str] | None, *, has_workers: bool, best: BestPractices
) -> dict[str, str] | None:
    """The head's ``resources`` field: yours, with ``CPU: "0"`` when the head runs no work
    (the field form of ``num-cpus: "0"``, which the operator refuses beside it)."""
    if resources is None:
        return None
    rendered = dict(resources)
    if best.head_runs_no_workloads and has_workers:
        rendered.setdefault("CPU", "0")
    return rendered


def decide_replica_bounds(group: WorkerGroup, *, autoscaling: bool) -> tuple[int, int]:
    """(minReplicas, maxReplicas) when not given: a fixed-size group is pinned to ``replicas``;
    an autoscaled one may scale to zero and up to ``replicas`` (raise ``max_replicas`` to let
    the autoscaler go further)."""
    high = group.max_replicas
    low = group.min_replicas
    if low is None:
        fixed = group.replicas if high is None else min(group.replicas, high)
        low = 0 if autoscaling else fixed
    if high is None:
        high = max(group.replicas, low)
    return low, high


def decide_autoscaling(autoscaling: Autoscaling | bool | None) -> Autoscaling | None:
    """``True`` means the autoscaler's defaults; ``False`` and ``None`` mean off."""
    if isinstance(autoscaling, bool):
        return Autoscaling() if autoscaling else None
    return autoscaling


def decide_fault_tolerance(cluster: ClusterArgs) -> GcsFaultTolerance | None:
    """The GCS fault tolerance options: given directly, or from a store that provides them."""
    source = cluster.fault_tolerance
    if source is None or isinstance(source, GcsFaultTolerance):
        return source
    return source.gcs_fault_tolerance()


def _credential(value: SecretRef | str | None) -> RedisCredential | None:
    if value is None:
        return None
    if isinstance(value, SecretRef):
        return RedisCredential(value_from=value.to_value_from())
    return RedisCredential(value=value)


def render_fault_tolerance(options: GcsFaultTolerance) -> GcsFaultToleranceOptions:
    """``gcsFaultToleranceOptions``: the address, and credentials by Secret reference."""
    return GcsFaultToleranceOptions.of(
        redis_address=options.redis_address,
        redis_password=_credential(options.redis_password),
        redis_username=_credential(options.redis_username),
        external_storage_namespace=options.external_storage_namespace or None,
    )


def render_autoscaler_options(options: Autoscaling) -> AutoscalerOptions | None:
    """``autoscalerOptions`` (``None`` when nothing is set); ``cpu``/``memory`` become limits."""
    fields = options.model_dump(exclude_none=True, exclude={"cpu", "memory", "resources"})
    resources = dict(options.resources or {})
    limits = dict(resources.get("limits") or {})
    if options.cpu is not None:
        limits["cpu"] = cpu_quantity(options.cpu, "autoscaling.cpu")
    if options.memory is not None:
        limits["memory"] = memory_quantity(options.memory, "autoscaling.memory")
    if limits:
        resources["limits"] = limits
    if resources:
        fields["resources"] = resources
    return AutoscalerOptions(**fields) if fields else None


def _head_spec(
    cluster: ClusterArgs, *, has_workers: bool, ray_env: ContainerEnv | None
) -> tuple[HeadGroupSpec, str]:
    head, best = cluster.head, cluster.best_practices
    accelerator = decide_accelerator(head)
    image = decide_group_image(
        cluster.image, cluster.ray_version, wants_gpu=accelerator is not None
    )
    rendering = GroupRendering("head", image, "ray-head", accelerator, head=True)
    template = render_pod_template(
        head, rendering, best=best, ray_env=ray_env, pod_labels=cluster.pod_labels
    )
    spec = rendered(
        HeadGroupSpec,
        "head",
        ray_start_params=decide_head_start_params(head, has_workers=has_workers, best=best),
        template=template,
        service_type=head.service_type,
        enable_ingress=head.enable_ingress,
        head_service=head.head_service,
        resources=decide_head_ray_resources(head.ray_resources, has_workers=has_workers, best=best),
        labels=head.ray_labels,
    )
    return spec, template["spec"]["containers"][0]["image"]


def _worker_spec(
    cluster: ClusterArgs,
    group: WorkerGroup,
    *,
    autoscaling: bool,
    ray_env: ContainerEnv | None,
) -> tuple[WorkerGroupSpec, str]:
    field = f"worker_groups[{group.name!r}]"
    pool = decide_node_pool(group.node_pool)
    if pool is not None:
        fill = cluster.best_practices.size_pods_to_nodes
        group = group_on_pool(group, pool, fill=fill, field=field).group
    accelerator = decide_accelerator(group)
    wants_gpu = accelerator is not None and accelerator.is_nvidia
    image = decide_group_image(cluster.image, cluster.ray_version, wants_gpu=wants_gpu)
    rendering = GroupRendering(field, image, "ray-worker", accelerator, head=False)
    template = render_pod_template(
        group,
        rendering,
        best=cluster.best_practices,
        ray_env=ray_env,
        pod_labels=cluster.pod_labels,
    )
    low, high = decide_replica_bounds(group, autoscaling=autoscaling)
    spec = rendered(
        WorkerGroupSpec,
        rendering.field,
        group_name=group.name,
        replicas=group.replicas,
        min_replicas=low,
        max_replicas=high,
        num_of_hosts=group.num_of_hosts,
        idle_timeout_seconds=group.idle_timeout_seconds,
        ray_start_params=start_params(group.ray_start_params),
        template=template,
        suspend=group.suspend,
        resources=group.ray_resources,
        labels=group.ray_labels,
    )
    return spec, template["spec"]["containers"][0]["image"]


def plan_cluster_spec(
    cluster: ClusterArgs,
    *,
    at: str = "spec",
    ray_env: ContainerEnv | None = None,
    caps: OperatorCapabilities | None = None,
    namespace: str | None = None,
) -> RayClusterSpec:
    """The ``RayClusterSpec`` a :class:`ClusterArgs` describes, best practices applied.

    ``ray_env`` is added to the Ray container of the head and every worker group (credentials
    of a RayJob or RayService). ``at`` is where the spec sits in its object (``spec``,
    ``spec.rayClusterSpec``, ``spec.rayClusterConfig``), for messages about ``overrides``.
    ``caps`` (default: the library's operator) and ``namespace`` (the object's, when known)
    decide how ``tls`` is done. Raises :class:`ValidationError` listing every problem of the
    arguments.
    """
    problems: list[str] = []
    tls: ClusterTls | None = None
    try:
        tls = decide_cluster_tls(cluster.tls, caps or OperatorCapabilities(), namespace=namespace)
    except ValidationError as exc:
        problems += exc.problems
    autoscaling = decide_autoscaling(cluster.autoscaling)
    has_workers = bool(cluster.worker_groups)
    images: dict[str, str] = {}
    head_spec: HeadGroupSpec | None = None
    try:
        head_spec, images["head"] = _head_spec(cluster, has_workers=has_workers, ray_env=ray_env)
    except ValidationError as exc:
        problems += exc.problems
    workers: list[WorkerGroupSpec] = []
    for group in cluster.worker_groups:
        try:
            worker, images[f"worker_groups[{group.name!r}]"] = _worker_spec(
                cluster, group, autoscaling=autoscaling is not None, ray_env=ray_env
            )
        except ValidationError as exc:
            problems += exc.problems
            continue
        workers.append(worker)
    if cluster.best_practices.single_image:
        problems += single_image_problems(images, cluster.ray_version)
    fault_tolerance = decide_fault_tolerance(cluster)
    autoscaler_options = None
    try:
        autoscaler_options = (
            render_autoscaler_options(autoscaling) if autoscaling is not None else None
        )
    except ValidationError as exc:
        problems += exc.problems
    if problems or head_spec is None:
        raise ValidationError(problems)

    spec = RayClusterSpec.of(
        ray_version=cluster.ray_version,
        head_group_spec=head_spec,
        worker_group_specs=workers,
        enable_in_tree_autoscaling=True if autoscaling is not None else None,
        autoscaler_options=autoscaler_options,
        gcs_fault_tolerance_options=(
            render_fault_tolerance(fault_tolerance) if fault_tolerance is not None else None
        ),
        auth_options=AuthOptions(mode="token") if cluster.auth_token else None,
        head_service_annotations=cluster.head_service_annotations or None,
    )
    if cluster.overrides:
        spec = apply_overrides(RayClusterSpec, spec, cluster.overrides, at=at)
    # Last, so that no override can leave a Ray container without TLS.
    if tls is not None:
        spec = apply_cluster_tls(spec, tls, at=at)
    return spec


def cluster_warnings(cluster: ClusterArgs) -> list[str]:
    """What the cluster's arguments accept but a reader should know: accelerators whose model
    label is not known on the chosen scheme, and groups with more replicas than their pool
    holds. (Problems are errors raised by :func:`plan_cluster_spec`.)"""
    warnings: list[str] = []
    autoscaling = decide_autoscaling(cluster.autoscaling) is not None
    groups: list[tuple[str, HeadGroup | WorkerGroup]] = [("head", cluster.head)]
    groups += [(f"worker_groups[{g.name!r}]", g) for g in cluster.worker_groups]
    for field, group in groups:
        pool = decide_node_pool(group.node_pool) if isinstance(group, WorkerGroup) else None
        if pool is not None and isinstance(group, WorkerGroup):
            fill = cluster.best_practices.size_pods_to_nodes
            warnings += group_pool_warnings(
                group, pool, fill=fill, autoscaling=autoscaling, field=field
            )
            continue
        accelerator = decide_accelerator(group)
        if accelerator is not None:
            warnings += [f"{field}: {w}" for w in accelerator.placement_warnings()]
    return warnings


def apply_overrides(
    model: type[Model], value: Model, overrides: Mapping[str, Any], *, at: str
) -> Model:
    """``value`` with raw CRD fields deep-merged over it (the ``overrides`` escape hatch),
    checked like any manifest: unknown fields and wrong types are errors at ``at``."""
    if not isinstance(overrides, Mapping):
        raise ValidationError(f"overrides: expected a mapping of {at} fields (camelCase)")
    merged = deep_merge(value.model_dump(by_alias=True, exclude_unset=True, mode="json"), overrides)
    try:
        return model.model_validate(merged)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [f"{at}.{message} (from overrides)" for message in describe_errors(model, exc)]
        ) from None
