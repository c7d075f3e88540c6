"""parse_manifest / to_manifest for RayService: faithful structural parsing, samples round-trip."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.models.ray.rayservice import RayService
from pulumi_kuberay.spec import parse_manifest, validate_manifest
from tests.conformance.crd_schema import (
    iter_sample_documents,
    require_shared_kuberay,
)
from tests.models.conftest import MINIMAL_RAYCLUSTER

SERVE_CONFIG = """\
applications:
  - name: fruit_app
    import_path: fruit.deployment_graph
    route_prefix: /fruit
"""

MINIMAL_RAYSERVICE: dict[str, Any] = {
    "apiVersion": "ray.io/v1",
    "kind": "RayService",
    "metadata": {"name": "serve", "namespace": "ray"},
    "spec": {
        "serveConfigV2": SERVE_CONFIG,
        "rayClusterConfig": copy.deepcopy(MINIMAL_RAYCLUSTER["spec"]),
    },
}

ALL_GATES = {"RayServiceIncrementalUpgrade": True}


def sample_rayservices() -> list[Any]:
    try:
        docs = list(iter_sample_documents("RayService"))
    except Exception:  # pragma: no cover - shared folder absent at collection time
        return []
    return [pytest.param(doc, id=f"{path.name}#{index}") for path, index, doc in docs]


@pytest.mark.parametrize("doc", sample_rayservices())
def test_every_kuberay_sample_parses_and_round_trips_unchanged(doc: dict[str, Any]) -> None:
    require_shared_kuberay()
    model = parse_manifest(doc)
    assert isinstance(model, RayService)
    assert model.to_manifest() == doc


@pytest.mark.parametrize("doc", sample_rayservices())
def test_kuberay_samples_pass_the_operator_rules_with_the_gate_they_need(
    doc: dict[str, Any],
) -> None:
    require_shared_kuberay()
    assert validate_manifest(doc, feature_gates=ALL_GATES) == []


def test_samples_are_found_when_the_shared_folder_exists() -> None:
    require_shared_kuberay()
    assert len(sample_rayservices()) >= 12


# Every field of every release: tests/models/test_releases.py.


def test_parse_gives_typed_access_and_adds_nothing() -> None:
    doc = copy.deepcopy(MINIMAL_RAYSERVICE)
    doc["spec"]["upgradeStrategy"] = {
        "type": "NewClusterWithIncrementalUpgrade",
        "clusterUpgradeOptions": {
            "gatewayClassName": "istio",
            "stepSizePercent": 10,
            "intervalSeconds": 30,
        },
    }
    model = parse_manifest(doc)
    assert isinstance(model, RayService)
    options = model.spec.upgrade_strategy.cluster_upgrade_options  # type: ignore[union-attr]
    assert options is not None
    assert options.max_surge_percent is None
    assert options.gateway_class_name == "istio"
    out = model.to_manifest()
    assert out == doc
    assert "maxSurgePercent" not in out["spec"]["upgradeStrategy"]["clusterUpgradeOptions"]


@pytest.mark.allow_nonconforming_manifests
def test_cluster_config_is_required() -> None:
    doc = copy.deepcopy(MINIMAL_RAYSERVICE)
    del doc["spec"]["rayClusterConfig"]
    with pytest.raises(ValidationError) as caught:
        parse_manifest(doc)
    assert caught.value.problems == ["spec.rayClusterConfig: required field is missing"]
    assert validate_manifest(doc) == ["spec.rayClusterConfig: required field is missing"]


@pytest.mark.allow_nonconforming_manifests
def test_cluster_upgrade_options_need_the_fields_the_crd_requires() -> None:
    doc = copy.deepcopy(MINIMAL_RAYSERVICE)
    doc["spec"]["upgradeStrategy"] = {"clusterUpgradeOptions": {"gatewayClassName": "istio"}}
    with pytest.raises(ValidationError) as caught:
        parse_manifest(doc)
    assert caught.value.problems == [
        "spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent: required field is missing",
        "spec.upgradeStrategy.clusterUpgradeOptions.intervalSeconds: required field is missing",
    ]


@pytest.mark.allow_nonconforming_manifests
def test_unknown_field_is_an_error_with_a_suggestion() -> None:
    doc = copy.deepcopy(MINIMAL_RAYSERVICE)
    doc["spec"]["serveConfigv2"] = doc["spec"].pop("serveConfigV2")
    with pytest.raises(ValidationError) as caught:
        parse_manifest(doc)
    assert caught.value.problems == [
        "spec.serveConfigv2: unknown field (the API server would silently drop it); did you "
        "mean 'serveConfigV2'?"
    ]


@pytest.mark.allow_nonconforming_manifests
def test_serve_service_is_checked_as_a_kubernetes_service() -> None:
    doc = copy.deepcopy(MINIMAL_RAYSERVICE)
    doc["spec"]["serveService"] = {"spec": {"typ": "ClusterIP"}}
    with pytest.raises(ValidationError) as caught:
        parse_manifest(doc)
    assert caught.value.problems == [
        "spec.serveService.spec.typ: unknown field for ServiceSpec (the API server would "
        "silently drop it); did you mean 'type'?"
    ]
