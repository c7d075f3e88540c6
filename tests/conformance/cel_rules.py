"""Every ``x-kubernetes-validations`` rule of a CRD, evaluated with a real CEL interpreter.

``crd_schema.CrdSchemas`` checks the few CEL rules of the KubeRay CRDs from a table; Kueue's and
Karpenter's CRDs have dozens, so this evaluates them with cel-python (``celpy``), adding the two Kubernetes
CEL library functions they use: ``find`` (regex library) and ``split`` (strings extension)
(https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-regex-library). Transition rules
(``oldSelf``) only run on update and are skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

import celpy
from celpy import celtypes

_CEL = "x-kubernetes-validations"


def _find(value: celtypes.StringType, pattern: celtypes.StringType) -> celtypes.StringType:
    match = re.search(str(pattern), str(value))
    return celtypes.StringType(match.group(0) if match else "")


def _split(value: celtypes.StringType, separator: celtypes.StringType) -> celtypes.ListType:
    return celtypes.ListType([celtypes.StringType(p) for p in str(value).split(str(separator))])


_FUNCTIONS = {"find": _find, "split": _split}


@functools.cache
def _program(rule: str) -> Any:
    env = celpy.Environment()
    return env.program(env.compile(rule), functions=_FUNCTIONS)


def _walk(value: Any, schema: Mapping[str, Any], path: str) -> Iterator[tuple[str, str, Any]]:
    for rule in schema.get(_CEL) or ():
        yield path, rule, value
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        additional = schema.get("additionalProperties")
        for key, child in value.items():
            child_schema = properties.get(key) or (
                additional if isinstance(additional, Mapping) else None
            )
            if child_schema is not None:
                yield from _walk(child, child_schema, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            yield from _walk(item, schema["items"], f"{path}[{index}]")


def cel_problems(manifest: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """The message of every CEL rule ``manifest`` breaks (``manifest`` as stored: defaults
    applied), with its path."""
    problems = []
    for path, rule, value in _walk(dict(manifest), schema, ""):
        text = str(rule["rule"])
        if "oldSelf" in text:
            continue
        result = _program(text).evaluate({"self": celpy.json_to_cel(value)})
        if isinstance(result, celpy.CELEvalError) or not bool(result):
            problems.append(f"{path or '<root>'}: {rule.get('message') or text}")
    return problems
