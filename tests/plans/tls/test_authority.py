"""The CA for Ray: its cert-manager and RBAC objects, checked against the real CRDs."""

from __future__ import annotations

import pytest

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.tls.args import IssuerRef
from pulumi_kuberay.plans.tls.authority import (
    CERTIFICATE_REQUEST_RULE,
    CertificateAuthorityArgs,
    ClientCertificate,
    decide_key_size,
    plan_certificate_authority,
)
from tests.conformance.registry import conformance_problems


def manifests(args: CertificateAuthorityArgs) -> dict[str, dict]:
    plan = plan_certificate_authority(args, name="ray-ca", namespace="ml")
    return {role: obj.to_manifest() for role, obj in plan.objects.items()}


def test_the_default_ca_is_bootstrapped_from_a_self_signed_cluster_issuer() -> None:
    objects = manifests(CertificateAuthorityArgs())
    assert list(objects) == [
        "selfsigned-issuer",
        "ca-certificate",
        "ca-issuer",
        "service-account",
        "role",
        "role-binding",
    ]
    root, ca, issuer = objects["selfsigned-issuer"], objects["ca-certificate"], objects["ca-issuer"]
    assert root["kind"] == "ClusterIssuer"
    assert "namespace" not in root["metadata"]
    assert root["metadata"]["name"] == "ml-ray-ca-selfsigned"
    assert root["spec"] == {"selfSigned": {}}
    assert ca["spec"] == {
        "isCA": True,
        "commonName": "ml-ray-ca-ray-ca",
        "secretName": "ray-ca",
        "duration": "87600h",
        "renewBefore": "720h",
        "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Never"},
        "issuerRef": {
            "name": "ml-ray-ca-selfsigned",
            "kind": "ClusterIssuer",
            "group": "cert-manager.io",
        },
    }
    assert issuer["metadata"] == {
        "name": "ray-ca",
        "namespace": "ml",
        "labels": issuer["metadata"]["labels"],
    }
    assert issuer["spec"] == {"ca": {"secretName": "ray-ca"}}


def test_every_cert_manager_object_passes_its_crd() -> None:
    args = CertificateAuthorityArgs(
        clients=[
            ClientCertificate("laptop"),
            ClientCertificate("driver", dns_names=["driver.ml.svc"]),
        ]
    )
    for role, manifest in manifests(args).items():
        if manifest["apiVersion"] == "cert-manager.io/v1":
            assert conformance_problems(manifest) == [], role


def test_the_requester_role_allows_only_certificate_requests() -> None:
    objects = manifests(CertificateAuthorityArgs())
    assert objects["role"]["rules"] == [CERTIFICATE_REQUEST_RULE]
    assert CERTIFICATE_REQUEST_RULE["verbs"] == ["create", "get"]
    assert objects["role-binding"]["subjects"] == [
        {"kind": "ServiceAccount", "name": "ray-ca-ray-pods", "namespace": "ml"}
    ]
    assert objects["service-account"]["automountServiceAccountToken"] is False


def test_your_own_issuer_creates_no_ca() -> None:
    args = CertificateAuthorityArgs(
        issuer=IssuerRef("vault-ray", kind="ClusterIssuer"),
        create_service_account=False,
        service_account="ray",
    )
    plan = plan_certificate_authority(args, name="ray-ca", namespace="ml")
    assert list(plan.objects) == ["role", "role-binding"]
    assert plan.ca_secret_name is None
    assert plan.tls_issuer.issuer.name == "vault-ray"
    assert plan.tls_issuer.service_account == "ray"


def test_an_issuer_in_another_namespace_is_refused() -> None:
    with pytest.raises(ValidationError, match="cannot sign in 'ml'"):
        plan_certificate_authority(
            CertificateAuthorityArgs(issuer=IssuerRef("ca", namespace="other")),
            name="ray-ca",
            namespace="ml",
        )


def test_client_certificates_are_for_client_auth() -> None:
    plan = plan_certificate_authority(
        CertificateAuthorityArgs(clients=[ClientCertificate("laptop")]),
        name="ray-ca",
        namespace="ml",
    )
    client = plan.objects["client-laptop"].to_manifest()
    assert client["spec"]["usages"] == ["digital signature", "key encipherment", "client auth"]
    assert client["spec"]["issuerRef"] == {
        "name": "ray-ca",
        "kind": "Issuer",
        "group": "cert-manager.io",
    }
    assert plan.client_secret_names == {"laptop": "ray-ca-client-laptop"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"duration": "3650d"}, "write 87600h for 3650d"),
        ({"renew_before": "90000h"}, "must be shorter than the duration"),
        ({"key_algorithm": "ECDSA", "key_size": 512}, "256, 384 or 521"),
    ],
)
def test_bad_ca_settings_fail_at_preview(args: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plan_certificate_authority(CertificateAuthorityArgs(**args), name="ray-ca", namespace="ml")


def test_names_must_be_dns_labels() -> None:
    with pytest.raises(ValidationError, match="must be a DNS label"):
        plan_certificate_authority(CertificateAuthorityArgs(), name="Ray_CA", namespace="ml")


def test_key_sizes() -> None:
    assert decide_key_size("ECDSA", None) == 256
    assert decide_key_size("RSA", None) == 3072
    assert decide_key_size("Ed25519", None) is None
    assert decide_key_size("RSA", 4096) == 4096
