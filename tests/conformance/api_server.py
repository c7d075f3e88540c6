"""What the Kubernetes API server does to one object on create, for any schema.

On create the API server

1. drops ``null`` values of non-nullable fields and *prunes* every field the schema does not
   define (custom resources: silently,
   https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning;
   built-in kinds: dropped with a warning, or rejected under strict field validation,
   https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation),
2. applies defaults (the schema's ``default`` values for custom resources; Go defaulting for
   built-in kinds, of which the harness needs only the list-map keys such as ``protocol: TCP``),
3. validates the result: the OpenAPI schema, ObjectMeta, ``x-kubernetes-list-type``
   uniqueness and, when nothing has the wrong type, the CEL ``x-kubernetes-validations``.

:func:`admit` does all three for one object and one schema and lists every reason the object
would be rejected or stored differently from what was sent. The CRD checker
(:mod:`tests.conformance.crd_schema`) and the built-in kinds' checker
(:mod:`tests.conformance.core_schema`) are thin shells around it.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import jsonschema
import re2  # type: ignore[import-untyped]

from tests.conformance import cel_rules
from tests.conformance.cel_rules import Resolver

PRESERVE: Final = "x-kubernetes-preserve-unknown-fields"
EMBEDDED: Final = "x-kubernetes-embedded-resource"
INT_OR_STRING: Final = "x-kubernetes-int-or-string"
LIST_TYPE: Final = "x-kubernetes-list-type"
LIST_MAP_KEYS: Final = "x-kubernetes-list-map-keys"
CEL: Final = "x-kubernetes-validations"
OBJECT_META: Final = "x-conformance-object-meta"
"""Marks the ObjectMeta definition in the built-in schemas (ours, not Kubernetes'): a value
there is checked as the server checks ``metadata``."""


def _no_refs(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    return schema


# --------------------------------------------------------------------------------------------
# Paths in problem messages: spec.workerGroupSpecs[0].template.metadata.labels["ray.io/x"]
# --------------------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def key_path(path: str, key: object) -> str:
    """``path`` extended by an object key (quoted when it is no identifier)."""
    text = str(key)
    if _IDENTIFIER.fullmatch(text):
        return f"{path}.{text}" if path else text
    return f"{path}[{json.dumps(text)}]"


def index_path(path: str, index: int) -> str:
    """``path`` extended by a list index."""
    return f"{path}[{index}]"


def format_path(parts: Iterable[str | int]) -> str:
    """A jsonschema ``absolute_path`` as a field path (``<root>`` when empty)."""
    path = ""
    for part in parts:
        path = index_path(path, part) if isinstance(part, int) else key_path(path, part)
    return path or "<root>"


def where(path: str) -> str:
    """The path as messages show it (``<root>`` when empty)."""
    return path or "<root>"


def shorten(text: str, limit: int = 240) -> str:
    """``text`` cut to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def type_name(value: object) -> str:
    """The JSON-ish type of a value, for messages."""
    return "null" if value is None else type(value).__name__


# --------------------------------------------------------------------------------------------
# ObjectMeta: the CRD schema leaves the root `metadata` open; the server validates it itself
# --------------------------------------------------------------------------------------------

OBJECT_META_FIELDS: Final = frozenset(
    {
        "name",
        "generateName",
        "namespace",
        "selfLink",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "labels",
        "annotations",
        "ownerReferences",
        "finalizers",
        "managedFields",
    }
)
_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")


def is_dns_subdomain(text: str) -> bool:
    """A DNS-1123 subdomain: lowercase alphanumerics, ``-`` and ``.``, at most 253."""
    return len(text) <= 253 and _DNS1123_SUBDOMAIN.fullmatch(text) is not None


def _is_qualified_name(key: str) -> bool:
    prefix, _, name = key.rpartition("/")
    if "/" in key and not is_dns_subdomain(prefix):
        return False
    return len(name) <= 63 and _QUALIFIED_NAME.fullmatch(name) is not None


def object_meta_problems(
    meta: Mapping[str, Any], path: str, *, top_level: bool, require_name: bool
) -> list[str]:
    """What the API server's ObjectMeta validation rejects (the subset a manifest author hits).

    A top-level object needs ``name`` or ``generateName``; with ``require_name`` it needs
    ``name`` (a fixed name is a project rule, not an API server one).
    """
    found: list[str] = []
    name = meta.get("name")
    generate_name = meta.get("generateName")
    if generate_name is not None and (
        not isinstance(generate_name, str) or not is_dns_subdomain(generate_name.removesuffix("-"))
    ):
        found.append(
            f"{key_path(path, 'generateName')}: {generate_name!r} is not a valid name prefix"
        )
    if name is None:
        if require_name:
            found.append(
                f"{key_path(path, 'name')}: missing; a fixed name is required here (generateName "
                "gives a random one, and KubeRay derives Service and Pod names from it)"
            )
        elif top_level and generate_name is None:
            found.append(f"{key_path(path, 'name')}: name or generateName is required")
    elif not isinstance(name, str):
        found.append(f"{key_path(path, 'name')}: must be a string, got {type_name(name)}")
    elif not is_dns_subdomain(name):
        found.append(
            f"{key_path(path, 'name')}: {name!r} is not a DNS-1123 subdomain "
            "(lowercase alphanumerics, '-' and '.', at most 253 characters)"
        )
    namespace = meta.get("namespace")
    if namespace is not None and (
        not isinstance(namespace, str)
        or len(namespace) > 63
        or not _DNS1123_LABEL.fullmatch(namespace)
    ):
        found.append(f"{key_path(path, 'namespace')}: {namespace!r} is not a DNS-1123 label")
    for meta_field in ("labels", "annotations"):
        entries = meta.get(meta_field)
        field_path = key_path(path, meta_field)
        if entries is None:
            continue
        if not isinstance(entries, Mapping):
            found.append(f"{field_path}: must be a map of strings, got {type_name(entries)}")
            continue
        for key, value in entries.items():
            entry_path = key_path(field_path, key)
            if not isinstance(key, str) or not _is_qualified_name(
                key.lower() if meta_field == "annotations" else key
            ):
                found.append(f"{entry_path}: {key!r} is not a valid {meta_field[:-1]} key")
            if not isinstance(value, str):
                found.append(f"{entry_path}: must be a string, got {type_name(value)}")
            elif meta_field == "labels" and (len(value) > 63 or not _LABEL_VALUE.fullmatch(value)):
                found.append(
                    f"{entry_path}: {value!r} is not a valid label value "
                    "(at most 63 alphanumerics, '-', '_' or '.', alphanumeric at both ends)"
                )
    return found


# --------------------------------------------------------------------------------------------
# Formats the API server checks (go-openapi strfmt) and JSON Schema for jsonschema
# --------------------------------------------------------------------------------------------

FORMATS: Final = jsonschema.FormatChecker(formats=())
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?")
INT_RANGES: Final = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
QUANTITY_PATTERN: Final = (
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|"
    r"([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
)
"""A resource.Quantity string, as the CRDs' generated schemas spell it."""


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    # Lenient on purpose (go-openapi's strfmt accepts several ISO 8601 layouts): it must never
    # fail a manifest the server accepts.
    return not isinstance(value, str) or _RFC3339.fullmatch(value) is not None


@FORMATS.checks("int32")
def _is_int32(value: object) -> bool:
    low, high = INT_RANGES["int32"]
    return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high


@FORMATS.checks("int64")
def _is_int64(value: object) -> bool:
    low, high = INT_RANGES["int64"]
    return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high


@FORMATS.checks("byte")
def _is_base64(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        # Go's decoder (encoding/base64, used for []byte fields) skips line breaks.
        base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


@FORMATS.checks("ipv4")
def _is_ipv4(value: object) -> bool:
    try:
        return not isinstance(value, str) or isinstance(
            ipaddress.ip_address(value), ipaddress.IPv4Address
        )
    except ValueError:
        return False


@FORMATS.checks("ipv6")
def _is_ipv6(value: object) -> bool:
    try:
        return not isinstance(value, str) or isinstance(
            ipaddress.ip_address(value), ipaddress.IPv6Address
        )
    except ValueError:
        return False


@functools.cache
def _go_regex(pattern: str) -> Any:
    return re2.compile(pattern)


def _go_pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    # Kubernetes checks `pattern` with Go's regexp (RE2 syntax), which differs from Python's
    # `re`: Kueue's CRDs write `^(?i)[a-z]...`, an error for `re`, fine for RE2.
    if validator.is_type(instance, "string") and _go_regex(pattern).search(instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


CrdValidator: Final = jsonschema.validators.extend(
    jsonschema.Draft7Validator, {"pattern": _go_pattern}
)
"""Draft 7 (what :func:`to_json_schema` produces) with ``pattern`` matched as Go matches it."""

CoreValidator: Final = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": _go_pattern}
)
"""Draft 2020-12 (the built-in kinds' schemas) with ``pattern`` matched as Go matches it."""

_ANNOTATION_KEYWORDS: Final = frozenset({"description", "default", "nullable", "example"})


def to_json_schema(node: Mapping[str, Any]) -> dict[str, Any]:
    """The validation part of a structural (CRD) schema as JSON Schema (Draft 7).

    ``nullable: true`` becomes a ``null`` alternative; ``x-kubernetes-int-or-string`` becomes
    integer-or-string; other ``x-kubernetes-*`` keys (pruning, list types, CEL) are left out
    because :func:`admit` handles them itself.
    """
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key in _ANNOTATION_KEYWORDS:
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(child) for name, child in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, Mapping):
            out[key] = to_json_schema(value)
        elif key in ("anyOf", "allOf", "oneOf"):
            out[key] = [to_json_schema(child) for child in value]
        else:
            out[key] = value
    if node.get(INT_OR_STRING) is True and "type" not in out and "anyOf" not in out:
        out["type"] = ["integer", "string"]
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str) and "enum" not in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def _schema_problem(error: jsonschema.ValidationError, hidden: bool, wording: Wording) -> str:
    path = format_path(error.absolute_path)
    if hidden:
        # Secret values never reach a message, not even a wrong one.
        return f"{path}: the value (not shown: secret data) fails the schema's {error.validator!r} check"
    if _is_quantity_error(error):
        return (
            f"{path}: {shorten(repr(error.instance), 80)} does not match the Kubernetes quantity "
            "syntax (e.g. 500m, 2, 1.5, 8Gi, 1e3)"
        )
    if error.validator in ("anyOf", "oneOf") and error.context:
        reasons = "; ".join(sorted({shorten(sub.message, 160) for sub in error.context}))
        return f"{path}: {shorten(repr(error.instance), 80)} matches none of: {reasons}"
    if error.validator == "format" and error.validator_value in INT_RANGES:
        return (
            f"{path}: {error.instance} does not fit {error.validator_value}; {wording.int_overflow}"
        )
    return f"{path}: {shorten(error.message)}"


def _is_quantity_error(error: jsonschema.ValidationError) -> bool:
    if error.validator == "pattern":
        return error.validator_value == QUANTITY_PATTERN
    return error.validator in ("anyOf", "oneOf") and any(
        sub.validator == "pattern" and sub.validator_value == QUANTITY_PATTERN
        for sub in error.context or ()
    )


def _is_blocking(error: jsonschema.ValidationError) -> bool:
    # The server skips CEL when the object has a type error or an unsupported enum value
    # (apiextensions-apiserver, hasBlockingErr): a rule would see values of the wrong type.
    if error.validator in ("type", "enum"):
        return True
    if error.validator in ("anyOf", "oneOf") and error.context:
        return all(sub.validator == "type" for sub in error.context)
    return False


# --------------------------------------------------------------------------------------------
# The decode path for one object: prune, default, then the checks outside OpenAPI
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """How problems name the schema's owner (a CRD, or Kubernetes itself)."""

    unknown_field: str = "field not in the CRD schema; the API server would silently prune it"
    null_dropped: str = "null for a field that is not nullable; the API server would drop it"
    null_defaulted: str = (
        "null for a field that is not nullable; the API server would replace it with the default"
    )
    status_ignored: str = (
        "the CRD enables the status subresource, so the API server ignores status sent with "
        "the object"
    )
    int_overflow: str = (
        "the API server stores it but the operator (a Go struct field) cannot decode it"
    )


def _types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(item) for item in declared}
    return set()


def _is_object_schema(schema: Mapping[str, Any]) -> bool:
    return (
        "object" in _types(schema)
        or "properties" in schema
        or "additionalProperties" in schema
        or schema.get(PRESERVE) is True
    )


def _nullable(schema: Mapping[str, Any]) -> bool:
    return schema.get("nullable") is True


def _freeze(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


@dataclass
class _PendingCel:
    path: str
    value: Any
    schema: Mapping[str, Any]


@dataclass
class _Admission:
    """One object's trip through pruning and defaulting; collects what goes wrong on the way.

    Builds new containers instead of mutating, so the caller's manifest is never touched.
    """

    require_name: bool = False
    resolve: Resolver = _no_refs
    wording: Wording = field(default_factory=Wording)
    dropped: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    cel: list[_PendingCel] = field(default_factory=list)

    def value(self, value: Any, schema: Mapping[str, Any], path: str) -> Any:
        schema = self.resolve(schema)
        if schema.get(OBJECT_META) is True and isinstance(value, dict):
            return self.metadata(value, path, top_level=False)
        if isinstance(value, dict) and _is_object_schema(schema):
            value = self.object(value, schema, path)
        elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
            items = schema["items"]
            value = [self.value(item, items, index_path(path, i)) for i, item in enumerate(value)]
            self._check_list_type(value, schema, path)
        if cel_rules.schema_rules(schema):
            self.cel.append(_PendingCel(path, value, schema))
        return value

    def object(
        self, value: Mapping[str, Any], schema: Mapping[str, Any], path: str, *, root: bool = False
    ) -> dict[str, Any]:
        schema = self.resolve(schema)
        properties: Mapping[str, Any] = schema.get("properties") or {}
        additional = schema.get("additionalProperties")
        preserve = schema.get(PRESERVE) is True
        # The root of an object is an embedded resource too: apiVersion, kind and metadata are
        # always kept, and metadata is ObjectMeta whatever the schema says.
        embedded = root or schema.get(EMBEDDED) is True
        out: dict[str, Any] = {}
        for key, child in value.items():
            child_path = key_path(path, key)
            if embedded and key == "metadata":
                out[key] = self.metadata(child, child_path, top_level=root)
                continue
            if key in properties:
                child_schema: Mapping[str, Any] | None = self.resolve(properties[key])
            elif isinstance(additional, Mapping):
                child_schema = self.resolve(additional)
            else:
                child_schema = None
            if child_schema is None:
                if preserve or additional is True or (embedded and key in ("apiVersion", "kind")):
                    out[key] = child
                else:
                    self.dropped.append(f"{child_path}: {self.wording.unknown_field}")
                continue
            if child is None and not _nullable(child_schema):
                # Pruned before defaulting, so a default (added below) replaces it.
                self.dropped.append(
                    f"{child_path}: "
                    + (
                        self.wording.null_defaulted
                        if "default" in child_schema
                        else self.wording.null_dropped
                    )
                )
                continue
            out[key] = self.value(child, child_schema, child_path)
        if root and "metadata" not in value:
            self.rejected.append("metadata: missing; an object needs a name (or generateName)")
        for key, prop in properties.items():
            prop = self.resolve(prop)
            if key not in out and "default" in prop:
                out[key] = self.value(copy.deepcopy(prop["default"]), prop, key_path(path, key))
        return out

    def metadata(self, meta: Any, path: str, *, top_level: bool) -> Any:
        if not isinstance(meta, dict):
            self.rejected.append(f"{path}: must be an object (ObjectMeta), got {type_name(meta)}")
            return meta
        kept: dict[str, Any] = {}
        for key, value in meta.items():
            if key in OBJECT_META_FIELDS:
                kept[key] = value
            else:
                self.dropped.append(
                    f"{key_path(path, key)}: not an ObjectMeta field; the API server would drop it"
                )
        self.rejected.extend(
            object_meta_problems(
                kept, path, top_level=top_level, require_name=top_level and self.require_name
            )
        )
        return kept

    def _check_list_type(self, items: Sequence[Any], schema: Mapping[str, Any], path: str) -> None:
        list_type = schema.get(LIST_TYPE)
        if list_type not in ("map", "set"):
            return
        keys: Sequence[str] = schema.get(LIST_MAP_KEYS) or ()
        first_seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if list_type == "map":
                # Items without a key fail `required`; the uniqueness rule cannot name them.
                if not isinstance(item, Mapping) or any(k not in item for k in keys):
                    continue
                identity = _freeze({k: item[k] for k in keys})
            else:
                identity = _freeze(item)
            if identity in first_seen:
                what = f"key {identity}" if list_type == "map" else f"value {identity}"
                first = index_path(path, first_seen[identity])
                self.rejected.append(
                    f"{index_path(path, i)}: duplicate {what} (same as {first}); the list is "
                    f"x-kubernetes-list-type={list_type}, so the API server rejects it"
                )
            else:
                first_seen[identity] = i


@dataclass(frozen=True)
class ObjectSchema:
    """Everything :func:`admit` needs to know about one kind in one version."""

    schema: Mapping[str, Any]
    validator: jsonschema.protocols.Validator
    status_subresource: bool = False
    cluster_scoped: bool = False
    resolve: Resolver = _no_refs
    wording: Wording = field(default_factory=Wording)
    hidden: Callable[[Sequence[str | int]], bool] = lambda path: False
    """Paths (jsonschema ``absolute_path``) whose values must never appear in a message."""


def admit(
    manifest: Mapping[str, Any], kind: ObjectSchema, *, require_name: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """``(stored, problems)``: the object as the server would store it, and every reason it
    would reject the object or store something other than what was sent."""
    found: list[str] = []
    body = dict(manifest)
    if "status" in body and kind.status_subresource:
        # PrepareForCreate/Update reset status when the status subresource is on.
        found.append(f"status: {kind.wording.status_ignored}")
        del body["status"]
    admission = _Admission(require_name=require_name, resolve=kind.resolve, wording=kind.wording)
    stored = admission.object(body, kind.schema, "", root=True)
    if cel_rules.schema_rules(kind.resolve(kind.schema)):
        admission.cel.append(_PendingCel("", stored, kind.resolve(kind.schema)))
    found.extend(admission.dropped)
    meta = stored.get("metadata")
    if kind.cluster_scoped and isinstance(meta, dict) and meta.get("namespace"):
        found.append(
            f"metadata.namespace: {stored.get('kind')} is cluster-scoped; the API server "
            "clears the namespace"
        )
        stored["metadata"] = {k: v for k, v in meta.items() if k != "namespace"}
    errors = sorted(
        kind.validator.iter_errors(stored), key=lambda e: [str(p) for p in e.absolute_path]
    )
    found.extend(
        _schema_problem(error, kind.hidden(list(error.absolute_path)), kind.wording)
        for error in errors
    )
    found.extend(admission.rejected)
    checkable = [
        pending
        for pending in admission.cel
        if any(
            cel_rules.is_checkable(str(rule.get("rule", "")))
            for rule in cel_rules.schema_rules(pending.schema)
        )
    ]
    if checkable:
        if any(_is_blocking(error) for error in errors):
            found.append(
                "<root>: the CEL validation rules were not run because the object has type or "
                "enum errors; fix those and check again"
            )
        else:
            for pending in checkable:
                found.extend(
                    cel_rules.rule_problems(
                        pending.value,
                        cel_rules.schema_rules(pending.schema),
                        pending.schema,
                        where(pending.path),
                        kind.resolve,
                    )
                )
    return stored, found
