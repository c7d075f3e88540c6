"""plan_rayservice: a validated RayService; HA and incremental upgrades one argument away."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import pulumi_kuberay as kuberay
from pulumi_kuberay.models.ray.rayservice import RayService, RayServiceUpgradeStrategy
from pulumi_kuberay.plans.cluster.args import ClusterArgs
from pulumi_kuberay.plans.env import SecretRef
from pulumi_kuberay.plans.ray_object import ObjectArgs, RayObjectPlan
from pulumi_kuberay.plans.rayservice import (
    IncrementalUpgrade,
    ServiceArgs,
    decide_upgrade_strategy,
    initializing_timeout_annotation,
    plan_rayservice,
)
from pulumi_kuberay.plans.serve_config import ServeApplication, ServeConfig, ServeDeployment
from pulumi_kuberay.spec import OperatorCapabilities


def build_rayservice(
    name: str,
    *,
    namespace: str | None = None,
    capabilities: OperatorCapabilities | None = None,
    **service: Any,
) -> RayObjectPlan[RayService]:
    """The plan of a RayService called ``name`` with these service arguments."""
    caps = capabilities or OperatorCapabilities()
    return plan_rayservice(ObjectArgs(name, namespace), ServiceArgs(**service), caps)


CONFIG = ServeConfig(
    applications=[
        ServeApplication(
            "fruit_app",
            "fruit.deployment_graph",
            route_prefix="/fruit",
            deployments=[ServeDeployment(name="MangoStand", num_replicas=2)],
        )
    ]
)
WORKERS = [kuberay.WorkerGroup("cpu", replicas=2, max_replicas=5, cpu=2, memory="4Gi")]
INCREMENTAL = IncrementalUpgrade(
    gateway_class_name="istio", step_size_percent=10, interval_seconds=30
)


def service(**kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("cluster", ClusterArgs(worker_groups=WORKERS))
    built = build_rayservice("fruit", namespace="serving", serve_config=CONFIG, **kwargs)
    return built.manifest


def test_serve_config_and_cluster_are_rendered() -> None:
    manifest = service()
    spec = manifest["spec"]
    assert yaml.safe_load(spec["serveConfigV2"])["applications"][0]["route_prefix"] == "/fruit"
    head = spec["rayClusterConfig"]["headGroupSpec"]
    assert head["rayStartParams"] == {"dashboard-host": "0.0.0.0", "num-cpus": "0"}
    assert {"containerPort": 8000, "name": "serve"} in head["template"]["spec"]["containers"][0][
        "ports"
    ]
    assert set(spec) == {"serveConfigV2", "rayClusterConfig"}


def test_high_availability_is_one_argument() -> None:
    ha = kuberay.GcsFaultTolerance(
        redis_address="redis:6379", redis_password=SecretRef("redis-password-secret", "password")
    )
    spec = service(cluster=ClusterArgs(worker_groups=WORKERS, fault_tolerance=ha))["spec"]
    assert spec["rayClusterConfig"]["gcsFaultToleranceOptions"] == {
        "redisAddress": "redis:6379",
        "redisPassword": {
            "valueFrom": {"secretKeyRef": {"name": "redis-password-secret", "key": "password"}}
        },
    }


def test_secret_env_reaches_the_serve_replicas() -> None:
    spec = service(secret_env={"HF_TOKEN": SecretRef("hf", "token")})["spec"]
    cluster = spec["rayClusterConfig"]
    templates = [cluster["headGroupSpec"]["template"], cluster["workerGroupSpecs"][0]["template"]]
    for template in templates:
        assert {
            "name": "HF_TOKEN",
            "valueFrom": {"secretKeyRef": {"name": "hf", "key": "token"}},
        } in template["spec"]["containers"][0]["env"]


def test_initializing_timeout_becomes_the_annotation() -> None:
    assert service(initializing_timeout="15m")["metadata"]["annotations"] == {
        "ray.io/initializing-timeout": "15m"
    }
    assert initializing_timeout_annotation(600) == {"ray.io/initializing-timeout": "600"}
    with pytest.raises(kuberay.ValidationError, match="must be positive"):
        service(initializing_timeout=0)


def test_incremental_upgrade_needs_the_gate_and_autoscaling() -> None:
    with pytest.raises(kuberay.ValidationError, match="would accept the RayService but silently"):
        service(
            incremental_upgrade=INCREMENTAL,
            cluster=ClusterArgs(worker_groups=WORKERS, autoscaling=True),
        )
    gate = OperatorCapabilities(feature_gates={"RayServiceIncrementalUpgrade": True})
    with pytest.raises(kuberay.ValidationError, match="enableInTreeAutoscaling: must be true"):
        service(incremental_upgrade=INCREMENTAL, capabilities=gate)
    spec = service(
        incremental_upgrade=INCREMENTAL,
        capabilities=gate,
        cluster=ClusterArgs(worker_groups=WORKERS, autoscaling=True),
    )["spec"]
    assert spec["upgradeStrategy"] == {
        "type": "NewClusterWithIncrementalUpgrade",
        "clusterUpgradeOptions": {
            "gatewayClassName": "istio",
            "stepSizePercent": 10,
            "intervalSeconds": 30,
        },
    }


def test_decide_upgrade_strategy() -> None:
    assert decide_upgrade_strategy(None, None) is None
    assert decide_upgrade_strategy("None", None) == RayServiceUpgradeStrategy(type="None")
    incremental = decide_upgrade_strategy(None, INCREMENTAL)
    assert incremental is not None
    assert incremental.type == "NewClusterWithIncrementalUpgrade"
    with pytest.raises(
        kuberay.ValidationError, match="'NewCluster' contradicts incremental_upgrade"
    ):
        decide_upgrade_strategy("NewCluster", INCREMENTAL)


def test_other_spec_fields() -> None:
    spec = service(
        ray_cluster_deletion_delay_seconds=60,
        exclude_head_pod_from_serve_svc=True,
        serve_service={"metadata": {"name": "fruit-serve"}, "spec": {"type": "LoadBalancer"}},
        upgrade_type="NewCluster",
    )["spec"]
    assert spec["rayClusterDeletionDelaySeconds"] == 60
    assert spec["excludeHeadPodFromServeSvc"] is True
    assert spec["serveService"]["spec"] == {"type": "LoadBalancer"}
    assert spec["upgradeStrategy"] == {"type": "NewCluster"}


def test_cluster_problems_are_reported_at_the_embedded_field() -> None:
    with pytest.raises(kuberay.ValidationError) as caught:
        service(
            cluster=ClusterArgs(
                overrides={"headGroupSpec": {"headService": {"metadata": {"name": "h"}}}}
            )
        )
    assert caught.value.subject == "RayService fruit"
    assert caught.value.problems == [
        "spec.rayClusterConfig.headGroupSpec.headService.metadata.name: must not be set for a "
        "RayService (the operator names the head Service after the RayService and its "
        "clusters); remove it"
    ]


def test_deprecated_fields_through_overrides_warn() -> None:
    built = build_rayservice(
        "fruit", serve_config=CONFIG, overrides={"serviceUnhealthySecondThreshold": 900}
    )
    assert built.warnings == (
        "spec.serviceUnhealthySecondThreshold: deprecated; KubeRay no longer uses it to restart "
        "unhealthy clusters; remove it (tune Ray Serve health checks in serveConfigV2 instead)",
    )


def test_a_bad_raw_serve_config_fails_with_the_subject() -> None:
    with pytest.raises(kuberay.ValidationError) as caught:
        build_rayservice("fruit", serve_config="name: x\n")
    assert caught.value.subject == "RayService fruit"
