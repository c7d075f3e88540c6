"""The KubeRay releases whose data the tests read in place: ``../shared/kuberay`` (v1.5.2, the
same CRDs as 1.5.1), ``../shared/kuberay-1.6`` (v1.6.2) and ``../shared/kuberay-1.7`` (v1.7.0).

Nothing is copied into the repository; a test that needs a release's folder calls
:func:`require_release`, which skips with the reason when the folder is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_kuberay.versions import feature_gates_for

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@dataclass(frozen=True)
class Release:
    """One KubeRay release's shared folder and the operator version it stands for."""

    version: str
    folder: Path

    @property
    def crds(self) -> Path:
        return self.folder / "crds"

    @property
    def samples(self) -> Path:
        return self.folder / "samples"

    def available(self) -> bool:
        return self.crds.is_dir() and self.samples.is_dir()

    def all_gates_on(self) -> dict[str, bool]:
        """Every gate this release knows, turned on."""
        return dict.fromkeys(feature_gates_for(self.version), True)

    def __str__(self) -> str:
        return self.version


RELEASES: tuple[Release, ...] = (
    Release("1.5.1", SHARED / "kuberay"),
    Release("1.6.2", SHARED / "kuberay-1.6"),
    Release("1.7.0", SHARED / "kuberay-1.7"),
)
RAY_KINDS = ("RayCluster", "RayJob", "RayService", "RayCronJob")


def require_release(release: Release) -> Release:
    """``release``, or skip the calling test when its shared folder is absent."""
    if not release.available():
        pytest.skip(
            f"{release.folder} is absent: KubeRay {release.version} data lives beside the repo"
        )
    return release


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML without timestamps (sigs.k8s.io/yaml keeps them strings)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_documents(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as stream:
        return list(yaml.load_all(stream, Loader=_Loader))


def ray_samples(release: Release) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(id, doc)`` for every ``ray.io/v1`` document of the release's samples."""
    if not release.available():
        return
    for path in sorted(release.samples.rglob("*.yaml")):
        for index, doc in enumerate(load_documents(path)):
            if (
                isinstance(doc, dict)
                and doc.get("apiVersion") == "ray.io/v1"
                and doc.get("kind") in RAY_KINDS
            ):
                yield f"{release.version}:{path.relative_to(release.samples)}#{index}", doc


def crd_spec_schema(release: Release, kind: str) -> dict[str, Any] | None:
    """The ``spec`` schema of ``kind``'s ``v1`` CRD at ``release`` (``None`` if it has none)."""
    path = release.crds / f"ray.io_{kind.lower()}s.yaml"
    if not path.is_file():
        return None
    for doc in load_documents(path):
        for version in (doc or {}).get("spec", {}).get("versions", []):
            if version.get("name") == "v1":
                schema: dict[str, Any] = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
                return schema
    return None


def all_release_samples() -> list[Any]:
    """Every sample of every release, as pytest params ``(release, doc)`` with readable ids."""
    return [
        pytest.param(release, doc, id=sample_id)
        for release in RELEASES
        for sample_id, doc in ray_samples(release)
    ]
