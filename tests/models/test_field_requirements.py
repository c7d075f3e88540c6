"""A field newer than the operator names the release that added it; a field behind an off gate
names the gate; both come from the marker on the model field (one generic checker)."""

from __future__ import annotations

import copy
from typing import Annotated, Any

import pytest

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.field_requirements import Requires, field_requirement_problems
from pulumi_kuberay.spec import validate_manifest
from tests.models.conftest import MINIMAL_RAYCLUSTER

pytestmark = pytest.mark.allow_nonconforming_manifests

CLUSTER_FIELDS_1_6: list[tuple[str, dict[str, Any]]] = [
    ("spec.upgradeStrategy", {"upgradeStrategy": {"type": "Recreate"}}),
    ("spec.authOptions.enableK8sTokenAuth", {"authOptions": {"enableK8sTokenAuth": False}}),
    ("spec.authOptions.secretName", {"authOptions": {"secretName": "ray-token"}}),
]
CLUSTER_FIELDS_1_7: list[tuple[str, dict[str, Any]]] = [
    ("spec.autoscalerOptions.command", {"autoscalerOptions": {"command": ["ray"]}}),
    ("spec.autoscalerOptions.args", {"autoscalerOptions": {"args": ["--x"]}}),
    (
        "spec.gcsFaultToleranceOptions.backend",
        {"gcsFaultToleranceOptions": {"redisAddress": "r:6379", "backend": "redis"}},
    ),
    (
        "spec.gcsFaultToleranceOptions.storage",
        {"gcsFaultToleranceOptions": {"redisAddress": "r:6379", "storage": {"size": "1Gi"}}},
    ),
    ("spec.historyServerOptions", {"historyServerOptions": {}}),
    ("spec.networkPolicy", {"networkPolicy": {"mode": "DenyAll"}}),
    ("spec.tlsOptions", {"tlsOptions": {"enabled": True}}),
]
GATED_1_7: dict[str, str] = {
    "spec.historyServerOptions": "RayClusterHistoryServer",
    "spec.networkPolicy": "RayClusterNetworkPolicy",
    "spec.tlsOptions": "RayClusterMTLS",
}


def cluster_with(spec_fields: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(MINIMAL_RAYCLUSTER)
    doc["spec"].update(spec_fields)
    return doc


def newer(path: str, since: str, operator: str) -> str:
    return (
        f"{path}: added in KubeRay {since}; operator {operator}'s CRD lacks it, so the API server "
        "would drop it and the setting would do nothing; upgrade the operator to "
        f"{since} or newer, or remove the field"
    )


def gate_off(path: str, gate: str, version: str, use: str = "") -> str:
    use = f" ({use})" if use else ""
    return (
        f"{path}: needs the {gate} feature gate{use}, which is off by default in KubeRay "
        f"{version} (Alpha), so the operator would refuse the object; enable the gate on the "
        f"operator (feature_gates={{'{gate}': True}}) or remove the field"
    )


@pytest.mark.parametrize(
    ("path", "fields"), CLUSTER_FIELDS_1_6, ids=[p for p, _ in CLUSTER_FIELDS_1_6]
)
def test_a_1_6_cluster_field_on_1_5_names_the_release(path: str, fields: dict[str, Any]) -> None:
    doc = cluster_with(fields)
    assert validate_manifest(doc, operator_version="1.5.1") == [newer(path, "1.6.0", "1.5.1")]
    assert validate_manifest(doc, operator_version="1.6.0") == []


@pytest.mark.parametrize(
    ("path", "fields"), CLUSTER_FIELDS_1_7, ids=[p for p, _ in CLUSTER_FIELDS_1_7]
)
def test_a_1_7_cluster_field_on_1_6_names_the_release(path: str, fields: dict[str, Any]) -> None:
    doc = cluster_with(fields)
    assert validate_manifest(doc, operator_version="1.6.2") == [newer(path, "1.7.0", "1.6.2")]
    gate = GATED_1_7.get(path)
    gates = {gate: True} if gate else {}
    on_1_7 = [p for p in validate_manifest(doc, "1.7.0", gates) if p.startswith(path)]
    assert all("added in KubeRay" not in p and "feature gate" not in p for p in on_1_7)


@pytest.mark.parametrize(("path", "gate"), sorted(GATED_1_7.items()))
def test_a_1_7_field_behind_an_off_gate_names_the_gate(path: str, gate: str) -> None:
    fields = dict(CLUSTER_FIELDS_1_7)[path]
    assert gate_off(path, gate, "1.7.0") in validate_manifest(cluster_with(fields), "1.7.0")


def test_worker_priority_is_1_7() -> None:
    doc = cluster_with({})
    doc["spec"]["workerGroupSpecs"][0]["priority"] = 0
    assert validate_manifest(doc, "1.6.2") == [
        newer("spec.workerGroupSpecs[0].priority", "1.7.0", "1.6.2")
    ]
    assert validate_manifest(doc, "1.7.0") == []


def test_ingress_options_are_1_7() -> None:
    doc = cluster_with({})
    doc["spec"]["headGroupSpec"]["ingressOptions"] = {"pathType": "Prefix"}
    assert validate_manifest(doc, "1.6.2") == [
        newer("spec.headGroupSpec.ingressOptions", "1.7.0", "1.6.2")
    ]
    assert validate_manifest(doc, "1.7.0") == []


def test_rocksdb_backend_needs_its_gate_redis_does_not() -> None:
    doc = cluster_with({"gcsFaultToleranceOptions": {"backend": "rocksdb"}})
    assert validate_manifest(doc, "1.7.0") == [
        gate_off(
            "spec.gcsFaultToleranceOptions.backend",
            "GCSFaultToleranceEmbeddedStorage",
            "1.7.0",
            "backend rocksdb",
        )
    ]
    assert validate_manifest(doc, "1.7.0", {"GCSFaultToleranceEmbeddedStorage": True}) == []
    redis = cluster_with({"gcsFaultToleranceOptions": {"backend": "redis", "redisAddress": "r:1"}})
    assert validate_manifest(redis, "1.7.0") == []


def test_redis_address_is_required_before_1_7() -> None:
    doc = cluster_with({"gcsFaultToleranceOptions": {"externalStorageNamespace": "ns"}})
    assert validate_manifest(doc, "1.6.2") == [
        "spec.gcsFaultToleranceOptions.redisAddress: required by the CRD of KubeRay releases "
        "before 1.7.0 (this operator is 1.6.2), so the API server would refuse the object; set "
        "it, or upgrade the operator"
    ]


def test_fields_embedded_in_a_rayjob_and_rayservice_are_checked_too() -> None:
    cluster = cluster_with({"tlsOptions": {"enabled": True}})["spec"]
    job = {
        "apiVersion": "ray.io/v1",
        "kind": "RayJob",
        "metadata": {"name": "job"},
        "spec": {"rayClusterSpec": cluster, "preRunningDeadlineSeconds": 60},
    }
    assert validate_manifest(job, "1.5.1") == [
        newer("spec.rayClusterSpec.tlsOptions", "1.7.0", "1.5.1"),
        newer("spec.preRunningDeadlineSeconds", "1.6.0", "1.5.1"),
    ]
    service = {
        "apiVersion": "ray.io/v1",
        "kind": "RayService",
        "metadata": {"name": "svc"},
        "spec": {
            "rayClusterConfig": cluster,
            "suspend": False,
            "managedBy": "ray.io/kuberay-operator",
        },
    }
    assert validate_manifest(service, "1.6.2") == [
        newer("spec.rayClusterConfig.tlsOptions", "1.7.0", "1.6.2"),
        newer("spec.suspend", "1.7.0", "1.6.2"),
    ]
    assert validate_manifest(service, "1.7.0", {"RayClusterMTLS": True}) == []


def test_deletion_condition_job_deployment_status_is_1_6() -> None:
    job = {
        "apiVersion": "ray.io/v1",
        "kind": "RayJob",
        "metadata": {"name": "job"},
        "spec": {
            "rayClusterSpec": copy.deepcopy(MINIMAL_RAYCLUSTER["spec"]),
            "deletionStrategy": {
                "deletionRules": [
                    {"policy": "DeleteCluster", "condition": {"jobDeploymentStatus": "Failed"}}
                ]
            },
        },
    }
    gates = {"RayJobDeletionPolicy": True}
    assert validate_manifest(job, "1.5.1", gates) == [
        "spec.deletionStrategy.deletionRules[0].condition.jobStatus: required by the CRD of "
        "KubeRay releases before 1.6.0 (this operator is 1.5.1), so the API server would refuse "
        "the object; set it, or upgrade the operator",
        newer(
            "spec.deletionStrategy.deletionRules[0].condition.jobDeploymentStatus", "1.6.0", "1.5.1"
        ),
    ]
    assert validate_manifest(job, "1.6.2") == []


# --- the checker on its own: adding a field is one edit --------------------------------------


class Inner(CrdModel):
    knob: Annotated[int | None, Requires(since="1.7.0")] = None


class Outer(CrdModel):
    plain: str | None = None
    inner: Inner | None = None
    items: list[Inner] | None = None
    gated: Annotated[bool | None, Requires(gate="RayCronJob", when=lambda v: v is True)] = None
    must: Annotated[str | None, Requires(required_before="1.6.0")] = None


def test_the_checker_walks_nested_models_and_lists() -> None:
    model = Outer(inner=Inner(knob=1), items=[Inner(), Inner(knob=2)], gated=True)
    caps = OperatorCapabilities(version="1.6.2")
    assert field_requirement_problems(model, caps, "spec") == [
        newer("spec.inner.knob", "1.7.0", "1.6.2"),
        newer("spec.items[1].knob", "1.7.0", "1.6.2"),
        "spec.gated: needs the RayCronJob feature gate, which is off by default in KubeRay 1.6.2 "
        "(Alpha), so the operator would refuse the object; enable the gate on the operator "
        "(feature_gates={'RayCronJob': True}) or remove the field",
    ]
    assert field_requirement_problems(Outer(gated=False), caps) == []
    assert field_requirement_problems(Outer(), OperatorCapabilities(version="1.5.1")) == [
        "must: required by the CRD of KubeRay releases before 1.6.0 (this operator is 1.5.1), so "
        "the API server would refuse the object; set it, or upgrade the operator"
    ]


def test_a_field_too_new_is_not_also_reported_for_its_gate() -> None:
    doc = cluster_with({"networkPolicy": {}})
    assert validate_manifest(doc, "1.6.2") == [newer("spec.networkPolicy", "1.7.0", "1.6.2")]
