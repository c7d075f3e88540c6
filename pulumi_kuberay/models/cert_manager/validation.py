"""What cert-manager's admission webhook rejects in the objects the library emits (v1.21.1,
``internal/apis/certmanager/validation``): issuer references, names on the certificate, key
sizes and signature algorithms, durations, one configuration per issuer.

Each function returns problems (``"spec.duration: ..."``), empty when the webhook accepts the
object; none raises. https://cert-manager.io/docs/usage/certificate/
"""

from __future__ import annotations

import ipaddress
import re
from typing import Final

from pulumi_kuberay.models.cert_manager.certificate import (
    GROUP,
    Certificate,
    CertificateRequest,
    CertificateSpec,
    IssuerReference,
)
from pulumi_kuberay.models.cert_manager.durations import format_hours, parse_go_duration
from pulumi_kuberay.models.cert_manager.issuer import ISSUER_KINDS, ClusterIssuer, Issuer

HOUR: Final = 3600 * 10**9
MINIMUM_DURATION: Final = HOUR
"""``MinimumCertificateDuration``: a certificate lives at least one hour."""
DEFAULT_DURATION: Final = 90 * 24 * HOUR
"""``DefaultCertificateDuration``: 90 days when ``duration`` is unset."""
MINIMUM_RENEW_BEFORE: Final = 5 * 60 * 10**9
"""``MinimumRenewBefore``: five minutes."""
MAX_COMMON_NAME: Final = 64
ECDSA_SIZES: Final = (256, 384, 521)
RSA_SIZES: Final = (2048, 8192)
SIGNATURES_BY_KEY: Final = {
    "RSA": ("SHA256WithRSA", "SHA384WithRSA", "SHA512WithRSA"),
    "ECDSA": ("ECDSAWithSHA256", "ECDSAWithSHA384", "ECDSAWithSHA512"),
    "Ed25519": ("PureEd25519",),
}
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def issuer_ref_problems(ref: IssuerReference, at: str = "spec.issuerRef") -> list[str]:
    """An issuer reference must name an issuer, and a cert-manager one must be an Issuer or a
    ClusterIssuer (an external issuer's group and kinds are its own)."""
    problems = []
    if not ref.name:
        problems.append(f"{at}.name: must name the issuer")
    if ref.group in (None, "", GROUP) and ref.kind not in (None, "", *ISSUER_KINDS):
        hint = (
            f"; for an external issuer set {at}.group too (e.g. awspca.cert-manager.io)"
            if ref.group in (None, "")
            else ""
        )
        problems.append(
            f"{at}.kind: {ref.kind!r} is not a cert-manager issuer kind (Issuer or "
            f"ClusterIssuer){hint}"
        )
    return problems


def _duration(text: str | None, at: str, problems: list[str]) -> int | None:
    if text is None:
        return None
    try:
        return parse_go_duration(text)
    except ValueError as exc:
        problems.append(f"{at}: {exc}")
        return None


def duration_problems(spec: CertificateSpec, at: str = "spec") -> list[str]:
    """``duration`` at least 1h; ``renewBefore`` at least 5m and shorter than ``duration``;
    never both ``renewBefore`` and ``renewBeforePercentage``."""
    problems: list[str] = []
    duration = _duration(spec.duration, f"{at}.duration", problems)
    renew_before = _duration(spec.renew_before, f"{at}.renewBefore", problems)
    lifetime = DEFAULT_DURATION if duration is None else duration
    if duration is not None and duration < MINIMUM_DURATION:
        problems.append(f"{at}.duration: {spec.duration} is shorter than cert-manager's minimum 1h")
    if spec.renew_before is not None and spec.renew_before_percentage is not None:
        problems.append(
            f"{at}.renewBefore: renewBefore and renewBeforePercentage exclude each other; keep one"
        )
    if renew_before is not None:
        if renew_before < MINIMUM_RENEW_BEFORE:
            problems.append(
                f"{at}.renewBefore: {spec.renew_before} is shorter than cert-manager's minimum 5m"
            )
        if renew_before >= lifetime:
            problems.append(
                f"{at}.renewBefore: {spec.renew_before} must be shorter than the duration "
                f"({spec.duration or format_hours(lifetime) + ', the default'})"
            )
    percentage = spec.renew_before_percentage
    if percentage is not None:
        before = lifetime * (100 - percentage) / 100
        if before < MINIMUM_RENEW_BEFORE or before >= lifetime:
            problems.append(
                f"{at}.renewBeforePercentage: {percentage} must leave a renewal time of at "
                "least 5m and less than the duration"
            )
    return problems


def _private_key_problems(spec: CertificateSpec, at: str) -> list[str]:
    key = spec.private_key
    problems = []
    algorithm = (key.algorithm if key is not None else None) or "RSA"
    size = key.size if key is not None else None
    if key is not None and size:
        if algorithm == "RSA" and not RSA_SIZES[0] <= size <= RSA_SIZES[1]:
            problems.append(f"{at}.privateKey.size: an RSA key is 2048 to 8192 bits, got {size}")
        if algorithm == "ECDSA" and size not in ECDSA_SIZES:
            problems.append(f"{at}.privateKey.size: an ECDSA key is 256, 384 or 521, got {size}")
    signature = spec.signature_algorithm
    if signature is not None and signature not in SIGNATURES_BY_KEY[algorithm]:
        allowed = ", ".join(SIGNATURES_BY_KEY[algorithm])
        problems.append(
            f"{at}.signatureAlgorithm: {signature} does not go with a {algorithm} key "
            f"(allowed: {allowed})"
        )
    return problems


def certificate_spec_problems(spec: CertificateSpec, at: str = "spec") -> list[str]:
    """Every reason the webhook rejects a Certificate spec."""
    problems = []
    if not _DNS_SUBDOMAIN.fullmatch(spec.secret_name) or len(spec.secret_name) > 253:
        problems.append(
            f"{at}.secretName: {spec.secret_name!r} is not a valid Secret name (lower-case "
            "letters, digits, '-' and '.')"
        )
    problems += issuer_ref_problems(spec.issuer_ref, f"{at}.issuerRef")
    names = (
        spec.common_name,
        spec.literal_subject,
        spec.dns_names,
        spec.uris,
        spec.email_addresses,
        spec.ip_addresses,
        spec.other_names,
    )
    if not any(names):
        problems.append(
            f"{at}: set at least one of commonName, dnsNames, ipAddresses, uris or emailAddresses"
        )
    if spec.common_name and len(spec.common_name) > MAX_COMMON_NAME:
        problems.append(f"{at}.commonName: at most 64 characters, got {len(spec.common_name)}")
    for index, address in enumerate(spec.ip_addresses or ()):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            problems.append(f"{at}.ipAddresses[{index}]: {address!r} is not an IP address")
    problems += _private_key_problems(spec, at)
    problems += duration_problems(spec, at)
    if spec.revision_history_limit is not None and spec.revision_history_limit < 1:
        problems.append(f"{at}.revisionHistoryLimit: must be at least 1")
    if spec.name_constraints is not None and not spec.is_ca:
        problems.append(f"{at}.nameConstraints: only a CA certificate (isCA: true) has them")
    return problems


def certificate_problems(certificate: Certificate) -> list[str]:
    """Every reason the webhook rejects ``certificate``."""
    return certificate_spec_problems(certificate.spec)


def certificate_request_problems(request: CertificateRequest) -> list[str]:
    """The webhook's checks of a CertificateRequest's issuer, request and duration (the CSR
    itself is checked by cert-manager when it arrives)."""
    problems = issuer_ref_problems(request.spec.issuer_ref)
    if not request.spec.request:
        problems.append("spec.request: must hold the base64 PEM CSR")
    _duration(request.spec.duration, "spec.duration", problems)
    return problems


def issuer_problems(issuer: Issuer | ClusterIssuer) -> list[str]:
    """An issuer has exactly one configuration; a CA issuer names its Secret."""
    configured = issuer.spec.configured()
    problems = []
    if not configured:
        problems.append("spec: configure one issuer type (selfSigned, ca, acme, vault or venafi)")
    elif len(configured) > 1:
        problems.append(
            f"spec: one issuer type only, got {', '.join(configured)}; split them into "
            "separate issuers"
        )
    if issuer.spec.ca is not None and not issuer.spec.ca.secret_name:
        problems.append("spec.ca.secretName: must name the Secret holding the CA key pair")
    if isinstance(issuer, ClusterIssuer) and issuer.metadata.namespace:
        problems.append(
            "metadata.namespace: a ClusterIssuer is cluster-scoped; remove the namespace"
        )
    return problems
