"""Where the upstream facts live: ``../shared`` beside the repository, read in place, never copied.

Each :class:`SharedFolder` is one upstream release of one project (its CRDs, and for KubeRay its
samples); :data:`SHARED_FOLDERS` lists every folder the conformance harness knows, by a short
name. A folder that is absent on a machine makes the tests that need it skip with the folder's
name and path (:func:`require_shared_folder`), never fail and never pass vacuously.

Moving to a newer upstream tag is one edit here: the folder's ``relative`` path and ``title``
(see ``../shared/crds/README.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest
import yaml

from pulumi_kuberay.versions import DEFAULT_OPERATOR_VERSION

REPO_ROOT: Final[Path] = Path(__file__).resolve().parents[2]
SHARED_ROOT: Path = REPO_ROOT.parent / "shared"
"""``<repo root>/../shared``. Tests may monkeypatch it to pretend the folders are absent."""


@dataclass(frozen=True)
class SharedFolder:
    """One upstream release under ``../shared``: where it is and which API groups it defines.

    ``groups`` is declared rather than read from the files so that an *absent* folder can still
    say which kinds it would have checked (a test keeps it in step with the files).
    """

    name: str
    title: str
    relative: str
    crd_glob: str
    groups: tuple[str, ...]

    @property
    def path(self) -> Path:
        """The folder (resolved against :data:`SHARED_ROOT` at call time)."""
        return SHARED_ROOT / self.relative

    def crd_files(self) -> list[Path]:
        """The CRD files of this release, sorted (empty when the folder is absent)."""
        return sorted(self.path.glob(self.crd_glob))

    def available(self) -> bool:
        """Whether the folder is present with at least one CRD file."""
        return bool(self.crd_files())

    def absent_reason(self) -> str:
        """Why a test that needs this folder skips."""
        return (
            f"{self.path} is absent (expected at <repo root>/../shared/{self.relative}): "
            f"conformance against {self.title} needs its CRDs beside the repo"
        )


@dataclass(frozen=True)
class KubeRayRelease:
    """A KubeRay minor release: its shared folder (CRDs and samples) and the operator version
    ``validate_manifest`` is asked about for it."""

    minor: str
    tag: str
    operator_version: str
    folder: SharedFolder

    @property
    def label(self) -> str:
        """``KubeRay 1.6 (v1.6.2)``: how problem messages name the release."""
        return f"KubeRay {self.minor} ({self.tag})"


def _kuberay_folder(minor: str, tag: str, relative: str) -> SharedFolder:
    return SharedFolder(
        name=f"kuberay-{minor}",
        title=f"KubeRay {tag}",
        relative=relative,
        crd_glob="crds/*.yaml",
        groups=("ray.io",),
    )


KUBERAY_RELEASES: Final[tuple[KubeRayRelease, ...]] = (
    # The 1.5 folder holds v1.5.2, whose CRDs are those of 1.5.1, the library's default.
    KubeRayRelease(
        "1.5", "v1.5.2", DEFAULT_OPERATOR_VERSION, _kuberay_folder("1.5", "v1.5.2", "kuberay")
    ),
    KubeRayRelease("1.6", "v1.6.2", "1.6.2", _kuberay_folder("1.6", "v1.6.2", "kuberay-1.6")),
    KubeRayRelease("1.7", "v1.7.0", "1.7.0", _kuberay_folder("1.7", "v1.7.0", "kuberay-1.7")),
)
"""Every KubeRay release the harness checks, oldest first."""

DEFAULT_RELEASE: Final = "1.5"
"""The release meant when a helper is asked about ``ray.io`` without naming one."""

KARPENTER_AWS_VARIANT: Final = "aws"
"""``variant=`` value that selects the AWS build of ``karpenter.sh`` NodePool/NodeClaim."""

CRD_FOLDERS: Final[tuple[SharedFolder, ...]] = (
    SharedFolder(
        "kueue", "Kueue v0.19.2", "crds/kueue-v0.19.2", "crds/*.yaml", ("kueue.x-k8s.io",)
    ),
    SharedFolder(
        "cert-manager",
        "cert-manager v1.21.1",
        "crds/cert-manager-v1.21.1",
        "crds/*.yaml",
        ("cert-manager.io",),
    ),
    SharedFolder(
        "prometheus-operator",
        "Prometheus operator v0.93.0",
        "crds/prometheus-operator-v0.93.0",
        "crds/*.yaml",
        ("monitoring.coreos.com",),
    ),
    SharedFolder(
        "karpenter", "Karpenter v1.14.1", "crds/karpenter-v1.14.1", "crds/*.yaml", ("karpenter.sh",)
    ),
    SharedFolder(
        "karpenter-aws",
        "Karpenter AWS provider v1.14.1",
        "crds/karpenter-provider-aws-v1.14.1",
        "crds/*.yaml",
        ("karpenter.k8s.aws",),
    ),
    SharedFolder(
        "gateway-api",
        "Gateway API v1.6.1",
        "crds/gateway-api-v1.6.1",
        "crds/*.yaml",
        ("gateway.networking.k8s.io",),
    ),
)
"""The non-KubeRay CRD folders: exactly ``../shared/crds/*/crds/`` (a test checks that)."""

KARPENTER_AWS_BUILD: Final = SharedFolder(
    "karpenter-aws-variant",
    "Karpenter AWS provider v1.14.1 (AWS build of NodePool/NodeClaim)",
    "crds/karpenter-provider-aws-v1.14.1",
    "karpenter.sh-aws-variant/*.yaml",
    ("karpenter.sh",),
)
"""What the AWS chart installs for ``karpenter.sh``: the core kinds plus AWS label rules."""

SHARED_FOLDERS: Final[dict[str, SharedFolder]] = {
    folder.name: folder
    for folder in (
        *(release.folder for release in KUBERAY_RELEASES),
        *CRD_FOLDERS,
        KARPENTER_AWS_BUILD,
    )
}
"""Every folder by name: ``kuberay-1.5``, ``kuberay-1.6``, ``kuberay-1.7``, ``kueue``, ..."""


def kuberay_release(minor: str) -> KubeRayRelease:
    """The release ``1.5``, ``1.6`` or ``1.7`` (``v1.6.2`` and ``1.6.2`` work too)."""
    wanted = ".".join(minor.lstrip("vV").split(".")[:2])
    for release in KUBERAY_RELEASES:
        if release.minor == wanted:
            return release
    known = ", ".join(release.minor for release in KUBERAY_RELEASES)
    raise KeyError(f"no KubeRay release {minor!r} in ../shared (known: {known})")


def shared_folder(name: str) -> SharedFolder:
    """The folder called ``name`` (see :data:`SHARED_FOLDERS`)."""
    try:
        return SHARED_FOLDERS[name]
    except KeyError:
        raise KeyError(f"no shared folder {name!r}; known: {', '.join(SHARED_FOLDERS)}") from None


def require_shared_folder(name: str) -> Path:
    """The folder called ``name``, or skip the calling test saying where it was expected."""
    folder = shared_folder(name)
    if not folder.available():
        pytest.skip(folder.absent_reason())
    return folder.path


def require_shared_fixture() -> Callable[[str], Path]:
    """Fixture body (``require_shared`` in ``tests/conftest.py``): a function that returns a
    shared folder by name or skips the test. ``def test_x(require_shared):
    require_shared("kueue")``."""
    return require_shared_folder


# --------------------------------------------------------------------------------------------
# The KubeRay folders (the names tests used before there were several releases)
# --------------------------------------------------------------------------------------------

SHARED_KUBERAY: Final[Path] = KUBERAY_RELEASES[0].folder.path
"""The KubeRay v1.5.2 folder (CRDs and samples) as it is on this machine."""


def shared_kuberay_available(release: str = DEFAULT_RELEASE) -> bool:
    """Whether the release's folder (CRDs and samples) is present beside the repository."""
    path = kuberay_release(release).folder.path
    return (path / "crds").is_dir() and (path / "samples").is_dir()


def require_shared_kuberay(release: str = DEFAULT_RELEASE) -> Path:
    """The release's KubeRay folder, or skip the calling test with the reason it is needed."""
    found = kuberay_release(release)
    if not shared_kuberay_available(release):
        pytest.skip(
            f"{found.folder.path} is absent (expected at <repo root>/../shared/"
            f"{found.folder.relative}): CRD conformance needs the {found.folder.title} CRDs "
            "and samples beside the repo"
        )
    return found.folder.path


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
    """Every document of a (multi-document) YAML file, ``None`` for empty ones.

    Same result as ``yaml.load_all(..., Loader=KubeYamlLoader)``, about three times faster on
    the large CRD files (they are parsed once per test process, and that is most of the
    harness's start-up): :func:`_build_documents` assembles the parser's events directly and
    gives up, for the plain loader, on anything but maps, lists and plain scalar types.
    """
    with path.open(encoding="utf-8") as stream:
        try:
            return _build_documents(KubeYamlLoader(stream))
        except _NeedsFullLoaderError:
            pass
    with path.open(encoding="utf-8") as stream:
        return list(yaml.load_all(stream, Loader=KubeYamlLoader))


class _NeedsFullLoaderError(Exception):
    """Anchors, aliases, explicit tags, merge keys or complex keys: left to PyYAML's loader."""


_PLAIN_TAGS: Final = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")
)
_STR_TAG: Final = "tag:yaml.org,2002:str"
_NO_KEY: Final = object()


def _scalar(loader: Any, event: Any, cache: dict[tuple[str, Any], Any]) -> Any:
    key = (event.value, event.implicit)
    value = cache.get(key, _NO_KEY)
    if value is _NO_KEY:
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG:
            value = event.value
        elif tag in _PLAIN_TAGS:
            value = loader.construct_object(yaml.ScalarNode(tag, event.value, style=event.style))
        else:
            raise _NeedsFullLoaderError(tag)
        cache[key] = value
    return value


def _build_documents(loader: Any) -> list[Any]:
    events = yaml.events
    cache: dict[tuple[str, Any], Any] = {}
    documents: list[Any] = []
    try:
        loader.get_event()  # StreamStart
        while not loader.check_event(events.StreamEndEvent):
            loader.get_event()  # DocumentStart
            stack: list[list[Any]] = []  # [container, pending map key]
            root: Any = None
            while True:
                event = loader.get_event()
                cls = type(event)
                if cls is events.DocumentEndEvent:
                    break
                if cls is events.MappingEndEvent or cls is events.SequenceEndEvent:
                    stack.pop()
                    continue
                if cls is events.AliasEvent or event.anchor or event.tag not in (None, "!"):
                    raise _NeedsFullLoaderError(event)
                opened = cls is not events.ScalarEvent
                if cls is events.ScalarEvent:
                    value = _scalar(loader, event, cache)
                else:
                    value = {} if cls is events.MappingStartEvent else []
                if stack:
                    top = stack[-1]
                    if type(top[0]) is dict:
                        if top[1] is _NO_KEY:
                            if opened or value == "<<":
                                raise _NeedsFullLoaderError("complex or merge key")
                            top[1] = value
                            continue
                        top[0][top[1]] = value
                        top[1] = _NO_KEY
                    else:
                        top[0].append(value)
                else:
                    root = value
                if opened:
                    stack.append([value, _NO_KEY])
            documents.append(root)
    finally:
        loader.dispose()
    return documents


def iter_sample_documents(
    kind: str | None = None, *, release: str = DEFAULT_RELEASE
) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """``(path, index, doc)`` for every YAML document under a release's ``samples/``, sorted.

    ``index`` is the document's position in its file (empty documents count), so
    ``f"{path.name}#{index}"`` names it. With ``kind``, only ``ray.io`` documents of that kind
    are yielded (the samples also hold ConfigMaps, Services, Queues, ...). ``release`` is
    ``"1.5"`` (default), ``"1.6"`` or ``"1.7"``.

    Raises FileNotFoundError when the samples are absent: an empty iteration would let a test
    pass vacuously. Check :func:`shared_kuberay_available` or call :func:`require_shared_kuberay`
    first.
    """
    samples = kuberay_release(release).folder.path / "samples"
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
