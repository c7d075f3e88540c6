"""Per-pod certificates (any KubeRay release): each Ray pod requests a certificate for its own
IP from a cert-manager issuer, and every Ray container gets the same TLS settings.

For each pod template (head, every worker group, a RayJob's submitter):

- a memory-backed ``emptyDir`` volume ``ray-tls`` holds the key, the certificate and the CA;
- the init container ``ray-tls-certificate`` (first, so user init containers and KubeRay's
  ``wait-gcs-ready`` find the files) generates the key, submits a CertificateRequest for the
  pod's IP and writes the signed certificate (:mod:`.request_script`);
- the Ray container gets ``RAY_USE_TLS=1``, ``RAY_TLS_SERVER_CERT``, ``RAY_TLS_SERVER_KEY``,
  ``RAY_TLS_CA_CERT`` and a read-only mount of the volume (KubeRay copies both into its
  ``wait-gcs-ready`` init container); the autoscaler sidecar gets them through
  ``autoscalerOptions``;
- pods run as the CA's ServiceAccount (allowed to create CertificateRequests) with
  ``automountServiceAccountToken: false``: its token is projected only into the init container
  (and the autoscaler, which needs the API), never into the Ray container that runs user code.

https://docs.ray.io/en/latest/ray-core/configure.html#tls-authentication
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.env import SecretRef
from pulumi_kuberay.plans.tls.args import TlsArgs, TlsIssuer

Role = Literal["head", "worker", "submitter"]

TLS_VOLUME: Final = "ray-tls"
API_ACCESS_VOLUME: Final = "ray-tls-api-access"
CA_BUNDLE_VOLUME: Final = "ray-tls-ca-bundle"
INIT_CONTAINER: Final = "ray-tls-certificate"
SERVICE_ACCOUNT_PATH: Final = "/var/run/secrets/kubernetes.io/serviceaccount"
"""Where Kubernetes mounts a pod's API credentials; the projected volume uses the same path."""
TOKEN_EXPIRATION_SECONDS: Final = 3607
"""The kubelet's own choice for automounted tokens (renewed before they expire)."""
TLS_ENV_NAMES: Final = (
    "RAY_USE_TLS",
    "RAY_TLS_SERVER_CERT",
    "RAY_TLS_SERVER_KEY",
    "RAY_TLS_CA_CERT",
)
"""The variables Ray reads its TLS settings from; all four or none."""
INIT_RESOURCES: Final[dict[str, dict[str, str]]] = {
    "requests": {"cpu": "50m", "memory": "64Mi"},
    "limits": {"cpu": "500m", "memory": "128Mi"},
}
"""The init container's resources: an ECDSA key, one CSR and a few API calls."""
TLS_VOLUME_SIZE: Final = "1Mi"

REQUEST_SCRIPT: Final = (Path(__file__).with_name("request_script.py")).read_text(encoding="utf-8")
"""The init container's program, run with ``python3 -c``."""


@dataclass(frozen=True)
class PerPodTls:
    """The per-pod settings of one cluster: the issuer, the arguments and where files live."""

    issuer: TlsIssuer
    args: TlsArgs

    @property
    def service_account(self) -> str:
        """The ServiceAccount the Ray pods run as."""
        assert self.issuer.service_account is not None  # checked by decide_tls_mode
        return self.issuer.service_account

    @property
    def ca_path(self) -> str:
        """``RAY_TLS_CA_CERT``: the issuer's CA beside the certificate, or the bundle."""
        if self.issuer.ca_bundle is not None:
            return f"{self.args.mount_path}-ca/ca.crt"
        return f"{self.args.mount_path}/ca.crt"

    def env(self) -> list[dict[str, str]]:
        """The four TLS variables every Ray process reads."""
        path = self.args.mount_path
        return [
            {"name": "RAY_USE_TLS", "value": "1"},
            {"name": "RAY_TLS_SERVER_CERT", "value": f"{path}/tls.crt"},
            {"name": "RAY_TLS_SERVER_KEY", "value": f"{path}/tls.key"},
            {"name": "RAY_TLS_CA_CERT", "value": self.ca_path},
        ]

    def mounts(self) -> list[dict[str, Any]]:
        """Read-only mounts of the certificate volume (and the CA bundle)."""
        found: list[dict[str, Any]] = [
            {"name": TLS_VOLUME, "mountPath": self.args.mount_path, "readOnly": True}
        ]
        if self.issuer.ca_bundle is not None:
            found.append(
                {
                    "name": CA_BUNDLE_VOLUME,
                    "mountPath": f"{self.args.mount_path}-ca",
                    "readOnly": True,
                }
            )
        return found

    def volumes(self, *, api_access: bool) -> list[dict[str, Any]]:
        """The pod volumes: the certificate volume, the CA bundle, the projected API token."""
        found: list[dict[str, Any]] = [
            {"name": TLS_VOLUME, "emptyDir": {"medium": "Memory", "sizeLimit": TLS_VOLUME_SIZE}}
        ]
        bundle = self.issuer.ca_bundle
        if bundle is not None:
            items = [{"key": bundle.key, "path": "ca.crt"}]
            if isinstance(bundle, SecretRef):
                found.append(
                    {
                        "name": CA_BUNDLE_VOLUME,
                        "secret": {"secretName": bundle.name, "items": items},
                    }
                )
            else:
                found.append(
                    {"name": CA_BUNDLE_VOLUME, "configMap": {"name": bundle.name, "items": items}}
                )
        if api_access:
            found.append(api_access_volume())
        return found


def api_access_volume() -> dict[str, Any]:
    """What Kubernetes mounts for ``automountServiceAccountToken``, as a volume we place only
    where it is needed: the token, the API server's CA and the namespace."""
    return {
        "name": API_ACCESS_VOLUME,
        "projected": {
            "sources": [
                {
                    "serviceAccountToken": {
                        "path": "token",
                        "expirationSeconds": TOKEN_EXPIRATION_SECONDS,
                    }
                },
                {
                    "configMap": {
                        "name": "kube-root-ca.crt",
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                    }
                },
                {
                    "downwardAPI": {
                        "items": [
                            {"path": "namespace", "fieldRef": {"fieldPath": "metadata.namespace"}}
                        ]
                    }
                },
            ]
        },
    }


def api_access_mount() -> dict[str, Any]:
    return {"name": API_ACCESS_VOLUME, "mountPath": SERVICE_ACCOUNT_PATH, "readOnly": True}


def _field_env(name: str, path: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"fieldRef": {"fieldPath": path}}}


def init_container(
    tls: PerPodTls, *, role: Role, image: str, ray_container: Mapping[str, Any], api_access: bool
) -> dict[str, Any]:
    """The init container that obtains the pod's certificate (see :mod:`.request_script`).

    It runs with the Ray container's security context, so the files it writes (mode 0600) are
    readable by the Ray container's user.
    """
    ref = tls.issuer.issuer
    env: list[dict[str, Any]] = [
        _field_env("POD_NAME", "metadata.name"),
        _field_env("POD_NAMESPACE", "metadata.namespace"),
        _field_env("POD_UID", "metadata.uid"),
        _field_env("POD_IP", "status.podIP"),
        {"name": "RAY_TLS_ROLE", "value": role},
        {"name": "RAY_TLS_DIR", "value": tls.args.mount_path},
        {"name": "RAY_TLS_ISSUER_NAME", "value": ref.name},
        {"name": "RAY_TLS_ISSUER_KIND", "value": ref.kind},
        {"name": "RAY_TLS_ISSUER_GROUP", "value": ref.group},
        {"name": "RAY_TLS_DURATION", "value": tls.args.duration},
        {"name": "RAY_TLS_REQUIRE_CA", "value": "0" if tls.issuer.ca_bundle else "1"},
        {"name": "RAY_TLS_TIMEOUT_SECONDS", "value": str(tls.args.request_timeout_seconds)},
    ]
    if role == "head" and tls.args.extra_dns_names:
        env.append({"name": "RAY_TLS_EXTRA_DNS", "value": ",".join(tls.args.extra_dns_names)})
    mounts = [{"name": TLS_VOLUME, "mountPath": tls.args.mount_path}]
    if api_access:
        mounts.append(api_access_mount())
    container: dict[str, Any] = {
        "name": INIT_CONTAINER,
        "image": tls.args.init_image or image,
        "command": ["python3", "-c", REQUEST_SCRIPT],
        "env": env,
        "volumeMounts": mounts,
        "resources": copy.deepcopy(INIT_RESOURCES),
    }
    pull_policy = ray_container.get("imagePullPolicy")
    if pull_policy and not tls.args.init_image:
        container["imagePullPolicy"] = pull_policy
    if ray_container.get("securityContext"):
        container["securityContext"] = copy.deepcopy(ray_container["securityContext"])
    return container


def _names(items: Any, key: str) -> set[str]:
    return {str(item.get(key)) for item in items or () if isinstance(item, Mapping) and key in item}


def container_tls_conflicts(container: Mapping[str, Any], what: str, mount_path: str) -> list[str]:
    """TLS settings a container already has, which the per-pod mode would contradict."""
    problems = []
    given = sorted(_names(container.get("env"), "name") & set(TLS_ENV_NAMES))
    if given:
        problems.append(
            f"{what} already sets {', '.join(given)}; with tls= the library sets all four from "
            "the per-pod certificate; remove them"
        )
    for mount in container.get("volumeMounts") or ():
        if mount.get("name") == TLS_VOLUME or mount.get("mountPath") == mount_path:
            problems.append(
                f"{what} already mounts {mount.get('name')!r} at {mount.get('mountPath')!r}, "
                "where the certificate volume goes; rename the volume or set "
                "TlsArgs(mount_path=...)"
            )
    return problems


def inject_pod_template(
    template: Mapping[str, Any] | None, tls: PerPodTls, *, role: Role, image: str, at: str
) -> dict[str, Any]:
    """``template`` with the per-pod certificate: volumes, the init container first, the TLS
    env and mounts on the Ray container (``containers[0]``), and the ServiceAccount.

    Raises :class:`ValidationError` (paths under ``at``) when the template already has TLS
    settings or runs as another ServiceAccount.
    """
    result = copy.deepcopy(dict(template or {}))
    spec = result.setdefault("spec", {})
    containers = spec.get("containers") or []
    if not containers:
        raise ValidationError(f"{at}.spec.containers: a Ray pod needs its Ray container first")
    ray = containers[0]
    problems = container_tls_conflicts(ray, f"{at}.spec.containers[0]", tls.args.mount_path)
    taken = _names(spec.get("volumes"), "name") & {TLS_VOLUME, API_ACCESS_VOLUME, CA_BUNDLE_VOLUME}
    if taken:
        problems.append(f"{at}.spec.volumes: {', '.join(sorted(taken))} is reserved for tls=")
    account = spec.get("serviceAccountName")
    if account is not None and account != tls.service_account:
        problems.append(
            f"{at}.spec.serviceAccountName: the pod runs as {account!r}, but only "
            f"{tls.service_account!r} may request certificates; drop service_account, or bind "
            f"the Ray TLS Role to {account!r} and pass TlsArgs(service_account={account!r})"
        )
    if problems:
        raise ValidationError(problems)
    spec["serviceAccountName"] = tls.service_account
    spec.setdefault("automountServiceAccountToken", False)
    api_access = spec["automountServiceAccountToken"] is False
    spec["volumes"] = [*(spec.get("volumes") or []), *tls.volumes(api_access=api_access)]
    spec["initContainers"] = [
        init_container(tls, role=role, image=image, ray_container=ray, api_access=api_access),
        *(spec.get("initContainers") or []),
    ]
    ray["env"] = [*(ray.get("env") or []), *tls.env()]
    ray["volumeMounts"] = [*(ray.get("volumeMounts") or []), *tls.mounts()]
    return result


def autoscaler_additions(
    tls: PerPodTls, env: Sequence[Mapping[str, Any]] | None,
    mounts: Sequence[Mapping[str, Any]] | None, *, api_access: bool,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """``autoscalerOptions.env`` and ``volumeMounts`` with the TLS settings (the autoscaler
    talks to GCS over gRPC) and, when the head pod does not automount its token, the API
    credentials the autoscaler needs to scale."""
    problems = container_tls_conflicts(
        {"env": env, "volumeMounts": mounts}, "autoscalerOptions", tls.args.mount_path
    )
    if problems:
        raise ValidationError(problems)
    new_mounts = [*(dict(m) for m in mounts or ()), *tls.mounts()]
    if api_access:
        new_mounts.append(api_access_mount())
    return [*(dict(e) for e in env or ()), *tls.env()], new_mounts


def token_projected_only(template: Mapping[str, Any]) -> bool:
    """Whether the pod does not automount its API token, so only the containers the projected
    ``ray-tls-api-access`` volume is mounted in can call the API."""
    return (template.get("spec") or {}).get("automountServiceAccountToken") is False
