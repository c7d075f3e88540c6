"""The emitted-manifest guard by example: record what ``to_manifest`` returns, check it after."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

import pulumi_kuberay
from pulumi_kuberay.models.objects import KubernetesObject
from pulumi_kuberay.models.ray.resource import CustomResourceModel, ObjectMeta
from tests.conformance import recorder, shared_folders
from tests.conformance.crd_schema import REPO_ROOT, CrdSchemas
from tests.conformance.recorder import (
    ALLOW_MARKER,
    EMITTED_MANIFESTS,
    check_emitted_manifests,
    emitted_manifest_guard,
    install_manifest_recorder,
)


class ToyRayCluster(CustomResourceModel):
    """The smallest top-level model: the base class does all the manifest work."""

    KIND: ClassVar[str] = "RayCluster"
    spec: dict[str, Any]


class ToyConfigMap(KubernetesObject):
    """A built-in kind on the same base: the guard checks it against the Kubernetes schema."""

    API_VERSION: ClassVar[str] = "v1"
    KIND: ClassVar[str] = "ConfigMap"
    data: dict[str, Any] | None = None
    datta: dict[str, Any] | None = None  # a typo the model lets through, for the test


class ToyLocalQueue(KubernetesObject):
    API_VERSION: ClassVar[str] = "kueue.x-k8s.io/v1beta2"
    KIND: ClassVar[str] = "LocalQueue"
    spec: dict[str, Any]


class ToyWidget(KubernetesObject):
    """A kind nothing defines a schema for."""

    API_VERSION: ClassVar[str] = "example.com/v1"
    KIND: ClassVar[str] = "Widget"


def toy(name: str, **container_fields: Any) -> ToyRayCluster:
    head = {"name": "ray-head", "image": "rayproject/ray:2.53.0", **container_fields}
    return ToyRayCluster(
        metadata=ObjectMeta(name=name),
        spec={"headGroupSpec": {"template": {"spec": {"containers": [head]}}}},
    )


@pytest.fixture
def schemas() -> CrdSchemas:
    return CrdSchemas.shared()


def unmarked_request() -> Any:
    """A stand-in for ``request`` of a test without the opt-out marker."""
    return SimpleNamespace(node=SimpleNamespace(get_closest_marker=lambda name: None))


def test_every_to_manifest_result_is_recorded_as_a_copy() -> None:
    install_manifest_recorder()
    install_manifest_recorder()  # idempotent: still one record per call
    before = len(EMITTED_MANIFESTS)

    manifest = toy("recorded").to_manifest()
    manifest["metadata"]["name"] = "changed-afterwards"

    assert len(EMITTED_MANIFESTS) == before + 1
    assert EMITTED_MANIFESTS[-1]["kind"] == "RayCluster"
    assert EMITTED_MANIFESTS[-1]["metadata"] == {"name": "recorded"}


@pytest.mark.allow_nonconforming_manifests
def test_check_names_the_manifest_and_each_problem(schemas: CrdSchemas) -> None:
    install_manifest_recorder()
    EMITTED_MANIFESTS.clear()
    toy("good").to_manifest()
    check_emitted_manifests()  # conforming: nothing happens

    toy("bad", resourcez={}).to_manifest()
    with pytest.raises(pytest.fail.Exception) as failure:
        check_emitted_manifests()

    message = str(failure.value)
    assert "RayCluster 'bad' would not be stored as sent" in message
    assert "RayCluster 'good'" not in message
    container = "spec.headGroupSpec.template.spec.containers[0]"
    assert f"{container}.resourcez: field not in the CRD schema" in message
    assert ALLOW_MARKER in message


@pytest.mark.allow_nonconforming_manifests  # the outer guard must not see the bad manifest
def test_guard_fails_a_test_that_emitted_a_bad_manifest(schemas: CrdSchemas) -> None:
    guard = emitted_manifest_guard(unmarked_request())
    next(guard)  # setup: recorder installed, list cleared
    assert EMITTED_MANIFESTS == []
    toy("bad", ports=[{"containerPort": "6379"}]).to_manifest()

    with pytest.raises(pytest.fail.Exception, match=r"ports\[0\]\.containerPort: '6379'"):
        next(guard)  # teardown
    assert EMITTED_MANIFESTS == []


@pytest.mark.allow_nonconforming_manifests
def test_guard_lets_a_marked_test_emit_bad_manifests(
    request: pytest.FixtureRequest, schemas: CrdSchemas
) -> None:
    guard = emitted_manifest_guard(request)
    next(guard)
    toy("bad", resourcez={}).to_manifest()
    with pytest.raises(StopIteration):
        next(guard)


@pytest.mark.allow_nonconforming_manifests
def test_guard_checks_built_in_kinds_and_crd_kinds_of_every_model() -> None:
    guard = emitted_manifest_guard(unmarked_request())
    next(guard)
    ToyConfigMap(metadata=ObjectMeta(name="settings"), data={"a": "b"}).to_manifest()
    ToyLocalQueue(
        metadata=ObjectMeta(name="team-a", namespace="ml"), spec={"clusterQueue": "cluster"}
    ).to_manifest()
    with pytest.raises(StopIteration):
        next(guard)  # both conform

    guard = emitted_manifest_guard(unmarked_request())
    next(guard)
    ToyConfigMap(metadata=ObjectMeta(name="settings"), datta={"a": "b"}).to_manifest()
    ToyLocalQueue(metadata=ObjectMeta(name="team-a"), spec={"clusterQueu": "x"}).to_manifest()
    with pytest.raises(pytest.fail.Exception) as failure:
        next(guard)
    message = str(failure.value)
    assert "ConfigMap 'settings' would not be stored as sent" in message
    assert "datta: field not in the Kubernetes 1.34 schema" in message
    assert "LocalQueue 'team-a' would not be stored as sent" in message
    assert "spec.clusterQueu: field not in the CRD schema" in message


@pytest.mark.allow_nonconforming_manifests
def test_guard_fails_an_object_of_a_kind_without_any_schema() -> None:
    guard = emitted_manifest_guard(unmarked_request())
    next(guard)
    ToyWidget(metadata=ObjectMeta(name="w")).to_manifest()
    with pytest.raises(
        pytest.fail.Exception,
        match=r"Widget 'w' would not be stored as sent:\n  - <root>: no schema for "
        r"apiVersion='example.com/v1' kind='Widget'",
    ):
        next(guard)


@pytest.mark.allow_nonconforming_manifests
def test_guard_skips_objects_whose_shared_folder_is_absent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shared_folders, "SHARED_ROOT", tmp_path / "no-shared-here")
    monkeypatch.setattr(recorder, "_VERDICTS_BY_CONTENT", {})
    guard = emitted_manifest_guard(unmarked_request())
    next(guard)
    toy("bad", resourcez={}).to_manifest()  # ray.io: every KubeRay folder is absent
    ToyLocalQueue(metadata=ObjectMeta(name="q"), spec={"bad": 1}).to_manifest()  # kueue absent
    with pytest.raises(StopIteration):
        next(guard)
    # Built-in kinds need no shared folder, and a kind nothing defines still fails.
    guard = emitted_manifest_guard(unmarked_request())
    next(guard)
    ToyConfigMap(metadata=ObjectMeta(name="settings"), datta={}).to_manifest()
    ToyWidget(metadata=ObjectMeta(name="w")).to_manifest()
    with pytest.raises(pytest.fail.Exception, match=r"(?s)datta.*Widget 'w'"):
        next(guard)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.extend([sub, *_subclasses(sub)])
    return found


def test_no_model_of_the_library_overrides_to_manifest() -> None:
    # The recorder wraps KubernetesObject.to_manifest; an override would emit unseen objects.
    for module in pkgutil.walk_packages(pulumi_kuberay.__path__, "pulumi_kuberay."):
        if ".components" not in module.name and ".policy.adapters" not in module.name:
            importlib.import_module(module.name)
    models = [
        cls for cls in _subclasses(KubernetesObject) if cls.__module__.startswith("pulumi_kuberay.")
    ]
    assert models, "no KubernetesObject subclass found"
    assert [cls.__qualname__ for cls in models if "to_manifest" in vars(cls)] == []


def _documented_wiring() -> str:
    """The indented block after 'Wiring, ...::' in recorder's docstring."""
    doc = recorder.__doc__ or ""
    match = re.search(r"Wiring[^\n]*::\n\n((?:    .*\n|\n)+)", doc)
    assert match, "recorder's docstring lost its wiring block"
    return textwrap.dedent(match.group(1))


@pytest.mark.slow
def test_documented_wiring_guards_a_whole_test_session(tmp_path: Path, schemas: CrdSchemas) -> None:
    (tmp_path / "conftest.py").write_text(_documented_wiring())
    (tmp_path / "test_emit.py").write_text(
        textwrap.dedent(
            f"""
            from typing import Any, ClassVar

            import pytest

            from pulumi_kuberay.models.objects import KubernetesObject
            from pulumi_kuberay.models.ray.resource import CustomResourceModel, ObjectMeta

            class ToyRayCluster(CustomResourceModel):
                KIND: ClassVar[str] = "RayCluster"
                spec: dict[str, Any]

            def toy(name, **container_fields):
                head = {{"name": "ray-head", "image": "rayproject/ray:2.53.0", **container_fields}}
                return ToyRayCluster(
                    metadata=ObjectMeta(name=name),
                    spec={{"headGroupSpec": {{"template": {{"spec": {{"containers": [head]}}}}}}}},
                )

            def test_good():
                toy("good").to_manifest()

            def test_bad():
                toy("bad-one", resourcez={{}}).to_manifest()

            @pytest.mark.{ALLOW_MARKER}
            def test_bad_on_purpose():
                toy("bad-two", resourcez={{}}).to_manifest()

            class ToyConfigMap(KubernetesObject):
                API_VERSION: ClassVar[str] = "v1"
                KIND: ClassVar[str] = "ConfigMap"
                datta: dict[str, Any] | None = None

            def test_bad_built_in_kind():
                ToyConfigMap(metadata=ObjectMeta(name="bad-three"), datta={{}}).to_manifest()

            def test_the_require_shared_fixture(require_shared):
                assert (require_shared("kuberay-1.5") / "crds").is_dir()
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "5 passed, 2 errors" in output, output
    assert "ERROR at teardown of test_bad " in output, output
    assert "RayCluster 'bad-one' would not be stored as sent" in output
    assert "ERROR at teardown of test_bad_built_in_kind " in output, output
    assert "ConfigMap 'bad-three' would not be stored as sent" in output
    assert "bad-two" not in output
