"""The RayService component under Pulumi mocks: graph, outputs, readiness, HA, upgrades."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
import yaml

import pulumi_kuberay as kuberay
from pulumi_kuberay.spec import OperatorCapabilities
from tests.components.test_rayjob_component import FakeOperator
from tests.conftest import RecordingMocks, run_pulumi

RAYSERVICE_TYPE = "kubernetes:ray.io/v1:RayService"
PASSWORD = "redis-0123456789-very-secret"

FRUIT = kuberay.ServeConfig(
    applications=[
        kuberay.ServeApplication(
            "fruit_app",
            "fruit.deployment_graph",
            route_prefix="/fruit",
            deployments=[kuberay.ServeDeployment(name="MangoStand", num_replicas=2)],
        )
    ]
)


WORKERS = [kuberay.WorkerGroup("cpu", replicas=2, max_replicas=4, cpu=2, memory="4Gi")]


def small_service(resource_name: str = "fruit", /, **kwargs: Any) -> kuberay.RayService:
    kwargs.setdefault("namespace", "serving")
    kwargs.setdefault("serve_config", FRUIT)
    kwargs.setdefault("cluster", kuberay.ClusterArgs(worker_groups=WORKERS))
    return kuberay.RayService(resource_name, **kwargs)


def test_creates_one_custom_resource_parented_to_the_component(
    pulumi_mocks: RecordingMocks,
) -> None:
    holder: dict[str, kuberay.RayService] = {}

    def program() -> None:
        holder["service"] = small_service()

    run_pulumi(program)
    component = pulumi_mocks.one("kuberay:index:RayService")
    resource = pulumi_mocks.one(RAYSERVICE_TYPE)
    assert (component.name, resource.name) == ("fruit", "fruit")
    assert pulumi_mocks.registration(RAYSERVICE_TYPE, "fruit").parent.endswith(
        "kuberay:index:RayService::fruit"
    )
    assert resource.inputs["spec"] == holder["service"].manifest["spec"]
    served = yaml.safe_load(resource.inputs["spec"]["serveConfigV2"])
    assert served["applications"][0]["deployments"] == [{"name": "MangoStand", "num_replicas": 2}]


def test_outputs(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        service = small_service(name="fruit-stand")
        return {
            "name": service.name,
            "namespace": service.namespace,
            "serve": service.serve_endpoint,
            "serve_service": service.serve_service_name,
            "dashboard": service.dashboard_url,
        }

    assert run_pulumi(program) == {
        "name": "fruit-stand",
        "namespace": "serving",
        "serve": "http://fruit-stand-serve-svc.serving.svc.cluster.local:8000",
        "serve_service": "fruit-stand-serve-svc",
        "dashboard": "http://fruit-stand-head-svc.serving.svc.cluster.local:8265",
    }


def test_namespace_from_another_resource(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        ns = k8s.core.v1.Namespace("serving", metadata={"name": "team-a"})
        service = small_service(namespace=ns.metadata.apply(lambda m: m["name"]))
        return {"serve": service.serve_endpoint}

    outputs = run_pulumi(program)
    assert pulumi_mocks.one(RAYSERVICE_TYPE).inputs["metadata"]["namespace"] == "team-a"
    assert outputs["serve"] == "http://fruit-serve-svc.team-a.svc.cluster.local:8000"


def test_wait_for_ready_and_initializing_timeout(pulumi_mocks: RecordingMocks) -> None:
    run_pulumi(
        lambda: {
            "n": small_service(
                wait_for_ready=True, ready_timeout_seconds=1200, initializing_timeout="20m"
            ).name
        }
    )
    assert pulumi_mocks.one(RAYSERVICE_TYPE).inputs["metadata"]["annotations"] == {
        "pulumi.com/waitFor": "condition=Ready",
        "pulumi.com/timeoutSeconds": "1200",
        "ray.io/initializing-timeout": "20m",
    }


def test_high_availability_keeps_the_redis_password_out(pulumi_mocks: RecordingMocks) -> None:
    def program() -> None:
        secret = k8s.core.v1.Secret(
            "redis-password",
            metadata={"name": "redis-password", "namespace": "serving"},
            string_data={"password": pulumi.Output.secret(PASSWORD)},
        )
        small_service(
            cluster=kuberay.ClusterArgs(
                worker_groups=WORKERS,
                fault_tolerance=kuberay.GcsFaultTolerance(
                    redis_address="redis.serving.svc:6379",
                    redis_password=kuberay.SecretRef("redis-password", "password"),
                ),
            ),
            opts=pulumi.ResourceOptions(depends_on=[secret]),
        )

    run_pulumi(program)
    inputs = pulumi_mocks.one(RAYSERVICE_TYPE).inputs
    assert PASSWORD not in json.dumps(inputs)
    assert inputs["spec"]["rayClusterConfig"]["gcsFaultToleranceOptions"]["redisPassword"] == {
        "valueFrom": {"secretKeyRef": {"name": "redis-password", "key": "password"}}
    }


def test_incremental_upgrade_follows_the_operators_gate(pulumi_mocks: RecordingMocks) -> None:
    upgrade = kuberay.IncrementalUpgrade(
        gateway_class_name="istio", step_size_percent=20, interval_seconds=60, max_surge_percent=50
    )
    autoscaled = kuberay.ClusterArgs(worker_groups=WORKERS, autoscaling=True)
    plain = FakeOperator("plain", OperatorCapabilities())
    with pytest.raises(kuberay.ValidationError, match="silently disable upgrades"):
        small_service("a", operator=plain, incremental_upgrade=upgrade, cluster=autoscaled)

    def program() -> None:
        operator = FakeOperator(
            "kuberay", OperatorCapabilities(feature_gates={"RayServiceIncrementalUpgrade": True})
        )
        small_service(operator=operator, incremental_upgrade=upgrade, cluster=autoscaled)

    run_pulumi(program)
    deps = pulumi_mocks.registration(RAYSERVICE_TYPE, "fruit").dependencies
    assert any(dep.endswith("::kuberay-child") for dep in deps)
    assert pulumi_mocks.one(RAYSERVICE_TYPE).inputs["spec"]["upgradeStrategy"] == {
        "type": "NewClusterWithIncrementalUpgrade",
        "clusterUpgradeOptions": {
            "gatewayClassName": "istio",
            "stepSizePercent": 20,
            "intervalSeconds": 60,
            "maxSurgePercent": 50,
        },
    }


def test_deprecated_fields_are_warnings(pulumi_mocks: RecordingMocks) -> None:
    holder: dict[str, kuberay.RayService] = {}

    def program() -> None:
        holder["service"] = small_service(overrides={"deploymentUnhealthySecondThreshold": 300})

    run_pulumi(program)
    assert holder["service"].warnings == (
        "spec.deploymentUnhealthySecondThreshold: deprecated; KubeRay no longer uses it to "
        "restart unhealthy clusters; remove it (tune Ray Serve health checks in serveConfigV2 "
        "instead)",
    )


def test_invalid_arguments_fail_before_any_resource(pulumi_mocks: RecordingMocks) -> None:
    with pytest.raises(kuberay.ValidationError) as caught:
        small_service("s" * 48)
    assert caught.value.problems[0].startswith(f"metadata.name: RayService name '{'s' * 48}'")
    assert pulumi_mocks.of_type(RAYSERVICE_TYPE) == []
