"""Start ``policies/`` the way the Pulumi engine does and speak the Analyzer protocol to it.

The engine runs ``python -m pulumi.policy <engine-address> <pack-dir>``, reads the analyzer's
port from the first line of its stdout, then calls GetAnalyzerInfo, Configure, Analyze,
Remediate and AnalyzeStack over gRPC. A tiny fake Engine service stands in for the engine's
logging endpoint.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime import proto

from pulumi_kuberay.policy import ALL_RULES
from tests.policy.analyzer import (
    analyze_request,
    configure_request,
    diagnostics,
    remediations,
    stack_request,
)
from tests.policy.manifests import CPU_RAY, DELETE, edit_paths, good

PACK_DIR = Path(__file__).resolve().parents[3] / "policies"
START_TIMEOUT = 60.0

pytestmark = pytest.mark.slow


class FakeEngine(proto.EngineServicer):  # type: ignore[misc]
    """The engine's side of logging: records what the pack logs."""

    def __init__(self) -> None:
        self.logs: list[str] = []

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:  # noqa: N802 - gRPC name
        self.logs.append(request.message)
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        return proto.GetRootResourceResponse()

    def SetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        return proto.SetRootResourceResponse()


@pytest.fixture(scope="module")
def engine() -> Iterator[tuple[str, FakeEngine]]:
    servicer = FakeEngine()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    proto.add_EngineServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}", servicer
    server.stop(0)


def _first_line(process: subprocess.Popen[bytes], timeout: float) -> str:
    line: list[bytes] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    if not line:
        raise TimeoutError(f"the policy pack did not print its port within {timeout}s")
    return line[0].decode().strip()


@pytest.fixture(scope="module")
def analyzer(engine: tuple[str, FakeEngine]) -> Iterator[Any]:
    address, _ = engine
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PULUMI_PROJECT": "proj",
        "PULUMI_STACK": "dev",
        "PULUMI_DRY_RUN": "true",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi.policy", address, str(PACK_DIR)],
        cwd=PACK_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        try:
            port = int(_first_line(process, START_TIMEOUT))
        except (TimeoutError, ValueError):
            process.kill()
            _, err = process.communicate(timeout=10)
            pytest.fail(f"policy pack failed to start:\n{err.decode()}")
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=START_TIMEOUT)
        yield proto.AnalyzerStub(channel)
        channel.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_get_analyzer_info(analyzer: Any) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())

    assert info.name == "kuberay-best-practices"
    assert [p.name for p in info.policies] == [rule.id for rule in ALL_RULES]
    levels = {p.name: p.enforcementLevel for p in info.policies}
    assert levels["operator-would-reject"] == proto.MANDATORY
    assert levels["head-runs-no-workloads"] == proto.ADVISORY


def test_analyze(analyzer: Any) -> None:
    doc = edit_paths(good(), {"spec.workerGroupSpecs[0].replicas": 9})

    found = diagnostics(analyzer.Analyze(analyze_request(doc, "demo")))

    assert [(d["policy"], d["level"]) for d in found] == [("operator-would-reject", "mandatory")]
    assert "spec.workerGroupSpecs[0].replicas: 9 is above maxReplicas (4)" in found[0]["message"]
    assert diagnostics(analyzer.Analyze(analyze_request(good("RayService")))) == []


def test_configure_and_remediate(analyzer: Any) -> None:
    doc = edit_paths(good("RayJob"), {f"spec.rayClusterSpec.{CPU_RAY}.env": DELETE})
    analyzer.Configure(configure_request({"hide-gpus-from-cpu-containers": "remediate"}))

    [(name, props)] = remediations(analyzer.Remediate(analyze_request(doc)))

    assert name == "hide-gpus-from-cpu-containers"
    assert set(props) == {"apiVersion", "kind", "metadata", "spec"}
    container = props["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["template"]["spec"][
        "containers"
    ][0]
    assert container["env"] == [{"name": "NVIDIA_VISIBLE_DEVICES", "value": "void"}]
    analyzer.Configure(configure_request({}))  # back to the pack's defaults for other tests


def test_analyze_stack(analyzer: Any) -> None:
    env = [{"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf", "key": "token"}}}]
    cluster = edit_paths(good(), {f"spec.{CPU_RAY}.env": env})

    found = diagnostics(analyzer.AnalyzeStack(stack_request([cluster])))

    assert [(d["policy"], d["urn"]) for d in found] == [
        ("unresolved-references", "urn:pulumi:dev::proj::kubernetes:ray.io/v1:RayCluster::r0")
    ]
