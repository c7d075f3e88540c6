"""Building a RayCluster spec (and whole RayCluster) from the ergonomic description.

This is where every best-practice default is applied, visibly, and where the result is
checked with the operator's rules before any resource exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pydantic

from pulumi_kuberay.components.pulumi_inputs import deep_merge, to_plain
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.error_paths import describe_errors
from pulumi_kuberay.models.ray.raycluster import ManagedBy, RayCluster, RayClusterSpec
from pulumi_kuberay.plans.cluster.args import (
    Autoscaling,
    GcsFaultTolerance,
    HeadGroup,
    StartParamValue,
    WorkerGroup,
)
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.cluster.images import decide_group_image, single_image_problems
from pulumi_kuberay.plans.cluster.quantities import cpu_quantity, memory_quantity
from pulumi_kuberay.plans.cluster.templates import (
    group_accelerator,
    render_head_template,
    render_worker_template,
)
from pulumi_kuberay.plans.env import SecretRef
from pulumi_kuberay.plans.ray_object import validated_resource
from pulumi_kuberay.versions import DEFAULT_RAY_VERSION


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


def _credential(value: SecretRef | str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, SecretRef):
        return {"valueFrom": value.to_value_from()}
    return {"value": value}


def render_fault_tolerance(options: GcsFaultTolerance) -> dict[str, Any]:
    """``gcsFaultToleranceOptions`` from the ergonomic options."""
    rendered: dict[str, Any] = {"redisAddress": options.redis_address}
    password = _credential(options.redis_password)
    if password is not None:
        rendered["redisPassword"] = password
    username = _credential(options.redis_username)
    if username is not None:
        rendered["redisUsername"] = username
    if options.external_storage_namespace:
        rendered["externalStorageNamespace"] = options.external_storage_namespace
    return rendered


def render_autoscaler_options(options: Autoscaling) -> dict[str, Any]:
    """``autoscalerOptions``; ``cpu``/``memory`` become limits (requests default to them)."""
    rendered = options.model_dump(
        by_alias=False,
        exclude_none=True,
        exclude={"cpu", "memory", "resources"},
    )
    camel = {
        "version": "version",
        "upscaling_mode": "upscalingMode",
        "idle_timeout_seconds": "idleTimeoutSeconds",
        "image": "image",
        "image_pull_policy": "imagePullPolicy",
        "env": "env",
        "env_from": "envFrom",
        "volume_mounts": "volumeMounts",
        "security_context": "securityContext",
    }
    result: dict[str, Any] = {camel[k]: v for k, v in rendered.items()}
    resources = dict(options.resources or {})
    limits = dict(resources.get("limits") or {})
    if options.cpu is not None:
        limits["cpu"] = cpu_quantity(options.cpu, "autoscaling.cpu")
    if options.memory is not None:
        limits["memory"] = memory_quantity(options.memory, "autoscaling.memory")
    if limits:
        resources["limits"] = limits
    if resources:
        result["resources"] = resources
    return result


def build_cluster_spec(
    *,
    head: HeadGroup | None = None,
    worker_groups: Sequence[WorkerGroup] = (),
    ray_version: str = DEFAULT_RAY_VERSION,
    image: str | None = None,
    autoscaling: Autoscaling | bool | None = None,
    fault_tolerance: GcsFaultTolerance | None = None,
    auth_token: bool = False,
    head_service_annotations: Mapping[str, str] | None = None,
    suspend: bool | None = None,
    managed_by: ManagedBy | None = None,
    best_practices: BestPractices | None = None,
    spec_overrides: Mapping[str, Any] | None = None,
) -> RayClusterSpec:
    """The ``RayClusterSpec`` for the description, best practices applied.

    ``spec_overrides`` (raw CRD fields, camelCase) is deep-merged last: the escape hatch for
    anything the shortcuts do not cover. Raises :class:`ValidationError` for bad shortcuts.
    """
    head = head or HeadGroup()
    best = best_practices or BestPractices()
    if isinstance(autoscaling, bool):
        autoscaling = Autoscaling() if autoscaling else None
    problems: list[str] = []

    head_image = decide_group_image(image, ray_version, wants_gpu=bool(head.gpus))
    images: dict[str, str] = {}
    try:
        head_template = render_head_template(head, image=head_image, best=best)
        images["head"] = head_template["spec"]["containers"][0]["image"]
    except ValueError as exc:
        problems.append(str(exc))
        head_template = {}

    head_spec: dict[str, Any] = {
        "rayStartParams": decide_head_start_params(
            head, has_workers=bool(worker_groups), best=best
        ),
        "template": head_template,
    }
    for key, value in (
        ("serviceType", head.service_type),
        ("enableIngress", head.enable_ingress),
        ("headService", head.head_service),
        ("resources", _ray_resources(head.ray_resources, bool(worker_groups), best)),
        ("labels", head.ray_labels),
    ):
        if value is not None:
            head_spec[key] = value

    groups = []
    for group in worker_groups:
        accelerator = group_accelerator(group)
        wants_gpu = bool(group.gpus) and accelerator is not None and accelerator.is_nvidia
        group_image = decide_group_image(image, ray_version, wants_gpu=wants_gpu)
        try:
            template = render_worker_template(group, image=group_image, best=best)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        images[f"worker_groups[{group.name!r}]"] = template["spec"]["containers"][0]["image"]
        low, high = decide_replica_bounds(group, autoscaling=autoscaling is not None)
        rendered: dict[str, Any] = {
            "groupName": group.name,
            "replicas": group.replicas,
            "minReplicas": low,
            "maxReplicas": high,
            "rayStartParams": start_params(group.ray_start_params),
            "template": template,
        }
        optional: tuple[tuple[str, object], ...] = (
            ("numOfHosts", group.num_of_hosts),
            ("idleTimeoutSeconds", group.idle_timeout_seconds),
            ("suspend", group.suspend),
            ("resources", group.ray_resources),
            ("labels", group.ray_labels),
        )
        rendered.update({key: value for key, value in optional if value is not None})
        groups.append(rendered)

    if best.single_image:
        problems += single_image_problems(images, ray_version)
    if problems:
        raise ValidationError(problems, subject="RayCluster")

    spec: dict[str, Any] = {
        "rayVersion": ray_version,
        "headGroupSpec": head_spec,
        "workerGroupSpecs": groups,
    }
    if autoscaling is not None:
        spec["enableInTreeAutoscaling"] = True
        options = render_autoscaler_options(autoscaling)
        if options:
            spec["autoscalerOptions"] = options
    if fault_tolerance is not None:
        spec["gcsFaultToleranceOptions"] = render_fault_tolerance(fault_tolerance)
    if auth_token:
        spec["authOptions"] = {"mode": "token"}
    if head_service_annotations:
        spec["headServiceAnnotations"] = dict(head_service_annotations)
    if suspend is not None:
        spec["suspend"] = suspend
    if managed_by is not None:
        spec["managedBy"] = managed_by
    if spec_overrides:
        spec = deep_merge(spec, to_plain(dict(spec_overrides), "spec_overrides"))
    try:
        return RayClusterSpec.model_validate(spec)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [f"spec.{m}" for m in describe_errors(RayClusterSpec, exc)], subject="RayCluster"
        ) from None


def _ray_resources(
    resources: Mapping[str, str] | None, has_workers: bool, best: BestPractices
) -> dict[str, str] | None:
    if resources is None:
        return None
    rendered = dict(resources)
    if best.head_runs_no_workloads and has_workers:
        rendered.setdefault("CPU", "0")
    return rendered


def build_raycluster(
    name: str,
    *,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    capabilities: OperatorCapabilities | None = None,
    **spec_args: Any,
) -> RayCluster:
    """A validated RayCluster model: :func:`build_cluster_spec` plus metadata, checked with
    every operator rule for ``capabilities`` (raises :class:`ValidationError`)."""
    return validated_resource(
        RayCluster,
        name,
        build_cluster_spec(**spec_args).to_dict(),
        namespace=namespace,
        labels=labels,
        annotations=annotations,
        capabilities=capabilities,
    )
