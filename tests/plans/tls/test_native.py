"""KubeRay 1.7 native mTLS: ``tlsOptions.enabled`` and nothing else, the operator's own TLS
rule at preview, and the 1.7 CRD."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.plans.cluster.args import (
    Autoscaling,
    ClusterArgs,
    HeadGroup,
    RayClusterArgs,
    WorkerGroup,
)
from pulumi_kuberay.plans.ray_object import ObjectArgs
from pulumi_kuberay.plans.raycluster import plan_raycluster
from pulumi_kuberay.plans.rayjob import JobArgs, plan_rayjob
from pulumi_kuberay.plans.rayservice import ServiceArgs, plan_rayservice
from pulumi_kuberay.plans.tls.args import TlsArgs
from pulumi_kuberay.plans.tls.per_pod import INIT_CONTAINER, TLS_ENV_NAMES
from pulumi_kuberay.spec import validate_manifest
from tests.conformance.registry import conformance_problems
from tests.plans.tls.conftest import FakeAuthority

MTLS = OperatorCapabilities(
    version="1.7.0", feature_gates={"RayClusterMTLS": True}, cert_manager=True
)
SERVE = {"applications": [{"name": "app", "import_path": "app:deployment"}]}


def cluster(tls: Any = True, **fields: Any) -> ClusterArgs:
    base: dict[str, Any] = {
        "worker_groups": [WorkerGroup("cpu", cpu=1, memory="2Gi")],
        "autoscaling": Autoscaling(),
        "tls": tls,
    }
    return ClusterArgs(**{**base, **fields})


def manifests(args: ClusterArgs, caps: OperatorCapabilities = MTLS) -> dict[str, dict[str, Any]]:
    obj = ObjectArgs("demo", namespace="ml")
    return {
        "RayCluster": plan_raycluster(obj, RayClusterArgs(**args.given()), caps).manifest,
        "RayJob": plan_rayjob(obj, JobArgs(entrypoint="python x.py", cluster=args), caps).manifest,
        "RayService": plan_rayservice(
            obj, ServiceArgs(serve_config=SERVE, cluster=args), caps
        ).manifest,
    }


def spec_of(manifest: dict[str, Any]) -> dict[str, Any]:
    spec = manifest["spec"]
    return {
        "RayCluster": spec,
        "RayJob": spec.get("rayClusterSpec"),
        "RayService": spec.get("rayClusterConfig"),
    }[manifest["kind"]]


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
def test_tls_true_is_tls_options_and_the_operator_does_the_rest(kind: str) -> None:
    manifest = manifests(cluster())[kind]
    spec = spec_of(manifest)
    assert spec["tlsOptions"] == {"enabled": True}
    pods = [
        spec["headGroupSpec"]["template"]["spec"],
        *(g["template"]["spec"] for g in spec["workerGroupSpecs"]),
    ]
    for pod in pods:
        names = {e["name"] for e in pod["containers"][0].get("env") or []}
        assert not names & set(TLS_ENV_NAMES)
        assert all(c["name"] != INIT_CONTAINER for c in pod.get("initContainers") or [])
    assert "env" not in (spec.get("autoscalerOptions") or {})
    if kind == "RayJob":
        # KubeRay configures no submitter in native mode; its `ray job submit` is plain HTTP.
        assert "submitterPodTemplate" not in manifest["spec"]
    assert conformance_problems(manifest, release="1.7") == []
    assert (
        validate_manifest(
            manifest, operator_version="1.7.0", feature_gates={"RayClusterMTLS": True}
        )
        == []
    )


def test_the_operator_refuses_tls_env_beside_tls_options() -> None:
    with pytest.raises(ValidationError, match="sets RAY_TLS_CA_CERT, which the operator manages"):
        manifests(cluster(head=HeadGroup(env={"RAY_TLS_CA_CERT": "/x"})))


def test_the_operator_refuses_its_mount_path() -> None:
    mounts = [{"name": "certs", "mountPath": "/etc/ray/tls"}]
    with pytest.raises(
        ValidationError, match=r"autoscalerOptions: mounts 'certs' at '/etc/ray/tls'"
    ):
        manifests(cluster(autoscaling=Autoscaling(volume_mounts=mounts)))


def test_the_gate_off_is_an_error_at_preview() -> None:
    caps = OperatorCapabilities(version="1.7.0", cert_manager=True)
    with pytest.raises(ValidationError, match="RayClusterMTLS feature gate, which is off"):
        manifests(cluster(), caps)


def test_an_issuer_on_1_7_still_means_per_pod_certificates() -> None:
    manifest = manifests(cluster(tls=FakeAuthority()))["RayCluster"]
    assert "tlsOptions" not in manifest["spec"]
    assert (
        manifest["spec"]["headGroupSpec"]["template"]["spec"]["initContainers"][0]["name"]
        == INIT_CONTAINER
    )


def test_native_mode_asked_for_on_1_6_names_the_release() -> None:
    with pytest.raises(
        ValidationError, match=r"needs KubeRay >= 1\.7\.0; this operator is 1\.6\.2"
    ):
        manifests(cluster(tls=TlsArgs(mode="native")), OperatorCapabilities(version="1.6.2"))


def test_tls_options_without_the_gate_fail_validation() -> None:
    manifest = manifests(cluster())["RayCluster"]
    problems = validate_manifest(manifest, operator_version="1.7.0")
    assert any("RayClusterMTLS" in p for p in problems)
