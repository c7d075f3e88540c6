"""The CA Ray's certificates come from, as cert-manager objects, and the identity Ray pods use
to ask it for certificates.

By default a private CA just for Ray, bootstrapped the way cert-manager documents it:
a self-signed ``ClusterIssuer`` signs a CA ``Certificate`` (ECDSA P-256, ten years, renewed 30
days before expiry with the same key) whose Secret backs a CA ``Issuer`` in the Ray namespace.
With ``issuer=`` your own Issuer or ClusterIssuer (Vault, an enterprise CA) signs instead and no
CA is created. Either way the namespace gets a ServiceAccount bound to a Role that may only
create and read CertificateRequests, which the Ray pods run as.
https://cert-manager.io/docs/configuration/selfsigned/#bootstrapping-ca-issuers
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from pydantic import Field

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.cert_manager.certificate import (
    GROUP,
    Certificate,
    CertificatePrivateKey,
    CertificateSpec,
    IssuerReference,
    KeyAlgorithm,
    RotationPolicy,
)
from pulumi_kuberay.models.cert_manager.durations import GoDuration
from pulumi_kuberay.models.cert_manager.issuer import (
    CAIssuer,
    ClusterIssuer,
    Issuer,
    IssuerSpec,
    SelfSignedIssuer,
)
from pulumi_kuberay.models.cert_manager.validation import (
    certificate_problems,
    issuer_problems,
)
from pulumi_kuberay.models.kubernetes.rbac import Role, RoleBinding, ServiceAccount
from pulumi_kuberay.models.objects import KubernetesObject, ObjectMeta
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.env import ConfigMapRef, SecretRef
from pulumi_kuberay.plans.tls.args import IssuerRef, TlsIssuer

DEFAULT_CA_DURATION: Final = "87600h"
"""Ten years: every pod certificate must expire before the CA that signed it."""
DEFAULT_CA_RENEW_BEFORE: Final = "720h"
"""Renew the CA 30 days before it expires."""
DEFAULT_CLIENT_DURATION: Final = "2160h"
"""Client certificates (``ray://``) live 90 days; cert-manager renews them in their Secret."""
CERTIFICATE_REQUEST_RULE: Final = {
    "apiGroups": [GROUP],
    "resources": ["certificaterequests"],
    "verbs": ["create", "get"],
}
"""All a Ray pod's init container needs: create its request and read the answer."""
LABELS: Final = {
    "app.kubernetes.io/managed-by": "pulumi-kuberay",
    "app.kubernetes.io/part-of": "ray-tls",
}
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


class ClientCertificate(ArgumentModel):
    """A client certificate for ``ray://`` (Ray Client) or any process outside the cluster's pods:
    a Certificate whose Secret holds ``tls.crt``, ``tls.key`` and ``ca.crt``, renewed by
    cert-manager. Ray Client refuses clients without a certificate from the cluster's CA.
    https://docs.ray.io/en/latest/cluster/running-applications/job-submission/ray-client.html
    """

    name: str
    """A name for the client; the Certificate and Secret are ``<ca name>-client-<name>``."""
    common_name: str | None = None
    """``commonName`` of the certificate. Default: ``name``."""
    dns_names: list[str] = Field(default_factory=list)
    """``dnsNames``, if the client also serves (an in-cluster driver). Default: none."""
    duration: GoDuration = DEFAULT_CLIENT_DURATION
    """``duration``, a Go duration. Default: 2160h (90 days)."""
    renew_before: GoDuration | None = None
    """``renewBefore``. Default: unset (cert-manager renews at 2/3 of the lifetime)."""

    def __init__(self, name: str | None = None, /, **data: object) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)


class CertificateAuthorityArgs(ArgumentModel):
    """A CA for Ray's certificates (``RayCertificateAuthority``)::

        RayCertificateAuthority("ray-ca", namespace="ml", cert_manager=cm)
        RayCertificateAuthority("ray-ca", namespace="ml",
                                issuer=IssuerRef("vault-ray", kind="ClusterIssuer"))

    Use a CA that signs only for Ray: every certificate it issues can join the cluster.
    https://cert-manager.io/docs/configuration/ca/
    """

    issuer: IssuerRef | None = None
    """Your own issuer (Vault, an enterprise CA, an existing CA Issuer) instead of a CA created
    here. Default: a private CA created here."""
    common_name: str | None = None
    """``commonName`` of the CA certificate. Default: ``<namespace>-<name>-ray-ca``."""
    duration: GoDuration = DEFAULT_CA_DURATION
    """``duration`` of the CA certificate, a Go duration (``87600h``; no ``d`` or ``y``).
    Default: ten years."""
    renew_before: GoDuration = DEFAULT_CA_RENEW_BEFORE
    """``renewBefore`` of the CA certificate. Default: 720h (30 days)."""
    key_algorithm: KeyAlgorithm = "ECDSA"
    """``privateKey.algorithm`` of the CA. Default: ECDSA."""
    key_size: int | None = None
    """``privateKey.size``. Default: 256 for ECDSA, 3072 for RSA, none for Ed25519."""
    rotation_policy: RotationPolicy = "Never"
    """``privateKey.rotationPolicy``: ``Never`` keeps the CA key when the CA is renewed, so
    running pods (which read ``ca.crt`` once, at start) still trust certificates signed after
    the renewal. Default: ``Never`` (cert-manager's own default is ``Always``)."""
    service_account: str | None = None
    """The ServiceAccount Ray pods run as, allowed to request certificates. Default:
    ``<name>-ray-pods``."""
    create_service_account: bool = True
    """Create that ServiceAccount (``False``: it exists; only the Role binding is made).
    Default: on."""
    ca_bundle: SecretRef | ConfigMapRef | None = None
    """The CA certificate peers verify against, for an ``issuer`` that returns none with its
    certificates. Default: what the issuer returns."""
    clients: list[ClientCertificate] = Field(default_factory=list)
    """Client certificates to issue (for ``ray://`` clients). Default: none."""


@dataclass(frozen=True)
class CertificateAuthorityPlan:
    """The objects of a CA for Ray, and what clusters using it get."""

    objects: dict[str, KubernetesObject]
    """Every object to create, in dependency order, by its role (``selfsigned-issuer``,
    ``ca-certificate``, ``ca-issuer``, ``service-account``, ``role``, ``role-binding``,
    ``client-<name>``)."""
    tls_issuer: TlsIssuer
    """What ``tls=`` gets: the issuer, namespace, ServiceAccount and bundle."""
    ca_secret_name: str | None
    """The Secret holding the CA key pair (``None`` with your own issuer)."""
    client_secret_names: dict[str, str]
    """Client name -> the Secret of its certificate."""


def decide_key_size(algorithm: KeyAlgorithm, size: int | None) -> int | None:
    """The CA key size: as given, else 256 for ECDSA and 3072 for RSA."""
    if size is not None:
        return size
    return {"ECDSA": 256, "RSA": 3072}.get(algorithm)


def decide_authority_names(name: str, namespace: str) -> dict[str, str]:
    """The names of the CA's objects: the self-signed ClusterIssuer is cluster-scoped, so it
    carries the namespace; the rest are named after the CA in its namespace."""
    return {
        "self_signed": f"{namespace}-{name}-selfsigned",
        "ca": name,
        "secret": name,
        "requester": f"{name}-certificate-requester",
        "service_account": f"{name}-ray-pods",
    }


def name_problems(name: str, namespace: str) -> list[str]:
    """The CA's name and namespace become object names: DNS labels."""
    problems = []
    for what, value, limit in (("name", name, 40), ("namespace", namespace, 63)):
        if not _DNS_LABEL.fullmatch(value) or len(value) > limit:
            problems.append(
                f"{what}: {value!r} must be a DNS label of at most {limit} characters (lower-case "
                "letters, digits and '-')"
            )
    return problems


def _meta(name: str, namespace: str | None = None) -> ObjectMeta:
    return ObjectMeta.of(name=name, namespace=namespace, labels=dict(LABELS))


def _checked(obj: Certificate | Issuer | ClusterIssuer) -> list[str]:
    problems = certificate_problems(obj) if isinstance(obj, Certificate) else issuer_problems(obj)
    return [f"{obj.KIND} {obj.metadata.name}: {problem}" for problem in problems]


def plan_client_certificate(
    client: ClientCertificate, issuer: IssuerRef, *, ca_name: str, namespace: str
) -> Certificate:
    """The Certificate of one client, signed by ``issuer``."""
    name = f"{ca_name}-client-{client.name}"
    return Certificate(
        metadata=_meta(name, namespace),
        spec=CertificateSpec.of(
            secret_name=name,
            issuer_ref=issuer.to_reference(),
            common_name=client.common_name or client.name,
            dns_names=list(client.dns_names) or None,
            duration=client.duration,
            renew_before=client.renew_before,
            private_key=CertificatePrivateKey(algorithm="ECDSA", size=256),
            usages=["digital signature", "key encipherment", "client auth"]
            + (["server auth"] if client.dns_names else []),
        ),
    )


def plan_certificate_authority(
    args: CertificateAuthorityArgs, *, name: str, namespace: str
) -> CertificateAuthorityPlan:
    """The cert-manager and RBAC objects of a CA for Ray in ``namespace``.

    Raises :class:`ValidationError` listing every problem (names, durations, what the
    cert-manager webhook would reject).
    """
    problems = name_problems(name, namespace)
    if problems:
        raise ValidationError(problems)
    names = decide_authority_names(name, namespace)
    objects: dict[str, KubernetesObject] = {}
    ca_secret: str | None = None
    if args.issuer is None:
        root = ClusterIssuer(
            metadata=_meta(names["self_signed"]), spec=IssuerSpec(self_signed=SelfSignedIssuer())
        )
        ca_certificate = Certificate(
            metadata=_meta(names["ca"], namespace),
            spec=CertificateSpec.of(
                is_ca=True,
                common_name=args.common_name or f"{namespace}-{name}-ray-ca"[:64],
                secret_name=names["secret"],
                duration=args.duration,
                renew_before=args.renew_before,
                private_key=CertificatePrivateKey.of(
                    algorithm=args.key_algorithm,
                    size=decide_key_size(args.key_algorithm, args.key_size),
                    rotation_policy=args.rotation_policy,
                ),
                issuer_ref=IssuerReference(
                    name=names["self_signed"], kind="ClusterIssuer", group=GROUP
                ),
            ),
        )
        ca_issuer = Issuer(
            metadata=_meta(names["ca"], namespace),
            spec=IssuerSpec(ca=CAIssuer(secret_name=names["secret"])),
        )
        objects.update(
            {"selfsigned-issuer": root, "ca-certificate": ca_certificate, "ca-issuer": ca_issuer}
        )
        ca_secret = names["secret"]
        issuer = IssuerRef(names["ca"], kind="Issuer", namespace=namespace)
    else:
        issuer = args.issuer
        if not issuer.cluster_scoped and (issuer.namespace or namespace) != namespace:
            problems.append(
                f"issuer: the {issuer.kind} {issuer.name!r} is in namespace "
                f"{issuer.namespace!r} and cannot sign in {namespace!r}; use a ClusterIssuer "
                "or an Issuer in this namespace"
            )
        issuer = issuer.model_copy(
            update={"namespace": None if issuer.cluster_scoped else namespace}
        )

    account = args.service_account or names["service_account"]
    if args.create_service_account:
        # The token reaches only the certificate init container (and the autoscaler): pods
        # using this account do not automount it (see plans.tls.per_pod).
        objects["service-account"] = ServiceAccount(
            metadata=_meta(account, namespace), automount_service_account_token=False
        )
    objects["role"] = Role(
        metadata=_meta(names["requester"], namespace), rules=[CERTIFICATE_REQUEST_RULE]
    )
    objects["role-binding"] = RoleBinding(
        metadata=_meta(names["requester"], namespace),
        role_ref={
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role",
            "name": names["requester"],
        },
        subjects=[{"kind": "ServiceAccount", "name": account, "namespace": namespace}],
    )
    clients = {}
    for client in args.clients:
        certificate = plan_client_certificate(client, issuer, ca_name=name, namespace=namespace)
        objects[f"client-{client.name}"] = certificate
        clients[client.name] = certificate.spec.secret_name
    if len(clients) != len(args.clients):
        problems.append("clients: two client certificates have the same name")
    for obj in objects.values():
        if isinstance(obj, (Certificate, Issuer, ClusterIssuer)):
            problems += _checked(obj)
    if problems:
        raise ValidationError(problems)
    return CertificateAuthorityPlan(
        objects=objects,
        tls_issuer=TlsIssuer(
            issuer=issuer, namespace=namespace, service_account=account, ca_bundle=args.ca_bundle
        ),
        ca_secret_name=ca_secret,
        client_secret_names=clients,
    )
