"""Fail any test that emits a RayCluster/RayJob/RayService manifest the real CRDs would not store.

Every top-level model derives from ``pulumi_kuberay.models.ray.resource.CustomResourceModel``, and its
``to_manifest()`` is the one place manifests are produced. :func:`install_manifest_recorder` wraps
it so each returned manifest is also appended (deep-copied) to :data:`EMITTED_MANIFESTS`; the
autouse fixture body :func:`emitted_manifest_guard` clears that list before each test and, after
it, checks every recorded manifest with :meth:`CrdSchemas.problems` (pruning and defaulting as the
API server does:
https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting
and #field-pruning). So "every manifest emitted anywhere in the test suite validates against the
real CRDs" holds without any test asking for it.

Wiring, the whole of what ``tests/conftest.py`` needs::

    import pytest

    from tests.conformance.recorder import (
        emitted_manifest_guard,
        install_manifest_recorder,
        register_markers,
    )

    install_manifest_recorder()
    pytest_configure = register_markers
    emitted_manifests_conform = pytest.fixture(autouse=True)(emitted_manifest_guard)

If ``tests/conftest.py`` already defines ``pytest_configure``, call ``register_markers(config)``
from it instead of the assignment. (``tests/conformance/test_recorder.py`` runs exactly this
block in a child pytest, so keep the block and the code in step.)

Behaviour:

- A failing check is reported by ``pytest.fail`` at the test's teardown, naming the manifest
  (kind and name) and each problem with its path.
- ``@pytest.mark.allow_nonconforming_manifests`` opts a test out (tests that build bad manifests
  on purpose to exercise validation).
- Without ``../shared/kuberay`` the guard does nothing; the test runs as usual.
- Subclasses must not override ``to_manifest`` (or must return ``super().to_manifest()``
  unchanged): the recorder sees what the base method returns.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

import pytest

from pulumi_kuberay.models.ray.resource import CustomResourceModel
from tests.conformance.crd_schema import CrdSchemas, shared_kuberay_available

ALLOW_MARKER: Final = "allow_nonconforming_manifests"
_MARKER_LINE: Final = (
    f"{ALLOW_MARKER}: the test builds manifests the KubeRay CRDs reject on purpose; "
    "skip the emitted-manifest conformance check"
)
_RECORDER_FLAG: Final = "__records_emitted_manifests__"

EMITTED_MANIFESTS: list[dict[str, Any]] = []
"""Manifests returned by ``CustomResourceModel.to_manifest`` since the current test started."""

# Tests build the same few manifests over and over; the check depends only on the content.
_PROBLEMS_BY_CONTENT: dict[str, list[str]] = {}
_CACHE_LIMIT: Final = 4096


def install_manifest_recorder() -> None:
    """Wrap ``CustomResourceModel.to_manifest`` to record its results. Idempotent."""
    original = CustomResourceModel.to_manifest
    if getattr(original, _RECORDER_FLAG, False):
        return

    @functools.wraps(original)
    def to_manifest(self: CustomResourceModel) -> dict[str, Any]:
        manifest = original(self)
        try:
            EMITTED_MANIFESTS.append(copy.deepcopy(manifest))
        except Exception:  # an uncopyable value still deserves a check
            EMITTED_MANIFESTS.append(manifest)
        return manifest

    setattr(to_manifest, _RECORDER_FLAG, True)
    CustomResourceModel.to_manifest = to_manifest  # type: ignore[method-assign]


def register_markers(config: pytest.Config) -> None:
    """``pytest_configure`` hook body: register ``allow_nonconforming_manifests`` (once)."""
    if _MARKER_LINE not in config.getini("markers"):
        config.addinivalue_line("markers", _MARKER_LINE)


def _label(manifest: Mapping[str, Any]) -> str:
    metadata = manifest.get("metadata")
    name = None
    if isinstance(metadata, Mapping):
        name = metadata.get("name") or metadata.get("generateName")
    return f"{manifest.get('kind') or '<no kind>'} {name!r}"


def nonconforming_manifests(
    manifests: Iterable[Mapping[str, Any]], schemas: CrdSchemas | None = None
) -> list[str]:
    """One report per distinct manifest with problems: ``"RayCluster 'x': problem; ..."``."""
    schemas = schemas if schemas is not None else CrdSchemas.shared()
    reports: list[str] = []
    seen: set[str] = set()
    for manifest in manifests:
        content = json.dumps(manifest, sort_keys=True, default=repr)
        if content in seen:
            continue
        seen.add(content)
        problems = _PROBLEMS_BY_CONTENT.get(content)
        if problems is None:
            problems = schemas.problems(manifest)
            if len(_PROBLEMS_BY_CONTENT) >= _CACHE_LIMIT:
                _PROBLEMS_BY_CONTENT.clear()
            _PROBLEMS_BY_CONTENT[content] = problems
        if problems:
            reports.append(
                f"{_label(manifest)} would not be stored as sent:\n"
                + "\n".join(f"  - {problem}" for problem in problems)
            )
    return reports


def check_emitted_manifests(
    manifests: Iterable[Mapping[str, Any]] | None = None, schemas: CrdSchemas | None = None
) -> None:
    """``pytest.fail`` with every problem of the given (default: recorded) manifests.

    ``schemas`` defaults to the shared KubeRay CRDs, which skips the caller when they are absent.
    """
    reports = nonconforming_manifests(
        EMITTED_MANIFESTS if manifests is None else manifests, schemas
    )
    if reports:
        pytest.fail(
            "the test emitted manifests the KubeRay v1.5.2 CRDs would reject or change "
            f"(mark it @pytest.mark.{ALLOW_MARKER} if that is the point):\n" + "\n".join(reports),
            pytrace=False,
        )


def emitted_manifest_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Autouse fixture body: check every manifest the test emitted, after the test.

    Wrap it with ``pytest.fixture(autouse=True)`` in ``tests/conftest.py`` (see the module doc).
    """
    install_manifest_recorder()
    EMITTED_MANIFESTS.clear()
    yield
    try:
        if request.node.get_closest_marker(ALLOW_MARKER) is None and shared_kuberay_available():
            check_emitted_manifests()
    finally:
        EMITTED_MANIFESTS.clear()
