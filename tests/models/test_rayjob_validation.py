"""The operator's RayJob rules, one test per rule, each asserting the message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_kuberay.spec import OperatorCapabilities, validate_manifest
from tests.models.test_rayjob_model import MINIMAL_RAYJOB

pytestmark = pytest.mark.allow_nonconforming_manifests

GATE_ON = {"RayJobDeletionPolicy": True}


@pytest.fixture
def rayjob() -> dict[str, Any]:
    """A fresh RayJob the operator accepts; tests mutate it."""
    return copy.deepcopy(MINIMAL_RAYJOB)


def on_existing_cluster(doc: dict[str, Any], name: str = "shared") -> dict[str, Any]:
    del doc["spec"]["rayClusterSpec"]
    doc["spec"]["clusterSelector"] = {"ray.io/cluster": name}
    return doc


def rules(*items: tuple[str, str, int | None]) -> dict[str, Any]:
    """``deletionStrategy`` with rules given as (policy, jobStatus, ttlSeconds)."""
    rendered = []
    for policy, status, ttl in items:
        condition: dict[str, Any] = {"jobStatus": status}
        if ttl is not None:
            condition["ttlSeconds"] = ttl
        rendered.append({"policy": policy, "condition": condition})
    return {"deletionRules": rendered}


def test_a_valid_job_has_no_problems(rayjob: dict[str, Any]) -> None:
    assert validate_manifest(rayjob) == []


# --- metadata -------------------------------------------------------------------------------


def test_name_longer_than_47_characters(rayjob: dict[str, Any]) -> None:
    rayjob["metadata"]["name"] = "a" * 48
    assert validate_manifest(rayjob) == [
        f"metadata.name: RayJob name '{'a' * 48}' is 48 characters; KubeRay allows at most 47 "
        "because it derives Service and Pod names from it; shorten it"
    ]


def test_name_must_be_a_dns1035_label(rayjob: dict[str, Any]) -> None:
    rayjob["metadata"]["name"] = "Train_1"
    assert validate_manifest(rayjob) == [
        "metadata.name: RayJob name 'Train_1' is not a valid DNS-1035 label: must consist of "
        "lower case alphanumeric characters or '-', start with an alphabetic character, and end "
        "with an alphanumeric character (e.g. 'my-name')"
    ]


def test_generate_name_is_judged_with_its_random_suffix(rayjob: dict[str, Any]) -> None:
    rayjob["metadata"] = {"generateName": "train-"}
    assert validate_manifest(rayjob) == []
    rayjob["metadata"] = {"generateName": "t" * 43 + "-"}
    assert validate_manifest(rayjob) == [
        f"metadata.generateName: '{'t' * 43}-' plus the 5 random characters Kubernetes appends "
        "makes a 49-character RayJob name; KubeRay allows at most 47 because it derives Service "
        "and Pod names from it; shorten it"
    ]
    rayjob["metadata"] = {"generateName": "1train-"}
    assert validate_manifest(rayjob) == [
        "metadata.generateName: '1train-' does not start a valid DNS-1035 label: must consist of "
        "lower case alphanumeric characters or '-', start with an alphabetic character, and end "
        "with an alphanumeric character (e.g. 'my-name')"
    ]


def test_namespace_must_be_watched(rayjob: dict[str, Any]) -> None:
    caps = OperatorCapabilities(watch_namespaces=["ml"])
    assert validate_manifest(rayjob, capabilities=caps) == [
        "metadata.namespace: the operator watches only ml, so a RayJob in 'ray' would never be "
        "reconciled; add the namespace to the operator's watch_namespaces or deploy into a "
        "watched one"
    ]


# --- lifecycle ------------------------------------------------------------------------------


def test_suspend_requires_shutdown_after_job_finishes(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["suspend"] = True
    rayjob["spec"]["shutdownAfterJobFinishes"] = False
    assert validate_manifest(rayjob) == [
        "spec.suspend: a RayJob can be suspended only with spec.shutdownAfterJobFinishes: true "
        "(the operator must be able to delete the cluster it suspends); set "
        "shutdownAfterJobFinishes: true or remove suspend"
    ]


def test_ttl_must_not_be_negative(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["ttlSecondsAfterFinished"] = -1
    assert validate_manifest(rayjob) == [
        "spec.ttlSecondsAfterFinished: must not be negative, got -1; use 0 or more seconds"
    ]


def test_positive_ttl_requires_shutdown(rayjob: dict[str, Any]) -> None:
    del rayjob["spec"]["shutdownAfterJobFinishes"]
    rayjob["spec"]["ttlSecondsAfterFinished"] = 300
    assert validate_manifest(rayjob) == [
        "spec.ttlSecondsAfterFinished: 300 needs spec.shutdownAfterJobFinishes: true (the TTL "
        "delays that shutdown); set shutdownAfterJobFinishes: true or remove "
        "ttlSecondsAfterFinished"
    ]
    rayjob["spec"]["ttlSecondsAfterFinished"] = 0
    assert validate_manifest(rayjob) == []


@pytest.mark.parametrize("value", [0, -5])
def test_active_deadline_must_be_positive(rayjob: dict[str, Any], value: int) -> None:
    rayjob["spec"]["activeDeadlineSeconds"] = value
    assert validate_manifest(rayjob) == [
        f"spec.activeDeadlineSeconds: must be positive, got {value}; set the longest the job may "
        "run, in seconds, or remove it"
    ]


def test_backoff_limit_must_not_be_negative(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["backoffLimit"] = -1
    assert validate_manifest(rayjob) == [
        "spec.backoffLimit: must not be negative, got -1; use 0 (no retries) or the number of "
        "retries"
    ]


# --- cluster: own or existing ---------------------------------------------------------------


def test_cluster_spec_or_selector_is_required(rayjob: dict[str, Any]) -> None:
    del rayjob["spec"]["rayClusterSpec"]
    assert validate_manifest(rayjob) == [
        "spec: one of rayClusterSpec (a cluster created for the job) or clusterSelector (an "
        "existing cluster) is required; set rayClusterSpec, or clusterSelector with "
        "ray.io/cluster: <cluster name>"
    ]


@pytest.mark.parametrize("selector", [{"ray.io/cluster": ""}, {"app": "ray"}])
def test_selector_must_name_the_cluster(rayjob: dict[str, Any], selector: dict[str, str]) -> None:
    on_existing_cluster(rayjob)["spec"]["clusterSelector"] = selector
    assert validate_manifest(rayjob) == [
        "spec.clusterSelector[ray.io/cluster]: must name the existing RayCluster the job runs "
        "on; set clusterSelector ray.io/cluster: <cluster name>"
    ]


def test_selector_and_suspend_are_exclusive(rayjob: dict[str, Any]) -> None:
    on_existing_cluster(rayjob)["spec"]["suspend"] = True
    assert validate_manifest(rayjob) == [
        "spec.suspend: not supported for a job on an existing cluster (spec.clusterSelector); "
        "remove suspend, or let the job create its own cluster with spec.rayClusterSpec"
    ]


def test_the_embedded_cluster_passes_every_raycluster_rule(rayjob: dict[str, Any]) -> None:
    group = rayjob["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]
    group["replicas"] = 9
    rayjob["spec"]["rayClusterSpec"]["authOptions"] = {"mode": "token"}
    caps = OperatorCapabilities(version="1.4.2")
    assert validate_manifest(rayjob, capabilities=caps) == [
        "spec.rayClusterSpec.authOptions: added in KubeRay 1.5.0; operator 1.4.2's CRD lacks it, "
        "so the API server would drop it and the setting would do nothing; upgrade the operator "
        "to 1.5.0 or newer, or remove the field",
        "spec.rayClusterSpec.workerGroupSpecs[0].replicas: 9 is above maxReplicas (4); KubeRay "
        "1.5 would silently lower it, 1.6 rejects it; set replicas within [minReplicas, "
        "maxReplicas]",
    ]


def test_ft_annotation_of_the_job_counts_for_its_cluster(rayjob: dict[str, Any]) -> None:
    rayjob["metadata"]["annotations"] = {"ray.io/ft-enabled": "true"}
    rayjob["spec"]["rayClusterSpec"]["gcsFaultToleranceOptions"] = {"redisAddress": "redis:6379"}
    assert validate_manifest(rayjob) == [
        "metadata.annotations[ray.io/ft-enabled]: set together with "
        "spec.rayClusterSpec.gcsFaultToleranceOptions; remove the annotation and use only "
        "gcsFaultToleranceOptions"
    ]


# --- submission modes -----------------------------------------------------------------------


def test_unknown_submission_mode(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["submissionMode"] = "K8sMode"
    assert validate_manifest(rayjob) == [
        "spec.submissionMode: 'K8sMode' is not a submission mode KubeRay knows, so the job would "
        "never be submitted; use one of K8sJobMode, HTTPMode, InteractiveMode, SidecarMode"
    ]


def test_interactive_mode_allows_no_retries(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["submissionMode"] = "InteractiveMode"
    rayjob["spec"]["backoffLimit"] = 2
    assert validate_manifest(rayjob) == [
        "spec.backoffLimit: 2 retries are not supported with submissionMode InteractiveMode (a "
        "retried job keeps its jobId and reports a wrong state); set backoffLimit to 0 or "
        "remove it"
    ]
    rayjob["spec"]["backoffLimit"] = 0
    assert validate_manifest(rayjob) == []


def test_sidecar_mode_needs_operator_1_5(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["submissionMode"] = "SidecarMode"
    assert validate_manifest(rayjob) == []
    assert validate_manifest(rayjob, operator_version="1.4.2") == [
        "spec.submissionMode: SidecarMode needs KubeRay operator >= 1.5.0 (this operator is "
        "1.4.2); upgrade the operator or use K8sJobMode"
    ]


def test_sidecar_mode_forbids_submitter_settings(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["submissionMode"] = "SidecarMode"
    rayjob["spec"]["submitterPodTemplate"] = {
        "spec": {"containers": [{"name": "submitter", "image": "rayproject/ray:2.53.0"}]}
    }
    rayjob["spec"]["submitterConfig"] = {"backoffLimit": 1}
    assert validate_manifest(rayjob) == [
        "spec.submitterPodTemplate: not supported with submissionMode SidecarMode (the "
        "submitter runs as a sidecar of the job's own head pod); remove it or use K8sJobMode",
        "spec.submitterConfig: not supported with submissionMode SidecarMode (the submitter "
        "runs as a sidecar of the job's own head pod); remove it or use K8sJobMode",
    ]


def test_sidecar_mode_forbids_a_cluster_selector(rayjob: dict[str, Any]) -> None:
    on_existing_cluster(rayjob)["spec"]["submissionMode"] = "SidecarMode"
    assert validate_manifest(rayjob) == [
        "spec.clusterSelector: not supported with submissionMode SidecarMode (the submitter "
        "runs as a sidecar of the job's own head pod); use spec.rayClusterSpec or another "
        "submission mode"
    ]


@pytest.mark.parametrize(
    ("policy", "ok"), [("Always", False), ("OnFailure", False), ("Never", True)]
)
def test_sidecar_mode_needs_a_head_that_is_not_restarted(
    rayjob: dict[str, Any], policy: str, ok: bool
) -> None:
    rayjob["spec"]["submissionMode"] = "SidecarMode"
    rayjob["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["restartPolicy"] = policy
    expected = [
        "spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy: "
        f"{policy} is not allowed with submissionMode SidecarMode (the submitter runs as a "
        "sidecar of the job's own head pod); set it to Never or leave it unset"
    ]
    assert validate_manifest(rayjob) == ([] if ok else expected)


# --- runtimeEnvYAML -------------------------------------------------------------------------


def test_runtime_env_yaml_must_be_valid_yaml(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["runtimeEnvYAML"] = "pip: [torch\n"
    (problem,) = validate_manifest(rayjob)
    assert problem.startswith("spec.runtimeEnvYAML: not valid YAML (")
    assert problem.endswith("); fix the YAML syntax")


def test_runtime_env_yaml_must_be_a_mapping(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["runtimeEnvYAML"] = "- torch\n"
    assert validate_manifest(rayjob) == [
        "spec.runtimeEnvYAML: must be a YAML mapping (pip:, env_vars:, working_dir:, ...), got a "
        "list; write the runtime environment as key: value pairs"
    ]


# --- deletionStrategy: gate and forms -------------------------------------------------------


def test_deletion_strategy_needs_the_feature_gate(rayjob: dict[str, Any]) -> None:
    del rayjob["spec"]["shutdownAfterJobFinishes"]
    rayjob["spec"]["deletionStrategy"] = rules(("DeleteCluster", "SUCCEEDED", 60))
    assert validate_manifest(rayjob) == [
        "spec.deletionStrategy: needs the RayJobDeletionPolicy feature gate, which is off by "
        "default in KubeRay 1.5.1 (Alpha), so the operator would refuse the object; enable the "
        "gate on the operator (feature_gates={'RayJobDeletionPolicy': True}) or remove the field"
    ]
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == []
    # 1.6 turned the gate on by default (Beta).
    assert validate_manifest(rayjob, operator_version="1.6.2") == []
    assert validate_manifest(rayjob, operator_version="1.7.0") == []


def test_deletion_rules_need_operator_1_5(rayjob: dict[str, Any]) -> None:
    del rayjob["spec"]["shutdownAfterJobFinishes"]
    rayjob["spec"]["deletionStrategy"] = rules(("DeleteCluster", "SUCCEEDED", 60))
    assert validate_manifest(rayjob, "1.4.2", GATE_ON) == [
        "spec.deletionStrategy.deletionRules: added in KubeRay 1.5.0; operator 1.4.2's CRD lacks it, "
        "so the API server would drop it and the setting would do nothing; upgrade the operator "
        "to 1.5.0 or newer, or remove the field"
    ]


def test_deletion_rules_and_shutdown_are_exclusive(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["deletionStrategy"] = rules(("DeleteCluster", "SUCCEEDED", 60))
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.deletionRules: cannot be combined with "
        "spec.shutdownAfterJobFinishes: true; express the cleanup as a rule (policy "
        "DeleteCluster) and remove shutdownAfterJobFinishes"
    ]


def test_legacy_and_rules_forms_do_not_mix(rayjob: dict[str, Any]) -> None:
    del rayjob["spec"]["shutdownAfterJobFinishes"]
    strategy = rules(("DeleteCluster", "SUCCEEDED", 60))
    strategy["onSuccess"] = {"policy": "DeleteCluster"}
    rayjob["spec"]["deletionStrategy"] = strategy
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        "spec.deletionStrategy: the legacy onSuccess/onFailure form and deletionRules cannot be "
        "used together; keep only deletionRules"
    ]


@pytest.mark.parametrize("strategy", [{}, {"deletionRules": []}])
def test_deletion_strategy_must_not_be_empty(
    rayjob: dict[str, Any], strategy: dict[str, Any]
) -> None:
    rayjob["spec"]["deletionStrategy"] = strategy
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        "spec.deletionStrategy: is empty; set deletionRules, or both onSuccess and onFailure, or "
        "remove deletionStrategy"
    ]


# --- deletionStrategy: legacy form ----------------------------------------------------------


def legacy(on_success: str | None, on_failure: str | None) -> dict[str, Any]:
    strategy: dict[str, Any] = {}
    if on_success is not None:
        strategy["onSuccess"] = {"policy": on_success} if on_success else {}
    if on_failure is not None:
        strategy["onFailure"] = {"policy": on_failure} if on_failure else {}
    return strategy


def test_legacy_form_needs_both_sides(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["deletionStrategy"] = legacy("DeleteCluster", None)
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.onFailure: must be set together with onSuccess in the legacy "
        "form; set both, or switch to deletionRules"
    ]


def test_legacy_form_needs_a_policy_on_each_side(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["deletionStrategy"] = legacy("", "DeleteCluster")
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.onSuccess.policy: must be set; choose DeleteCluster, "
        "DeleteWorkers, DeleteSelf or DeleteNone"
    ]


@pytest.mark.parametrize("policy", ["DeleteCluster", "DeleteWorkers"])
def test_legacy_form_cannot_delete_an_existing_cluster(rayjob: dict[str, Any], policy: str) -> None:
    on_existing_cluster(rayjob)["spec"]["deletionStrategy"] = legacy("DeleteSelf", policy)
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        f"spec.deletionStrategy.onFailure.policy: {policy} is not allowed for a job on an "
        "existing cluster (spec.clusterSelector), which the operator did not create; use "
        "DeleteSelf or DeleteNone"
    ]


def test_legacy_form_delete_workers_conflicts_with_autoscaling(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["rayClusterSpec"]["enableInTreeAutoscaling"] = True
    rayjob["spec"]["deletionStrategy"] = legacy("DeleteWorkers", "DeleteCluster")
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.onSuccess.policy: DeleteWorkers is not supported while "
        "spec.rayClusterSpec.enableInTreeAutoscaling is true; use DeleteCluster or turn "
        "autoscaling off"
    ]


def test_legacy_form_delete_none_contradicts_shutdown(rayjob: dict[str, Any]) -> None:
    rayjob["spec"]["deletionStrategy"] = legacy("DeleteCluster", "DeleteNone")
    assert validate_manifest(rayjob, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.onFailure.policy: DeleteNone contradicts "
        "spec.shutdownAfterJobFinishes: true; remove shutdownAfterJobFinishes or choose another "
        "policy"
    ]


# --- deletionStrategy: rules form -----------------------------------------------------------


@pytest.fixture
def rules_job(rayjob: dict[str, Any]) -> dict[str, Any]:
    del rayjob["spec"]["shutdownAfterJobFinishes"]
    return rayjob


def test_rule_ttl_must_not_be_negative(rules_job: dict[str, Any]) -> None:
    rules_job["spec"]["deletionStrategy"] = rules(
        ("DeleteCluster", "SUCCEEDED", 60), ("DeleteSelf", "SUCCEEDED", -5)
    )
    assert validate_manifest(rules_job, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.deletionRules[1].condition.ttlSeconds: must not be negative, got "
        "-5; use 0 or more seconds"
    ]


def test_rules_cannot_delete_an_existing_cluster(rules_job: dict[str, Any]) -> None:
    on_existing_cluster(rules_job)["spec"]["deletionStrategy"] = rules(
        ("DeleteSelf", "FAILED", 60), ("DeleteWorkers", "FAILED", 0)
    )
    assert validate_manifest(rules_job, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.deletionRules[1].policy: DeleteWorkers is not allowed for a job "
        "on an existing cluster (spec.clusterSelector), which the operator did not create; use "
        "DeleteSelf or DeleteNone"
    ]


def test_rule_delete_workers_conflicts_with_autoscaling(rules_job: dict[str, Any]) -> None:
    rules_job["spec"]["rayClusterSpec"]["enableInTreeAutoscaling"] = True
    rules_job["spec"]["deletionStrategy"] = rules(("DeleteWorkers", "SUCCEEDED", 10))
    assert validate_manifest(rules_job, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.deletionRules[0].policy: DeleteWorkers is not supported while "
        "spec.rayClusterSpec.enableInTreeAutoscaling is true; use DeleteCluster or turn "
        "autoscaling off"
    ]


def test_rules_are_unique_per_policy_and_status(rules_job: dict[str, Any]) -> None:
    rules_job["spec"]["deletionStrategy"] = rules(
        ("DeleteCluster", "SUCCEEDED", 60),
        ("DeleteCluster", "FAILED", 60),
        ("DeleteCluster", "SUCCEEDED", 90),
    )
    assert validate_manifest(rules_job, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.deletionRules[2]: duplicates deletionRules[0] (policy "
        "DeleteCluster, jobStatus SUCCEEDED); keep one rule per policy and jobStatus"
    ]


def test_rule_ttls_delete_workers_then_cluster_then_self(rules_job: dict[str, Any]) -> None:
    rules_job["spec"]["deletionStrategy"] = rules(
        ("DeleteSelf", "FAILED", 30),
        ("DeleteCluster", "FAILED", 60),
        ("DeleteWorkers", "FAILED", 90),
        # An absent ttlSeconds is 0 (the CRD default).
        ("DeleteWorkers", "SUCCEEDED", 10),
        ("DeleteSelf", "SUCCEEDED", None),
    )
    assert validate_manifest(rules_job, feature_gates=GATE_ON) == [
        "spec.deletionStrategy.deletionRules[1].condition.ttlSeconds: for jobStatus FAILED, "
        "DeleteCluster TTL (60s) must be >= DeleteWorkers TTL (90s), because workers are "
        "deleted first, then the cluster, then the RayJob; raise this TTL or lower the "
        "DeleteWorkers one",
        "spec.deletionStrategy.deletionRules[0].condition.ttlSeconds: for jobStatus FAILED, "
        "DeleteSelf TTL (30s) must be >= DeleteCluster TTL (60s), because workers are deleted "
        "first, then the cluster, then the RayJob; raise this TTL or lower the DeleteCluster one",
        "spec.deletionStrategy.deletionRules[4].condition.ttlSeconds: for jobStatus SUCCEEDED, "
        "DeleteSelf TTL (0s) must be >= DeleteWorkers TTL (10s), because workers are deleted "
        "first, then the cluster, then the RayJob; raise this TTL or lower the DeleteWorkers one",
    ]


def test_a_well_ordered_rule_set_is_accepted(rules_job: dict[str, Any]) -> None:
    rules_job["spec"]["deletionStrategy"] = rules(
        ("DeleteWorkers", "FAILED", 30),
        ("DeleteCluster", "FAILED", 60),
        ("DeleteSelf", "FAILED", 60),
        ("DeleteNone", "SUCCEEDED", 0),
    )
    assert validate_manifest(rules_job, feature_gates=GATE_ON) == []


def test_every_problem_is_listed_not_just_the_first(rayjob: dict[str, Any]) -> None:
    rayjob["metadata"]["name"] = "x" * 50
    rayjob["spec"]["backoffLimit"] = -1
    rayjob["spec"]["activeDeadlineSeconds"] = 0
    assert len(validate_manifest(rayjob)) == 3
