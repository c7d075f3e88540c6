"""CEL ``x-kubernetes-validations`` rules, evaluated as the API server does, with cel-python.

The API server compiles each rule of a CRD's structural schema with cel-go plus the Kubernetes
CEL libraries and evaluates it against the (pruned, defaulted) value at the rule's place
(https://kubernetes.io/docs/reference/using-api/cel/). This module does the same with
`cel-python <https://pypi.org/project/cel-python/>`_ (``celpy``):

- values are typed by the schema, as the server types them: ``integer`` -> int, ``number`` ->
  double, ``string`` with format ``byte``/``date-time``/``duration`` -> bytes/timestamp/duration;
  object properties whose names are CEL keywords or hold ``-``, ``.``, ``/`` or ``__`` are
  escaped (``namespace`` -> ``__namespace__``), the way the server exposes them;
- the Kubernetes library functions the shared CRDs use are added (:data:`KUBERNETES_FUNCTIONS`:
  ``split`` from the strings extension, ``find``/``findAll`` from the regex library);
- a rule that fails to evaluate (``self.x`` where ``x`` is unset, a bad ``int()``) rejects the
  object, as on the server.

Transition rules (those that mention ``oldSelf``) only run on update; a conformance check of a
create skips them. A rule that calls a function neither celpy nor this module provides cannot
be checked: :func:`missing_functions` names it, and the CRD checker lists such rules so the
gap stays visible (``tests/conformance/test_cel_rules.py`` pins the exact set per CRD folder).
"""

from __future__ import annotations

import base64
import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import celpy
import celpy.evaluation
import re2  # type: ignore[import-untyped]
from celpy import celtypes

_CEL: Final = "x-kubernetes-validations"

# celpy logs every evaluation error with a traceback; the error itself is what we report.
logging.getLogger("celpy").setLevel(logging.CRITICAL)

Resolver = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""Maps a schema node to the node it stands for (follows ``$ref``); identity for CRDs."""


def _no_refs(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    return schema


# --------------------------------------------------------------------------------------------
# The Kubernetes CEL library functions the shared CRDs call
# --------------------------------------------------------------------------------------------


def _eval_error(message: str, cause: type[Exception] = ValueError) -> Any:
    return celpy.evaluation.CELEvalError(message, cause, None)


def cel_split(text: Any, separator: Any, limit: Any = None) -> Any:
    """``'a/b'.split('/')`` (strings extension): Go's ``strings.SplitN``.

    ``limit`` < 0 (or absent) splits everywhere, 0 gives an empty list, n > 0 at most n parts.
    https://pkg.go.dev/github.com/google/cel-go/ext#Strings
    """
    source, sep = str(text), str(separator)
    count = -1 if limit is None else int(limit)
    if count == 0:
        return celtypes.ListType([])
    if sep == "":
        parts = list(source)
        if 0 < count < len(parts):
            parts = [*parts[: count - 1], "".join(parts[count - 1 :])]
    else:
        parts = source.split(sep, count - 1) if count > 0 else source.split(sep)
    return celtypes.ListType([celtypes.StringType(part) for part in parts])


def _compile_regex(pattern: Any) -> Any:
    try:
        return re2.compile(str(pattern))
    except re2.error as exc:
        return _eval_error(f"invalid regular expression {str(pattern)!r}: {exc}")


def cel_find(text: Any, pattern: Any) -> Any:
    """``'al2@latest'.find('^[^@]+')`` (Kubernetes regex library): the first match, or ``''``.

    RE2 syntax, as in cel-go. https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-regex-library
    """
    regex = _compile_regex(pattern)
    if isinstance(regex, celpy.evaluation.CELEvalError):
        return regex
    match = regex.search(str(text))
    return celtypes.StringType(match.group(0) if match else "")


def cel_find_all(text: Any, pattern: Any, limit: Any = None) -> Any:
    """``'a1b2'.findAll('[0-9]')`` (Kubernetes regex library): every match, at most ``limit``."""
    regex = _compile_regex(pattern)
    if isinstance(regex, celpy.evaluation.CELEvalError):
        return regex
    count = -1 if limit is None else int(limit)
    found = [match.group(0) for match in regex.finditer(str(text))]
    if count >= 0:
        found = found[:count]
    return celtypes.ListType([celtypes.StringType(item) for item in found])


KUBERNETES_FUNCTIONS: Final[Mapping[str, Callable[..., Any]]] = {
    "split": cel_split,
    "find": cel_find,
    "findAll": cel_find_all,
}
"""Kubernetes CEL library functions added to celpy's standard ones (only those the shared CRDs
call; a rule calling another one is listed by :func:`missing_functions`)."""

_MACROS: Final = frozenset({"has", "all", "exists", "exists_one", "map", "filter", "dyn"})
_OPERATORS: Final = re.compile(r"^[-!_].*_$|^[-!]_$")
SUPPORTED_FUNCTIONS: Final[frozenset[str]] = frozenset(
    {
        name
        for name in celpy.evaluation.base_functions
        if not _OPERATORS.match(name) and name != "_[_]"
    }
    | _MACROS
    | set(KUBERNETES_FUNCTIONS)
)
"""Every function or macro name a rule may call and still be evaluated here."""


# --------------------------------------------------------------------------------------------
# Compiling rules
# --------------------------------------------------------------------------------------------

_ENVIRONMENT: Final = celpy.Environment()


def is_transition_rule(rule: str) -> bool:
    """Whether the rule compares with the stored object (``oldSelf``): it runs on update only."""
    return re.search(r"\boldSelf\b", rule) is not None


@functools.cache
def _compiled(rule: str) -> Any:
    return _ENVIRONMENT.compile(rule)


@functools.cache
def _program(rule: str) -> Any:
    return _ENVIRONMENT.program(_compiled(rule), functions=dict(KUBERNETES_FUNCTIONS))


@functools.cache
def missing_functions(rule: str) -> frozenset[str]:
    """The functions ``rule`` calls that celpy and :data:`KUBERNETES_FUNCTIONS` lack.

    A rule that does not even parse counts as missing ``<parse error: ...>``.
    """
    try:
        tree = _compiled(rule)
    except celpy.CELParseError as exc:
        return frozenset({f"<parse error: {str(exc).splitlines()[0]}>"})
    called: set[str] = set()
    for node in tree.iter_subtrees():
        if node.data in ("member_dot_arg", "dot_ident_arg"):
            called.add(str(node.children[1] if node.data == "member_dot_arg" else node.children[0]))
        elif node.data == "ident_arg":
            called.add(str(node.children[0]))
    return frozenset(called - SUPPORTED_FUNCTIONS)


def is_checkable(rule: str) -> bool:
    """Whether a create-time check evaluates ``rule`` (not a transition rule, every function
    available)."""
    return not is_transition_rule(rule) and not missing_functions(rule)


# --------------------------------------------------------------------------------------------
# Values as the API server hands them to CEL
# --------------------------------------------------------------------------------------------

_RESERVED: Final = frozenset(
    {
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    }
)
_ESCAPED_PART = re.compile(r"__|[-./]")
_ESCAPES: Final = {"__": "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__"}
_IDENTIFIER = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")


def escape_property(name: str) -> str | None:
    """The name under which CEL sees an object property, or ``None`` if it cannot see it.

    Mirrors k8s.io/apiserver/pkg/cel ``Escape``: keywords become ``__kw__``; ``__``, ``.``,
    ``-`` and ``/`` are spelled out; anything else that is no identifier is inaccessible.
    https://kubernetes.io/docs/reference/using-api/cel/#escaping
    """
    if not name or name[0].isdigit():
        return None
    if name in _RESERVED:
        return f"__{name}__"
    escaped = _ESCAPED_PART.sub(lambda match: _ESCAPES[match.group(0)], name)
    return escaped if _IDENTIFIER.fullmatch(escaped) else None


def _types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(item) for item in declared}
    return set()


def _string_value(value: str, schema: Mapping[str, Any]) -> Any:
    fmt = schema.get("format")
    try:
        if fmt == "byte":
            raw = value.replace("\r", "").replace("\n", "")
            return celtypes.BytesType(base64.b64decode(raw, validate=True))
        if fmt == "date-time":
            return celtypes.TimestampType(value)
        if fmt == "duration":
            return celtypes.DurationType(value)
    except Exception:  # a malformed value is the format check's to report, not CEL's
        pass
    return celtypes.StringType(value)


def to_cel(value: Any, schema: Mapping[str, Any], resolve: Resolver = _no_refs) -> Any:
    """``value`` as a CEL value typed by ``schema`` (see the module doc)."""
    schema = resolve(schema)
    if value is None:
        return None
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.DoubleType(value) if "number" in _types(schema) else celtypes.IntType(value)
    if isinstance(value, float):
        return celtypes.DoubleType(value)
    if isinstance(value, str):
        return _string_value(value, schema)
    if isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, Mapping):
            return celtypes.ListType([to_cel(item, items, resolve) for item in value])
        return celpy.json_to_cel(value)
    if isinstance(value, Mapping):
        properties: Mapping[str, Any] = schema.get("properties") or {}
        additional = schema.get("additionalProperties")
        entries: dict[Any, Any] = {}
        for key, child in value.items():
            if key in properties:
                name = escape_property(str(key))
                if name is not None:
                    entries[celtypes.StringType(name)] = to_cel(child, properties[key], resolve)
            elif isinstance(additional, Mapping):
                entries[celtypes.StringType(str(key))] = to_cel(child, additional, resolve)
            else:
                entries[celtypes.StringType(str(key))] = celpy.json_to_cel(child)
        return celtypes.MapType(entries)
    return celpy.json_to_cel(value)


# --------------------------------------------------------------------------------------------
# Evaluating
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CelVerdict:
    """What one rule says about one value: it holds, it fails, or it could not run."""

    holds: bool
    error: str | None = None


def evaluate(
    rule: str, value: Any, schema: Mapping[str, Any], resolve: Resolver = _no_refs
) -> CelVerdict:
    """Run ``rule`` with ``self`` = ``value`` (a plain JSON value at the rule's place)."""
    try:
        result = _program(rule).evaluate({"self": to_cel(value, schema, resolve)})
    except celpy.evaluation.CELEvalError as exc:
        return CelVerdict(holds=False, error=_describe(exc))
    if isinstance(result, celpy.evaluation.CELEvalError):
        return CelVerdict(holds=False, error=_describe(result))
    if not isinstance(result, celtypes.BoolType):
        return CelVerdict(
            holds=False, error=f"the rule returned {type(result).__name__}, not a bool"
        )
    return CelVerdict(holds=bool(result))


def _describe(error: celpy.evaluation.CELEvalError) -> str:
    first = error.args[0] if error.args else error
    return str(first)


def rule_problems(
    value: Any,
    rules: Sequence[Mapping[str, Any]],
    schema: Mapping[str, Any],
    where: str,
    resolve: Resolver = _no_refs,
) -> list[str]:
    """One message per checkable rule of ``rules`` that ``value`` (at path ``where``) breaks.

    The message is the rule's own ``message`` (else its text), as the API server reports it;
    an evaluation error names the rule and the error.
    """
    found: list[str] = []
    for rule in rules:
        text = str(rule.get("rule", ""))
        if not is_checkable(text):
            continue
        verdict = evaluate(text, value, schema, resolve)
        if verdict.error is not None:
            found.append(
                f"{where}: CEL rule {text!r} fails to evaluate ({verdict.error}); "
                "the API server rejects the object"
            )
        elif not verdict.holds:
            found.append(f"{where}: {rule.get('message') or text}")
    return found


def schema_rules(schema: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The ``x-kubernetes-validations`` of one schema node (empty when none)."""
    rules = schema.get(_CEL)
    return rules if isinstance(rules, list) else ()
