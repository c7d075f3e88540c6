"""What ``tls=`` of a cluster takes: ``True``, a :class:`TlsArgs`, or a CA component (anything
that is a :class:`TlsIssuerSource`), and :class:`IssuerRef`, a reference to a cert-manager
issuer.

Ray encrypts and mutually authenticates its gRPC channels when every Ray process has
``RAY_USE_TLS=1`` and the three certificate files.
https://docs.ray.io/en/latest/ray-core/configure.html#tls-authentication
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import Field, field_validator, model_validator
from typing_extensions import Self

from pulumi_kuberay.models.cert_manager.certificate import GROUP, IssuerReference
from pulumi_kuberay.models.cert_manager.durations import GoDuration
from pulumi_kuberay.models.cert_manager.issuer import ISSUER_KINDS
from pulumi_kuberay.models.error_paths import did_you_mean
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.env import ConfigMapRef, SecretRef

TlsModeName = Literal["auto", "native", "per-pod"]
"""How a cluster gets its certificates: ``native`` (KubeRay >= 1.7 ``tlsOptions``), ``per-pod``
(an init container in every Ray pod requests a certificate for its own IP), or ``auto``."""

DEFAULT_MOUNT_PATH = "/etc/ray/tls"
"""Where the certificate files are mounted in Ray containers (KubeRay 1.7 uses the same)."""

DEFAULT_LEAF_DURATION = "8760h"
"""Lifetime of a pod's certificate (one year). Ray never reloads certificates, so a pod that
outlives its certificate can no longer open connections: the lifetime must exceed the longest
pod life you expect."""


class IssuerRef(ArgumentModel):
    """A cert-manager issuer that signs Ray's certificates (``issuerRef``): your own CA Issuer,
    a Vault ClusterIssuer, an enterprise CA behind an external issuer::

        IssuerRef("vault-ray", kind="ClusterIssuer")
        IssuerRef("ray-pca", kind="AWSPCAClusterIssuer", group="awspca.cert-manager.io")

    https://cert-manager.io/docs/usage/certificate/#issuer-references
    """

    name: str
    """``issuerRef.name``."""
    kind: str = "Issuer"
    """``issuerRef.kind``: ``Issuer`` (same namespace as the Ray pods) or ``ClusterIssuer``;
    an external issuer's own kind with its ``group``. Default: ``Issuer``."""
    group: str = GROUP
    """``issuerRef.group``. Default: ``cert-manager.io``."""
    namespace: str | None = None
    """For an ``Issuer``: the namespace it lives in (it signs only there). Default: the Ray
    object's namespace."""

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)

    @model_validator(mode="after")
    def _known_kind(self) -> Self:
        if self.group == GROUP and self.kind not in ISSUER_KINDS:
            hint = did_you_mean(self.kind, ISSUER_KINDS)
            raise ValueError(
                f"kind {self.kind!r} is not a cert-manager issuer kind (Issuer or "
                f"ClusterIssuer){hint}; an external issuer needs its group as well"
            )
        return self

    @property
    def cluster_scoped(self) -> bool:
        """Whether the issuer signs for every namespace (a ClusterIssuer, or an external kind
        whose name says so)."""
        return self.kind.endswith("ClusterIssuer")

    def to_reference(self) -> IssuerReference:
        """The ``issuerRef`` model."""
        return IssuerReference(name=self.name, kind=self.kind, group=self.group)


@dataclass(frozen=True)
class TlsIssuer:
    """What a CA gives the clusters that use it: the issuer, the ServiceAccount allowed to
    request certificates from it in the namespace, and an optional trust bundle."""

    issuer: IssuerRef
    """The issuer that signs pod certificates."""
    namespace: str | None = None
    """The namespace the CA serves (its Issuer and ServiceAccount live there)."""
    service_account: str | None = None
    """A ServiceAccount in that namespace bound to a Role that may create CertificateRequests."""
    ca_bundle: SecretRef | ConfigMapRef | None = None
    """Where the CA certificate peers are verified against, if not the issuer's own CA."""


@runtime_checkable
class TlsIssuerSource(Protocol):
    """Anything that provides a CA for Ray's certificates (the ``RayCertificateAuthority``
    component): ``tls=`` accepts it, and the cluster depends on it."""

    def ray_tls_issuer(self) -> TlsIssuer:
        """The issuer, ServiceAccount and trust bundle a cluster using this CA gets."""
        ...


class TlsArgs(ArgumentModel):
    """TLS between the Ray nodes of a cluster (``tls=``)::

        tls=True                                      # KubeRay >= 1.7 native mTLS
        tls=ca                                        # per-pod certificates from a CA component
        tls=TlsArgs(issuer=ca, duration="4380h")

    With ``mode="auto"`` the cluster uses KubeRay's native mTLS when the operator has it
    (>= 1.7, gate ``RayClusterMTLS`` on, cert-manager present) and no ``issuer`` is named;
    otherwise each Ray pod (head, workers, the RayJob submitter) requests a certificate for its
    own pod IP from ``issuer`` in an init container, and the head, workers, the autoscaler and
    the submitter all get the same TLS settings. See ``docs/tls.md``.
    """

    issuer: IssuerRef | TlsIssuerSource | None = None
    """The CA that signs each pod's certificate (per-pod mode): a CA component or an
    :class:`IssuerRef`. Default: none (native mode only)."""
    mode: TlsModeName = "auto"
    """``auto``, ``native`` or ``per-pod`` (see :data:`TlsModeName`). Default: ``auto``."""
    duration: GoDuration = DEFAULT_LEAF_DURATION
    """``spec.duration`` of each pod's CertificateRequest, a Go duration (``8760h``; no ``d``).
    Default: one year (see :data:`DEFAULT_LEAF_DURATION`)."""
    service_account: str | None = None
    """The ServiceAccount Ray pods run as, allowed to create and get CertificateRequests in the
    namespace (``template.spec.serviceAccountName``). Default: the CA component's."""
    ca_bundle: SecretRef | ConfigMapRef | None = None
    """The CA certificate peers are verified against (mounted as ``RAY_TLS_CA_CERT``), for
    issuers that do not return their CA (some Vault and ACME setups). Default: the issuer's CA
    as returned with each certificate."""
    extra_dns_names: list[str] = Field(default_factory=list)
    """More DNS names on the head's certificate (an Ingress host for ``ray://`` passthrough, a
    RayService's ``<name>-head-svc``). Default: none; the head always has ``localhost``, its pod
    IP, ``127.0.0.1`` and its Service names."""
    mount_path: str = DEFAULT_MOUNT_PATH
    """Where the certificate files are mounted. Default: ``/etc/ray/tls``."""
    init_image: str | None = None
    """Image of the certificate init container; needs ``python3`` and ``openssl``. Default:
    the group's Ray image."""
    request_timeout_seconds: int = 300
    """How long the init container waits for the certificate before the pod fails. Default:
    300."""

    @field_validator("request_timeout_seconds")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"must be at least 1, got {value}")
        return value

    @field_validator("mount_path")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/") or value.rstrip("/") == "":
            raise ValueError(f"must be an absolute directory such as /etc/ray/tls, got {value!r}")
        return value.rstrip("/")


def decide_tls_args(tls: bool | TlsArgs | TlsIssuerSource | None) -> TlsArgs | None:
    """``tls=``: ``True`` means the defaults, a CA component means ``TlsArgs(issuer=it)``,
    ``False``/``None`` mean off."""
    if tls is None or tls is False:
        return None
    if tls is True:
        return TlsArgs()
    if isinstance(tls, TlsArgs):
        return tls
    return TlsArgs(issuer=tls)


def decide_tls_issuer(args: TlsArgs) -> TlsIssuer | None:
    """The issuer of per-pod certificates, with the ServiceAccount and bundle the arguments add
    (arguments win over the CA component's)."""
    source = args.issuer
    if source is None:
        return None
    issuer = source.ray_tls_issuer() if isinstance(source, TlsIssuerSource) else TlsIssuer(source)
    return TlsIssuer(
        issuer=issuer.issuer,
        namespace=issuer.namespace or issuer.issuer.namespace,
        service_account=args.service_account or issuer.service_account,
        ca_bundle=args.ca_bundle or issuer.ca_bundle,
    )
