"""Structural checks for the core/v1 objects KubeRay embeds (pod templates, Services, env).

KubeRay's CRDs embed whole Kubernetes types. Rather than re-modelling them, the field names and
types are read from the official Kubernetes Python client's generated models
(``openapi_types`` / ``attribute_map``), so a typo such as ``nodeselector`` is reported
instead of being pruned by the API server. Values stay plain dicts, so manifests round-trip
unchanged.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import kubernetes.client.models as k8s_models

_LIST = re.compile(r"^[Ll]ist\[(.+)\]$")
_DICT = re.compile(r"^[Dd]ict\[str, (.+)\]$|^dict\(str, (.+)\)$")

# Quantities and int-or-string fields: the client types them as str/object; YAML gives numbers.
_QUANTITY_MAPS = {("V1ResourceRequirements", "limits"), ("V1ResourceRequirements", "requests")}
_QUANTITY_LEAVES = {("V1EmptyDirVolumeSource", "sizeLimit"), ("V1ResourceFieldSelector", "divisor")}


@cache
def _fields(type_name: str) -> dict[str, str] | None:
    """JSON field name -> client type string, or ``None`` for a type the client lacks."""
    cls = getattr(k8s_models, type_name, None)
    if cls is None or not hasattr(cls, "openapi_types"):
        return None
    return {cls.attribute_map[attr]: typ for attr, typ in cls.openapi_types.items()}


def _check_leaf(value: Any, typ: str, path: str, quantity: bool) -> list[str]:
    if value is None:
        return []
    if quantity:
        ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected a quantity (string or number), got {value!r}"]
    expected: dict[str, tuple[type, ...]] = {
        "str": (str,),
        "int": (int,),
        "float": (int, float),
        "bool": (bool,),
        "datetime": (str,),
        "date": (str,),
    }
    if typ == "object":
        return []
    allowed = expected.get(typ)
    if allowed is None:
        return []
    if isinstance(value, bool) and bool not in allowed:
        return [f"{path}: expected {typ}, got a boolean {value!r}"]
    if not isinstance(value, allowed):
        shown = type(value).__name__
        return [f"{path}: expected {typ}, got {shown} {value!r}"]
    return []


def check_shape(value: Any, type_name: str, path: str) -> list[str]:
    """Problems with ``value`` as an instance of Kubernetes type ``type_name`` (e.g. ``V1PodSpec``).

    Unknown fields are reported with the closest known names; wrong container types and wrong
    scalar types are reported with the path to the offending value.
    """
    return _check(value, type_name, path, quantity=False)


def _check(value: Any, typ: str, path: str, quantity: bool) -> list[str]:
    if value is None:
        return []
    list_match = _LIST.match(typ)
    if list_match:
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        problems: list[str] = []
        for index, item in enumerate(value):
            problems += _check(item, list_match.group(1), f"{path}[{index}]", quantity)
        return problems
    dict_match = _DICT.match(typ)
    if dict_match:
        if not isinstance(value, dict):
            return [f"{path}: expected a mapping, got {type(value).__name__}"]
        inner = dict_match.group(1) or dict_match.group(2)
        problems = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{path}: keys must be strings, got {key!r}")
            problems += _check(item, inner, f"{path}.{key}", quantity)
        return problems
    fields = _fields(typ)
    if fields is None:
        return _check_leaf(value, typ, path, quantity)
    if not isinstance(value, dict):
        return [f"{path}: expected an object ({typ.removeprefix('V1')}), got {value!r}"]
    problems = []
    for key, item in value.items():
        if key not in fields:
            problems.append(_unknown_field(path, key, typ, fields))
            continue
        child_quantity = (typ, key) in _QUANTITY_MAPS or (typ, key) in _QUANTITY_LEAVES
        problems += _check(item, fields[key], f"{path}.{key}", child_quantity)
    return problems


def _unknown_field(path: str, key: str, typ: str, fields: dict[str, str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
    lowered = {f.lower(): f for f in fields}
    suggestion = close[0] if close else lowered.get(key.lower())
    hint = f"; did you mean {suggestion!r}?" if suggestion else ""
    kind = typ.removeprefix("V1").removeprefix("Core")
    return f"{path}.{key}: unknown field for {kind} (the API server would silently drop it){hint}"
