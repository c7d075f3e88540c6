"""Turning user-supplied structures (dicts, pulumi_kubernetes ``*Args``) into plain dicts."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi import _types as pulumi_types

from pulumi_kuberay.models.merging import deep_merge

__all__ = ["deep_merge", "to_plain"]


def to_plain(value: Any, field: str) -> Any:
    """A deep copy of ``value`` with pulumi_kubernetes input types (``PodTemplateSpecArgs``, ...)
    turned into camelCase dicts.

    Manifests are pure data, so a ``pulumi.Output`` inside is an error naming the field.
    """
    if isinstance(value, pulumi.Output):
        raise ValueError(
            f"{field}: a pulumi.Output cannot be used here because the manifest is validated at "
            "preview; pass a plain value (or build the component inside Output.apply)"
        )
    if pulumi_types.is_input_type(type(value)):
        return {
            key: to_plain(item, f"{field}.{key}")
            for key, item in pulumi_types.input_type_to_dict(value).items()
            if item is not None
        }
    if isinstance(value, dict):
        return {key: to_plain(item, f"{field}.{key}") for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item, f"{field}[{i}]") for i, item in enumerate(value)]
    return value
