"""Check built-in Kubernetes kinds (Secret, Service, StatefulSet, ...) the way the API server does.

The schemas are Kubernetes' own OpenAPI, as the PyPI package
`kubernetes-validate <https://pypi.org/project/kubernetes-validate/>`_ ships them per
Kubernetes release (its *strict* variant: no field outside the schema). Its own ``validate()``
is not enough for the harness: it stops at the first error, compiles the schema on every call,
and knows nothing of what the server does around the schema. So this module takes the package's
schema files and runs them through :func:`tests.conformance.api_server.admit`, which adds:

- unknown fields named one by one (the server drops them with a warning, or rejects the object
  under strict field validation, as ``kubectl`` and server-side apply ask for);
- ``null`` values (the server decodes them as unset: the field is not stored);
- Go defaulting where it decides list identity: ``containers[].ports`` and Service ``ports``
  are list-maps keyed by port *and* ``protocol``, which defaults to ``TCP``, so ``{port: 80}``
  and ``{port: 80, protocol: TCP}`` are duplicates;
- ``int32``/``int64`` ranges, Quantity syntax (``"8 GB"`` is no quantity), base64 for ``byte``
  fields (Secret ``data``), ObjectMeta rules for ``metadata`` and pod template metadata, and the
  namespace of cluster-scoped kinds.

Semantic validation written in Go (``pkg/apis/*/validation``: a Deployment's selector matching
its template, port ranges, ...) is not modelled: that is the schema's limit, said here.
Secret values never appear in a message.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from collections.abc import Mapping
from typing import Any, Final

from tests.conformance.api_server import (
    FORMATS,
    OBJECT_META,
    PRESERVE,
    QUANTITY_PATTERN,
    CoreValidator,
    ObjectSchema,
    Wording,
    admit,
    type_name,
)

KUBERNETES_VERSION: Final = "1.34"
"""The Kubernetes release whose built-in schemas the harness checks against (one constant)."""

_SCHEMA_DIR: Final = f"v{KUBERNETES_VERSION}.0-local-strict"
_DEFS_PREFIX: Final = "/api/_definitions.json#/$defs/"

CLUSTER_SCOPED: Final[frozenset[tuple[str, str]]] = frozenset(
    {
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("networking.k8s.io", "IngressClass"),
        ("node.k8s.io", "RuntimeClass"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    }
)
"""Built-in kinds without a namespace (the schemas do not say; ``kubectl api-resources`` does)."""

GO_DEFAULTS: Final[Mapping[str, Mapping[str, Any]]] = {
    # SetDefaults_ContainerPort / SetDefaults_ServicePort (pkg/apis/core/v1/defaults.go).
    "io.k8s.api.core.v1.ContainerPort": {"protocol": "TCP"},
    "io.k8s.api.core.v1.ServicePort": {"protocol": "TCP"},
}
"""The Go defaults that decide list-map identity, as schema ``default`` values."""

WORDING: Final = Wording(
    unknown_field=(
        f"field not in the Kubernetes {KUBERNETES_VERSION} schema; the API server drops it "
        "(with a warning) or, under strict field validation, rejects the object"
    ),
    null_dropped="null; the API server decodes it as unset and stores no value",
    null_defaulted="null; the API server decodes it as unset and stores the default instead",
    status_ignored="the API server resets status on create; the kind's controller writes it",
    int_overflow="the API server cannot decode it into its Go field and rejects the object",
)


def _schema_files() -> Any:
    return importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema" / _SCHEMA_DIR


def _normalized(node: Any) -> Any:
    """Refs into the one definitions document; no ``null`` in types (the harness reports nulls
    itself, before validation, so ``'1' is not of type 'integer'`` needs no ``'null'``)."""
    if isinstance(node, dict):
        out = {key: _normalized(value) for key, value in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS_PREFIX):
            out["$ref"] = "#/$defs/" + ref[len(_DEFS_PREFIX) :]
        declared = out.get("type")
        if isinstance(declared, list) and "null" in declared:
            kept = [item for item in declared if item != "null"]
            out["type"] = kept[0] if len(kept) == 1 else kept
        return out
    if isinstance(node, list):
        return [_normalized(item) for item in node]
    return node


def _prepare_definitions(definitions: dict[str, Any]) -> dict[str, Any]:
    for name, definition in definitions.items():
        declared = definition.get("type")
        types = declared if isinstance(declared, list) else [declared]
        if (
            "object" in types
            and "properties" not in definition
            and "additionalProperties" not in definition
        ):
            # RawExtension, FieldsV1: free-form JSON objects.
            definition[PRESERVE] = True
        if name.endswith(".Quantity"):
            definition.clear()
            definition["oneOf"] = [
                {"type": "string", "pattern": QUANTITY_PATTERN},
                {"type": "number"},
            ]
    definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"][OBJECT_META] = True
    for name, defaults in GO_DEFAULTS.items():
        for prop, value in defaults.items():
            definitions[name]["properties"][prop]["default"] = value
    return definitions


def _file_name(api_version: str, kind: str) -> str:
    # kubernetes-validate's naming: apps/v1 -> apps-v1, rbac.authorization.k8s.io/v1 -> rbac-v1.
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{group_version}.json"


def _hide_secret_values(kind: str) -> Any:
    if kind != "Secret":
        return lambda path: False
    return lambda path: bool(path) and path[0] in ("data", "stringData")


class CoreSchemas:
    """The built-in kinds of Kubernetes :data:`KUBERNETES_VERSION`, each compiled on first use.

    ``CoreSchemas.shared()`` is the per-process instance.
    """

    def __init__(self) -> None:
        files = _schema_files()
        document = json.loads((files / "_definitions.json").read_text(encoding="utf-8"))
        self._definitions: dict[str, Any] = _prepare_definitions(_normalized(document["$defs"]))
        self._files = files
        self._kinds: dict[tuple[str, str], ObjectSchema | None] = {}

    @classmethod
    def shared(cls) -> CoreSchemas:
        """The per-process instance (definitions parsed once, kinds compiled once)."""
        return _shared_core()

    def _resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 32:
            schema = self._definitions[str(schema["$ref"]).rsplit("/", 1)[-1]]
            seen += 1
        return schema

    def _load(self, api_version: str, kind: str) -> ObjectSchema | None:
        key = (api_version, kind)
        if key in self._kinds:
            return self._kinds[key]
        path = self._files / _file_name(api_version, kind)
        compiled: ObjectSchema | None = None
        if path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
            group, _, version = api_version.rpartition("/")
            gvks = raw.get("x-kubernetes-group-version-kind") or []
            if {"group": group, "version": version, "kind": kind} in gvks:
                schema = _normalized(raw)
                compiled = ObjectSchema(
                    schema=schema,
                    validator=CoreValidator(
                        {**schema, "$defs": self._definitions}, format_checker=FORMATS
                    ),
                    status_subresource="status" in (schema.get("properties") or {}),
                    cluster_scoped=(group, kind) in CLUSTER_SCOPED,
                    resolve=self._resolve,
                    wording=WORDING,
                    hidden=_hide_secret_values(kind),
                )
        self._kinds[key] = compiled
        return compiled

    def knows(self, api_version: str, kind: str) -> bool:
        """Whether ``kind`` in ``api_version`` is a built-in kind of this release."""
        return self._load(api_version, kind) is not None

    def schema(self, api_version: str, kind: str) -> Mapping[str, Any]:
        """The kind's JSON schema (``$ref`` into the definitions; read-only)."""
        found = self._load(api_version, kind)
        if found is None:
            raise KeyError((api_version, kind))
        return found.schema

    def definition(self, name: str) -> Mapping[str, Any]:
        """One definition, e.g. ``io.k8s.api.core.v1.ContainerPort`` (read-only)."""
        return self._definitions[name]

    def problems(self, manifest: Mapping[str, Any], *, require_name: bool = False) -> list[str]:
        """Every reason the API server would reject ``manifest`` or store something else.

        Empty when it would be stored as sent. The manifest is not modified.
        """
        return self._admit(manifest, require_name=require_name)[1]

    def as_stored(self, manifest: Mapping[str, Any]) -> dict[str, Any]:
        """The object as the API server would store it (problems aside)."""
        return self._admit(manifest)[0]

    def _admit(
        self, manifest: Mapping[str, Any], *, require_name: bool = False
    ) -> tuple[dict[str, Any], list[str]]:
        if not isinstance(manifest, Mapping):
            return {}, [f"<root>: a manifest is an object, got {type_name(manifest)}"]
        api_version, kind = str(manifest.get("apiVersion")), str(manifest.get("kind"))
        found = self._load(api_version, kind)
        if found is None:
            return dict(manifest), [
                f"<root>: apiVersion={api_version!r} kind={kind!r} is not a built-in kind of "
                f"Kubernetes {KUBERNETES_VERSION}"
            ]
        return admit(manifest, found, require_name=require_name)


@functools.cache
def _shared_core() -> CoreSchemas:
    return CoreSchemas()
