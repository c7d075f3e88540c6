"""Which TLS mode a cluster gets, and every reason at preview why none is possible."""

from __future__ import annotations

import pytest

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.plans.tls.args import IssuerRef, TlsArgs, decide_tls_args
from pulumi_kuberay.plans.tls.mode import (
    TlsMode,
    decide_tls_mode,
    native_mode_problems,
    per_pod_mode_problems,
)
from tests.plans.tls.conftest import FakeAuthority

OPERATOR_15 = OperatorCapabilities(version="1.5.1")
OPERATOR_17 = OperatorCapabilities(version="1.7.0", cert_manager=True)


def test_true_means_the_defaults_and_a_ca_means_its_issuer(authority: FakeAuthority) -> None:
    assert decide_tls_args(True) == TlsArgs()
    assert decide_tls_args(None) is None
    assert decide_tls_args(False) is None
    assert decide_tls_args(authority) == TlsArgs(issuer=authority)


def test_an_issuer_means_per_pod_certificates_on_any_operator(authority: FakeAuthority) -> None:
    assert (
        decide_tls_mode(OPERATOR_15, TlsArgs(issuer=authority), namespace="ml") is TlsMode.PER_POD
    )
    assert (
        decide_tls_mode(OPERATOR_17, TlsArgs(issuer=authority), namespace="ml") is TlsMode.PER_POD
    )


def test_tls_true_on_an_operator_without_native_mtls_is_an_error() -> None:
    with pytest.raises(ValidationError) as caught:
        decide_tls_mode(OPERATOR_15, TlsArgs())
    message = str(caught.value)
    assert "no TLS mode is possible" in message
    assert "needs KubeRay >= 1.7.0; this operator is 1.5.1" in message
    assert "tls=RayCertificateAuthority" in message


def test_native_mode_needs_the_gate() -> None:
    problems = native_mode_problems(OPERATOR_17)
    assert any("RayClusterMTLS feature gate, which is off" in p for p in problems)


def test_native_mode_needs_cert_manager_before_the_operator() -> None:
    problems = native_mode_problems(OperatorCapabilities(version="1.7.0"))
    assert any("pass cert_manager=CertManager(...) to KubeRayOperator" in p for p in problems)


def test_native_mode_cannot_use_your_issuer(authority: FakeAuthority) -> None:
    with pytest.raises(ValidationError, match="drop issuer, or use mode='per-pod'"):
        decide_tls_mode(OPERATOR_17, TlsArgs(mode="native", issuer=authority))


def test_per_pod_mode_needs_an_issuer_and_a_service_account() -> None:
    with pytest.raises(ValidationError, match="per-pod certificates need an issuer"):
        decide_tls_mode(OPERATOR_15, TlsArgs(mode="per-pod"))
    with pytest.raises(ValidationError, match="ServiceAccount allowed to create"):
        decide_tls_mode(OPERATOR_15, TlsArgs(issuer=IssuerRef("vault", kind="ClusterIssuer")))


def test_a_bare_issuer_with_a_service_account_is_enough() -> None:
    args = TlsArgs(issuer=IssuerRef("vault", kind="ClusterIssuer"), service_account="ray")
    assert decide_tls_mode(OPERATOR_15, args, namespace="anything") is TlsMode.PER_POD


def test_a_namespaced_issuer_signs_only_in_its_namespace() -> None:
    problems = per_pod_mode_problems(FakeAuthority("ml").ray_tls_issuer(), "serving")
    assert problems == [
        "the Issuer 'ray-ca' lives in namespace 'ml' and signs only there, but the Ray pods are "
        "in 'serving'; create the CA in 'serving' or use a ClusterIssuer"
    ]


def test_issuer_kinds_that_do_not_exist_fail_when_written() -> None:
    with pytest.raises(ValidationError, match="did you mean 'ClusterIssuer'"):
        IssuerRef("vault", kind="ClusterIsuer")


def test_durations_that_are_not_go_durations_fail_when_written() -> None:
    with pytest.raises(ValidationError, match="write 720h for 30d"):
        TlsArgs(duration="30d")
