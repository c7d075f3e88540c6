"""The operator's RayCluster rules, one test per rule, each asserting the message."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay.spec import validate_manifest

pytestmark = pytest.mark.allow_nonconforming_manifests


def head_env(doc: dict[str, Any], **env: str) -> None:
    container = doc["spec"]["headGroupSpec"]["template"]["spec"]["containers"][0]
    container["env"] = [{"name": k, "value": v} for k, v in env.items()]


def test_a_valid_cluster_has_no_problems(raycluster: dict[str, Any]) -> None:
    assert validate_manifest(raycluster) == []


def test_name_longer_than_53_characters(raycluster: dict[str, Any]) -> None:
    raycluster["metadata"]["name"] = "a" * 54
    assert validate_manifest(raycluster) == [
        f"metadata.name: RayCluster name '{'a' * 54}' is 54 characters; KubeRay allows at most "
        "53 because it derives Service and Pod names from it; shorten it"
    ]


@pytest.mark.parametrize("name", ["Demo", "1demo", "demo_1", "demo-"])
def test_name_must_be_a_dns1035_label(raycluster: dict[str, Any], name: str) -> None:
    raycluster["metadata"]["name"] = name
    (problem,) = validate_manifest(raycluster)
    assert problem.startswith(f"metadata.name: RayCluster name '{name}' is not a valid DNS-1035")


def test_worker_group_names_are_unique(raycluster: dict[str, Any]) -> None:
    group = raycluster["spec"]["workerGroupSpecs"][0]
    raycluster["spec"]["workerGroupSpecs"].append(dict(group))
    assert validate_manifest(raycluster) == [
        "spec.workerGroupSpecs[1].groupName: 'cpu' is used by another worker group; worker group "
        "names must be unique"
    ]


def test_head_and_workers_need_a_container(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["headGroupSpec"]["template"]["spec"]["containers"] = []
    raycluster["spec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"] = []
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.template.spec.containers: the head group needs at least one "
        "container; the first one runs Ray",
        "spec.workerGroupSpecs[0].template.spec.containers: the worker group 'cpu' needs at "
        "least one container; the first one runs Ray",
    ]


@pytest.mark.parametrize("param", ["num-cpus", "num-gpus", "memory", "resources"])
def test_start_param_resources_clash_with_the_resources_field(
    raycluster: dict[str, Any], param: str
) -> None:
    group = raycluster["spec"]["workerGroupSpecs"][0]
    group["rayStartParams"] = {param: "1"}
    group["resources"] = {"CPU": "1"}
    assert validate_manifest(raycluster) == [
        f"spec.workerGroupSpecs[0]: rayStartParams {param} and the resources field are both set "
        "for the worker group 'cpu'; KubeRay rejects this, so use only one (prefer "
        "spec.workerGroupSpecs[0].resources)"
    ]


def test_labels_in_start_params_are_rejected(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["headGroupSpec"]["rayStartParams"]["labels"] = "a=b"
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.rayStartParams.labels: not allowed for the head group; move the "
        "labels to spec.headGroupSpec.labels"
    ]


def test_ray_labels_must_be_valid_kubernetes_labels(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["workerGroupSpecs"][0]["labels"] = {"bad key!": "ok", "zone": "not ok!"}
    problems = validate_manifest(raycluster)
    assert problems == [
        "spec.workerGroupSpecs[0].labels: invalid label key 'bad key!' for the worker group "
        "'cpu': name part must consist of alphanumeric characters, '-', '_' or '.', and must "
        "start and end with an alphanumeric character",
        "spec.workerGroupSpecs[0].labels.zone: invalid label value 'not ok!' for the worker "
        "group 'cpu': must consist of alphanumeric characters, '-', '_' or '.', and must start "
        "and end with an alphanumeric character",
    ]


def test_ft_annotation_with_fault_tolerance_options(raycluster: dict[str, Any]) -> None:
    raycluster["metadata"]["annotations"] = {"ray.io/ft-enabled": "true"}
    raycluster["spec"]["gcsFaultToleranceOptions"] = {"redisAddress": "redis:6379"}
    assert validate_manifest(raycluster) == [
        "metadata.annotations[ray.io/ft-enabled]: set together with "
        "spec.gcsFaultToleranceOptions; remove the annotation and use only "
        "gcsFaultToleranceOptions"
    ]


def test_redis_address_env_without_fault_tolerance(raycluster: dict[str, Any]) -> None:
    head_env(raycluster, RAY_REDIS_ADDRESS="redis:6379")
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.template.spec.containers[0].env: RAY_REDIS_ADDRESS implicitly "
        "enables GCS fault tolerance, but spec.gcsFaultToleranceOptions is not set; set "
        "gcsFaultToleranceOptions.redisAddress instead of the env var"
    ]


def test_redis_address_env_with_the_legacy_annotation_is_accepted(
    raycluster: dict[str, Any],
) -> None:
    raycluster["metadata"]["annotations"] = {"ray.io/ft-enabled": "true"}
    head_env(raycluster, RAY_REDIS_ADDRESS="redis:6379")
    assert validate_manifest(raycluster) == []


def test_legacy_redis_settings_conflict_with_fault_tolerance_options(
    raycluster: dict[str, Any],
) -> None:
    raycluster["spec"]["gcsFaultToleranceOptions"] = {"redisAddress": "redis:6379"}
    raycluster["spec"]["headGroupSpec"]["rayStartParams"]["redis-password"] = "x"
    raycluster["metadata"]["annotations"] = {"ray.io/external-storage-namespace": "ns"}
    head_env(raycluster, REDIS_PASSWORD="x", RAY_REDIS_ADDRESS="redis:6379")
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.rayStartParams.redis-password: not allowed with "
        "gcsFaultToleranceOptions; use spec.gcsFaultToleranceOptions.redisPassword",
        "spec.headGroupSpec.template.spec.containers[0].env: REDIS_PASSWORD is not allowed with "
        "gcsFaultToleranceOptions; use spec.gcsFaultToleranceOptions.redisPassword",
        "spec.headGroupSpec.template.spec.containers[0].env: RAY_REDIS_ADDRESS is not allowed "
        "with gcsFaultToleranceOptions; use spec.gcsFaultToleranceOptions.redisAddress",
        "metadata.annotations[ray.io/external-storage-namespace]: not allowed with "
        "gcsFaultToleranceOptions; use spec.gcsFaultToleranceOptions.externalStorageNamespace",
    ]


@pytest.mark.parametrize("where", ["start-param", "env"])
def test_redis_username_outside_the_options_is_always_an_error(
    raycluster: dict[str, Any], where: str
) -> None:
    if where == "env":
        head_env(raycluster, REDIS_USERNAME="admin")
    else:
        raycluster["spec"]["headGroupSpec"]["rayStartParams"]["redis-username"] = "admin"
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec: a Redis username in rayStartParams (redis-username) or the "
        "REDIS_USERNAME env var is not allowed; use spec.gcsFaultToleranceOptions.redisUsername"
    ]


def test_suspended_worker_group_needs_the_deletion_policy_gate(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["workerGroupSpecs"][0]["suspend"] = True
    assert validate_manifest(raycluster) == [
        "spec.workerGroupSpecs[0].suspend: needs the RayJobDeletionPolicy feature gate (suspend: "
        "true), which is off by default in KubeRay 1.5.1 (Alpha), so the operator would refuse "
        "the object; enable the gate on the operator (feature_gates={'RayJobDeletionPolicy': "
        "True}) or remove the field"
    ]
    assert validate_manifest(raycluster, feature_gates={"RayJobDeletionPolicy": True}) == []
    # KubeRay 1.6 turns the gate on by default; turning it off again is named as such.
    assert validate_manifest(raycluster, operator_version="1.6.2") == []
    assert validate_manifest(
        raycluster, operator_version="1.6.2", feature_gates={"RayJobDeletionPolicy": False}
    ) == [
        "spec.workerGroupSpecs[0].suspend: needs the RayJobDeletionPolicy feature gate (suspend: "
        "true), which is turned off, so the operator would refuse the object; enable the gate on "
        "the operator (feature_gates={'RayJobDeletionPolicy': True}) or remove the field"
    ]
    raycluster["spec"]["workerGroupSpecs"][0]["suspend"] = False
    assert validate_manifest(raycluster) == []


def test_suspended_worker_group_cannot_autoscale(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["workerGroupSpecs"][0]["suspend"] = True
    raycluster["spec"]["enableInTreeAutoscaling"] = True
    assert validate_manifest(raycluster, feature_gates={"RayJobDeletionPolicy": True}) == [
        "spec.workerGroupSpecs[0].suspend: worker group 'cpu' cannot be suspended while "
        "enableInTreeAutoscaling is true; turn one of them off"
    ]


def test_autoscaler_v2_env_without_autoscaling(raycluster: dict[str, Any]) -> None:
    head_env(raycluster, RAY_enable_autoscaler_v2="true")
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.template.spec.containers[0].env: RAY_enable_autoscaler_v2=true but "
        "spec.enableInTreeAutoscaling is not true; set enableInTreeAutoscaling: true to use "
        "autoscaler v2, or remove the env var"
    ]


def test_autoscaler_v2_env_together_with_the_version_field(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["enableInTreeAutoscaling"] = True
    raycluster["spec"]["autoscalerOptions"] = {"version": "v2"}
    head_env(raycluster, RAY_enable_autoscaler_v2="1")
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.template.spec.containers[0].env: RAY_enable_autoscaler_v2 is set "
        "together with spec.autoscalerOptions.version; remove the env var and keep "
        "autoscalerOptions.version"
    ]


def test_autoscaler_v2_needs_restart_policy_never(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["enableInTreeAutoscaling"] = True
    raycluster["spec"]["autoscalerOptions"] = {"version": "v2"}
    raycluster["spec"]["headGroupSpec"]["template"]["spec"]["restartPolicy"] = "Always"
    raycluster["spec"]["workerGroupSpecs"][0]["template"]["spec"]["restartPolicy"] = "OnFailure"
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.template.spec.restartPolicy: Always is not allowed with autoscaler "
        "v2 (autoscalerOptions.version is v2); set it to Never or leave it unset",
        "spec.workerGroupSpecs[0].template.spec.restartPolicy: OnFailure is not allowed for "
        "worker group 'cpu' with autoscaler v2 (autoscalerOptions.version is v2); set it to "
        "Never or leave it unset",
    ]


def test_autoscaler_v2_is_the_default_from_ray_2_47(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["enableInTreeAutoscaling"] = True
    raycluster["spec"]["headGroupSpec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert validate_manifest(raycluster) == [
        "spec.headGroupSpec.template.spec.restartPolicy: Always is not allowed with autoscaler "
        "v2 (Ray 2.53.0 defaults to autoscaler v2); set it to Never or leave it unset"
    ]
    raycluster["spec"]["autoscalerOptions"] = {"version": "v1"}
    assert validate_manifest(raycluster) == []
    raycluster["spec"]["autoscalerOptions"] = {}
    raycluster["spec"]["rayVersion"] = "2.46.0"
    assert validate_manifest(raycluster) == []


def test_token_auth_needs_ray_2_52(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["authOptions"] = {"mode": "token"}
    assert validate_manifest(raycluster) == []
    raycluster["spec"]["rayVersion"] = "2.46.0"
    assert validate_manifest(raycluster) == [
        "spec.authOptions.mode: token authentication needs Ray >= 2.52.0, rayVersion is "
        "2.46.0; upgrade Ray or disable token auth"
    ]
    raycluster["spec"]["rayVersion"] = "nightly"
    assert validate_manifest(raycluster) == [
        "spec.rayVersion: authOptions.mode is 'token' but rayVersion 'nightly' is not a "
        "version; use e.g. 2.52.0"
    ]
    del raycluster["spec"]["rayVersion"]
    assert validate_manifest(raycluster) == [
        "spec.rayVersion: authOptions.mode is 'token' but rayVersion is not set; set rayVersion "
        "to 2.52.0 or later"
    ]


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        (
            {"minReplicas": 2, "replicas": 1, "maxReplicas": 4},
            "spec.workerGroupSpecs[0].replicas: 1 is below minReplicas (2); KubeRay 1.5 would "
            "silently raise it, 1.6 rejects it; set replicas within [minReplicas, maxReplicas]",
        ),
        (
            {"minReplicas": 0, "replicas": 5, "maxReplicas": 4},
            "spec.workerGroupSpecs[0].replicas: 5 is above maxReplicas (4); KubeRay 1.5 would "
            "silently lower it, 1.6 rejects it; set replicas within [minReplicas, maxReplicas]",
        ),
        (
            {"minReplicas": 5, "maxReplicas": 4},
            "spec.workerGroupSpecs[0]: minReplicas (5) is greater than maxReplicas (4); lower "
            "minReplicas or raise maxReplicas",
        ),
    ],
)
def test_replicas_within_bounds(
    raycluster: dict[str, Any], bounds: dict[str, int], message: str
) -> None:
    group = raycluster["spec"]["workerGroupSpecs"][0]
    group.pop("replicas")
    group.update(bounds)
    assert validate_manifest(raycluster) == [message]


def test_fields_newer_than_the_operator_are_errors(raycluster: dict[str, Any]) -> None:
    raycluster["spec"]["workerGroupSpecs"][0]["labels"] = {"zone": "a"}
    raycluster["spec"]["authOptions"] = {"mode": "disabled"}
    assert validate_manifest(raycluster, operator_version="1.5.1") == []
    assert validate_manifest(raycluster, operator_version="1.4.2") == [
        "spec.workerGroupSpecs[0].labels: added in KubeRay 1.5.0; operator 1.4.2's CRD lacks it, "
        "so the API server would drop it and the setting would do nothing; upgrade the operator "
        "to 1.5.0 or newer, or remove the field",
        "spec.authOptions: added in KubeRay 1.5.0; operator 1.4.2's CRD lacks it, so the API "
        "server would drop it and the setting would do nothing; upgrade the operator to 1.5.0 "
        "or newer, or remove the field",
    ]


def test_unknown_feature_gate_for_the_version(raycluster: dict[str, Any]) -> None:
    assert validate_manifest(raycluster, "1.4.0", {"RayServiceIncrementalUpgrade": True}) == [
        "feature gate 'RayServiceIncrementalUpgrade' does not exist in KubeRay 1.4.0: "
        "'RayServiceIncrementalUpgrade' was added in KubeRay 1.5.0 (gates there: "
        "RayClusterStatusConditions, RayJobDeletionPolicy); the operator exits at start-up on a "
        "gate it does not know; remove it or choose an operator release that has it"
    ]


def test_operator_older_than_supported(raycluster: dict[str, Any]) -> None:
    assert validate_manifest(raycluster, "1.2.2") == [
        "operator version 1.2.2 is older than 1.3.0, the oldest release this library supports; "
        "upgrade the KubeRay operator"
    ]


def test_namespace_the_operator_does_not_watch(raycluster: dict[str, Any]) -> None:
    from pulumi_kuberay.spec import OperatorCapabilities

    caps = OperatorCapabilities(watch_namespaces=["ml", "research"])
    assert validate_manifest(raycluster, capabilities=caps) == [
        "metadata.namespace: the operator watches only ml, research, so a RayCluster in 'ray' "
        "would never be reconciled; add the namespace to the operator's watch_namespaces or "
        "deploy into a watched one"
    ]
