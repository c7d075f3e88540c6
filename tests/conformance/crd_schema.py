"""Check custom resources against the real CRDs the way the API server does.

A plain jsonschema check gets both directions wrong: it rejects manifests that omit fields the
CRD marks required but defaults (``workerGroupSpecs[].minReplicas``/``maxReplicas``), and it
accepts typos that the server would drop without a word. :meth:`CrdSchemas.problems` prunes,
defaults and validates (OpenAPI, ObjectMeta, list types, CEL) as the server does
(:mod:`tests.conformance.api_server`) and lists every reason the object would be rejected or
stored differently from what was sent.

Every *served* version of a CRD is known, and a manifest is checked against the version its
``apiVersion`` names (Kueue ``v1beta1`` and ``v1beta2`` differ); a version the CRD does not serve
is a problem. Usage::

    schemas = CrdSchemas.shared()             # KubeRay 1.5, loaded once per process
    schemas = CrdSchemas.shared("1.7")        # KubeRay 1.7 (RayCronJob included)
    assert schemas.problems(manifest) == []

For any kind of any shared folder use :func:`tests.conformance.registry.schemas_for`.

Known limits: formats other than ``date-time``, ``int32``, ``int64``, ``byte``, ``ipv4`` and
``ipv6`` are not checked; CEL transition rules (``oldSelf``) only run on update and are skipped;
:meth:`CrdSchemas.unchecked_cel_rules` lists them and any rule calling a function the harness
lacks.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from tests.conformance import cel_rules
from tests.conformance.api_server import (
    CEL,
    FORMATS,
    CrdValidator,
    ObjectSchema,
    admit,
    key_path,
    to_json_schema,
    type_name,
)
from tests.conformance.shared_folders import (
    DEFAULT_RELEASE,
    REPO_ROOT,
    SHARED_KUBERAY,
    KubeYamlLoader,
    iter_sample_documents,
    kuberay_release,
    load_yaml_documents,
    require_shared_kuberay,
    shared_folder,
    shared_kuberay_available,
)

__all__ = [
    "API_VERSION",
    "RAY_KINDS",
    "REPO_ROOT",
    "SHARED_KUBERAY",
    "CrdSchemas",
    "KubeYamlLoader",
    "ServedVersion",
    "UncheckedCelRule",
    "iter_sample_documents",
    "load_yaml_documents",
    "require_shared_kuberay",
    "shared_kuberay_available",
    "to_json_schema",
]

API_VERSION: Final = "ray.io/v1"
RAY_KINDS: Final = ("RayCluster", "RayJob", "RayService")
"""The ray.io kinds every supported release defines (RayCronJob arrives in 1.6)."""


@dataclass(frozen=True)
class ServedVersion:
    """One served version of one CRD, its schema compiled once."""

    group: str
    version: str
    kind: str
    storage: bool
    deprecated: bool
    deprecation_warning: str | None
    checked: ObjectSchema

    @property
    def api_version(self) -> str:
        """``group/version``, as a manifest spells it."""
        return f"{self.group}/{self.version}"

    @property
    def schema(self) -> Mapping[str, Any]:
        """The raw ``openAPIV3Schema`` (read-only by convention)."""
        return self.checked.schema


@dataclass(frozen=True)
class UncheckedCelRule:
    """A CEL rule that a create-time check does not evaluate, where it is, and why."""

    api_version: str
    kind: str
    path: str
    rule: str
    reason: str


def _served_version(crd: Mapping[str, Any], version: Mapping[str, Any]) -> ServedVersion:
    spec = crd["spec"]
    schema = version["schema"]["openAPIV3Schema"]
    return ServedVersion(
        group=spec["group"],
        version=version["name"],
        kind=spec["names"]["kind"],
        storage=bool(version.get("storage")),
        deprecated=bool(version.get("deprecated")),
        deprecation_warning=version.get("deprecationWarning"),
        checked=ObjectSchema(
            schema=schema,
            validator=CrdValidator(to_json_schema(schema), format_checker=FORMATS),
            status_subresource="status" in (version.get("subresources") or {}),
            cluster_scoped=spec.get("scope") == "Cluster",
        ),
    )


class CrdSchemas:
    """Every served version of a set of CRDs, each compiled once, checked like the server.

    ``CrdSchemas.shared(release)`` gives a KubeRay release's CRDs (cached per process);
    ``CrdSchemas(crd_documents)`` works on any CRDs, e.g. small synthetic ones in tests.
    """

    def __init__(self, crds: Iterable[Mapping[str, Any]], *, source: str = "these CRDs") -> None:
        self.source = source
        self._versions: dict[tuple[str, str], ServedVersion] = {}
        self._not_served: dict[tuple[str, str], list[str]] = {}
        self._served_by_kind: dict[tuple[str, str], list[str]] = {}
        for crd in crds:
            group = crd["spec"]["group"]
            kind = crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if not version.get("served"):
                    self._not_served.setdefault((group, kind), []).append(version["name"])
                    continue
                served = _served_version(crd, version)
                self._versions[(served.api_version, kind)] = served
                self._served_by_kind.setdefault((group, kind), []).append(served.version)

    @classmethod
    def from_files(cls, paths: Iterable[Path], *, source: str | None = None) -> CrdSchemas:
        """Schemas from CRD YAML files (every CustomResourceDefinition document in them)."""
        files = list(paths)
        return cls(
            (
                doc
                for path in files
                for doc in load_yaml_documents(path)
                if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"
            ),
            source=source or ", ".join(str(path) for path in files),
        )

    @classmethod
    def shared(cls, release: str = DEFAULT_RELEASE) -> CrdSchemas:
        """A KubeRay release's CRDs from ``../shared``, loaded once; skips if absent."""
        require_shared_kuberay(release)
        return load_crd_folder(kuberay_release(release).folder.name)

    @property
    def kinds(self) -> list[tuple[str, str]]:
        """The served ``(apiVersion, kind)`` pairs this checker knows."""
        return sorted(self._versions)

    def knows(self, api_version: str, kind: str) -> bool:
        """Whether ``kind`` is served in ``api_version``."""
        return (api_version, kind) in self._versions

    def defines(self, group: str, kind: str) -> bool:
        """Whether a CRD for ``kind`` in ``group`` is here (served in some version or not)."""
        return (group, kind) in self._served_by_kind or (group, kind) in self._not_served

    def version(self, api_version: str, kind: str) -> ServedVersion:
        """The served version ``api_version`` of ``kind`` (KeyError when not served)."""
        return self._versions[(api_version, kind)]

    def schema(self, api_version: str, kind: str) -> Mapping[str, Any]:
        """The raw OpenAPI v3 schema of one kind in one served version (read-only)."""
        return self._versions[(api_version, kind)].schema

    def unchecked_cel_rules(self) -> list[UncheckedCelRule]:
        """Every CEL rule of every served version that a create-time check does not evaluate:
        transition rules (``oldSelf``, update only) and rules calling a missing function."""
        found: list[UncheckedCelRule] = []
        for (api_version, kind), served in sorted(self._versions.items()):
            for path, rule in _cel_rules(served.schema, ""):
                text = str(rule.get("rule", ""))
                if cel_rules.is_transition_rule(text):
                    reason = "transition rule (oldSelf): evaluated on update only"
                elif missing := cel_rules.missing_functions(text):
                    reason = f"calls {', '.join(sorted(missing))}, which the harness lacks"
                else:
                    continue
                found.append(UncheckedCelRule(api_version, kind, path or "<root>", text, reason))
        return found

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
            return {}, [f"<root>: a manifest is an object, got {type_name(manifest)}"]
        api_version, kind = manifest.get("apiVersion"), manifest.get("kind")
        served = self._versions.get((str(api_version), str(kind)))
        if served is None:
            return dict(manifest), [self._not_served_problem(api_version, kind)]
        return admit(manifest, served.checked, require_name=require_name)

    def _not_served_problem(self, api_version: object, kind: object) -> str:
        group, _, _ = str(api_version).rpartition("/")
        served = self._served_by_kind.get((group, str(kind)))
        if served:
            return (
                f"<root>: apiVersion={api_version!r} is not served by the {kind} CRD "
                f"(served: {', '.join(f'{group}/{v}' for v in served)}); the API server "
                "rejects it"
            )
        known = ", ".join(f"{known_api} {known_kind}" for known_api, known_kind in self.kinds)
        return (
            f"<root>: no CRD schema for apiVersion={api_version!r} kind={kind!r} "
            f"in {self.source} (known: {known})"
        )


def _cel_rules(schema: Mapping[str, Any], path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for rule in schema.get(CEL) or ():
        yield path, rule
    for name, child in (schema.get("properties") or {}).items():
        yield from _cel_rules(child, key_path(path, name))
    if isinstance(schema.get("items"), Mapping):
        yield from _cel_rules(schema["items"], f"{path}[*]")
    if isinstance(schema.get("additionalProperties"), Mapping):
        yield from _cel_rules(schema["additionalProperties"], f"{path}[*]")


@functools.cache
def _load_files(files: tuple[Path, ...], source: str) -> CrdSchemas:
    return CrdSchemas.from_files(files, source=source)


def load_crd_folder(name: str) -> CrdSchemas:
    """The CRDs of shared folder ``name`` (see ``shared_folders.SHARED_FOLDERS``), parsed and
    compiled once per process. Empty when the folder is absent: callers check availability."""
    folder = shared_folder(name)
    return _load_files(tuple(folder.crd_files()), f"{folder.title} ({folder.path})")
