"""stacks/serving: a RayService for the fruit-stand app; HA one config value away."""

from __future__ import annotations

from typing import Any

import yaml

from pulumi_kuberay.preview import PreviewResult, run_program
from pulumi_kuberay.spec import validate_manifest
from tests.stacks.conftest import STACKS

STACK = STACKS / "serving"


def rayservice_of(result: PreviewResult) -> dict[str, Any]:
    (service,) = [o for o in result.kubernetes_objects() if o["kind"] == "RayService"]
    return service


def test_the_service_is_valid_and_serves_the_fruit_app() -> None:
    result = run_program(STACK)
    service = rayservice_of(result)
    assert validate_manifest(service) == []
    assert service["metadata"] == {
        "name": "fruit-stand",
        "namespace": "serving",
        "annotations": {"ray.io/initializing-timeout": "15m"},
    }
    config = yaml.safe_load(service["spec"]["serveConfigV2"])
    (app,) = config["applications"]
    assert (app["name"], app["import_path"], app["route_prefix"]) == (
        "fruit_app",
        "fruit.deployment_graph",
        "/fruit",
    )
    assert [d["name"] for d in app["deployments"]] == [
        "MangoStand",
        "OrangeStand",
        "PearStand",
        "FruitMarket",
    ]
    assert service["spec"]["rayClusterConfig"]["enableInTreeAutoscaling"] is True
    assert "gcsFaultToleranceOptions" not in service["spec"]["rayClusterConfig"]
    assert result.stack_outputs == {
        "service_name": "fruit-stand",
        "serve_endpoint": "http://fruit-stand-serve-svc.serving.svc.cluster.local:8000",
        "dashboard_url": "http://fruit-stand-head-svc.serving.svc.cluster.local:8265",
    }


def test_high_availability_is_one_config_value() -> None:
    result = run_program(STACK, config={"redisAddress": "redis.serving.svc.cluster.local:6379"})
    service = rayservice_of(result)
    assert validate_manifest(service) == []
    cluster = service["spec"]["rayClusterConfig"]
    assert cluster["gcsFaultToleranceOptions"] == {
        "redisAddress": "redis.serving.svc.cluster.local:6379",
        "redisPassword": {
            "valueFrom": {"secretKeyRef": {"name": "redis-password", "key": "password"}}
        },
    }
    app = yaml.safe_load(service["spec"]["serveConfigV2"])["applications"][0]
    assert {d["name"]: d["num_replicas"] for d in app["deployments"]} == dict.fromkeys(
        ["MangoStand", "OrangeStand", "PearStand", "FruitMarket"], 2
    )


def test_waiting_for_ready_is_a_config_value() -> None:
    service = rayservice_of(run_program(STACK, config={"waitForReady": "true"}))
    assert service["metadata"]["annotations"]["pulumi.com/waitFor"] == "condition=Ready"
