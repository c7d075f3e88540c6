"""The public contract over plain manifests: ``parse_manifest`` and ``validate_manifest``.

``parse_manifest`` is faithful: it rejects structural problems (unknown fields, wrong types,
values outside the CRD's enums) and nothing else, so an existing manifest comes back out of
``to_manifest()`` unchanged. ``validate_manifest`` adds the operator's rules and never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities, capabilities_from
from pulumi_kuberay.models.error_paths import describe_errors
from pulumi_kuberay.models.ray.raycluster import RayCluster
from pulumi_kuberay.models.ray.raycronjob import RayCronJob
from pulumi_kuberay.models.ray.rayjob import RayJob
from pulumi_kuberay.models.ray.rayservice import RayService
from pulumi_kuberay.models.ray.resource import API_VERSION, CustomResourceModel
from pulumi_kuberay.models.ray.validation.raycluster import raycluster_problems
from pulumi_kuberay.models.ray.validation.raycronjob import raycronjob_problems
from pulumi_kuberay.models.ray.validation.rayjob import rayjob_problems
from pulumi_kuberay.models.ray.validation.rayservice import rayservice_problems


@dataclass(frozen=True)
class ResourceKind:
    """How to parse and validate one kind of KubeRay object."""

    model: type[CustomResourceModel]
    rules: Callable[[Any, OperatorCapabilities], list[str]]


KINDS: dict[str, ResourceKind] = {
    "RayCluster": ResourceKind(RayCluster, raycluster_problems),
    "RayJob": ResourceKind(RayJob, rayjob_problems),
    "RayService": ResourceKind(RayService, rayservice_problems),
    "RayCronJob": ResourceKind(RayCronJob, raycronjob_problems),
}
"""The kinds ``parse_manifest`` and ``validate_manifest`` know, with their models and rules."""

__all__ = [
    "OperatorCapabilities",
    "capabilities_from",
    "parse_manifest",
    "validate_manifest",
    "validate_model",
]


def _capabilities(
    operator_version: str | None,
    feature_gates: Mapping[str, bool] | None,
    capabilities: OperatorCapabilities | None,
) -> OperatorCapabilities:
    if capabilities is not None:
        return capabilities
    return capabilities_from(operator_version, feature_gates)


def parse_manifest(doc: Mapping[str, Any]) -> CustomResourceModel:
    """A ``ray.io/v1`` manifest dict -> its typed model (RayCluster, RayJob, RayService or
    RayCronJob; the models hold every field of KubeRay 1.5 to 1.7).

    Raises :class:`pulumi_kuberay.ValidationError` for structural problems: not a mapping, an
    unknown apiVersion or kind, unknown fields, wrong types, values outside the CRD's enums.
    """
    if not isinstance(doc, Mapping):
        raise ValidationError(f"expected a manifest mapping, got {type(doc).__name__}")
    kind = doc.get("kind")
    api_version = doc.get("apiVersion")
    if api_version != API_VERSION:
        raise ValidationError(
            f"apiVersion: {api_version!r} is not supported; use {API_VERSION!r} (the storage "
            "version since KubeRay 1.0)"
        )
    entry = KINDS.get(str(kind))
    if entry is None:
        raise ValidationError(
            f"kind: {kind!r} is not a KubeRay kind; expected one of {sorted(KINDS)}"
        )
    try:
        return entry.model.model_validate(dict(doc))
    except pydantic.ValidationError as exc:
        name = (
            (doc.get("metadata") or {}).get("name")
            if isinstance(doc.get("metadata"), Mapping)
            else None
        )
        raise ValidationError(
            describe_errors(entry.model, exc), subject=f"{kind} {name or ''}".strip()
        ) from None


def validate_model(
    model: CustomResourceModel, capabilities: OperatorCapabilities | None = None
) -> list[str]:
    """The operator's rules over an already parsed model."""
    entry = KINDS[model.kind or model.KIND]
    return entry.rules(model, capabilities or OperatorCapabilities())


def validate_manifest(
    doc: Mapping[str, Any],
    operator_version: str | None = None,
    feature_gates: Mapping[str, bool] | None = None,
    *,
    capabilities: OperatorCapabilities | None = None,
) -> list[str]:
    """Every reason the KubeRay operator (or the API server) would reject ``doc``.

    Empty when it would be accepted. Never raises on bad input: structural problems, a bad
    operator version or an unknown feature gate are reported as messages too.
    """
    try:
        caps = _capabilities(operator_version, feature_gates, capabilities)
        model = parse_manifest(doc)
    except ValidationError as exc:
        return list(exc.problems)
    return validate_model(model, caps)
