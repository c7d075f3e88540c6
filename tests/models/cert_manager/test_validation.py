"""cert-manager's webhook rules, one check at a time, and the models' shape against the CRDs."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from pulumi_kuberay.models.cert_manager.certificate import (
    Certificate,
    CertificateRequest,
    CertificateSpec,
    IssuerReference,
)
from pulumi_kuberay.models.cert_manager.issuer import ClusterIssuer, Issuer, IssuerSpec
from pulumi_kuberay.models.cert_manager.validation import (
    certificate_problems,
    certificate_request_problems,
    duration_problems,
    issuer_problems,
    issuer_ref_problems,
)
from tests.conformance.registry import conformance_problems


def spec(**fields: Any) -> CertificateSpec:
    base: dict[str, Any] = {
        "secretName": "ray-ca",
        "issuerRef": {"name": "selfsigned", "kind": "ClusterIssuer"},
        "commonName": "ray-ca",
    }
    return CertificateSpec.model_validate({**base, **fields})


def test_a_good_certificate_has_no_problem() -> None:
    certificate = Certificate(metadata={"name": "ray-ca", "namespace": "ml"}, spec=spec())
    assert certificate_problems(certificate) == []
    assert conformance_problems(certificate.to_manifest()) == []


def test_is_ca_keeps_its_crd_spelling() -> None:
    assert spec(isCA=True).to_dict()["isCA"] is True
    assert CertificateSpec.of(
        secret_name="s", issuer_ref=IssuerReference(name="i"), is_ca=True
    ).to_dict() == {"secretName": "s", "issuerRef": {"name": "i"}, "isCA": True}


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (IssuerReference(name="x", kind="CAIssuer"), "not a cert-manager issuer kind"),
        (IssuerReference(name="x", kind="VaultIssuer"), "set spec.issuerRef.group too"),
        (IssuerReference(name=""), "must name the issuer"),
    ],
)
def test_issuer_references(ref: IssuerReference, message: str) -> None:
    assert any(message in p for p in issuer_ref_problems(ref))


def test_external_issuers_choose_their_own_kinds() -> None:
    ref = IssuerReference(name="pca", kind="AWSPCAClusterIssuer", group="awspca.cert-manager.io")
    assert issuer_ref_problems(ref) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"duration": "30m"}, "shorter than cert-manager's minimum 1h"),
        ({"duration": "2h", "renewBefore": "2h"}, "must be shorter than the duration"),
        ({"renewBefore": "1m"}, "minimum 5m"),
        ({"renewBefore": "1h", "renewBeforePercentage": 10}, "exclude each other"),
        ({"duration": "1h", "renewBeforePercentage": 100}, "renewal time of at least 5m"),
        ({"renewBefore": "2200h"}, "2160h, the default"),
    ],
)
def test_durations(fields: dict[str, Any], message: str) -> None:
    assert any(message in p for p in duration_problems(spec(**fields)))


def test_a_duration_that_is_not_go_is_refused_by_the_model() -> None:
    with pytest.raises(pydantic.ValidationError, match="write 2160h for 90d"):
        spec(duration="90d")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"commonName": None}, "set at least one of commonName"),
        ({"commonName": "x" * 65}, "at most 64 characters"),
        ({"ipAddresses": ["10.0.0.300"]}, "is not an IP address"),
        ({"privateKey": {"algorithm": "ECDSA", "size": 255}}, "256, 384 or 521"),
        ({"privateKey": {"algorithm": "RSA", "size": 1024}}, "2048 to 8192"),
        (
            {"privateKey": {"algorithm": "ECDSA"}, "signatureAlgorithm": "SHA256WithRSA"},
            "does not go",
        ),
        ({"secretName": "Ray_CA"}, "not a valid Secret name"),
        ({"revisionHistoryLimit": 0}, "at least 1"),
        ({"nameConstraints": {"permitted": {"dnsDomains": ["ray"]}}}, "only a CA certificate"),
    ],
)
def test_certificate_rules(fields: dict[str, Any], message: str) -> None:
    data = {k: v for k, v in fields.items() if v is not None}
    built = spec(**data)
    if "commonName" in fields and fields["commonName"] is None:
        built = built.model_copy(update={"common_name": None})
    problems = certificate_problems(Certificate(metadata={"name": "c"}, spec=built))
    assert any(message in p for p in problems), problems


def test_issuer_has_exactly_one_configuration() -> None:
    none = Issuer(metadata={"name": "i"}, spec=IssuerSpec())
    two = Issuer(
        metadata={"name": "i"},
        spec=IssuerSpec.model_validate({"selfSigned": {}, "ca": {"secretName": "s"}}),
    )
    assert "configure one issuer type" in issuer_problems(none)[0]
    assert "one issuer type only, got ca, selfSigned" in issuer_problems(two)[0]


def test_cluster_issuers_have_no_namespace() -> None:
    issuer = ClusterIssuer(
        metadata={"name": "i", "namespace": "ml"},
        spec=IssuerSpec.model_validate({"selfSigned": {}}),
    )
    assert "cluster-scoped" in issuer_problems(issuer)[0]


def test_issuers_pass_their_crds() -> None:
    ca = Issuer(
        metadata={"name": "ray-ca", "namespace": "ml"},
        spec=IssuerSpec.model_validate(
            {"ca": {"secretName": "ray-ca", "issuingCertificateURLs": ["http://x"]}}
        ),
    )
    root = ClusterIssuer(
        metadata={"name": "root"}, spec=IssuerSpec.model_validate({"selfSigned": {}})
    )
    for issuer in (ca, root):
        assert issuer_problems(issuer) == []
        assert conformance_problems(issuer.to_manifest()) == []


def test_certificate_request_checks() -> None:
    request = CertificateRequest(
        metadata={"name": "pod-1234", "namespace": "ml"},
        spec={
            "request": "",
            "issuerRef": {"name": "ray-ca", "kind": "Issuers"},
            "duration": "8760h",
        },
    )
    problems = certificate_request_problems(request)
    assert any("spec.request" in p for p in problems)
    assert any("not a cert-manager issuer kind" in p for p in problems)


def test_unknown_certificate_fields_are_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="dnsName"):
        spec(dnsName=["x"])
