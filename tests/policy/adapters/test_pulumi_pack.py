"""The policy pack through pulumi-policy's own analyzer servicer, as the engine drives it:
analyzer info, enforcement levels, configuration, remediation, stack analysis, unknowns."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from google.protobuf import empty_pb2
from pulumi.runtime import proto
from pulumi_policy.policy import _PolicyAnalyzerServicer

from pulumi_kuberay.policy import ALL_RULES
from pulumi_kuberay.policy.adapters.pulumi_pack import (
    PACK_ENFORCEMENT,
    PACK_NAME,
    RESOURCE_TYPES,
    build_policies,
    manifest_from_props,
)
from tests.policy.analyzer import (
    SECRET_SIG,
    UNKNOWN_SENTINEL,
    analyze_request,
    configure_request,
    diagnostics,
    remediations,
    secret,
    stack_request,
)
from tests.policy.manifests import CPU_RAY, DELETE, edit, edit_paths, good


@pytest.fixture
def servicer() -> Any:
    return _PolicyAnalyzerServicer(PACK_NAME, "0.0.1", build_policies(), PACK_ENFORCEMENT)


def test_building_the_policies_starts_nothing() -> None:
    assert "pulumi_policy" in sys.modules  # imported, but no PolicyPack (server) was built
    assert [p.name for p in build_policies()] == [rule.id for rule in ALL_RULES]


def test_analyzer_info_lists_every_rule_with_its_level_severity_and_schema(servicer: Any) -> None:
    info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
    policies = {p.name: p for p in info.policies}

    assert info.name == "kuberay-best-practices"
    assert info.supportsConfig
    assert list(policies) == [rule.id for rule in ALL_RULES]
    assert policies["operator-would-reject"].enforcementLevel == proto.MANDATORY
    assert policies["ray-start-params-strings"].enforcementLevel == proto.MANDATORY
    assert policies["single-image"].enforcementLevel == proto.ADVISORY
    assert policies["operator-would-reject"].severity == proto.POLICY_SEVERITY_CRITICAL
    assert policies["unresolved-references"].policy_type == proto.PolicyType.POLICY_TYPE_STACK
    schema = policies["kueue-max-pod-sets"].configSchema.properties["maxPodSets"]
    assert dict(schema)["default"] == 18
    assert policies["head-runs-no-workloads"].remediation_steps
    assert policies["single-image"].url.startswith("https://docs.ray.io/")


def test_a_good_cluster_has_no_diagnostics(servicer: Any) -> None:
    for kind in ("RayCluster", "RayJob", "RayService"):
        assert diagnostics(servicer.Analyze(analyze_request(good(kind)), None)) == []


def test_violations_carry_the_policy_level_and_path(servicer: Any) -> None:
    doc = edit_paths(
        good(),
        {
            "spec.workerGroupSpecs[0].replicas": 9,
            "spec.headGroupSpec.rayStartParams.num-cpus": 0,
            f"spec.{CPU_RAY}.env": DELETE,
        },
    )

    found = diagnostics(servicer.Analyze(analyze_request(doc, "demo"), None))

    assert [(d["policy"], d["level"]) for d in found] == [
        ("operator-would-reject", "mandatory"),
        ("ray-start-params-strings", "mandatory"),
        ("hide-gpus-from-cpu-containers", "advisory"),
    ]
    assert found[0]["message"].startswith(
        "The KubeRay operator (or the API server) would accept the object\n"
        "spec.workerGroupSpecs[0].replicas: 9 is above maxReplicas (4)"
    )
    # The number arrived as 0.0 (protobuf); it is still reported as the number 0.
    assert 'quote it: num-cpus: "0"' in found[1]["message"]


def test_numbers_arriving_as_floats_are_not_type_errors(servicer: Any) -> None:
    request = analyze_request(good("RayJob"))
    assert request.properties["spec"]["activeDeadlineSeconds"] == 3600.0
    assert diagnostics(servicer.Analyze(request, None)) == []


def test_unknown_values_are_never_flagged(servicer: Any) -> None:
    doc = edit_paths(
        good(),
        {
            "metadata.name": UNKNOWN_SENTINEL,
            f"spec.{CPU_RAY}.image": UNKNOWN_SENTINEL,
            f"spec.{CPU_RAY}.resources": UNKNOWN_SENTINEL,
            "spec.workerGroupSpecs[1].template.spec.tolerations": UNKNOWN_SENTINEL,
        },
    )
    assert diagnostics(servicer.Analyze(analyze_request(doc), None)) == []


def test_other_resource_types_are_ignored(servicer: Any) -> None:
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    assert diagnostics(servicer.Analyze(analyze_request(config_map), None)) == []
    assert set(RESOURCE_TYPES) == {
        "kubernetes:ray.io/v1:RayCluster",
        "kubernetes:ray.io/v1:RayJob",
        "kubernetes:ray.io/v1:RayService",
    }


def test_configured_levels_and_settings_apply(servicer: Any) -> None:
    queued = edit_paths(good("RayJob"), {"metadata.labels[kueue.x-k8s.io/queue-name]": "q"})
    groups = [dict(good()["spec"]["workerGroupSpecs"][0], groupName=f"g{i}") for i in range(7)]
    doc = edit_paths(queued, {"spec.rayClusterSpec.workerGroupSpecs": groups})
    doc = edit_paths(doc, {"spec.rayClusterSpec.headGroupSpec.rayStartParams.num-cpus": 0})

    before = diagnostics(servicer.Analyze(analyze_request(doc), None))
    servicer.Configure(
        configure_request(
            {
                "ray-start-params-strings": "advisory",
                "kueue-max-pod-sets": {"enforcementLevel": "mandatory", "maxPodSets": 8},
                "unresolved-references": "disabled",
            }
        ),
        None,
    )
    after = diagnostics(servicer.Analyze(analyze_request(doc), None))

    assert [(d["policy"], d["level"]) for d in before] == [
        ("ray-start-params-strings", "mandatory")
    ]
    assert [(d["policy"], d["level"]) for d in after] == [
        ("ray-start-params-strings", "advisory"),
        ("kueue-max-pod-sets", "mandatory"),
    ]
    assert "Kueue builds 9 pod sets" in after[1]["message"]


def test_remediation_returns_the_fixed_properties(servicer: Any) -> None:
    doc = edit_paths(
        good(),
        {"spec.headGroupSpec.rayStartParams.num-cpus": DELETE, f"spec.{CPU_RAY}.env": DELETE},
    )
    servicer.Configure(
        configure_request(
            {"head-runs-no-workloads": "remediate", "hide-gpus-from-cpu-containers": "remediate"}
        ),
        None,
    )

    fixed = remediations(servicer.Remediate(analyze_request(doc), None))

    assert [name for name, _ in fixed] == [
        "head-runs-no-workloads",
        "hide-gpus-from-cpu-containers",
    ]
    final = fixed[-1][1]
    assert final["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] == "0"
    assert final["spec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "NVIDIA_VISIBLE_DEVICES", "value": "void"}
    ]
    # Remediation happened in order on the evolving properties; the result passes the pack.
    assert manifest_from_props("kubernetes:ray.io/v1:RayCluster", final) == good()


def test_remediation_keeps_secrets_secret(servicer: Any) -> None:
    doc = edit_paths(
        good(),
        {
            "spec.headGroupSpec.rayStartParams.num-cpus": DELETE,
            f"spec.{CPU_RAY}.env": [{"name": "NVIDIA_VISIBLE_DEVICES", "value": secret("void")}],
        },
    )
    servicer.Configure(configure_request({"head-runs-no-workloads": "remediate"}), None)

    [(name, props)] = remediations(servicer.Remediate(analyze_request(doc), None))

    assert name == "head-runs-no-workloads"
    env = props["spec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]["env"]
    assert env == [{"name": "NVIDIA_VISIBLE_DEVICES", "value": {**SECRET_SIG, "value": "void"}}]


def test_nothing_to_remediate_returns_nothing(servicer: Any) -> None:
    servicer.Configure(configure_request({"head-runs-no-workloads": "remediate"}), None)
    assert remediations(servicer.Remediate(analyze_request(good()), None)) == []


def test_stack_analysis_reports_missing_references_against_the_resource(servicer: Any) -> None:
    env = [{"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf", "key": "token"}}}]
    cluster = edit_paths(good(), {f"spec.{CPU_RAY}.env": env})
    other_secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "x", "namespace": "ml"},
    }
    hf_secret = edit(other_secret, metadata__name="hf")

    missing = diagnostics(servicer.AnalyzeStack(stack_request([other_secret, cluster]), None))
    present = diagnostics(servicer.AnalyzeStack(stack_request([hf_secret, cluster]), None))

    assert [(d["policy"], d["level"], d["urn"]) for d in missing] == [
        (
            "unresolved-references",
            "advisory",
            "urn:pulumi:dev::proj::kubernetes:ray.io/v1:RayCluster::r1",
        )
    ]
    assert "refers to Secret 'hf', which is not created here" in missing[0]["message"]
    assert present == []
