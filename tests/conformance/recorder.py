"""Fail any test that emits an object the API server would reject or store differently.

Every whole object the library models derives from
``pulumi_kuberay.models.objects.KubernetesObject``, and its ``to_manifest()`` is the one place
manifests are produced. :func:`install_manifest_recorder` wraps it so each returned manifest is
also appended (deep-copied) to :data:`EMITTED_MANIFESTS`; the autouse fixture body
:func:`emitted_manifest_guard` clears that list before each test and, after it, checks every
recorded manifest with :func:`tests.conformance.registry.check_manifest`:

- ``ray.io`` kinds: for each KubeRay release (1.5, 1.6, 1.7), if ``validate_manifest`` accepts
  the object for that release, its CRD must store it unchanged; and some release's CRD must;
- the kinds of ``../shared/crds`` (Kueue, cert-manager, Prometheus operator, Karpenter, Gateway
  API): their CRD, in the version the manifest names;
- built-in kinds: the Kubernetes schema (``core_schema.KUBERNETES_VERSION``);
- any other kind fails, naming it: nothing escapes unchecked.

So "every manifest emitted anywhere in the test suite is stored as sent" holds without any test
asking for it.

Wiring, the whole of what ``tests/conftest.py`` needs::

    import pytest

    from tests.conformance.recorder import (
        emitted_manifest_guard,
        install_manifest_recorder,
        register_markers,
    )
    from tests.conformance.shared_folders import require_shared_fixture

    install_manifest_recorder()
    pytest_configure = register_markers
    emitted_manifests_conform = pytest.fixture(autouse=True)(emitted_manifest_guard)
    require_shared = pytest.fixture(require_shared_fixture)

If ``tests/conftest.py`` already defines ``pytest_configure``, call ``register_markers(config)``
from it instead of the assignment. (``tests/conformance/test_recorder.py`` runs exactly this
block in a child pytest, so keep the block and the code in step.)

Behaviour:

- A failing check is reported by ``pytest.fail`` at the test's teardown, naming the manifest
  (kind and name) and each problem with its path.
- ``@pytest.mark.allow_nonconforming_manifests`` opts a test out (tests that build bad manifests
  on purpose to exercise validation).
- An object whose kind needs a shared folder that is absent is not checked; the test runs as
  usual.
- Models must not override ``to_manifest`` (a test checks that none in ``pulumi_kuberay`` does):
  the recorder sees what the base method returns.
- Verdicts are cached by manifest content: tests build the same few objects over and over.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import pytest

from pulumi_kuberay.models.objects import KubernetesObject
from tests.conformance.registry import Verdict, check_manifest, describe

ALLOW_MARKER: Final = "allow_nonconforming_manifests"
_MARKER_LINE: Final = (
    f"{ALLOW_MARKER}: the test builds manifests the API server would reject or change on "
    "purpose; skip the emitted-manifest conformance check"
)
_RECORDER_FLAG: Final = "__records_emitted_manifests__"

EMITTED_MANIFESTS: list[dict[str, Any]] = []
"""Manifests returned by ``KubernetesObject.to_manifest`` since the current test started."""

_VERDICTS_BY_CONTENT: dict[str, Verdict] = {}
_CACHE_LIMIT: Final = 4096


def install_manifest_recorder() -> None:
    """Wrap ``KubernetesObject.to_manifest`` to record its results. Idempotent."""
    original = KubernetesObject.to_manifest
    if getattr(original, _RECORDER_FLAG, False):
        return

    @functools.wraps(original)
    def to_manifest(self: KubernetesObject) -> dict[str, Any]:
        manifest = original(self)
        try:
            EMITTED_MANIFESTS.append(copy.deepcopy(manifest))
        except Exception:  # an uncopyable value still deserves a check
            EMITTED_MANIFESTS.append(manifest)
        return manifest

    setattr(to_manifest, _RECORDER_FLAG, True)
    KubernetesObject.to_manifest = to_manifest  # type: ignore[method-assign]


def register_markers(config: pytest.Config) -> None:
    """``pytest_configure`` hook body: register ``allow_nonconforming_manifests`` (once)."""
    if _MARKER_LINE not in config.getini("markers"):
        config.addinivalue_line("markers", _MARKER_LINE)


def cached_verdict(manifest: Mapping[str, Any]) -> Verdict:
    """:func:`check_manifest` of ``manifest``, cached by content for the whole process."""
    content = json.dumps(manifest, sort_keys=True, default=repr)
    verdict = _VERDICTS_BY_CONTENT.get(content)
    if verdict is None:
        verdict = check_manifest(manifest)
        if len(_VERDICTS_BY_CONTENT) >= _CACHE_LIMIT:
            _VERDICTS_BY_CONTENT.clear()
        _VERDICTS_BY_CONTENT[content] = verdict
    return verdict


def nonconforming_manifests(
    manifests: Iterable[Mapping[str, Any]],
    check: Callable[[Mapping[str, Any]], Verdict] = cached_verdict,
) -> list[str]:
    """One report per distinct manifest with problems: ``"RayCluster 'x' ...: - problem"``."""
    reports: list[str] = []
    seen: set[str] = set()
    for manifest in manifests:
        content = json.dumps(manifest, sort_keys=True, default=repr)
        if content in seen:
            continue
        seen.add(content)
        verdict = check(manifest)
        if verdict.problems:
            reports.append(
                f"{describe(manifest)} would not be stored as sent:\n"
                + "\n".join(f"  - {problem}" for problem in verdict.problems)
            )
    return reports


def check_emitted_manifests(manifests: Iterable[Mapping[str, Any]] | None = None) -> None:
    """``pytest.fail`` with every problem of the given (default: recorded) manifests."""
    reports = nonconforming_manifests(EMITTED_MANIFESTS if manifests is None else manifests)
    if reports:
        pytest.fail(
            "the test emitted manifests the API server would reject or change "
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
        if request.node.get_closest_marker(ALLOW_MARKER) is None:
            check_emitted_manifests()
    finally:
        EMITTED_MANIFESTS.clear()
