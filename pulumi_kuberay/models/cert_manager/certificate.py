"""``Certificate`` and ``CertificateRequest`` (``cert-manager.io/v1``), field for field the
v1.21.1 CRDs.

A Certificate asks cert-manager to keep a key pair and a signed certificate in a Secret; a
CertificateRequest is one signing request (a CSR) answered in its ``status``. Durations are Go
durations (:data:`GoDuration`); the webhook's other rules are in
:mod:`pulumi_kuberay.models.cert_manager.validation`.
https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.Certificate
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.cert_manager.durations import GoDuration
from pulumi_kuberay.models.objects import KubernetesObject

API_VERSION = "cert-manager.io/v1"
GROUP = "cert-manager.io"
"""The API group of cert-manager's own issuers (an empty ``issuerRef.group`` means this one)."""

KeyUsage = Literal[
    "signing",
    "digital signature",
    "content commitment",
    "key encipherment",
    "key agreement",
    "data encipherment",
    "cert sign",
    "crl sign",
    "encipher only",
    "decipher only",
    "any",
    "server auth",
    "client auth",
    "code signing",
    "email protection",
    "s/mime",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "timestamping",
    "ocsp signing",
    "microsoft sgc",
    "netscape sgc",
]
"""``spec.usages[]``: the key usages and extended key usages cert-manager knows."""

KeyAlgorithm = Literal["RSA", "ECDSA", "Ed25519"]
KeyEncoding = Literal["PKCS1", "PKCS8"]
RotationPolicy = Literal["Never", "Always"]
SignatureAlgorithm = Literal[
    "SHA256WithRSA",
    "SHA384WithRSA",
    "SHA512WithRSA",
    "ECDSAWithSHA256",
    "ECDSAWithSHA384",
    "ECDSAWithSHA512",
    "PureEd25519",
]


class IssuerReference(CrdModel):
    """``issuerRef``: which Issuer or ClusterIssuer signs. ``kind`` defaults to ``Issuer`` and
    ``group`` to ``cert-manager.io``; an external issuer (Vault PKI operators, AWS PCA, ...)
    names its own group and kind."""

    name: str
    kind: str | None = None
    group: str | None = None


class AdditionalOutputFormat(CrdModel):
    """An extra encoding of the key pair in the Secret (``key.der``, ``tls-combined.pem``)."""

    type: Literal["DER", "CombinedPEM"]


class SecretKeySelector(CrdModel):
    """A key of a Secret in the object's namespace (``passwordSecretRef``)."""

    name: str
    key: str | None = None


class JksKeystore(CrdModel):
    create: bool
    alias: str | None = None
    password: str | None = None
    password_secret_ref: SecretKeySelector | None = None


class Pkcs12Keystore(CrdModel):
    create: bool
    password: str | None = None
    password_secret_ref: SecretKeySelector | None = None
    profile: Literal["LegacyRC2", "LegacyDES", "Modern2023", "Modern2026"] | None = None


class Keystores(CrdModel):
    """``spec.keystores``: JKS / PKCS#12 copies of the key pair in the Secret."""

    jks: JksKeystore | None = None
    pkcs12: Pkcs12Keystore | None = None


class NameConstraintItem(CrdModel):
    dns_domains: list[str] | None = None
    email_addresses: list[str] | None = None
    ip_ranges: list[str] | None = None
    uri_domains: list[str] | None = None


class NameConstraints(CrdModel):
    """``spec.nameConstraints`` of a CA certificate (alpha, gate ``NameConstraints``)."""

    critical: bool | None = None
    excluded: NameConstraintItem | None = None
    permitted: NameConstraintItem | None = None


class OtherName(CrdModel):
    oid: str | None = None
    utf8_value: str | None = None


class CertificatePrivateKey(CrdModel):
    """``spec.privateKey``: algorithm, size and whether renewal makes a new key.

    ``rotationPolicy`` defaults to ``Always`` since cert-manager 1.18 (a new key per renewal).
    """

    algorithm: KeyAlgorithm | None = None
    encoding: KeyEncoding | None = None
    rotation_policy: RotationPolicy | None = None
    size: int | None = None


class RenewalWindow(CrdModel):
    cron: str
    window_duration: GoDuration
    timezone: str | None = None


class Renewal(CrdModel):
    policy: Literal["RenewBefore", "Disabled"] | None = None
    windows: list[RenewalWindow] | None = None


class SecretTemplate(CrdModel):
    """Labels and annotations copied onto the certificate's Secret."""

    annotations: dict[str, str] | None = None
    labels: dict[str, str] | None = None


class X509Subject(CrdModel):
    countries: list[str] | None = None
    localities: list[str] | None = None
    organizational_units: list[str] | None = None
    organizations: list[str] | None = None
    postal_codes: list[str] | None = None
    provinces: list[str] | None = None
    serial_number: str | None = None
    street_addresses: list[str] | None = None


class CertificateSpec(CrdModel):
    """``Certificate.spec`` (cert-manager v1.21.1)."""

    secret_name: str
    issuer_ref: IssuerReference
    additional_output_formats: list[AdditionalOutputFormat] | None = None
    common_name: str | None = None
    dns_names: list[str] | None = None
    duration: GoDuration | None = None
    email_addresses: list[str] | None = None
    encode_usages_in_request: bool | None = None
    ip_addresses: list[str] | None = None
    is_ca: bool | None = Field(default=None, alias="isCA")
    keystores: Keystores | None = None
    literal_subject: str | None = None
    name_constraints: NameConstraints | None = None
    other_names: list[OtherName] | None = None
    private_key: CertificatePrivateKey | None = None
    renew_before: GoDuration | None = None
    renew_before_percentage: int | None = None
    renewal: Renewal | None = None
    revision_history_limit: int | None = None
    secret_template: SecretTemplate | None = None
    signature_algorithm: SignatureAlgorithm | None = None
    subject: X509Subject | None = None
    uris: list[str] | None = None
    usages: list[KeyUsage] | None = None


class Certificate(KubernetesObject):
    """A whole ``cert-manager.io/v1`` Certificate."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "Certificate"

    kind: Literal["Certificate"] = "Certificate"
    spec: CertificateSpec


class CertificateRequestSpec(CrdModel):
    """``CertificateRequest.spec``: a PEM CSR (base64 in ``request``) and who should sign it.

    If the CSR carries key usage extensions they must equal ``usages``.
    """

    request: str
    issuer_ref: IssuerReference
    duration: GoDuration | None = None
    is_ca: bool | None = Field(default=None, alias="isCA")
    usages: list[KeyUsage] | None = None
    extra: dict[str, list[str]] | None = None
    groups: list[str] | None = None
    uid: str | None = None
    username: str | None = None


class CertificateRequest(KubernetesObject):
    """A whole ``cert-manager.io/v1`` CertificateRequest (what a Ray pod's init container
    submits in the per-pod TLS mode)."""

    API_VERSION: ClassVar[str] = API_VERSION
    KIND: ClassVar[str] = "CertificateRequest"

    kind: Literal["CertificateRequest"] = "CertificateRequest"
    spec: CertificateRequestSpec
