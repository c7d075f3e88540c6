"""Helpers for the mechanical fixes: copy once, then edit the copy in place.

Every rule's remediation is pure: it returns a fixed copy of the manifest and leaves the input
alone, so the engine, ``lint --fix`` and the Pulumi pack can chain them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_kuberay.policy.model import Manifest, Rule, Settings


def fixed_copy(manifest: Manifest) -> Manifest:
    """A deep copy to edit (unknown markers and other opaque leaves are kept as they are)."""
    return copy.deepcopy(manifest)


def ensure_dict(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """``parent[key]`` as a dict, created when absent (or null)."""
    value = parent.get(key)
    if not isinstance(value, dict):
        value = {}
        parent[key] = value
    return value


def ensure_list(parent: dict[str, Any], key: str) -> list[Any]:
    """``parent[key]`` as a list, created when absent (or null)."""
    value = parent.get(key)
    if not isinstance(value, list):
        value = []
        parent[key] = value
    return value


def apply_remediations(
    manifest: Manifest,
    rules: Iterable[tuple[Rule, Settings]],
) -> tuple[Manifest, list[str]]:
    """``manifest`` with every given rule's fix applied in order, and the ids of the rules whose
    fix changed something."""
    applied: list[str] = []
    current = manifest
    for rule, settings in rules:
        if rule.remediate is None or not rule.applies_to(current):
            continue
        fixed = rule.remediate(current, settings)
        if fixed != current:
            applied.append(rule.id)
            current = fixed
    return current, applied


def as_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """A mapping the remediation may edit: the dict itself (it is already a copy)."""
    if isinstance(value, dict):
        return value
    raise TypeError(f"expected a dict in the fixed copy, got {type(value).__name__}")
