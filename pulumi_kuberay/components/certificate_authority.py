"""The ``RayCertificateAuthority`` component: a CA for Ray's certificates in one namespace, and
the ServiceAccount Ray pods use to ask it for their own certificates.

Pass it as ``tls=`` of a cluster: the cluster's pods get per-pod certificates from it, and the
Ray object depends on it (so the issuer exists before the first pod starts).
https://cert-manager.io/docs/configuration/ca/
"""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_kuberay.components.base import KubeRayComponent
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.arguments import merge_arguments
from pulumi_kuberay.plans.tls.args import TlsIssuer
from pulumi_kuberay.plans.tls.authority import (
    CertificateAuthorityArgs,
    CertificateAuthorityPlan,
    plan_certificate_authority,
)

PREREQUISITES = {"ca-certificate": "selfsigned-issuer", "ca-issuer": "ca-certificate"}
"""Which object each waits for (cert-manager would retry, but the order reads better)."""


class RayCertificateAuthority(KubeRayComponent):
    """A CA for Ray in ``namespace``::

        cm = CertManager("cert-manager", create_namespace=True)
        ca = RayCertificateAuthority("ray-ca", namespace="ml", cert_manager=cm)
        RayCluster("c", namespace="ml", tls=ca, ...)

    By default it creates a self-signed ClusterIssuer, a CA Certificate and a CA Issuer in
    ``namespace``; with ``issuer=IssuerRef(...)`` your own issuer (Vault, an enterprise CA) signs
    instead. Either way it creates a ServiceAccount and a Role that may only create and read
    CertificateRequests, bound together. Arguments: a :class:`CertificateAuthorityArgs`
    and/or its fields as keywords; ``cert_manager`` (a ``CertManager``, so the objects wait for
    its webhook); ``name`` (object names; default: the resource name).
    """

    TYPE_NAME = "RayCertificateAuthority"

    args: CertificateAuthorityArgs
    """The CA the component was built from."""
    plan: CertificateAuthorityPlan
    """Its objects (manifests via ``to_manifest()``) and what clusters get."""
    children: dict[str, pulumi.CustomResource]
    """The created objects, by role (see ``CertificateAuthorityPlan.objects``)."""
    issuer_name: pulumi.Output[str]
    """``issuerRef.name`` of the issuer that signs Ray's certificates."""
    issuer_kind: pulumi.Output[str]
    """``issuerRef.kind`` (``Issuer`` for the CA created here)."""
    issuer_group: pulumi.Output[str]
    """``issuerRef.group``."""
    ca_secret_name: pulumi.Output[str | None]
    """The Secret with the CA key pair (``None`` with your own issuer). Keep read access to it
    (``get secrets`` in the namespace) away from everyone but cert-manager."""
    service_account_name: pulumi.Output[str]
    """The ServiceAccount Ray pods run as."""
    namespace: pulumi.Output[str]
    """The namespace the CA serves."""
    client_secret_names: pulumi.Output[dict[str, str]]
    """Client name -> the Secret of its ``ray://`` client certificate."""

    def __init__(
        self,
        resource_name: str,
        args: CertificateAuthorityArgs | None = None,
        /,
        *,
        namespace: str,
        name: str | None = None,
        cert_manager: pulumi.Resource | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        object_name = name or resource_name
        subject = f"RayCertificateAuthority {object_name!r}"
        ca = merge_arguments(CertificateAuthorityArgs, args, fields, subject=subject)
        if not isinstance(namespace, str):
            raise ValidationError(
                "namespace: must be a plain string (the issuer's namespace is checked against "
                "the Ray objects' at preview)",
                subject=subject,
            )
        try:
            plan = plan_certificate_authority(ca, name=object_name, namespace=namespace)
        except ValidationError as exc:
            raise ValidationError(exc.problems, subject=subject) from None
        super().__init__(resource_name, opts)
        self.args, self.plan = ca, plan
        self._tls_issuer = plan.tls_issuer

        depends = [cert_manager] if cert_manager is not None else []
        created: dict[str, pulumi.CustomResource] = {}
        for role, obj in plan.objects.items():
            # The CA certificate waits for its self-signed issuer, the CA issuer for its Secret.
            before = PREREQUISITES.get(role)
            after = [*depends, *([created[before]] if before in created else [])]
            created[role] = self.create_object(
                f"{resource_name}-{role}", obj.to_manifest(), depends_on=after
            )
        self.children = created

        issuer = plan.tls_issuer.issuer
        self.register(
            {
                "issuer_name": pulumi.Output.from_input(issuer.name),
                "issuer_kind": pulumi.Output.from_input(issuer.kind),
                "issuer_group": pulumi.Output.from_input(issuer.group),
                "ca_secret_name": pulumi.Output.from_input(plan.ca_secret_name),
                "service_account_name": pulumi.Output.from_input(
                    plan.tls_issuer.service_account or ""
                ),
                "namespace": pulumi.Output.from_input(namespace),
                "client_secret_names": pulumi.Output.from_input(dict(plan.client_secret_names)),
            }
        )

    def ray_tls_issuer(self) -> TlsIssuer:
        """What ``tls=`` gets: the issuer, namespace, ServiceAccount and trust bundle."""
        return self._tls_issuer
