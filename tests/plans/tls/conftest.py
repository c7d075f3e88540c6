"""Shared TLS test values: an operator of each release, an issuer and the CA it comes with."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pulumi_kuberay.plans.tls.args import IssuerRef, TlsIssuer


@dataclass(frozen=True)
class FakeAuthority:
    """A CA component as the plans see it (the ``TlsIssuerSource`` protocol)."""

    namespace: str = "ml"

    def ray_tls_issuer(self) -> TlsIssuer:
        return TlsIssuer(
            issuer=IssuerRef("ray-ca", namespace=self.namespace),
            namespace=self.namespace,
            service_account="ray-ca-ray-pods",
        )


@pytest.fixture
def authority() -> FakeAuthority:
    return FakeAuthority()
