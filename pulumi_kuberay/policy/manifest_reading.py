"""Reading manifests that may be malformed or only partly known.

Rules run on hand-written YAML (anything can be missing or of the wrong type) and on Pulumi
inputs during preview, where some values only exist after a deploy. Pulumi sends those as
sentinel strings and every number as a float; :func:`normalize` turns sentinels into
:data:`UNKNOWN` and integral floats into ints, once, before any rule runs. Rules then read
through :func:`mapping` / :func:`items` and never flag an unknown value.
https://www.pulumi.com/docs/iac/concepts/inputs-outputs/#outputs-and-previews
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from pulumi_kuberay.models.unknown import UNKNOWN, Unknown, is_unknown

__all__ = [
    "PULUMI_UNKNOWN_SENTINELS",
    "UNKNOWN",
    "Unknown",
    "has_unknowns",
    "is_unknown",
    "items",
    "lookup",
    "mapping",
    "normalize",
    "text",
    "unknown_paths",
    "without_unknowns",
]


PULUMI_UNKNOWN_SENTINELS: Final = frozenset(
    {
        # pulumi_policy.proxy: string, boolean, number, array, asset, archive, object.
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)
"""How the Pulumi engine encodes unknown values on the wire (the policy SDK's constants)."""


def normalize(value: Any) -> Any:
    """A copy of ``value`` with Pulumi's unknown sentinels as :data:`UNKNOWN` and integral
    floats as ints. Leaves of other types (Pulumi ``Secret`` wrappers, assets) are kept."""
    if isinstance(value, dict):
        return {key: normalize(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if isinstance(value, str):
        return UNKNOWN if value in PULUMI_UNKNOWN_SENTINELS else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def mapping(value: object) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one (absent, malformed or unknown)."""
    return value if isinstance(value, Mapping) else {}


def items(value: object) -> list[Any]:
    """``value`` if it is a list, else an empty list (absent, malformed or unknown)."""
    return value if isinstance(value, list) else []


def lookup(value: Any, *keys: str | int) -> Any:
    """``value[k1][k2]...``: ``None`` when a step is absent or malformed, :data:`UNKNOWN` when a
    step is unknown (so that rules can tell "missing" from "not known yet")."""
    for key in keys:
        if isinstance(value, dict):  # the common case first: rules call this a lot
            value = value.get(key) if isinstance(key, str) else None
        elif value is UNKNOWN:
            return UNKNOWN
        elif isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
            value = value[key]
        elif isinstance(value, Mapping) and isinstance(key, str):
            value = value.get(key)
        else:
            return None
    return value


def text(value: object) -> str | None:
    """``value`` if it is a string, else ``None``."""
    return value if isinstance(value, str) else None


def unknown_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Field paths (``spec.headGroupSpec.template``, ``env[0].value``) of every unknown value."""
    from pulumi_kuberay.policy.paths import child

    if value is UNKNOWN:
        yield prefix
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unknown_paths(item, child(prefix, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unknown_paths(item, f"{prefix}[{index}]")


def has_unknowns(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(has_unknowns(item) for item in value.values())
    if isinstance(value, list):
        return any(has_unknowns(item) for item in value)
    return False


def without_unknowns(value: Any) -> Any:
    """A copy with unknown mapping entries dropped and unknown list items replaced by an empty
    value of their siblings' type, so that list indices (and so field paths) stay the same."""
    if isinstance(value, dict):
        return {k: without_unknowns(v) for k, v in value.items() if v is not UNKNOWN}
    if isinstance(value, list):
        known = [item for item in value if item is not UNKNOWN]
        filler: Any = {} if all(isinstance(i, dict) for i in known) else ""
        return [filler if item is UNKNOWN else without_unknowns(item) for item in value]
    return value
