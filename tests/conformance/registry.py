"""One place that knows a schema for every kind the library emits, and what "conforms" means.

- ``ray.io`` kinds: the KubeRay CRDs of each release (``../shared/kuberay``, ``-1.6``, ``-1.7``).
  A manifest does not say which operator it targets, so :func:`ray_release_problems` checks the
  product's promise instead: for each release R, if ``validate_manifest(doc,
  operator_version=R)`` finds no problem, R's CRD stores the object unchanged; and at least one
  release's CRD stores it unchanged.
- Kueue, cert-manager, Prometheus operator, Karpenter (core build; the AWS build of
  NodePool/NodeClaim with ``variant="aws"``, or automatically when ``nodeClassRef`` points at an
  EC2NodeClass), Karpenter's EC2NodeClass and Gateway API: their CRDs under ``../shared/crds``,
  in the served version the manifest's ``apiVersion`` names.
- Built-in kinds (Secret, Service, StatefulSet, ...): Kubernetes' own schema
  (:mod:`tests.conformance.core_schema`).

Each folder is parsed once per process, on first use. Helpers for tests::

    from tests.conformance.registry import assert_conforms, schemas_for

    assert_conforms(manifest)                          # raises listing every problem
    schemas_for("kueue.x-k8s.io/v1beta2", "ClusterQueue").problems(manifest)
    schemas_for("ray.io/v1", "RayCronJob", release="1.7").as_stored(manifest)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import pytest

from pulumi_kuberay.spec import validate_manifest
from tests.conformance.core_schema import KUBERNETES_VERSION, CoreSchemas
from tests.conformance.crd_schema import CrdSchemas, load_crd_folder
from tests.conformance.shared_folders import (
    CRD_FOLDERS,
    DEFAULT_RELEASE,
    KARPENTER_AWS_BUILD,
    KARPENTER_AWS_VARIANT,
    KUBERAY_RELEASES,
    KubeRayRelease,
    SharedFolder,
    kuberay_release,
)

RAY_GROUP: Final = "ray.io"
_KARPENTER_GROUP: Final = "karpenter.sh"
_EC2_NODE_CLASS_GROUP: Final = "karpenter.k8s.aws"


class Checker(Protocol):
    """What :class:`CrdSchemas` and :class:`CoreSchemas` both offer."""

    def knows(self, api_version: str, kind: str) -> bool: ...

    def schema(self, api_version: str, kind: str) -> Mapping[str, Any]: ...

    def problems(self, manifest: Mapping[str, Any], *, require_name: bool = False) -> list[str]: ...

    def as_stored(self, manifest: Mapping[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class KindSchema:
    """The schema for one kind in one version, bound to where it comes from."""

    api_version: str
    kind: str
    source: str
    checker: Checker

    @property
    def schema(self) -> Mapping[str, Any]:
        """The raw schema (OpenAPI v3 for CRDs, JSON schema for built-in kinds; read-only)."""
        return self.checker.schema(self.api_version, self.kind)

    def problems(self, manifest: Mapping[str, Any], *, require_name: bool = False) -> list[str]:
        """Every reason the API server would reject ``manifest`` or store something else
        (also when the manifest is of another kind or version than this schema's)."""
        found = self._mismatch(manifest)
        return found or self.checker.problems(manifest, require_name=require_name)

    def as_stored(self, manifest: Mapping[str, Any]) -> dict[str, Any]:
        """The object as the API server would store it: pruned and defaulted."""
        return self.checker.as_stored(manifest)

    def _mismatch(self, manifest: Mapping[str, Any]) -> list[str]:
        sent = (manifest.get("apiVersion"), manifest.get("kind"))
        if sent == (self.api_version, self.kind):
            return []
        return [
            f"<root>: apiVersion={sent[0]!r} kind={sent[1]!r}, but this is the schema of "
            f"{self.api_version} {self.kind}"
        ]


@dataclass(frozen=True)
class Lookup:
    """Where a kind's schema is: found, in an absent folder (``absent`` says why), or nowhere."""

    found: KindSchema | None = None
    absent: str | None = None
    unknown: str | None = None


def _split(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


def _folder_for(group: str) -> SharedFolder | None:
    for folder in CRD_FOLDERS:
        if group in folder.groups:
            return folder
    return None


def wants_aws_build(manifest: Mapping[str, Any]) -> bool:
    """Whether a ``karpenter.sh`` NodePool/NodeClaim is bound to AWS (its ``nodeClassRef``
    names an EC2NodeClass), so the AWS build of the CRD (what the AWS chart installs) applies."""
    spec = manifest.get("spec")
    if not isinstance(spec, Mapping):
        return False
    if manifest.get("kind") == "NodePool":
        template = spec.get("template")
        spec = template.get("spec") if isinstance(template, Mapping) else None
        if not isinstance(spec, Mapping):
            return False
    ref = spec.get("nodeClassRef")
    return isinstance(ref, Mapping) and ref.get("group") == _EC2_NODE_CLASS_GROUP


def _from_folder(folder: SharedFolder, api_version: str, kind: str) -> Lookup:
    if not folder.available():
        return Lookup(absent=folder.absent_reason())
    schemas: CrdSchemas = load_crd_folder(folder.name)
    group, _ = _split(api_version)
    if schemas.knows(api_version, kind) or schemas.defines(group, kind):
        # A defined kind in a version that is not served is still this folder's to report.
        return Lookup(found=KindSchema(api_version, kind, schemas.source, schemas))
    return Lookup(unknown=f"{folder.title} defines no {kind} in {group}")


def lookup(
    api_version: str, kind: str, *, release: str | None = None, variant: str | None = None
) -> Lookup:
    """Where the schema of ``kind`` in ``api_version`` is; never raises, never skips.

    ``release`` picks the KubeRay release for ``ray.io`` (default 1.5); ``variant="aws"`` picks
    the AWS build of ``karpenter.sh`` kinds.
    """
    group, _ = _split(api_version)
    if group == RAY_GROUP:
        return _from_folder(kuberay_release(release or DEFAULT_RELEASE).folder, api_version, kind)
    if group == _KARPENTER_GROUP and variant == KARPENTER_AWS_VARIANT:
        return _from_folder(KARPENTER_AWS_BUILD, api_version, kind)
    if variant is not None and variant != KARPENTER_AWS_VARIANT:
        raise ValueError(f"unknown variant {variant!r}; the only one is {KARPENTER_AWS_VARIANT!r}")
    folder = _folder_for(group)
    if folder is not None:
        return _from_folder(folder, api_version, kind)
    core = CoreSchemas.shared()
    if core.knows(api_version, kind):
        return Lookup(found=KindSchema(api_version, kind, f"Kubernetes {KUBERNETES_VERSION}", core))
    known_groups = ", ".join(
        sorted({RAY_GROUP, *(g for folder in CRD_FOLDERS for g in folder.groups)})
    )
    return Lookup(
        unknown=(
            f"no schema for apiVersion={api_version!r} kind={kind!r}: not a built-in kind of "
            f"Kubernetes {KUBERNETES_VERSION}, and no shared CRD folder serves group "
            f"{group!r} (CRD groups known: {known_groups}); add its CRDs to ../shared/crds and "
            "a folder to tests/conformance/shared_folders.py"
        )
    )


def schemas_for(
    api_version: str, kind: str, *, release: str | None = None, variant: str | None = None
) -> KindSchema:
    """The schema of ``kind`` in ``api_version``; skips the test when its folder is absent.

    ``schemas_for("kueue.x-k8s.io/v1beta2", "ClusterQueue")``,
    ``schemas_for("ray.io/v1", "RayCronJob", release="1.6")``,
    ``schemas_for("karpenter.sh/v1", "NodePool", variant="aws")``,
    ``schemas_for("apps/v1", "StatefulSet")``. Raises LookupError for a kind nothing defines.
    """
    found = lookup(api_version, kind, release=release, variant=variant)
    if found.absent is not None:
        pytest.skip(found.absent)
    if found.found is None:
        raise LookupError(found.unknown)
    return found.found


# --------------------------------------------------------------------------------------------
# ray.io: the promise of validate_manifest, release by release
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseVerdict:
    """One KubeRay release's view of one ray.io manifest."""

    release: KubeRayRelease
    operator_accepts: bool
    stored_problems: tuple[str, ...]


def release_verdicts(
    manifest: Mapping[str, Any], *, require_name: bool = False
) -> list[ReleaseVerdict]:
    """The verdict of every release whose folder is present (oldest first)."""
    verdicts: list[ReleaseVerdict] = []
    api_version, kind = str(manifest.get("apiVersion")), str(manifest.get("kind"))
    for release in KUBERAY_RELEASES:
        found = _from_folder(release.folder, api_version, kind)
        if found.absent is not None:
            continue
        stored = (
            found.found.problems(manifest, require_name=require_name)
            if found.found is not None
            else [f"<root>: {release.label} has no {kind} CRD"]
        )
        accepts = validate_manifest(manifest, operator_version=release.operator_version) == []
        verdicts.append(ReleaseVerdict(release, accepts, tuple(stored)))
    return verdicts


def ray_release_problems(manifest: Mapping[str, Any], *, require_name: bool = False) -> list[str]:
    """What breaks the promise for a ``ray.io`` manifest (empty when it holds).

    For each present release R: ``validate_manifest(manifest, operator_version=R)`` accepting
    the object while R's CRD would reject or change it is a problem; and if no release's CRD
    would store it unchanged, that is a problem (with each release's reasons, merged).
    """
    verdicts = release_verdicts(manifest, require_name=require_name)
    found: list[str] = []
    reported: set[str] = set()
    for verdict in verdicts:
        if verdict.operator_accepts and verdict.stored_problems:
            reported.update(verdict.stored_problems)
            found.extend(
                f"{problem} [validate_manifest(operator_version="
                f"{verdict.release.operator_version!r}) accepts it, but the "
                f"{verdict.release.label} CRD would not store it as sent]"
                for problem in verdict.stored_problems
            )
    if verdicts and all(verdict.stored_problems for verdict in verdicts):
        found.extend(_merged(verdicts, skip=reported))
    return found


def _merged(verdicts: Sequence[ReleaseVerdict], skip: set[str]) -> list[str]:
    by_problem: dict[str, list[str]] = {}
    for verdict in verdicts:
        for problem in verdict.stored_problems:
            by_problem.setdefault(problem, []).append(verdict.release.minor)
    releases = [verdict.release.minor for verdict in verdicts]
    return [
        f"{problem} [no KubeRay release stores it as sent; this one in "
        f"{'every release' if where == releases else 'KubeRay ' + ', '.join(where)}]"
        for problem, where in by_problem.items()
        if problem not in skip
    ]


# --------------------------------------------------------------------------------------------
# Any manifest
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What the harness says about one manifest: its problems, or why it was not checked."""

    problems: tuple[str, ...] = ()
    skipped: str | None = None


def check_manifest(
    manifest: Mapping[str, Any],
    *,
    release: str | None = None,
    variant: str | None = None,
    require_name: bool = False,
) -> Verdict:
    """The verdict on any manifest; never raises, never skips.

    ``ray.io`` without ``release`` is checked by :func:`ray_release_problems`; with it, against
    that release's CRD. ``karpenter.sh`` kinds use the AWS build when ``variant="aws"`` or when
    they reference an EC2NodeClass.
    """
    if not isinstance(manifest, Mapping):
        return Verdict((f"<root>: a manifest is an object, got {type(manifest).__name__}",))
    api_version, kind = str(manifest.get("apiVersion")), str(manifest.get("kind"))
    group, _ = _split(api_version)
    if group == RAY_GROUP and release is None:
        if not any(r.folder.available() for r in KUBERAY_RELEASES):
            return Verdict(skipped=KUBERAY_RELEASES[0].folder.absent_reason())
        return Verdict(tuple(ray_release_problems(manifest, require_name=require_name)))
    if group == _KARPENTER_GROUP and variant is None and wants_aws_build(manifest):
        variant = KARPENTER_AWS_VARIANT
    where = lookup(api_version, kind, release=release, variant=variant)
    if where.absent is not None:
        return Verdict(skipped=where.absent)
    if where.found is None:
        return Verdict((f"<root>: {where.unknown}",))
    return Verdict(tuple(where.found.problems(manifest, require_name=require_name)))


def conformance_problems(
    manifest: Mapping[str, Any],
    *,
    release: str | None = None,
    variant: str | None = None,
    require_name: bool = False,
) -> list[str]:
    """Every problem of ``manifest`` (see :func:`check_manifest`); skips the test when the
    folder its kind needs is absent."""
    verdict = check_manifest(manifest, release=release, variant=variant, require_name=require_name)
    if verdict.skipped is not None:
        pytest.skip(verdict.skipped)
    return list(verdict.problems)


def describe(manifest: Mapping[str, Any]) -> str:
    """``RayCluster 'demo'``: how reports name a manifest."""
    metadata = manifest.get("metadata")
    name = None
    if isinstance(metadata, Mapping):
        name = metadata.get("name") or metadata.get("generateName")
    return f"{manifest.get('kind') or '<no kind>'} {name!r}"


def assert_conforms(
    manifest: Mapping[str, Any],
    *,
    release: str | None = None,
    variant: str | None = None,
    require_name: bool = False,
) -> None:
    """Raise AssertionError listing every problem of ``manifest``; skip when its folder is
    absent. Arguments as for :func:`check_manifest`."""
    found = conformance_problems(
        manifest, release=release, variant=variant, require_name=require_name
    )
    if found:
        raise AssertionError(
            f"{describe(manifest)} would not be stored as sent:\n"
            + "\n".join(f"  - {problem}" for problem in found)
        )
