"""TLS between Ray nodes: complete settings on every Ray container, no CA key in Ray pods, and
certificates whose issuer exists.

Ray's TLS is all or nothing: every process of a cluster dials every other with mutual TLS, so a
container with ``RAY_USE_TLS=1`` but a missing file variable does not start, and a container
without TLS cannot talk to one with it.
https://docs.ray.io/en/latest/ray-core/configure.html#tls-authentication
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_kuberay.policy.manifest_reading import UNKNOWN, items, lookup, mapping, text
from pulumi_kuberay.policy.model import (
    Enforcement,
    Manifest,
    Rule,
    Settings,
    Severity,
    StackRule,
    Violation,
    is_ray_object,
)
from pulumi_kuberay.policy.ray_objects import cluster_specs, groups
from pulumi_kuberay.policy.rules import docs

USE_TLS: Final = "RAY_USE_TLS"
TLS_FILES: Final = ("RAY_TLS_SERVER_CERT", "RAY_TLS_SERVER_KEY", "RAY_TLS_CA_CERT")
CA_KEY_FILE: Final = "ca.key"
CERT_MANAGER_GROUP: Final = "cert-manager.io"


@dataclass(frozen=True)
class RayProcess:
    """A container that runs Ray code, where its env lives, and the pod whose volumes it sees."""

    path: str
    label: str
    env_path: str
    env: Any
    peer: bool
    """Whether it talks gRPC with the cluster's nodes (the submitter only speaks HTTP)."""


def ray_processes(manifest: Mapping[str, Any]) -> Iterator[RayProcess]:
    """The Ray containers of a Ray object: every group's ``containers[0]``, the autoscaler
    sidecar (with in-tree autoscaling) and a RayJob's submitter."""
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            ray = lookup(group.pod_spec, "containers", 0)
            if isinstance(ray, Mapping):
                at = f"{group.pod_spec_path}.containers[0]"
                yield RayProcess(
                    at, f"the Ray container of {group.label}", f"{at}.env", ray.get("env"), True
                )
        if cluster.spec.get("enableInTreeAutoscaling") is True:
            options = mapping(cluster.spec.get("autoscalerOptions"))
            at = f"{cluster.path}.autoscalerOptions"
            yield RayProcess(at, "the autoscaler", f"{at}.env", options.get("env"), True)
    if manifest.get("kind") == "RayJob":
        submitter = lookup(manifest, "spec", "submitterPodTemplate", "spec", "containers", 0)
        if isinstance(submitter, Mapping):
            at = "spec.submitterPodTemplate.spec.containers[0]"
            yield RayProcess(at, "the submitter", f"{at}.env", submitter.get("env"), False)


def tls_env(env: Any) -> dict[str, Any] | None:
    """The TLS variables of an env list (values UNKNOWN when not literal); ``None`` when the
    list itself is not known."""
    if env is UNKNOWN:
        return None
    found: dict[str, Any] = {}
    for item in items(env):
        name = lookup(item, "name")
        if name is UNKNOWN:
            return None
        if name in (USE_TLS, *TLS_FILES):
            value = lookup(item, "value")
            found[str(name)] = value if isinstance(value, str) else UNKNOWN
    return found


def tls_on(env: Mapping[str, Any]) -> bool | None:
    """Whether ``RAY_USE_TLS`` turns TLS on (``None``: not known)."""
    value = env.get(USE_TLS)
    if value is UNKNOWN:
        return None
    return isinstance(value, str) and value.strip().lower() in ("1", "true")


def native_tls(manifest: Mapping[str, Any]) -> bool:
    """KubeRay >= 1.7 ``tlsOptions.enabled``: the operator sets TLS on every container."""
    return any(lookup(c.spec, "tlsOptions", "enabled") is True for c in cluster_specs(manifest))


def check_tls_settings(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    if native_tls(manifest):
        return
    states: list[tuple[RayProcess, bool]] = []
    for process in ray_processes(manifest):
        env = tls_env(process.env)
        if env is None:
            continue
        on = tls_on(env)
        if on is None:
            continue
        if on:
            missing = [name for name in TLS_FILES if name not in env]
            if missing:
                yield Violation(
                    process.env_path,
                    f"{process.label} sets {USE_TLS}=1 without {', '.join(missing)}; Ray refuses "
                    "to start without all three files; set every TLS variable (or use tls= of "
                    "the cluster, which sets them on every Ray container)",
                    fixable=False,
                )
        if process.peer:
            states.append((process, on))
    with_tls = [p.label for p, on in states if on]
    if not with_tls:
        return
    for process, on in states:
        if not on:
            yield Violation(
                process.env_path,
                f"{process.label} has no TLS while {with_tls[0]} uses it; Ray's TLS is mutual, "
                "so this process cannot reach the cluster; give it the same RAY_USE_TLS and "
                "RAY_TLS_* settings and mounts (autoscalerOptions.env/volumeMounts for the "
                "autoscaler)",
                fixable=False,
            )


TLS_SETTINGS_COMPLETE = Rule(
    id="tls-settings-complete",
    severity=Severity.HIGH,
    description=(
        "With Ray TLS on, every Ray container (head, workers, autoscaler) has RAY_USE_TLS and "
        "all three RAY_TLS_* files"
    ),
    reason=(
        "RAY_USE_TLS=1 without the certificate, key and CA paths makes Ray exit at start, and "
        "TLS on some containers only splits the cluster: a process without TLS cannot reach one "
        "that requires mutual TLS. The operator accepts either, so the failure shows only as "
        "pods that never become ready."
    ),
    url=docs.RAY_TLS,
    enforcement=Enforcement.MANDATORY,
    tags=("security",),
    check=check_tls_settings,
)
RULES = (TLS_SETTINGS_COMPLETE,)


# --- stack rules -------------------------------------------------------------------------------


def _namespace(manifest: Mapping[str, Any]) -> str | None:
    return text(lookup(manifest, "metadata", "namespace")) or None


def _is(manifest: Mapping[str, Any], kind: str, group: str) -> bool:
    return manifest.get("kind") == kind and str(manifest.get("apiVersion", "")).startswith(
        f"{group}/"
    )


class CaKeySecrets:
    """Secrets that hold a CA's private key, by namespace (``None``: any namespace): those of
    CA issuers and CA Certificates, and Secrets with a ``ca.key`` entry."""

    def __init__(self, manifests: Sequence[Mapping[str, Any]]) -> None:
        self.names: dict[str, set[str | None]] = {}
        self.why: dict[str, str] = {}
        for manifest in manifests:
            namespace = _namespace(manifest)
            if _is(manifest, "Issuer", CERT_MANAGER_GROUP):
                self._add(lookup(manifest, "spec", "ca", "secretName"), namespace, "a CA Issuer's")
            elif _is(manifest, "ClusterIssuer", CERT_MANAGER_GROUP):
                self._add(
                    lookup(manifest, "spec", "ca", "secretName"), None, "a CA ClusterIssuer's"
                )
            elif _is(manifest, "Certificate", CERT_MANAGER_GROUP):
                if lookup(manifest, "spec", "isCA") is True:
                    self._add(
                        lookup(manifest, "spec", "secretName"), namespace, "a CA Certificate's"
                    )
            elif manifest.get("kind") == "Secret" and manifest.get("apiVersion") == "v1":
                keys = {*mapping(manifest.get("data")), *mapping(manifest.get("stringData"))}
                if CA_KEY_FILE in keys:
                    self._add(
                        lookup(manifest, "metadata", "name"), namespace, "a Secret with ca.key"
                    )

    def _add(self, name: Any, namespace: str | None, why: str) -> None:
        if isinstance(name, str) and name:
            self.names.setdefault(name, set()).add(namespace)
            self.why[name] = why

    def reason(self, name: str, namespace: str | None) -> str | None:
        """Why Secret ``name`` seen from ``namespace`` holds a CA key (``None``: it does not)."""
        spaces = self.names.get(name)
        if spaces is None:
            return None
        if None in spaces or namespace is None or namespace in spaces:
            return self.why[name]
        return None


def _secret_volumes(pod: Mapping[str, Any]) -> Iterator[tuple[int, str, list[str]]]:
    """(volume index, Secret name, keys projected) of a pod's Secret volumes."""
    for index, volume in enumerate(items(pod.get("volumes"))):
        secret = lookup(volume, "secret")
        if isinstance(secret, Mapping) and isinstance(secret.get("secretName"), str):
            keys = [str(lookup(i, "key")) for i in items(secret.get("items"))]
            yield index, secret["secretName"], keys
        for source in items(lookup(volume, "projected", "sources")):
            projected = lookup(source, "secret")
            if isinstance(projected, Mapping) and isinstance(projected.get("name"), str):
                keys = [str(lookup(i, "key")) for i in items(projected.get("items"))]
                yield index, projected["name"], keys


def _ray_pods(manifest: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            yield group.pod_spec_path, group.label, group.pod_spec
    if manifest.get("kind") == "RayJob":
        pod = mapping(lookup(manifest, "spec", "submitterPodTemplate", "spec"))
        yield "spec.submitterPodTemplate.spec", "the submitter", pod


def _mounted_by(pod: Mapping[str, Any], volume: str) -> list[str]:
    found = []
    for field in ("containers", "initContainers"):
        for container in items(pod.get(field)):
            if any(lookup(m, "name") == volume for m in items(lookup(container, "volumeMounts"))):
                found.append(str(lookup(container, "name")))
    return found


def ca_keys_in_ray_pods(
    manifests: Sequence[Mapping[str, Any]], settings: Settings
) -> list[tuple[int, Violation]]:
    """Ray pods that mount a Secret holding a CA's private key."""
    secrets = CaKeySecrets(manifests)
    found: list[tuple[int, Violation]] = []
    for index, manifest in enumerate(manifests):
        if not is_ray_object(manifest):
            continue
        namespace = _namespace(manifest)
        for path, label, pod in _ray_pods(manifest):
            for volume_index, secret, keys in _secret_volumes(pod):
                why = secrets.reason(secret, namespace)
                if why is None and CA_KEY_FILE not in keys:
                    continue
                volume = text(lookup(pod, "volumes", volume_index, "name")) or "?"
                users = ", ".join(_mounted_by(pod, volume)) or "no container yet"
                found.append(
                    (
                        index,
                        Violation(
                            f"{path}.volumes[{volume_index}]",
                            f"{label} mounts Secret {secret!r} ({why or 'its ca.key'}) into "
                            f"{users}: anyone who runs code there (every Ray job) can read the "
                            "CA key and mint certificates the whole cluster trusts, and the key "
                            "reaches every node with a Ray pod; let each pod request its own "
                            "certificate instead (tls= with a RayCertificateAuthority) or mount "
                            "only ca.crt",
                            fixable=False,
                        ),
                    )
                )
    return found


CA_KEY_NOT_IN_RAY_PODS = StackRule(
    id="tls-ca-key-not-in-ray-pods",
    severity=Severity.HIGH,
    description="Ray pods do not mount a CA's private key",
    reason=(
        "KubeRay's TLS sample signs each pod's certificate in an init container with the CA key "
        "mounted from a Secret. Ray runs arbitrary user code, so any job can then read the key, "
        "mint certificates for any name and join or impersonate cluster members, and the key is "
        "copied to every node that runs a Ray pod. A per-pod CertificateRequest (or KubeRay 1.7 "
        "native mTLS) keeps the key inside cert-manager."
    ),
    url=docs.KUBERAY_TLS,
    tags=("security",),
    check_stack=ca_keys_in_ray_pods,
)


class Issuers:
    """The Issuers (by namespace) and ClusterIssuers among a set of manifests; an unknown name
    or namespace matches anything, so a preview reports nothing a deploy could make true."""

    def __init__(self, manifests: Sequence[Mapping[str, Any]]) -> None:
        self.namespaced: set[tuple[str | None, str]] = set()
        self.cluster: set[str] = set()
        self.wildcard: set[str] = set()
        for manifest in manifests:
            for kind in ("Issuer", "ClusterIssuer"):
                if not _is(manifest, kind, CERT_MANAGER_GROUP):
                    continue
                name = lookup(manifest, "metadata", "name")
                namespace = lookup(manifest, "metadata", "namespace")
                if not isinstance(name, str) or namespace is UNKNOWN:
                    self.wildcard.add(kind)
                elif kind == "Issuer":
                    self.namespaced.add((text(namespace) or None, name))
                else:
                    self.cluster.add(name)

    def has(self, kind: str, name: str, namespace: str | None) -> bool:
        if kind in self.wildcard:
            return True
        if kind == "ClusterIssuer":
            return name in self.cluster
        return any(
            n == name and (ns is None or namespace is None or ns == namespace)
            for ns, n in self.namespaced
        )


def unresolved_issuers(
    manifests: Sequence[Mapping[str, Any]], settings: Settings
) -> list[tuple[int, Violation]]:
    """Certificates and CertificateRequests whose cert-manager issuer is not created alongside."""
    issuers = Issuers(manifests)
    found: list[tuple[int, Violation]] = []
    for index, manifest in enumerate(manifests):
        if not any(
            _is(manifest, kind, CERT_MANAGER_GROUP)
            for kind in ("Certificate", "CertificateRequest")
        ):
            continue
        ref = lookup(manifest, "spec", "issuerRef")
        name, kind, group = (lookup(ref, key) for key in ("name", "kind", "group"))
        if not isinstance(name, str) or kind is UNKNOWN or group is UNKNOWN:
            continue
        if group not in (None, "", CERT_MANAGER_GROUP):
            continue  # an external issuer: its kinds are not ours to know
        kind = kind or "Issuer"
        if kind not in ("Issuer", "ClusterIssuer"):
            found.append(
                (
                    index,
                    Violation(
                        "spec.issuerRef.kind",
                        f"{kind!r} is not a cert-manager issuer kind (Issuer or "
                        "ClusterIssuer); cert-manager refuses the object; fix the kind, or "
                        "set issuerRef.group for an external issuer",
                        fixable=False,
                    ),
                )
            )
            continue
        namespace = _namespace(manifest)
        if not issuers.has(kind, name, namespace):
            where = f" in namespace {namespace!r}" if namespace and kind == "Issuer" else ""
            found.append(
                (
                    index,
                    Violation(
                        "spec.issuerRef",
                        f"refers to {kind} {name!r}, which is not created here; it must "
                        f"already exist{where} or the certificate is never issued (and Ray "
                        "pods waiting for it never start); create it alongside or check the "
                        "name",
                        fixable=False,
                    ),
                )
            )
    return found


CERTIFICATE_ISSUER_EXISTS = StackRule(
    id="certificate-issuer-exists",
    severity=Severity.LOW,
    description="Certificates name a cert-manager Issuer or ClusterIssuer created alongside them",
    reason=(
        "cert-manager accepts a Certificate whose issuer does not exist and leaves it pending "
        "forever; an Issuer also signs only in its own namespace. Issuers that exist outside the "
        "stack are fine; the finding asks you to make sure."
    ),
    url=docs.CERT_MANAGER_ISSUER_REF,
    check_stack=unresolved_issuers,
)

STACK_RULES = (CA_KEY_NOT_IN_RAY_PODS, CERTIFICATE_ISSUER_EXISTS)
