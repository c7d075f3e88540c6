"""The component edge: what users pass in Pulumi's types, made plain for the pure plans.

Argument objects keep ``pulumi_kubernetes`` input types (``PodTemplateSpecArgs``, ...) as given,
because the plans never import Pulumi. Components call :func:`at_component_edge` first: input
types become the camelCase dicts they stand for, a ``pulumi.Output`` is refused (the manifest is
validated at preview, before outputs are known), and every Pulumi resource found in the
arguments (a ``RayCluster`` to submit to, a Redis component) is returned as a dependency.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pulumi
from pulumi import _types as pulumi_types

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.arguments import ArgumentModel

Arguments = TypeVar("Arguments", bound=ArgumentModel)


def plain_value(value: Any, field: str) -> Any:
    """``value`` with pulumi_kubernetes input types turned into camelCase dicts (a deep copy
    only where something changed). Raises :class:`ValidationError` for a ``pulumi.Output``."""
    if isinstance(value, pulumi.Output):
        raise ValidationError(
            f"{field}: a pulumi.Output cannot be used here because the manifest is validated at "
            "preview; pass a plain value (or build the component inside Output.apply)"
        )
    if pulumi_types.is_input_type(type(value)):
        return {
            key: plain_value(item, f"{field}.{key}")
            for key, item in pulumi_types.input_type_to_dict(value).items()
            if item is not None
        }
    if isinstance(value, dict):
        converted = {key: plain_value(item, f"{field}.{key}") for key, item in value.items()}
        return value if all(converted[k] is value[k] for k in value) else converted
    if isinstance(value, (list, tuple)):
        items = [plain_value(item, f"{field}[{i}]") for i, item in enumerate(value)]
        same = all(new is old for new, old in zip(items, value, strict=True))
        return value if same else type(value)(items)
    return value


def _edge(model: Arguments, prefix: str, resources: list[pulumi.Resource]) -> Arguments:
    updates: dict[str, Any] = {}
    for name in model.model_fields_set:
        value = getattr(model, name)
        field = f"{prefix}{name}"
        if isinstance(value, pulumi.Resource):
            resources.append(value)
            continue
        if isinstance(value, ArgumentModel):
            converted: Any = _edge(value, f"{field}.", resources)
        elif isinstance(value, list) and any(isinstance(v, ArgumentModel) for v in value):
            converted = [
                _edge(v, f"{field}[{i}].", resources) if isinstance(v, ArgumentModel) else v
                for i, v in enumerate(value)
            ]
            if all(new is old for new, old in zip(converted, value, strict=True)):
                converted = value
        else:
            converted = plain_value(value, field)
        if converted is not value:
            updates[name] = converted
    return model.model_copy(update=updates) if updates else model


def at_component_edge(
    args: Arguments, *, subject: str
) -> tuple[Arguments, tuple[pulumi.Resource, ...]]:
    """``args`` made plain for a plan, and the Pulumi resources it refers to (dependencies of
    the component's children). Errors name ``subject``."""
    resources: list[pulumi.Resource] = []
    try:
        plain = _edge(args, "", resources)
    except ValidationError as exc:
        raise ValidationError(exc.problems, subject=subject) from None
    return plain, tuple(dict.fromkeys(resources))
