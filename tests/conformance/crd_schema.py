"""Check ``ray.io/v1`` manifests against the real KubeRay CRDs the way the API server does.

The Kubernetes API server does not simply validate a custom resource against the CRD's OpenAPI
schema. On create and update it

1. drops ``null`` values of non-nullable fields and *silently prunes* every field the schema does
   not define (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning),
2. applies the schema's ``default`` values
   (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting),
3. validates the result: OpenAPI schema, ObjectMeta, ``x-kubernetes-list-type`` uniqueness and CEL
   ``x-kubernetes-validations``.

A plain jsonschema check gets both directions wrong: it rejects manifests that omit fields the CRD
marks required but defaults (``workerGroupSpecs[].minReplicas``/``maxReplicas``), and it accepts
typos that the server would drop without a word. :meth:`CrdSchemas.problems` does all three steps
and lists every reason the object would be rejected or stored differently from what was sent.

The CRDs and samples are read at test time from ``<repo root>/../shared/kuberay`` and are never
copied into the repository; tests that need them call :func:`require_shared_kuberay`, which skips
when the folder is absent. Usage::

    schemas = CrdSchemas.shared()          # loaded once per process
    assert schemas.problems(manifest) == []

Known limits: CEL rules are checked from a table of the rules these CRDs contain
(:meth:`CrdSchemas.unchecked_cel_rules` lists any rule a CRD bump adds); formats other than
``date-time``, ``int32`` and ``int64`` are not checked.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import jsonschema
import pytest
import yaml

REPO_ROOT: Final[Path] = Path(__file__).resolve().parents[2]
SHARED_KUBERAY: Path = REPO_ROOT.parent / "shared" / "kuberay"
"""Where the KubeRay v1.5.2 CRDs and samples live: beside the repository, never inside it."""

API_VERSION: Final = "ray.io/v1"
RAY_KINDS: Final = ("RayCluster", "RayJob", "RayService")
CRD_FILES: Final = ("ray.io_rayclusters.yaml", "ray.io_rayjobs.yaml", "ray.io_rayservices.yaml")

_PRESERVE: Final = "x-kubernetes-preserve-unknown-fields"
_EMBEDDED: Final = "x-kubernetes-embedded-resource"
_INT_OR_STRING: Final = "x-kubernetes-int-or-string"
_LIST_TYPE: Final = "x-kubernetes-list-type"
_LIST_MAP_KEYS: Final = "x-kubernetes-list-map-keys"
_CEL: Final = "x-kubernetes-validations"


def shared_kuberay_available() -> bool:
    """Whether ``../shared/kuberay`` (CRDs and samples) is present beside the repository."""
    return (SHARED_KUBERAY / "crds").is_dir() and (SHARED_KUBERAY / "samples").is_dir()


def require_shared_kuberay() -> Path:
    """The shared KubeRay folder, or skip the calling test with the reason it is needed."""
    if not shared_kuberay_available():
        pytest.skip(
            f"{SHARED_KUBERAY} is absent (expected at <repo root>/../shared/kuberay): "
            "CRD conformance needs the KubeRay v1.5.2 CRDs and samples beside the repo"
        )
    return SHARED_KUBERAY


# --------------------------------------------------------------------------------------------
# YAML as the API server reads it
# --------------------------------------------------------------------------------------------

_YamlBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KubeYamlLoader(_YamlBase):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader (C-accelerated when available) minus timestamp resolution.

    sigs.k8s.io/yaml keeps ``2024-01-01T00:00:00Z`` a string; PyYAML would make it a datetime,
    which no JSON schema accepts.
    """


KubeYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_documents(path: Path) -> list[Any]:
    """Every document of a (multi-document) YAML file, ``None`` for empty ones."""
    with path.open(encoding="utf-8") as stream:
        return list(yaml.load_all(stream, Loader=KubeYamlLoader))


def iter_sample_documents(kind: str | None = None) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """``(path, index, doc)`` for every YAML document under ``samples/``, recursively, sorted.

    ``index`` is the document's position in its file (empty documents count), so
    ``f"{path.name}#{index}"`` names it. With ``kind``, only ``ray.io`` documents of that kind
    are yielded (the samples also hold ConfigMaps, Services, Queues, ...).

    Raises FileNotFoundError when the samples are absent: an empty iteration would let a test
    pass vacuously. Check :func:`shared_kuberay_available` or call :func:`require_shared_kuberay`
    first.
    """
    samples = SHARED_KUBERAY / "samples"
    if not samples.is_dir():
        raise FileNotFoundError(f"{samples} is absent: the KubeRay samples live beside the repo")
    for path in sorted(p for p in samples.rglob("*") if p.suffix in (".yaml", ".yml")):
        for index, doc in enumerate(load_yaml_documents(path)):
            if not isinstance(doc, dict):
                continue
            if kind is not None and (
                doc.get("kind") != kind or not str(doc.get("apiVersion", "")).startswith("ray.io/")
            ):
                continue
            yield path, index, doc


# --------------------------------------------------------------------------------------------
# Paths in problem messages: spec.workerGroupSpecs[0].template.metadata.labels["ray.io/x"]
# --------------------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _key(path: str, key: object) -> str:
    text = str(key)
    if _IDENTIFIER.fullmatch(text):
        return f"{path}.{text}" if path else text
    return f"{path}[{json.dumps(text)}]"


def _index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _format_path(parts: Iterable[str | int]) -> str:
    path = ""
    for part in parts:
        path = _index(path, part) if isinstance(part, int) else _key(path, part)
    return path or "<root>"


def _where(path: str) -> str:
    return path or "<root>"


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


# --------------------------------------------------------------------------------------------
# ObjectMeta: the CRD schema leaves the root `metadata` open; the server validates it itself
# --------------------------------------------------------------------------------------------

_OBJECT_META_FIELDS: Final = frozenset(
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


def _is_dns_subdomain(text: str) -> bool:
    return len(text) <= 253 and _DNS1123_SUBDOMAIN.fullmatch(text) is not None


def _is_qualified_name(key: str) -> bool:
    prefix, _, name = key.rpartition("/")
    if "/" in key and not _is_dns_subdomain(prefix):
        return False
    return len(name) <= 63 and _QUALIFIED_NAME.fullmatch(name) is not None


def _object_meta_problems(
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
        not isinstance(generate_name, str) or not _is_dns_subdomain(generate_name.removesuffix("-"))
    ):
        found.append(f"{_key(path, 'generateName')}: {generate_name!r} is not a valid name prefix")
    if name is None:
        if require_name:
            found.append(
                f"{_key(path, 'name')}: missing; a fixed name is required here (generateName "
                "gives a random one, and KubeRay derives Service and Pod names from it)"
            )
        elif top_level and generate_name is None:
            found.append(f"{_key(path, 'name')}: name or generateName is required")
    elif not isinstance(name, str):
        found.append(f"{_key(path, 'name')}: must be a string, got {_type_name(name)}")
    elif not _is_dns_subdomain(name):
        found.append(
            f"{_key(path, 'name')}: {name!r} is not a DNS-1123 subdomain "
            "(lowercase alphanumerics, '-' and '.', at most 253 characters)"
        )
    namespace = meta.get("namespace")
    if namespace is not None and (
        not isinstance(namespace, str)
        or len(namespace) > 63
        or not _DNS1123_LABEL.fullmatch(namespace)
    ):
        found.append(f"{_key(path, 'namespace')}: {namespace!r} is not a DNS-1123 label")
    for field in ("labels", "annotations"):
        entries = meta.get(field)
        field_path = _key(path, field)
        if entries is None:
            continue
        if not isinstance(entries, Mapping):
            found.append(f"{field_path}: must be a map of strings, got {_type_name(entries)}")
            continue
        for key, value in entries.items():
            entry_path = _key(field_path, key)
            if not isinstance(key, str) or not _is_qualified_name(
                key.lower() if field == "annotations" else key
            ):
                found.append(f"{entry_path}: {key!r} is not a valid {field[:-1]} key")
            if not isinstance(value, str):
                found.append(f"{entry_path}: must be a string, got {_type_name(value)}")
            elif field == "labels" and (len(value) > 63 or not _LABEL_VALUE.fullmatch(value)):
                found.append(
                    f"{entry_path}: {value!r} is not a valid label value "
                    "(at most 63 alphanumerics, '-', '_' or '.', alphanumeric at both ends)"
                )
    return found


# --------------------------------------------------------------------------------------------
# CEL rules (x-kubernetes-validations) of the v1.5.2 CRDs, as Python predicates over `self`
# --------------------------------------------------------------------------------------------

_RAY_MANAGERS: Final = ("ray.io/kuberay-operator", "kueue.x-k8s.io/multikueue")

CEL_RULES: Final[Mapping[str, Callable[[Any], bool]]] = {
    "self in ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue']": (
        lambda value: value in _RAY_MANAGERS
    ),
    "!((has(self.onSuccess) || has(self.onFailure)) && has(self.deletionRules))": (
        lambda value: (
            not (("onSuccess" in value or "onFailure" in value) and "deletionRules" in value)
        )
    ),
    "((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))": (
        lambda value: ("onSuccess" in value and "onFailure" in value) or "deletionRules" in value
    ),
}
"""Rule text -> predicate. Rules that mention ``oldSelf`` only run on update and are skipped."""


def _is_transition_rule(rule: str) -> bool:
    return "oldSelf" in rule


# --------------------------------------------------------------------------------------------
# OpenAPI v3 (structural schema) -> JSON Schema for jsonschema's Draft 7 validator
# --------------------------------------------------------------------------------------------

_FORMATS = jsonschema.FormatChecker(formats=())
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?")
_INT_RANGES: Final = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    # Lenient on purpose (go-openapi's strfmt accepts several ISO 8601 layouts): it must never
    # fail a manifest the server accepts.
    return not isinstance(value, str) or _RFC3339.fullmatch(value) is not None


@_FORMATS.checks("int32")
def _is_int32(value: object) -> bool:
    low, high = _INT_RANGES["int32"]
    return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high


@_FORMATS.checks("int64")
def _is_int64(value: object) -> bool:
    low, high = _INT_RANGES["int64"]
    return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high


_ANNOTATION_KEYWORDS: Final = frozenset({"description", "default", "nullable", "example"})


def to_json_schema(node: Mapping[str, Any]) -> dict[str, Any]:
    """The validation part of a structural schema as JSON Schema (Draft 7).

    ``nullable: true`` becomes a ``null`` alternative; ``x-kubernetes-int-or-string`` becomes
    integer-or-string; other ``x-kubernetes-*`` keys (pruning, list types, CEL) are left out
    because :class:`CrdSchemas` handles them itself.
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
    if node.get(_INT_OR_STRING) is True and "type" not in out and "anyOf" not in out:
        out["type"] = ["integer", "string"]
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str) and "enum" not in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def _schema_problem(error: jsonschema.ValidationError) -> str:
    path = _format_path(error.absolute_path)
    if error.validator == "anyOf" and error.context:
        reasons = "; ".join(sorted({_shorten(sub.message, 160) for sub in error.context}))
        return f"{path}: {_shorten(repr(error.instance), 80)} matches none of: {reasons}"
    if error.validator == "format" and error.validator_value in _INT_RANGES:
        return (
            f"{path}: {error.instance} does not fit {error.validator_value}; the API server "
            "stores it but the operator (a Go struct field) cannot decode it"
        )
    return f"{path}: {_shorten(error.message)}"


# --------------------------------------------------------------------------------------------
# The API server's decode path for one object: prune, default, then the checks outside OpenAPI
# --------------------------------------------------------------------------------------------


def _is_object_schema(schema: Mapping[str, Any]) -> bool:
    return (
        schema.get("type") == "object"
        or "properties" in schema
        or "additionalProperties" in schema
        or schema.get(_PRESERVE) is True
    )


def _freeze(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


class _Admission:
    """One object's trip through pruning and defaulting; collects what goes wrong on the way.

    Builds new containers instead of mutating, so the caller's manifest is never touched.
    """

    def __init__(self, *, require_name: bool = False) -> None:
        self.require_name = require_name
        self.dropped: list[str] = []
        self.rejected: list[str] = []

    def value(self, value: Any, schema: Mapping[str, Any], path: str) -> Any:
        if isinstance(value, dict) and _is_object_schema(schema):
            value = self.object(value, schema, path)
        elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
            items = schema["items"]
            value = [self.value(item, items, _index(path, i)) for i, item in enumerate(value)]
            self._check_list_type(value, schema, path)
        if _CEL in schema:
            self._check_cel(value, schema[_CEL], path)
        return value

    def object(
        self, value: Mapping[str, Any], schema: Mapping[str, Any], path: str, *, root: bool = False
    ) -> dict[str, Any]:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        additional = schema.get("additionalProperties")
        preserve = schema.get(_PRESERVE) is True
        # The root of a custom resource is an embedded resource too: apiVersion, kind and
        # metadata are always kept, and metadata is ObjectMeta whatever the schema says.
        embedded = root or schema.get(_EMBEDDED) is True
        out: dict[str, Any] = {}
        for key, child in value.items():
            child_path = _key(path, key)
            if embedded and key == "metadata":
                out[key] = self._metadata(child, child_path, top_level=root)
                continue
            if key in properties:
                child_schema: Mapping[str, Any] | None = properties[key]
            elif isinstance(additional, Mapping):
                child_schema = additional
            else:
                child_schema = None
            if child_schema is None:
                if preserve or additional is True or (embedded and key in ("apiVersion", "kind")):
                    out[key] = child
                else:
                    self.dropped.append(
                        f"{child_path}: field not in the CRD schema; "
                        "the API server would silently prune it"
                    )
                continue
            if child is None and child_schema.get("nullable") is not True:
                # Pruned before defaulting, so a default (added below) replaces it.
                self.dropped.append(
                    f"{child_path}: null for a field that is not nullable; the API server would "
                    + ("replace it with the default" if "default" in child_schema else "drop it")
                )
                continue
            out[key] = self.value(child, child_schema, child_path)
        if root and "metadata" not in value:
            self.rejected.append("metadata: missing; an object needs a name (or generateName)")
        for key, prop in properties.items():
            if key not in out and "default" in prop:
                out[key] = self.value(copy.deepcopy(prop["default"]), prop, _key(path, key))
        return out

    def _metadata(self, meta: Any, path: str, *, top_level: bool) -> Any:
        if not isinstance(meta, dict):
            self.rejected.append(f"{path}: must be an object (ObjectMeta), got {_type_name(meta)}")
            return meta
        kept: dict[str, Any] = {}
        for key, value in meta.items():
            if key in _OBJECT_META_FIELDS:
                kept[key] = value
            else:
                self.dropped.append(
                    f"{_key(path, key)}: not an ObjectMeta field; the API server would drop it"
                )
        self.rejected.extend(
            _object_meta_problems(
                kept, path, top_level=top_level, require_name=top_level and self.require_name
            )
        )
        return kept

    def _check_list_type(self, items: Sequence[Any], schema: Mapping[str, Any], path: str) -> None:
        list_type = schema.get(_LIST_TYPE)
        if list_type not in ("map", "set"):
            return
        keys: Sequence[str] = schema.get(_LIST_MAP_KEYS) or ()
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
                first = _index(path, first_seen[identity])
                self.rejected.append(
                    f"{_index(path, i)}: duplicate {what} (same as {first}); the list is "
                    f"x-kubernetes-list-type={list_type}, so the API server rejects it"
                )
            else:
                first_seen[identity] = i

    def _check_cel(self, value: Any, rules: Sequence[Mapping[str, Any]], path: str) -> None:
        for rule in rules:
            text = str(rule.get("rule", ""))
            predicate = CEL_RULES.get(text)
            if predicate is None or _is_transition_rule(text):
                continue
            try:
                holds = predicate(value)
            except TypeError:
                continue  # a wrong type is already reported by the schema validation
            if not holds:
                self.rejected.append(f"{_where(path)}: {rule.get('message') or text}")


# --------------------------------------------------------------------------------------------
# The public checker
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _KindSchema:
    schema: Mapping[str, Any]
    validator: jsonschema.Draft7Validator
    status_subresource: bool


class CrdSchemas:
    """The storage-version schemas of a set of CRDs, each compiled once, checked like the server.

    ``CrdSchemas.shared()`` gives the KubeRay v1.5.2 CRDs (cached per process);
    ``CrdSchemas(crd_documents)`` works on any CRDs, e.g. small synthetic ones in tests.
    """

    def __init__(self, crds: Iterable[Mapping[str, Any]]) -> None:
        self._kinds: dict[tuple[str, str], _KindSchema] = {}
        self._unchecked: list[str] = []
        for crd in crds:
            group = crd["spec"]["group"]
            kind = crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                # Only the storage version: it is what we emit (ray.io/v1), and a manifest in
                # another served version is worth a problem rather than a silent conversion.
                if not version.get("storage"):
                    continue
                schema = version["schema"]["openAPIV3Schema"]
                self._kinds[(f"{group}/{version['name']}", kind)] = _KindSchema(
                    schema=schema,
                    validator=jsonschema.Draft7Validator(
                        to_json_schema(schema), format_checker=_FORMATS
                    ),
                    status_subresource="status" in (version.get("subresources") or {}),
                )
                self._unchecked.extend(_unknown_cel_rules(schema))

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> CrdSchemas:
        """Schemas from CRD YAML files (every CustomResourceDefinition document in them)."""
        return cls(
            doc
            for path in paths
            for doc in load_yaml_documents(path)
            if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"
        )

    @classmethod
    def shared(cls) -> CrdSchemas:
        """The KubeRay v1.5.2 CRDs from ``../shared/kuberay/crds``, loaded once; skips if absent."""
        require_shared_kuberay()
        return _load_shared(SHARED_KUBERAY / "crds")

    @property
    def kinds(self) -> list[tuple[str, str]]:
        """The ``(apiVersion, kind)`` pairs this checker knows."""
        return sorted(self._kinds)

    def schema(self, api_version: str, kind: str) -> Mapping[str, Any]:
        """The raw OpenAPI v3 schema of one kind (read-only by convention)."""
        return self._kinds[(api_version, kind)].schema

    def unchecked_cel_rules(self) -> list[str]:
        """CEL rules in the CRDs that this harness neither evaluates nor may skip (update-only)."""
        return list(self._unchecked)

    def problems(self, manifest: Mapping[str, Any], *, require_name: bool = False) -> list[str]:
        """Every reason the API server would reject ``manifest`` or store something else.

        Empty when the server would store the object as sent (plus defaults). Each entry starts
        with the field's path, e.g. ``spec.headGroupSpec.template.spec.containers[0].foo: ...``.
        The manifest is not modified. ``require_name`` also rejects a ``generateName``-only
        object (the server accepts it; three KubeRay samples use it).
        """
        return self._admit(manifest, require_name=require_name)[1]

    def as_stored(self, manifest: Mapping[str, Any]) -> dict[str, Any]:
        """The object as the API server would store it: pruned and defaulted (problems aside)."""
        return self._admit(manifest)[0]

    def _admit(
        self, manifest: Mapping[str, Any], *, require_name: bool = False
    ) -> tuple[dict[str, Any], list[str]]:
        if not isinstance(manifest, Mapping):
            return {}, [f"<root>: a manifest is an object, got {_type_name(manifest)}"]
        key = (manifest.get("apiVersion"), manifest.get("kind"))
        entry = self._kinds.get(key)  # type: ignore[arg-type]
        if entry is None:
            known = ", ".join(f"{api_version} {kind}" for api_version, kind in self.kinds)
            return dict(manifest), [
                f"<root>: no CRD schema for apiVersion={key[0]!r} kind={key[1]!r} (known: {known})"
            ]
        found: list[str] = []
        body = dict(manifest)
        if "status" in body and entry.status_subresource:
            # PrepareForCreate/Update reset status when the status subresource is on.
            found.append(
                "status: the CRD enables the status subresource, so the API server ignores "
                "status sent with the object"
            )
            del body["status"]
        admission = _Admission(require_name=require_name)
        stored = admission.object(body, entry.schema, "", root=True)
        found.extend(admission.dropped)
        errors = sorted(
            entry.validator.iter_errors(stored), key=lambda e: [str(p) for p in e.absolute_path]
        )
        found.extend(_schema_problem(error) for error in errors)
        found.extend(admission.rejected)
        return stored, found


def _unknown_cel_rules(schema: Mapping[str, Any]) -> Iterator[str]:
    for rule in schema.get(_CEL) or ():
        text = str(rule.get("rule", ""))
        if text not in CEL_RULES and not _is_transition_rule(text):
            yield text
    for child in (schema.get("properties") or {}).values():
        yield from _unknown_cel_rules(child)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), Mapping):
            yield from _unknown_cel_rules(schema[key])


@functools.cache
def _load_shared(crd_dir: Path) -> CrdSchemas:
    return CrdSchemas.from_files(crd_dir / name for name in CRD_FILES)
