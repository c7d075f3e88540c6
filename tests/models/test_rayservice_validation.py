"""The operator's RayService rules, one test per rule, each asserting the message; and the
warnings, which never appear among the problems."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_kuberay.models.ray.rayservice import RayService
from pulumi_kuberay.models.ray.validation.rayservice import parse_go_duration, rayservice_warnings
from pulumi_kuberay.spec import OperatorCapabilities, parse_manifest, validate_manifest
from tests.models.test_rayservice_model import MINIMAL_RAYSERVICE

pytestmark = pytest.mark.allow_nonconforming_manifests

GATE_ON = {"RayServiceIncrementalUpgrade": True}
GATE_MESSAGE = (
    "spec.upgradeStrategy.type: NewClusterWithIncrementalUpgrade needs the "
    "RayServiceIncrementalUpgrade feature gate (KubeRay >= 1.5.0), which is off on this "
    "operator ({version}); the operator would accept the RayService but silently disable "
    "upgrades, so changes to rayClusterConfig would never roll out; enable the gate "
    "(feature_gates={{'RayServiceIncrementalUpgrade': True}}) or use NewCluster"
)


@pytest.fixture
def rayservice() -> dict[str, Any]:
    """A fresh RayService the operator accepts; tests mutate it."""
    return copy.deepcopy(MINIMAL_RAYSERVICE)


@pytest.fixture
def incremental(rayservice: dict[str, Any]) -> dict[str, Any]:
    """A valid incremental upgrade (valid once the gate is on)."""
    rayservice["spec"]["rayClusterConfig"]["enableInTreeAutoscaling"] = True
    rayservice["spec"]["upgradeStrategy"] = {
        "type": "NewClusterWithIncrementalUpgrade",
        "clusterUpgradeOptions": {
            "gatewayClassName": "istio",
            "stepSizePercent": 10,
            "intervalSeconds": 30,
            "maxSurgePercent": 20,
        },
    }
    return rayservice


def options(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = doc["spec"]["upgradeStrategy"]["clusterUpgradeOptions"]
    return result


def test_a_valid_service_has_no_problems(rayservice: dict[str, Any]) -> None:
    assert validate_manifest(rayservice) == []


def test_name_longer_than_47_characters(rayservice: dict[str, Any]) -> None:
    rayservice["metadata"]["name"] = "s" * 48
    assert validate_manifest(rayservice) == [
        f"metadata.name: RayService name '{'s' * 48}' is 48 characters; KubeRay allows at most "
        "47 because it derives Service and Pod names from it; shorten it"
    ]


def test_name_must_be_a_dns1035_label(rayservice: dict[str, Any]) -> None:
    rayservice["metadata"]["name"] = "serve.v2"
    assert validate_manifest(rayservice) == [
        "metadata.name: RayService name 'serve.v2' is not a valid DNS-1035 label: must consist "
        "of lower case alphanumeric characters or '-', start with an alphabetic character, and "
        "end with an alphanumeric character (e.g. 'my-name')"
    ]


def test_namespace_must_be_watched(rayservice: dict[str, Any]) -> None:
    caps = OperatorCapabilities(watch_namespaces=["serving"])
    assert validate_manifest(rayservice, capabilities=caps) == [
        "metadata.namespace: the operator watches only serving, so a RayService in 'ray' would "
        "never be reconciled; add the namespace to the operator's watch_namespaces or deploy "
        "into a watched one"
    ]


# --- ray.io/initializing-timeout ------------------------------------------------------------


@pytest.mark.parametrize("value", ["10m", "1h30m", "90s", "1.5h", "600", "+30s"])
def test_initializing_timeout_accepts_durations_and_seconds(
    rayservice: dict[str, Any], value: str
) -> None:
    rayservice["metadata"]["annotations"] = {"ray.io/initializing-timeout": value}
    assert validate_manifest(rayservice) == []


@pytest.mark.parametrize("value", ["0", "0s", "-5m", "-30"])
def test_initializing_timeout_must_be_positive(rayservice: dict[str, Any], value: str) -> None:
    rayservice["metadata"]["annotations"] = {"ray.io/initializing-timeout": value}
    assert validate_manifest(rayservice) == [
        f"metadata.annotations[ray.io/initializing-timeout]: must be positive, got {value!r}; "
        "use e.g. '10m', '1h30m' or '600'"
    ]


@pytest.mark.parametrize("value", ["10 minutes", "5d", "1h 30m", "m"])
def test_initializing_timeout_must_be_a_duration_or_seconds(
    rayservice: dict[str, Any], value: str
) -> None:
    rayservice["metadata"]["annotations"] = {"ray.io/initializing-timeout": value}
    assert validate_manifest(rayservice) == [
        f"metadata.annotations[ray.io/initializing-timeout]: {value!r} is neither a Go duration "
        "nor a number of seconds; use e.g. '10m', '1h30m' or '600'"
    ]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h30m", 5400.0), ("250ms", 0.25), ("1.5m", 90.0), ("2µs", 2e-6), ("-2m", -120.0)],
)
def test_go_durations_parse_like_go(text: str, seconds: float) -> None:
    assert parse_go_duration(text) == pytest.approx(seconds)


# --- spec -----------------------------------------------------------------------------------


def test_head_service_name_must_not_be_set(rayservice: dict[str, Any]) -> None:
    head = rayservice["spec"]["rayClusterConfig"]["headGroupSpec"]
    head["headService"] = {"metadata": {"name": "my-head"}}
    assert validate_manifest(rayservice) == [
        "spec.rayClusterConfig.headGroupSpec.headService.metadata.name: must not be set for a "
        "RayService (the operator names the head Service after the RayService and its "
        "clusters); remove it"
    ]


def test_upgrade_type_must_be_known(rayservice: dict[str, Any]) -> None:
    rayservice["spec"]["upgradeStrategy"] = {"type": "Rolling"}
    assert validate_manifest(rayservice) == [
        "spec.upgradeStrategy.type: 'Rolling' is not an upgrade type; use one of NewCluster, "
        "NewClusterWithIncrementalUpgrade, None"
    ]


@pytest.mark.parametrize("kind", ["NewCluster", "None"])
def test_other_upgrade_types_need_no_gate(rayservice: dict[str, Any], kind: str) -> None:
    rayservice["spec"]["upgradeStrategy"] = {"type": kind}
    assert validate_manifest(rayservice) == []


def test_cluster_deletion_delay_must_not_be_negative(rayservice: dict[str, Any]) -> None:
    rayservice["spec"]["rayClusterDeletionDelaySeconds"] = -1
    assert validate_manifest(rayservice) == [
        "spec.rayClusterDeletionDelaySeconds: must not be negative, got -1; use 0 or more seconds"
    ]


def test_the_embedded_cluster_passes_every_raycluster_rule(rayservice: dict[str, Any]) -> None:
    head = rayservice["spec"]["rayClusterConfig"]["headGroupSpec"]
    head["template"]["spec"]["containers"][0]["env"] = [
        {"name": "RAY_REDIS_ADDRESS", "value": "redis:6379"}
    ]
    assert validate_manifest(rayservice) == [
        "spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].env: RAY_REDIS_ADDRESS "
        "implicitly enables GCS fault tolerance, but spec.rayClusterConfig.gcsFaultToleranceOptions "
        "is not set; set gcsFaultToleranceOptions.redisAddress instead of the env var"
    ]


# --- incremental upgrade ----------------------------------------------------------------------


def test_incremental_upgrade_with_the_gate_off_is_an_error(incremental: dict[str, Any]) -> None:
    assert validate_manifest(incremental) == [GATE_MESSAGE.format(version="1.5.1")]
    assert validate_manifest(incremental, feature_gates=GATE_ON) == []


def test_incremental_upgrade_on_an_older_operator(incremental: dict[str, Any]) -> None:
    assert validate_manifest(incremental, operator_version="1.4.2") == [
        "spec.upgradeStrategy.clusterUpgradeOptions: added in KubeRay 1.5.0; operator 1.4.2's CRD "
        "lacks it, so the API server would drop it and the setting would do nothing; upgrade the "
        "operator to 1.5.0 or newer, or remove the field",
        GATE_MESSAGE.format(version="1.4.2"),
    ]


def test_incremental_upgrade_requires_autoscaling(incremental: dict[str, Any]) -> None:
    del incremental["spec"]["rayClusterConfig"]["enableInTreeAutoscaling"]
    assert validate_manifest(incremental, feature_gates=GATE_ON) == [
        "spec.rayClusterConfig.enableInTreeAutoscaling: must be true for "
        "NewClusterWithIncrementalUpgrade (the new cluster scales up as traffic moves to it); "
        "enable autoscaling"
    ]


def test_incremental_upgrade_requires_options(incremental: dict[str, Any]) -> None:
    del incremental["spec"]["upgradeStrategy"]["clusterUpgradeOptions"]
    assert validate_manifest(incremental, feature_gates=GATE_ON) == [
        "spec.upgradeStrategy.clusterUpgradeOptions: required for "
        "NewClusterWithIncrementalUpgrade; set gatewayClassName, stepSizePercent and "
        "intervalSeconds"
    ]


@pytest.mark.parametrize("field", ["maxSurgePercent", "stepSizePercent"])
@pytest.mark.parametrize("value", [-1, 101])
def test_percentages_are_between_0_and_100(
    incremental: dict[str, Any], field: str, value: int
) -> None:
    options(incremental)[field] = value
    assert validate_manifest(incremental, feature_gates=GATE_ON) == [
        f"spec.upgradeStrategy.clusterUpgradeOptions.{field}: must be between 0 and 100, got "
        f"{value}"
    ]


def test_max_surge_may_be_left_to_its_default(incremental: dict[str, Any]) -> None:
    del options(incremental)["maxSurgePercent"]
    assert validate_manifest(incremental, feature_gates=GATE_ON) == []


def test_interval_must_be_positive(incremental: dict[str, Any]) -> None:
    options(incremental)["intervalSeconds"] = 0
    assert validate_manifest(incremental, feature_gates=GATE_ON) == [
        "spec.upgradeStrategy.clusterUpgradeOptions.intervalSeconds: must be greater than 0, got "
        "0; set the seconds between traffic steps"
    ]


def test_gateway_class_must_be_named(incremental: dict[str, Any]) -> None:
    options(incremental)["gatewayClassName"] = ""
    assert validate_manifest(incremental, feature_gates=GATE_ON) == [
        "spec.upgradeStrategy.clusterUpgradeOptions.gatewayClassName: must not be empty; name "
        "the GatewayClass of your Gateway API controller (e.g. istio)"
    ]


# --- warnings -------------------------------------------------------------------------------


def warnings_of(doc: dict[str, Any]) -> list[str]:
    model = parse_manifest(doc)
    assert isinstance(model, RayService)
    return rayservice_warnings(model)


def test_a_clean_service_has_no_warnings(rayservice: dict[str, Any]) -> None:
    assert warnings_of(rayservice) == []


def test_deprecated_thresholds_warn_but_are_no_problem(rayservice: dict[str, Any]) -> None:
    rayservice["spec"]["serviceUnhealthySecondThreshold"] = 900
    rayservice["spec"]["deploymentUnhealthySecondThreshold"] = 300
    assert validate_manifest(rayservice) == []
    assert warnings_of(rayservice) == [
        "spec.serviceUnhealthySecondThreshold: deprecated; KubeRay no longer uses it to restart "
        "unhealthy clusters; remove it (tune Ray Serve health checks in serveConfigV2 instead)",
        "spec.deploymentUnhealthySecondThreshold: deprecated; KubeRay no longer uses it to "
        "restart unhealthy clusters; remove it (tune Ray Serve health checks in serveConfigV2 "
        "instead)",
    ]


def test_literal_credentials_in_serve_runtime_env_warn(rayservice: dict[str, Any]) -> None:
    rayservice["spec"]["serveConfigV2"] = (
        "applications:\n"
        "  - name: llm\n"
        "    import_path: app:deployment\n"
        "    runtime_env:\n"
        "      env_vars:\n"
        "        HF_TOKEN: hf_abc\n"
        "        MODEL: llama\n"
        "        OPENAI_API_KEY: ${OPENAI_API_KEY}\n"
    )
    assert validate_manifest(rayservice) == []
    assert warnings_of(rayservice) == [
        "spec.serveConfigV2: applications[0].runtime_env.env_vars.HF_TOKEN: a literal value for "
        "a credential-like variable is stored in plain text in the custom resource, readable by "
        "anyone who can read it; put the value in a Kubernetes Secret and pass it as "
        "secret_env={'HF_TOKEN': SecretRef('<secret>', '<key>')}, which injects it into the Ray "
        "containers with valueFrom.secretKeyRef"
    ]


def test_literal_credentials_in_container_env_warn(rayservice: dict[str, Any]) -> None:
    group = rayservice["spec"]["rayClusterConfig"]["workerGroupSpecs"][0]
    group["template"]["spec"]["containers"][0]["env"] = [
        {"name": "HF_TOKEN", "value": "hf_abc"},
        {"name": "WANDB_API_KEY", "valueFrom": {"secretKeyRef": {"name": "w", "key": "k"}}},
    ]
    assert warnings_of(rayservice) == [
        "spec.rayClusterConfig.workerGroupSpecs[0].template.spec.containers[0].env[0]: HF_TOKEN "
        "has a literal value that looks like a credential and is stored in plain text in the "
        "custom resource; put the value in a Kubernetes Secret and pass it as "
        "secret_env={'HF_TOKEN': SecretRef('<secret>', '<key>')}, which injects it into the Ray "
        "containers with valueFrom.secretKeyRef"
    ]
