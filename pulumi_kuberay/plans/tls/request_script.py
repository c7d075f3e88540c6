"""The program the per-pod TLS init container runs (``python3 -c``): a key and a CSR for this
pod's own IP, a cert-manager CertificateRequest, and the signed certificate written beside the
key in a memory-backed volume. Standard library only, plus the ``openssl`` command; both are in
the ``rayproject/ray`` images.

The private key never leaves the pod; the CA key never enters it. The request is owned by the
pod, so Kubernetes deletes it with the pod. Settings come from the environment (see
:func:`settings`); KubeRay adds ``FQ_RAY_IP``/``RAY_IP`` (the head Service) to every init
container of a Ray pod. https://cert-manager.io/docs/usage/certificaterequest/
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

USAGES = ["digital signature", "key encipherment", "server auth", "client auth"]
"""Ray uses one certificate as server and as client: both extended usages."""
FAILED_CONDITIONS = ("Denied", "InvalidRequest")


class CertificateRequestError(Exception):
    """The certificate cannot be obtained; the message says why and what to check."""


def settings(env: dict[str, str]) -> dict[str, Any]:
    """The init container's settings from its environment."""
    return {
        "dir": env.get("RAY_TLS_DIR", "/etc/ray/tls"),
        "role": env.get("RAY_TLS_ROLE", "worker"),
        "pod": env["POD_NAME"],
        "namespace": env["POD_NAMESPACE"],
        "uid": env["POD_UID"],
        "ip": env["POD_IP"],
        "head_fqdn": env.get("FQ_RAY_IP", ""),
        "head_short": env.get("RAY_IP", ""),
        "extra_dns": [n for n in env.get("RAY_TLS_EXTRA_DNS", "").split(",") if n],
        "issuer": {
            "name": env["RAY_TLS_ISSUER_NAME"],
            "kind": env.get("RAY_TLS_ISSUER_KIND", "Issuer"),
            "group": env.get("RAY_TLS_ISSUER_GROUP", "cert-manager.io"),
        },
        "duration": env.get("RAY_TLS_DURATION", "8760h"),
        "require_ca": env.get("RAY_TLS_REQUIRE_CA", "1") == "1",
        "timeout": float(env.get("RAY_TLS_TIMEOUT_SECONDS", "300")),
        "api": "https://{}:{}".format(
            env.get("KUBERNETES_SERVICE_HOST", "kubernetes.default.svc"),
            env.get("KUBERNETES_SERVICE_PORT", "443"),
        ),
        "api_dir": env.get("RAY_TLS_API_DIR", "/var/run/secrets/kubernetes.io/serviceaccount"),
        "openssl": env.get("RAY_TLS_OPENSSL", "openssl"),
    }


def subject_alt_names(conf: dict[str, Any]) -> list[str]:
    """This pod's names: localhost, 127.0.0.1 and its pod IP; the head also its Service names
    (peers and ``ray health-check`` dial it by the FQDN) and any extra names."""
    names = ["DNS:localhost", "IP:127.0.0.1", "IP:" + conf["ip"]]
    if conf["role"] == "head":
        short = conf["head_short"]
        for name in (conf["head_fqdn"], short):
            if name:
                names.append("DNS:" + name)
        if short:
            names.append("DNS:{}.{}".format(short, conf["namespace"]))
            names.append("DNS:{}.{}.svc".format(short, conf["namespace"]))
        names += ["DNS:" + name for name in conf["extra_dns"]]
    return list(dict.fromkeys(names))


def make_key_and_csr(conf: dict[str, Any]) -> bytes:
    """An ECDSA P-256 key (kept if an earlier run of this container made one) and a CSR with
    only the subject alternative names: usages go in the request, as cert-manager wants."""
    folder = conf["dir"]
    key, csr, config = (os.path.join(folder, n) for n in ("tls.key", "tls.csr", "csr.conf"))
    if not (os.path.exists(key) and os.path.exists(csr)):
        with open(config, "w") as out:
            out.write(
                "[req]\nprompt = no\ndistinguished_name = dn\nreq_extensions = ext\n"
                "[dn]\nCN = {}\n[ext]\nsubjectAltName = {}\n".format(
                    conf["pod"][:64], ",".join(subject_alt_names(conf))
                )
            )
        subprocess.run(
            [conf["openssl"], "req", "-new", "-nodes", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-keyout", key, "-out", csr,
             "-config", config],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
    with open(csr, "rb") as stream:
        return stream.read()


def request_name(conf: dict[str, Any]) -> str:
    """One request per pod: the pod name and the start of its UID (names are reused)."""
    return "{}-{}".format(conf["pod"], conf["uid"][:8])


def request_body(conf: dict[str, Any], csr: bytes) -> dict[str, Any]:
    """The CertificateRequest, owned by the pod so it is deleted with it."""
    return {
        "apiVersion": "cert-manager.io/v1",
        "kind": "CertificateRequest",
        "metadata": {
            "name": request_name(conf),
            "namespace": conf["namespace"],
            "labels": {"app.kubernetes.io/managed-by": "pulumi-kuberay", "ray.io/tls": "pod"},
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "Pod", "name": conf["pod"], "uid": conf["uid"]}
            ],
        },
        "spec": {
            "request": base64.b64encode(csr).decode(),
            "issuerRef": conf["issuer"],
            "duration": conf["duration"],
            "usages": USAGES,
        },
    }


class Api:
    """The Kubernetes API with this pod's ServiceAccount token."""

    def __init__(self, conf: dict[str, Any]) -> None:
        with open(os.path.join(conf["api_dir"], "token")) as stream:
            self.token = stream.read().strip()
        self.context = ssl.create_default_context(cafile=os.path.join(conf["api_dir"], "ca.crt"))
        self.base = "{}/apis/cert-manager.io/v1/namespaces/{}/certificaterequests".format(
            conf["api"], conf["namespace"]
        )

    def call(self, method: str, path: str = "", body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"}
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, context=self.context, timeout=15) as response:
            return json.load(response)


def explain(error: urllib.error.HTTPError, name: str) -> str:
    """What an API refusal means for this request."""
    if error.code == 403:
        return (
            "forbidden: the pod's ServiceAccount may not create/get CertificateRequests "
            "(check the RoleBinding of the Ray TLS Role)"
        )
    if error.code == 404:
        return "not found: is cert-manager installed (the CertificateRequest API is missing)?"
    return f"HTTP {error.code} for CertificateRequest {name}: {error.reason}"


def failure(status: dict[str, Any]) -> str | None:
    """Why the request will never be signed, if it will not."""
    conditions = {c.get("type"): c for c in status.get("conditions") or []}
    for kind in FAILED_CONDITIONS:
        if conditions.get(kind, {}).get("status") == "True":
            return "{}: {}".format(kind, conditions[kind].get("message", ""))
    ready = conditions.get("Ready", {})
    if ready.get("status") == "False" and ready.get("reason") in ("Failed", "Denied"):
        return "{}: {}".format(ready.get("reason"), ready.get("message", ""))
    return None


def obtain(conf: dict[str, Any], api: Api, csr: bytes) -> dict[str, Any]:
    """Submit the request (once; a retry of this container finds it) and wait until it is
    signed, refused or the timeout passes. Transient API errors are retried."""
    name = request_name(conf)
    deadline = time.monotonic() + conf["timeout"]
    created = False
    while True:
        try:
            if not created:
                try:
                    api.call("POST", "", request_body(conf, csr))
                except urllib.error.HTTPError as error:
                    if error.code != 409:
                        raise
                created = True
            status = api.call("GET", "/" + name).get("status") or {}
            refused = failure(status)
            if refused:
                raise CertificateRequestError(f"CertificateRequest {name} was refused: {refused}")
            if status.get("certificate"):
                return status
        except urllib.error.HTTPError as error:
            if error.code in (401, 403, 404, 422):
                raise CertificateRequestError(explain(error, name)) from None
        except (urllib.error.URLError, OSError, ValueError):
            pass  # the API server is not reachable yet: retry until the deadline
        if time.monotonic() > deadline:
            raise CertificateRequestError(
                "CertificateRequest {} was not signed within {:g}s: check that issuer {} {} is "
                "Ready and approves requests".format(
                    name, conf["timeout"], conf["issuer"]["kind"], conf["issuer"]["name"]
                )
            )
        time.sleep(2)


def public_key(conf: dict[str, Any], args: list[str]) -> bytes:
    return subprocess.run([conf["openssl"], *args], check=True, capture_output=True).stdout


def write_files(conf: dict[str, Any], status: dict[str, Any]) -> None:
    """``tls.crt`` (checked against the key) and ``ca.crt``; files appear whole or not at all."""
    folder = conf["dir"]
    certificate = base64.b64decode(status["certificate"])
    ca = base64.b64decode(status.get("ca") or "")
    if conf["require_ca"] and not ca:
        raise CertificateRequestError(
            "the issuer returned no CA certificate (status.ca); give the trust bundle with "
            "TlsArgs(ca_bundle=...)"
        )
    pending = os.path.join(folder, "tls.crt.new")
    with open(pending, "wb") as out:
        out.write(certificate)
    signed = public_key(conf, ["x509", "-noout", "-pubkey", "-in", pending])
    own = public_key(conf, ["pkey", "-pubout", "-in", os.path.join(folder, "tls.key")])
    if signed.strip() != own.strip():
        raise CertificateRequestError("the signed certificate does not match this pod's key")
    if ca:
        with open(os.path.join(folder, "ca.crt.new"), "wb") as out:
            out.write(ca)
        os.replace(os.path.join(folder, "ca.crt.new"), os.path.join(folder, "ca.crt"))
    os.replace(pending, os.path.join(folder, "tls.crt"))
    for leftover in ("tls.csr", "csr.conf"):
        path = os.path.join(folder, leftover)
        if os.path.exists(path):
            os.remove(path)


def main(env: dict[str, str] | None = None) -> int:
    """Obtain this pod's certificate; exit status 1 (and the reason on stderr) otherwise."""
    os.umask(0o077)
    conf = settings(dict(os.environ) if env is None else env)
    try:
        if os.path.exists(os.path.join(conf["dir"], "tls.crt")):
            return 0  # a restarted init container: the volume already holds the certificate
        csr = make_key_and_csr(conf)
        write_files(conf, obtain(conf, Api(conf), csr))
    except CertificateRequestError as error:
        print("ray-tls: " + str(error), file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print("ray-tls: openssl failed: " + error.stderr.decode(errors="replace"), file=sys.stderr)
        return 1
    print("ray-tls: certificate for {} ready".format(conf["ip"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
