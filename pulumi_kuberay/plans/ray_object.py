"""The last step of every builder: a whole custom resource, parsed and checked with the
operator's rules, or a :class:`ValidationError` listing every problem."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.error_paths import describe_errors
from pulumi_kuberay.models.ray.resource import API_VERSION, CustomResourceModel
from pulumi_kuberay.spec import validate_model

Model = TypeVar("Model", bound=CustomResourceModel)


def validated_resource(
    model_class: type[Model],
    name: str,
    spec: Mapping[str, Any],
    *,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    capabilities: OperatorCapabilities | None = None,
) -> Model:
    """``model_class`` built from metadata and ``spec`` (empty metadata fields left out),
    rejected with every structural and operator problem for ``capabilities``."""
    metadata: dict[str, Any] = {"name": name}
    for key, value in (
        ("namespace", namespace),
        ("labels", dict(labels or {})),
        ("annotations", dict(annotations or {})),
    ):
        if value:
            metadata[key] = value
    doc = {"apiVersion": API_VERSION, "kind": model_class.KIND, "metadata": metadata, "spec": spec}
    subject = f"{model_class.KIND} {name}"
    try:
        model = model_class.model_validate(doc)
    except pydantic.ValidationError as exc:
        raise ValidationError(describe_errors(model_class, exc), subject=subject) from None
    problems = validate_model(model, capabilities)
    if problems:
        raise ValidationError(problems, subject=subject)
    return model
