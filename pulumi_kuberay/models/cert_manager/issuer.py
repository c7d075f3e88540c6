"""``Issuer`` and ``ClusterIssuer`` (``cert-manager.io/v1``), v1.21.1.

An Issuer signs certificates for its own namespace; a ClusterIssuer for every namespace (its
Secrets, e.g. a CA's key pair, are read from cert-manager's ``clusterResourceNamespace``). The
library emits the ``selfSigned`` and ``ca`` kinds, which are modelled field for field; the
``acme``, ``vault`` and ``venafi`` configurations are kept as given (mappings in CRD shape) so
issuers read back from a cluster parse, and are checked by the CRD itself.
https://cert-manager.io/docs/configuration/
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.cert_manager.certificate import API_VERSION
from pulumi_kuberay.models.objects import KubernetesObject

ISSUER_KINDS = ("Issuer", "ClusterIssuer")
"""The issuer kinds of the ``cert-manager.io`` group (what ``issuerRef.kind`` may name)."""


class SelfSignedIssuer(CrdModel):
    """``spec.selfSigned``: every certificate is signed by its own key (a CA's root)."""

    crl_distribution_points: list[str] | None = None


class CAIssuer(CrdModel):
    """``spec.ca``: sign with the key pair in Secret ``secretName`` (``tls.crt``/``tls.key``)."""

    secret_name: str
    crl_distribution_points: list[str] | None = None
    issuing_certificate_urls: list[str] | None = Field(default=None, alias="issuingCertificateURLs")
    ocsp_servers: list[str] | None = None


class IssuerSpec(CrdModel):
    """``Issuer.spec`` / ``ClusterIssuer.spec``: exactly one issuer configuration."""

    self_signed: SelfSignedIssuer | None = None
    ca: CAIssuer | None = None
    acme: dict[str, Any] | None = None
    vault: dict[str, Any] | None = None
    venafi: dict[str, Any] | None = None

    def configured(self) -> list[str]:
        """The issuer configurations set (the webhook wants exactly one)."""
        return [
            alias
            for name, alias in (
                ("acme", "acme"),
                ("ca", "ca"),
                ("self_signed", "selfSigned"),
                ("vault", "vault"),
                ("venafi", "venafi"),
            )
            if getattr(self, name) is not None
        ]


class Issuer(KubernetesObject):
    """A whole namespaced ``Issuer``."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "Issuer"

    kind: Literal["Issuer"] = "Issuer"
    spec: IssuerSpec


class ClusterIssuer(KubernetesObject):
    """A whole cluster-scoped ``ClusterIssuer`` (no ``metadata.namespace``)."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "ClusterIssuer"

    kind: Literal["ClusterIssuer"] = "ClusterIssuer"
    spec: IssuerSpec
