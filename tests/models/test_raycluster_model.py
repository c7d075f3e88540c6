"""parse_manifest / to_manifest: faithful structural parsing of RayCluster manifests."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.models import RayCluster
from pulumi_kuberay.spec import parse_manifest, validate_manifest
from tests.conformance.crd_schema import iter_sample_documents, require_shared_kuberay


def sample_rayclusters() -> list[Any]:
    try:
        docs = list(iter_sample_documents("RayCluster"))
    except Exception:  # pragma: no cover - shared folder absent at collection time
        return []
    return [pytest.param(doc, id=f"{path.name}#{index}") for path, index, doc in docs]


@pytest.mark.parametrize("doc", sample_rayclusters())
def test_every_kuberay_sample_parses_and_round_trips_unchanged(doc: dict[str, Any]) -> None:
    require_shared_kuberay()
    model = parse_manifest(doc)
    assert isinstance(model, RayCluster)
    assert model.to_manifest() == doc


@pytest.mark.parametrize("doc", sample_rayclusters())
def test_kuberay_samples_pass_the_operator_rules(doc: dict[str, Any]) -> None:
    require_shared_kuberay()
    assert validate_manifest(doc) == []


def test_samples_are_found_when_the_shared_folder_exists() -> None:
    require_shared_kuberay()
    assert len(sample_rayclusters()) >= 30


def test_parse_gives_typed_access_with_crd_names_as_aliases(raycluster: dict[str, Any]) -> None:
    model = parse_manifest(raycluster)
    assert isinstance(model, RayCluster)
    group = model.spec.worker_group_specs[0]  # type: ignore[index]
    assert group.group_name == "cpu"
    assert group.max_replicas == 4
    assert model.spec.head_group_spec.ray_start_params == {"dashboard-host": "0.0.0.0"}


def test_parse_adds_nothing(raycluster: dict[str, Any]) -> None:
    del raycluster["spec"]["workerGroupSpecs"][0]["minReplicas"]
    out = parse_manifest(raycluster).to_manifest()
    assert "minReplicas" not in out["spec"]["workerGroupSpecs"][0]
    assert out == raycluster


def test_unknown_spec_field_is_an_error_with_a_suggestion(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["enableInTreeAutoScaling"] = True
    with pytest.raises(ValidationError) as caught:
        parse_manifest(raycluster)
    assert caught.value.problems == [
        "spec.enableInTreeAutoScaling: unknown field (the API server would silently drop it); "
        "did you mean 'enableInTreeAutoscaling'?"
    ]


def test_unknown_field_inside_the_pod_template_is_an_error(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["workerGroupSpecs"][0]["template"]["spec"]["nodeselector"] = {"a": "b"}
    with pytest.raises(ValidationError) as caught:
        parse_manifest(raycluster)
    (problem,) = caught.value.problems
    assert problem.startswith("spec.workerGroupSpecs[0].template.spec.nodeselector: unknown field")
    assert "did you mean 'nodeSelector'?" in problem


def test_wrong_types_are_errors_not_coerced(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["workerGroupSpecs"][0]["replicas"] = "2"
    raycluster["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] = 0
    with pytest.raises(ValidationError) as caught:
        parse_manifest(raycluster)
    assert sorted(caught.value.problems) == [
        "spec.headGroupSpec.rayStartParams.num-cpus: input should be a valid string (got 0)",
        "spec.workerGroupSpecs[0].replicas: input should be a valid integer (got '2')",
    ]


def test_enum_values_follow_the_crd(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["autoscalerOptions"] = {"upscalingMode": "Fast"}
    with pytest.raises(ValidationError, match=r"upscalingMode: 'Fast' is not allowed; use one of"):
        parse_manifest(raycluster)


def test_managed_by_accepts_only_the_two_managers(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["managedBy"] = "argo"
    problems = validate_manifest(raycluster)
    assert problems == [
        "spec.managedBy: 'argo' is not allowed; use one of 'ray.io/kuberay-operator' or "
        "'kueue.x-k8s.io/multikueue'"
    ]
    raycluster["spec"]["managedBy"] = "kueue.x-k8s.io/multikueue"
    assert validate_manifest(raycluster) == []


def test_validation_error_is_a_value_error(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["bogus"] = 1
    with pytest.raises(ValueError, match="bogus"):
        parse_manifest(raycluster)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"apiVersion": "ray.io/v1alpha1", "kind": "RayCluster"}, "apiVersion: 'ray.io/v1alpha1'"),
        (
            {"apiVersion": "ray.io/v1", "kind": "RayPipeline"},
            "kind: 'RayPipeline' is not a KubeRay",
        ),
        (
            {"apiVersion": "ray.io/v1", "kind": "RayCluster", "metadata": {"name": "x"}},
            "spec: required",
        ),
    ],
)
def test_not_a_raycluster(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_manifest(doc)


def test_validate_manifest_never_raises() -> None:
    assert validate_manifest("not a manifest") == ["expected a manifest mapping, got str"]  # type: ignore[arg-type]
    assert validate_manifest({}) == [
        "apiVersion: None is not supported; use 'ray.io/v1' (the storage version since KubeRay 1.0)"
    ]
    assert validate_manifest({"apiVersion": "ray.io/v1", "kind": "RayCluster"}, "banana") == [
        "operator version: 'banana' is not a version (expected MAJOR.MINOR[.PATCH], e.g. 1.5.1)"
    ]


# Every field of every release: tests/models/test_releases.py.
