"""write_manifests: one YAML file per Kubernetes object, all or nothing, unknowns tagged."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pulumi_kuberay.preview import (
    UNKNOWN,
    OutputDirError,
    PreviewError,
    manifest_file_names,
    read_manifests,
    run_program,
    write_manifests,
)
from pulumi_kuberay.preview import manifests as manifests_module
from tests.preview.conftest import DEPLOY_TIME_VALUES, FAILING, RAY_APP, write_project


def test_writes_one_file_per_object_whose_content_is_the_inputs(tmp_path: Path) -> None:
    result = run_program(RAY_APP)
    out = tmp_path / "out"

    paths = write_manifests(result, out)

    assert [p.name for p in paths] == [
        "_--namespace--ml.yaml",  # "_": no namespace (cluster-scoped or left to the provider)
        "ml--configmap--ray-settings.yaml",
        "ml--raycluster--demo.yaml",
    ]
    by_name = {obj.resource.name: obj for obj in result.objects()}
    assert read_manifests(out / "ml--configmap--ray-settings.yaml") == [
        by_name["settings"].manifest
    ]
    [ray_cluster] = read_manifests(out / "ml--raycluster--demo.yaml")
    assert ray_cluster == {
        "apiVersion": "ray.io/v1",
        "kind": "RayCluster",
        **{key: by_name["cluster"].resource.inputs[key] for key in ("metadata", "spec")},
    }
    assert sorted(p.name for p in out.glob("*.yaml")) == [p.name for p in paths]


def test_files_say_where_they_come_from(tmp_path: Path) -> None:
    result = run_program(RAY_APP)
    write_manifests(result, tmp_path / "out")

    text = (tmp_path / "out" / "ml--configmap--ray-settings.yaml").read_text()
    assert text.splitlines()[:2] == [
        "# Rendered offline by pulumi-kuberay preview (project ray-app, stack dev).",
        f"# Resource: {result.resource('settings').urn}",
    ]
    # Plain YAML otherwise: any YAML tool reads a file without unknowns.
    assert yaml.safe_load(text)["data"] == {"workers": "2"}


def test_unknown_values_are_tagged_and_listed_not_invented(tmp_path: Path) -> None:
    result = run_program(DEPLOY_TIME_VALUES)
    write_manifests(result, tmp_path / "out")

    text = (tmp_path / "out" / "ml--configmap--facts.yaml").read_text()
    assert "# Values tagged !unknown only exist after a real deploy:" in text
    assert "#   data.namespace-id" in text
    assert "namespace-id: !unknown 'known after deploy'" in text
    assert "namespace: ml" in text
    # A reader that does not know the tag refuses the file instead of taking it for data...
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load(text)
    # ...and read_manifests gives the unknowns back, for lint and policies.
    [facts] = read_manifests(tmp_path / "out" / "ml--configmap--facts.yaml")
    assert facts["data"]["namespace-id"] is UNKNOWN
    assert facts["data"]["namespace"] == "ml"


def test_objects_with_unknown_names_get_a_name_from_their_resource(tmp_path: Path) -> None:
    paths = write_manifests(run_program(DEPLOY_TIME_VALUES), tmp_path / "out")

    assert "ml--configmap--_unknown-auto-named.yaml" in [p.name for p in paths]


def test_same_object_name_twice_gets_distinct_files(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "twins",
        """
        import pulumi
        import pulumi_kubernetes as k8s
        for parent in ("left", "right"):
            k8s.core.v1.ConfigMap(parent, metadata={"name": "same", "namespace": "ml"})
        """,
    )

    assert manifest_file_names(run_program(project).objects()) == [
        "ml--configmap--same--left.yaml",
        "ml--configmap--same--right.yaml",
    ]


def test_a_failing_program_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(PreviewError):
        write_manifests(run_program(FAILING), out)

    assert not out.exists()


def test_a_failure_while_writing_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_program(RAY_APP)
    out = tmp_path / "out"
    write_manifests(result, out)
    before = {p.name: p.read_text() for p in out.iterdir()}
    calls = 0

    def dump_then_fail(manifest: dict[str, object]) -> str:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        return "kind: Partial\n"

    monkeypatch.setattr(manifests_module, "dump_manifest", dump_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_manifests(result, out)

    assert {p.name: p.read_text() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging directory left


def test_rewriting_replaces_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_manifests(run_program(RAY_APP), out)

    paths = write_manifests(run_program(DEPLOY_TIME_VALUES), out)

    assert sorted(p.name for p in out.glob("*.yaml")) == [p.name for p in paths]
    assert not (out / "ml--raycluster--demo.yaml").exists()


def test_refuses_a_directory_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")

    with pytest.raises(OutputDirError, match="not empty"):
        write_manifests(run_program(RAY_APP), out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_an_empty_directory_is_fine(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()

    assert len(write_manifests(run_program(RAY_APP), tmp_path / "out")) == 3


def test_refuses_to_replace_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_program(RAY_APP)
    monkeypatch.chdir(tmp_path)

    with pytest.raises(OutputDirError, match="current directory"):
        write_manifests(result, Path("."))
    assert list(tmp_path.iterdir()) == []
