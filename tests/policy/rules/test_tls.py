"""tls-settings-complete, tls-ca-key-not-in-ray-pods and certificate-issuer-exists."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.plans.cluster.args import Autoscaling, ClusterArgs, WorkerGroup
from pulumi_kuberay.plans.ray_object import ObjectArgs
from pulumi_kuberay.plans.rayjob import JobArgs, plan_rayjob
from pulumi_kuberay.plans.tls.authority import CertificateAuthorityArgs, plan_certificate_authority
from pulumi_kuberay.policy.rules.tls import (
    CA_KEY_NOT_IN_RAY_PODS,
    CERTIFICATE_ISSUER_EXISTS,
    TLS_SETTINGS_COMPLETE,
)
from tests.conformance.crd_schema import SHARED_KUBERAY, load_yaml_documents
from tests.policy.manifests import good
from tests.policy.rules.support import assert_flags, assert_passes, violations

TLS_ENV = [
    {"name": "RAY_USE_TLS", "value": "1"},
    {"name": "RAY_TLS_SERVER_CERT", "value": "/etc/ray/tls/tls.crt"},
    {"name": "RAY_TLS_SERVER_KEY", "value": "/etc/ray/tls/tls.key"},
    {"name": "RAY_TLS_CA_CERT", "value": "/etc/ray/tls/ca.crt"},
]


def tls_cluster() -> dict[str, Any]:
    doc = copy.deepcopy(good("RayCluster"))
    spec = doc["spec"]
    for group in [spec["headGroupSpec"], *spec["workerGroupSpecs"]]:
        container = group["template"]["spec"]["containers"][0]
        container["env"] = [*container.get("env", []), *copy.deepcopy(TLS_ENV)]
    return doc


def with_ca() -> tuple[Any, dict[str, Any]]:
    from tests.plans.tls.conftest import FakeAuthority

    cluster = ClusterArgs(
        worker_groups=[WorkerGroup("cpu", cpu=1, memory="2Gi")],
        autoscaling=Autoscaling(),
        tls=FakeAuthority(),
    )
    job = plan_rayjob(
        ObjectArgs("train", namespace="ml"),
        JobArgs(entrypoint="python x.py", cluster=cluster),
        OperatorCapabilities(),
    )
    return cluster, job.manifest


# --- tls-settings-complete ------------------------------------------------------------------------


def test_what_the_library_emits_is_complete_everywhere() -> None:
    _, job = with_ca()
    assert_passes(TLS_SETTINGS_COMPLETE, job)


def test_a_cluster_without_tls_passes() -> None:
    assert_passes(TLS_SETTINGS_COMPLETE, good("RayCluster"))
    assert_passes(TLS_SETTINGS_COMPLETE, tls_cluster())


def test_use_tls_without_the_three_files() -> None:
    doc = tls_cluster()
    head = doc["spec"]["headGroupSpec"]["template"]["spec"]["containers"][0]
    head["env"] = [e for e in head["env"] if e["name"] != "RAY_TLS_CA_CERT"]
    assert_flags(
        TLS_SETTINGS_COMPLETE, doc, "spec.headGroupSpec.template.spec.containers[0].env",
        "sets RAY_USE_TLS=1 without RAY_TLS_CA_CERT", "Ray refuses to start",
    )  # fmt: skip


def test_tls_on_some_containers_only() -> None:
    doc = tls_cluster()
    worker = doc["spec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]
    worker["env"] = [e for e in worker["env"] if not e["name"].startswith("RAY_")]
    assert_flags(
        TLS_SETTINGS_COMPLETE, doc, "spec.workerGroupSpecs[0].template.spec.containers[0].env",
        "has no TLS while the Ray container of the head group uses it",
    )  # fmt: skip


def test_the_forgotten_autoscaler() -> None:
    doc = tls_cluster()
    doc["spec"]["enableInTreeAutoscaling"] = True
    assert_flags(
        TLS_SETTINGS_COMPLETE, doc, "spec.autoscalerOptions.env",
        "the autoscaler has no TLS", "autoscalerOptions.env/volumeMounts",
    )  # fmt: skip


def test_the_submitter_may_go_without_tls_but_not_half_of_it() -> None:
    _, job = with_ca()
    submitter = job["spec"]["submitterPodTemplate"]["spec"]["containers"][0]
    submitter["env"] = []
    assert_passes(TLS_SETTINGS_COMPLETE, job)
    submitter["env"] = [{"name": "RAY_USE_TLS", "value": "true"}]
    found = violations(TLS_SETTINGS_COMPLETE, job)
    assert [v.path for v in found] == ["spec.submitterPodTemplate.spec.containers[0].env"]


def test_native_mtls_is_the_operators_business() -> None:
    doc = tls_cluster()
    doc["spec"]["enableInTreeAutoscaling"] = True
    doc["spec"]["tlsOptions"] = {"enabled": True}
    assert_passes(TLS_SETTINGS_COMPLETE, doc)


def test_env_from_elsewhere_is_not_judged() -> None:
    doc = tls_cluster()
    worker = doc["spec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]
    worker["env"] = [
        {"name": "RAY_USE_TLS", "valueFrom": {"configMapKeyRef": {"name": "tls", "key": "on"}}}
    ]
    assert_passes(TLS_SETTINGS_COMPLETE, doc)


# --- tls-ca-key-not-in-ray-pods -------------------------------------------------------------------


def stack_violations(rule: Any, manifests: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(index, v.message) for index, v in rule.check_stack(manifests, {})]


def test_the_kuberay_tls_sample_mounts_its_ca_key() -> None:
    sample = SHARED_KUBERAY / "samples" / "ray-cluster.tls.yaml"
    if not sample.is_file():
        pytest.skip(f"{sample} is absent")
    docs = [d for d in load_yaml_documents(sample) if isinstance(d, dict)]
    found = stack_violations(CA_KEY_NOT_IN_RAY_PODS, docs)
    assert len(found) == 2  # the head and the worker group
    assert (
        "mounts Secret 'ca-tls' (a Secret with ca.key) into ray-head, ray-head-tls" in found[0][1]
    )
    assert "every Ray job" in found[0][1]


def test_a_ca_issuers_secret_mounted_in_a_ray_pod() -> None:
    ca = plan_certificate_authority(CertificateAuthorityArgs(), name="ray-ca", namespace="ml")
    objects = [obj.to_manifest() for obj in ca.objects.values()]
    doc = good("RayCluster")
    doc["metadata"]["namespace"] = "ml"
    pod = doc["spec"]["headGroupSpec"]["template"]["spec"]
    pod["volumes"] = [{"name": "ca", "secret": {"secretName": "ray-ca"}}]
    found = stack_violations(CA_KEY_NOT_IN_RAY_PODS, [*objects, doc])
    assert len(found) == 1
    assert "Secret 'ray-ca' (a CA Issuer's)" in found[0][1]
    doc["metadata"]["namespace"] = "elsewhere"
    assert stack_violations(CA_KEY_NOT_IN_RAY_PODS, [*objects, doc]) == []


def test_a_projected_ca_key_is_flagged_without_the_secret() -> None:
    doc = good("RayCluster")
    pod = doc["spec"]["workerGroupSpecs"][0]["template"]["spec"]
    pod["volumes"] = [
        {
            "name": "pki",
            "projected": {
                "sources": [
                    {"secret": {"name": "corp", "items": [{"key": "ca.key", "path": "ca.key"}]}}
                ]
            },
        }
    ]
    [(index, message)] = stack_violations(CA_KEY_NOT_IN_RAY_PODS, [doc])
    assert index == 0
    assert "Secret 'corp' (its ca.key)" in message


def test_per_pod_tls_passes() -> None:
    ca = plan_certificate_authority(CertificateAuthorityArgs(), name="ray-ca", namespace="ml")
    _, job = with_ca()
    assert (
        stack_violations(
            CA_KEY_NOT_IN_RAY_PODS, [*(o.to_manifest() for o in ca.objects.values()), job]
        )
        == []
    )


# --- certificate-issuer-exists --------------------------------------------------------------------


def certificate(issuer_ref: dict[str, Any], namespace: str = "ml") -> dict[str, Any]:
    return {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {"name": "client", "namespace": namespace},
        "spec": {"secretName": "client", "commonName": "client", "issuerRef": issuer_ref},
    }


def test_the_cas_own_objects_resolve() -> None:
    ca = plan_certificate_authority(
        CertificateAuthorityArgs(clients=[{"name": "laptop"}]), name="ray-ca", namespace="ml"
    )  # type: ignore[list-item]
    assert (
        stack_violations(CERTIFICATE_ISSUER_EXISTS, [o.to_manifest() for o in ca.objects.values()])
        == []
    )


def test_an_issuer_not_in_the_stack() -> None:
    [(index, message)] = stack_violations(
        CERTIFICATE_ISSUER_EXISTS, [certificate({"name": "vault"})]
    )
    assert index == 0
    assert message.startswith("spec.issuerRef: refers to Issuer 'vault', which is not created here")
    assert "in namespace 'ml'" in message


def test_an_issuer_in_another_namespace_does_not_count() -> None:
    issuer = {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Issuer",
        "metadata": {"name": "ca", "namespace": "other"},
        "spec": {"ca": {"secretName": "ca"}},
    }
    assert (
        len(stack_violations(CERTIFICATE_ISSUER_EXISTS, [issuer, certificate({"name": "ca"})])) == 1
    )
    cluster_issuer = {**issuer, "kind": "ClusterIssuer", "metadata": {"name": "ca"}}
    assert (
        stack_violations(
            CERTIFICATE_ISSUER_EXISTS,
            [cluster_issuer, certificate({"name": "ca", "kind": "ClusterIssuer"})],
        )
        == []
    )


def test_a_kind_that_does_not_exist() -> None:
    [(_, message)] = stack_violations(
        CERTIFICATE_ISSUER_EXISTS, [certificate({"name": "ca", "kind": "CAIssuer"})]
    )
    assert "'CAIssuer' is not a cert-manager issuer kind" in message


def test_external_issuers_and_unknowns_are_left_alone() -> None:
    external = certificate(
        {"name": "pca", "kind": "AWSPCAClusterIssuer", "group": "awspca.cert-manager.io"}
    )
    assert stack_violations(CERTIFICATE_ISSUER_EXISTS, [external]) == []
