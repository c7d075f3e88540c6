"""Which way a cluster gets its certificates: KubeRay's native mTLS or per-pod certificates.

- **native** (KubeRay >= 1.7, gate ``RayClusterMTLS``): ``tlsOptions.enabled``; the operator
  creates a CA, issuers and certificates per RayCluster with cert-manager and keeps the pod IP
  SANs current. https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/mtls.html
- **per-pod** (any operator): an init container in each Ray pod asks a cert-manager issuer for a
  certificate for its own pod IP; the CA key stays with cert-manager.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.plans.tls.args import TlsArgs, TlsIssuer, decide_tls_issuer

NATIVE_MTLS_SINCE: Final = "1.7.0"
"""The first KubeRay release with ``spec.tlsOptions``."""
NATIVE_MTLS_GATE: Final = "RayClusterMTLS"
"""The feature gate of native mTLS (alpha, off by default)."""


class TlsMode(str, Enum):
    """How a TLS cluster gets its certificates."""

    NATIVE = "native"
    PER_POD = "per-pod"


def native_mode_problems(caps: OperatorCapabilities) -> list[str]:
    """Why the operator cannot run native mTLS (empty when it can)."""
    if not caps.at_least(NATIVE_MTLS_SINCE):
        return [
            f"native mTLS (tlsOptions) needs KubeRay >= {NATIVE_MTLS_SINCE}; this operator is "
            f"{caps.version}"
        ]
    problems = []
    if not caps.gate_enabled(NATIVE_MTLS_GATE):
        problems.append(
            f"native mTLS needs the operator's {NATIVE_MTLS_GATE} feature gate, which is off; "
            f"set feature_gates={{'{NATIVE_MTLS_GATE}': True}} on KubeRayOperator (KubeRay "
            "rejects tlsOptions with the gate off)"
        )
    if not caps.cert_manager:
        problems.append(
            "native mTLS needs cert-manager running before the operator starts (KubeRay checks "
            "for it once, at start-up); pass cert_manager=CertManager(...) to KubeRayOperator, "
            "or cert_manager=True in OperatorCapabilities when both are managed elsewhere"
        )
    return problems


def per_pod_mode_problems(issuer: TlsIssuer | None, namespace: str | None) -> list[str]:
    """Why per-pod certificates cannot be requested (empty when they can)."""
    if issuer is None:
        return [
            "per-pod certificates need an issuer: pass tls=RayCertificateAuthority(...) (a CA "
            "for Ray, with the ServiceAccount that may request certificates) or "
            "tls=TlsArgs(issuer=IssuerRef(...), service_account=...)"
        ]
    problems = []
    if issuer.service_account is None:
        problems.append(
            "per-pod certificates need a ServiceAccount allowed to create CertificateRequests "
            "in the namespace: pass the RayCertificateAuthority component as the issuer (it "
            "creates one) or name yours with TlsArgs(service_account=...)"
        )
    ref = issuer.issuer
    home = issuer.namespace
    if not ref.cluster_scoped and home and namespace and home != namespace:
        problems.append(
            f"the {ref.kind} {ref.name!r} lives in namespace {home!r} and signs only there, but "
            f"the Ray pods are in {namespace!r}; create the CA in {namespace!r} or use a "
            "ClusterIssuer"
        )
    return problems


def decide_tls_mode(
    caps: OperatorCapabilities, args: TlsArgs, *, namespace: str | None = None
) -> TlsMode:
    """The mode for ``args`` on an operator with ``caps``.

    ``native`` and ``per-pod`` are checked as asked. ``auto`` is per-pod when an issuer is
    named (native mTLS always uses the operator's own CA per cluster), else native. Raises
    :class:`ValidationError` (field ``tls``) with every reason when the chosen mode is not
    possible.
    """
    issuer = decide_tls_issuer(args)
    if args.mode == "native":
        problems = native_mode_problems(caps)
        if issuer is not None:
            problems.append(
                "native mTLS issues every certificate from a CA the operator creates per "
                "RayCluster; drop issuer, or use mode='per-pod' to sign with your CA"
            )
        chosen = TlsMode.NATIVE
    elif args.mode == "per-pod" or issuer is not None:
        problems = per_pod_mode_problems(issuer, namespace)
        chosen = TlsMode.PER_POD
    else:
        native = native_mode_problems(caps)
        if not native:
            return TlsMode.NATIVE
        problems = [
            "no TLS mode is possible: "
            + "; ".join(native)
            + "; or sign per-pod certificates with a CA: tls=RayCertificateAuthority(...)"
        ]
        chosen = TlsMode.NATIVE
    if problems:
        raise ValidationError([f"tls: {problem}" for problem in problems])
    return chosen
