"""TLS applied to a cluster spec: the mode chosen for the operator, then either KubeRay's
native ``tlsOptions`` or the per-pod certificate in every pod template and the autoscaler.

:func:`plan_cluster_spec` calls :func:`apply_cluster_tls` last (after ``overrides``), so no
override can leave a Ray container without TLS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.raycluster import (
    AutoscalerOptions,
    HeadGroupSpec,
    RayClusterSpec,
    TLSOptions,
    WorkerGroupSpec,
)
from pulumi_kuberay.plans.tls.args import (
    TlsArgs,
    TlsIssuerSource,
    decide_tls_args,
    decide_tls_issuer,
)
from pulumi_kuberay.plans.tls.mode import TlsMode, decide_tls_mode
from pulumi_kuberay.plans.tls.per_pod import (
    PerPodTls,
    autoscaler_additions,
    inject_pod_template,
    token_projected_only,
)


@dataclass(frozen=True)
class ClusterTls:
    """How one cluster gets TLS: the mode, and the per-pod settings in per-pod mode."""

    mode: TlsMode
    per_pod: PerPodTls | None = None


def decide_cluster_tls(
    tls: bool | TlsArgs | TlsIssuerSource | None,
    caps: OperatorCapabilities,
    *,
    namespace: str | None = None,
) -> ClusterTls | None:
    """The TLS of a cluster for ``tls=`` on an operator with ``caps`` (``None``: no TLS).

    Raises :class:`ValidationError` when no mode is possible (see :func:`decide_tls_mode`).
    """
    args = decide_tls_args(tls)
    if args is None:
        return None
    mode = decide_tls_mode(caps, args, namespace=namespace)
    if mode is TlsMode.NATIVE:
        return ClusterTls(mode)
    issuer = decide_tls_issuer(args)
    assert issuer is not None  # per-pod mode is only chosen with an issuer
    return ClusterTls(mode, PerPodTls(issuer, args))


def _image(template: Mapping[str, Any]) -> str:
    containers = (template.get("spec") or {}).get("containers") or [{}]
    image = containers[0].get("image")
    return image if isinstance(image, str) else ""


def _with_template(group: HeadGroupSpec | WorkerGroupSpec, template: dict[str, Any]) -> Any:
    data = {
        **group.model_dump(by_alias=True, exclude_unset=True, mode="json"),
        "template": template,
    }
    return type(group).model_validate(data)


def apply_per_pod_tls(spec: RayClusterSpec, tls: PerPodTls, *, at: str = "spec") -> RayClusterSpec:
    """``spec`` with the per-pod certificate in the head, every worker group and the autoscaler.

    Raises :class:`ValidationError` listing every group whose template conflicts.
    """
    problems: list[str] = []
    head = spec.head_group_spec
    head_template: dict[str, Any] | None = None
    try:
        head_template = inject_pod_template(
            head.template, tls, role="head", image=_image(head.template),
            at=f"{at}.headGroupSpec.template",
        )  # fmt: skip
    except ValidationError as exc:
        problems += exc.problems
    workers = []
    for index, group in enumerate(spec.worker_group_specs or ()):
        try:
            template = inject_pod_template(
                group.template, tls, role="worker", image=_image(group.template),
                at=f"{at}.workerGroupSpecs[{index}].template",
            )  # fmt: skip
        except ValidationError as exc:
            problems += exc.problems
            continue
        workers.append(_with_template(group, template))
    autoscaler = spec.autoscaler_options
    if spec.enable_in_tree_autoscaling and head_template is not None:
        options = autoscaler or AutoscalerOptions()
        try:
            env, mounts = autoscaler_additions(
                tls,
                options.env,
                options.volume_mounts,
                api_access=token_projected_only(head_template),
            )
            autoscaler = AutoscalerOptions.model_validate(
                {
                    **options.model_dump(by_alias=True, exclude_unset=True, mode="json"),
                    "env": env,
                    "volumeMounts": mounts,
                }
            )
        except ValidationError as exc:
            problems += [f"{at}.{problem}" for problem in exc.problems]
    if problems or head_template is None:
        raise ValidationError(problems)
    update: dict[str, Any] = {"head_group_spec": _with_template(head, head_template)}
    if spec.worker_group_specs is not None:
        update["worker_group_specs"] = workers
    if autoscaler is not None:
        update["autoscaler_options"] = autoscaler
    return spec.model_copy(update=update)


def apply_native_tls(spec: RayClusterSpec) -> RayClusterSpec:
    """``spec`` with ``tlsOptions.enabled: true``: the operator creates the CA, the head and
    worker certificates, mounts them and sets the TLS env on the Ray containers, KubeRay's
    ``wait-gcs-ready`` and the autoscaler (conflicting settings of yours are operator
    validation errors)."""
    return spec.model_copy(update={"tls_options": TLSOptions(enabled=True)})


def apply_cluster_tls(spec: RayClusterSpec, tls: ClusterTls, *, at: str = "spec") -> RayClusterSpec:
    """``spec`` with TLS as ``tls`` decided."""
    if tls.per_pod is not None:
        return apply_per_pod_tls(spec, tls.per_pod, at=at)
    return apply_native_tls(spec)
