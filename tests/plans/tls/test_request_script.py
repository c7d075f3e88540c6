"""The per-pod init container's program against a recorded-behaviour API server: a local HTTPS
server that answers CertificateRequests as cert-manager's CA issuer does (signing the CSR with a
test CA), or refuses them. Needs the ``openssl`` command, as the Ray image has."""

from __future__ import annotations

import base64
import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pulumi_kuberay.models.cert_manager.certificate import CertificateRequest
from pulumi_kuberay.models.cert_manager.validation import certificate_request_problems
from pulumi_kuberay.plans.tls import request_script
from tests.conformance.registry import conformance_problems

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def openssl(*args: str, cwd: Path) -> bytes:
    return subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True).stdout


@dataclass
class FakeCertManager:
    """What the server does with requests: sign, refuse or forbid."""

    folder: Path
    answer: str = "sign"
    with_ca: bool = True
    requests: list[dict[str, Any]] = field(default_factory=list)
    gets: int = 0

    def sign(self, csr_pem: bytes) -> bytes:
        (self.folder / "req.csr").write_bytes(csr_pem)
        openssl(
            "x509", "-req", "-in", "req.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "1", "-copy_extensions", "copy", "-out", "leaf.crt",
            cwd=self.folder,
        )  # fmt: skip
        return (self.folder / "leaf.crt").read_bytes()

    def status(self) -> dict[str, Any]:
        if self.answer == "deny":
            return {
                "conditions": [{"type": "Denied", "status": "True", "message": "policy says no"}]
            }
        if self.answer == "pending" or self.gets < 2:
            return {"conditions": [{"type": "Ready", "status": "False", "reason": "Pending"}]}
        csr = base64.b64decode(self.requests[-1]["spec"]["request"])
        status = {
            "certificate": base64.b64encode(self.sign(csr)).decode(),
            "conditions": [{"type": "Ready", "status": "True"}],
        }
        if self.with_ca:
            status["ca"] = base64.b64encode((self.folder / "ca.crt").read_bytes()).decode()
        return status


def make_handler(fake: FakeCertManager) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def reply(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if fake.answer == "forbid":
                self.reply(403, {"kind": "Status", "code": 403})
                return
            assert self.headers["Authorization"] == "Bearer test-token"
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            self.reply(201, body)

        def do_GET(self) -> None:
            fake.gets += 1
            self.reply(200, {**fake.requests[-1], "status": fake.status()})

    return Handler


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[FakeCertManager, dict[str, str]]]:
    ca_dir, sa_dir, tls_dir = tmp_path / "ca", tmp_path / "sa", tmp_path / "tls"
    for folder in (ca_dir, sa_dir, tls_dir):
        folder.mkdir()
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=test-ray-ca", cwd=ca_dir)  # fmt: skip
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "api.key", "-out", "api.crt", "-days", "1", "-subj", "/CN=api",
            "-addext", "subjectAltName=IP:127.0.0.1", cwd=sa_dir)  # fmt: skip
    (sa_dir / "ca.crt").write_bytes((sa_dir / "api.crt").read_bytes())
    (sa_dir / "token").write_text("test-token\n")
    fake = FakeCertManager(ca_dir)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(fake))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sa_dir / "api.crt", sa_dir / "api.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {
        "POD_NAME": "demo-head-abcde",
        "POD_NAMESPACE": "ml",
        "POD_UID": "0123456789abcdef",
        "POD_IP": "10.1.2.3",
        "FQ_RAY_IP": "demo-head-svc.ml.svc.cluster.local",
        "RAY_IP": "demo-head-svc",
        "RAY_TLS_ROLE": "head",
        "RAY_TLS_DIR": str(tls_dir),
        "RAY_TLS_ISSUER_NAME": "ray-ca",
        "RAY_TLS_ISSUER_KIND": "Issuer",
        "RAY_TLS_DURATION": "8760h",
        "RAY_TLS_TIMEOUT_SECONDS": "20",
        "RAY_TLS_EXTRA_DNS": "ray.example.com",
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": str(server.server_address[1]),
        "RAY_TLS_API_DIR": str(sa_dir),
    }
    try:
        yield fake, env
    finally:
        server.shutdown()
        server.server_close()


def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(request_script.time, "sleep", lambda seconds: None)


def test_the_pod_gets_a_certificate_for_its_own_ip(
    api: tuple[FakeCertManager, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, env = api
    no_wait(monkeypatch)
    assert request_script.main(env) == 0
    folder = Path(env["RAY_TLS_DIR"])
    assert sorted(p.name for p in folder.iterdir()) == ["ca.crt", "tls.crt", "tls.key"]
    assert (folder / "tls.key").stat().st_mode & 0o077 == 0
    text = openssl(
        "x509", "-noout", "-ext", "subjectAltName", "-in", "tls.crt", cwd=folder
    ).decode()
    for name in ("DNS:localhost", "IP Address:127.0.0.1", "IP Address:10.1.2.3",
                 "DNS:demo-head-svc.ml.svc.cluster.local", "DNS:demo-head-svc.ml.svc", "DNS:ray.example.com"):  # fmt: skip
        assert name in text
    openssl("verify", "-CAfile", "ca.crt", "tls.crt", cwd=folder)
    # The request the pod sent is a valid CertificateRequest, owned by the pod.
    [sent] = fake.requests
    assert conformance_problems(sent) == []
    assert certificate_request_problems(CertificateRequest.model_validate(sent)) == []
    assert sent["metadata"]["name"] == "demo-head-abcde-01234567"
    assert sent["metadata"]["ownerReferences"][0]["kind"] == "Pod"
    assert sent["spec"]["usages"] == [
        "digital signature",
        "key encipherment",
        "server auth",
        "client auth",
    ]
    assert sent["spec"]["issuerRef"] == {
        "name": "ray-ca",
        "kind": "Issuer",
        "group": "cert-manager.io",
    }


def test_a_worker_certificate_has_no_service_names(
    api: tuple[FakeCertManager, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, env = api
    no_wait(monkeypatch)
    assert request_script.main({**env, "RAY_TLS_ROLE": "worker"}) == 0
    text = openssl(
        "x509", "-noout", "-ext", "subjectAltName", "-in", "tls.crt", cwd=Path(env["RAY_TLS_DIR"])
    ).decode()
    assert "demo-head-svc" not in text
    assert "IP Address:10.1.2.3" in text


def test_a_restarted_init_container_keeps_what_it_has(
    api: tuple[FakeCertManager, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, env = api
    no_wait(monkeypatch)
    assert request_script.main(env) == 0
    assert request_script.main(env) == 0
    assert len(fake.requests) == 1


def test_a_denied_request_fails_the_pod_with_the_reason(
    api: tuple[FakeCertManager, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, env = api
    fake.answer = "deny"
    no_wait(monkeypatch)
    assert request_script.main(env) == 1
    assert "was refused: Denied: policy says no" in capsys.readouterr().err
    assert not (Path(env["RAY_TLS_DIR"]) / "tls.crt").exists()


def test_missing_rbac_is_named(
    api: tuple[FakeCertManager, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, env = api
    fake.answer = "forbid"
    no_wait(monkeypatch)
    assert request_script.main(env) == 1
    assert "may not create/get CertificateRequests" in capsys.readouterr().err


def test_a_request_never_signed_times_out(
    api: tuple[FakeCertManager, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, env = api
    fake.answer = "pending"
    monkeypatch.setattr(request_script.time, "sleep", lambda seconds: None)
    assert request_script.main({**env, "RAY_TLS_TIMEOUT_SECONDS": "0.2"}) == 1
    assert "was not signed within 0.2s" in capsys.readouterr().err


def test_an_issuer_without_its_ca_needs_a_bundle(
    api: tuple[FakeCertManager, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, env = api
    fake.with_ca = False
    no_wait(monkeypatch)
    assert request_script.main(env) == 1
    assert "TlsArgs(ca_bundle=...)" in capsys.readouterr().err
    assert request_script.main({**env, "RAY_TLS_REQUIRE_CA": "0"}) == 0
