"""Per-pod certificates: every Ray container of a TLS cluster (head, workers, the autoscaler
sidecar, a RayJob's submitter) gets the same TLS settings from a mounted volume, on every
KubeRay release, and the manifests pass that release's CRDs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
from pulumi_kuberay.plans.env import SecretRef
from pulumi_kuberay.plans.ray_object import ObjectArgs
from pulumi_kuberay.plans.raycluster import plan_raycluster
from pulumi_kuberay.plans.rayjob import JobArgs, plan_rayjob
from pulumi_kuberay.plans.rayservice import ServiceArgs, plan_rayservice
from pulumi_kuberay.plans.tls.args import TlsArgs
from pulumi_kuberay.plans.tls.per_pod import (
    API_ACCESS_VOLUME,
    INIT_CONTAINER,
    REQUEST_SCRIPT,
    SERVICE_ACCOUNT_PATH,
    TLS_ENV_NAMES,
)
from tests.conformance.registry import conformance_problems
from tests.plans.tls.conftest import FakeAuthority

RELEASES = {"1.5": "1.5.1", "1.6": "1.6.2", "1.7": "1.7.0"}
SERVE = {"applications": [{"name": "app", "import_path": "app:deployment"}]}


def tls_cluster(tls: Any) -> ClusterArgs:
    return ClusterArgs(
        head=HeadGroup(cpu=1, memory="4Gi"),
        worker_groups=[
            WorkerGroup("cpu", cpu=2, memory="8Gi"),
            WorkerGroup("more", cpu=1, memory="2Gi"),
        ],
        autoscaling=Autoscaling(idle_timeout_seconds=60),
        tls=tls,
    )


def ray_manifests(tls: Any, version: str = "1.5.1") -> dict[str, dict[str, Any]]:
    caps = OperatorCapabilities(version=version)
    cluster = tls_cluster(tls)
    obj = ObjectArgs("demo", namespace="ml")
    return {
        "RayCluster": plan_raycluster(obj, RayClusterArgs(**cluster.given()), caps).manifest,
        "RayJob": plan_rayjob(
            obj, JobArgs(entrypoint="python x.py", cluster=cluster), caps
        ).manifest,
        "RayService": plan_rayservice(
            obj, ServiceArgs(serve_config=SERVE, cluster=cluster), caps
        ).manifest,
    }


def cluster_spec(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = manifest["spec"]
    return {
        "RayCluster": spec,
        "RayJob": spec.get("rayClusterSpec"),
        "RayService": spec.get("rayClusterConfig"),
    }[manifest["kind"]]


def ray_containers(
    manifest: Mapping[str, Any],
) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
    """(what, container, the pod spec whose volumes it mounts) for every container that runs Ray."""
    spec = cluster_spec(manifest)
    head_pod = spec["headGroupSpec"]["template"]["spec"]
    yield "head", head_pod["containers"][0], head_pod
    for group in spec["workerGroupSpecs"]:
        pod = group["template"]["spec"]
        yield f"worker {group['groupName']}", pod["containers"][0], pod
    yield "autoscaler", spec["autoscalerOptions"], head_pod
    if manifest["kind"] == "RayJob":
        pod = manifest["spec"]["submitterPodTemplate"]["spec"]
        yield "submitter", pod["containers"][0], pod


def tls_settings(container: Mapping[str, Any], pod: Mapping[str, Any]) -> dict[str, str]:
    """The container's TLS env, each path checked to lie on a volume mounted from the pod."""
    env = {e["name"]: e.get("value") for e in container.get("env") or []}
    settings = {name: env[name] for name in TLS_ENV_NAMES}
    volumes = {v["name"]: v for v in pod.get("volumes") or []}
    mounts = container.get("volumeMounts") or []
    for name in TLS_ENV_NAMES[1:]:
        path = settings[name]
        mount = next(m for m in mounts if path.startswith(m["mountPath"].rstrip("/") + "/"))
        assert mount["name"] in volumes, f"{name}: {mount['name']} is not a volume of the pod"
        assert mount.get("readOnly") is True
    return settings


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
def test_every_ray_container_gets_the_same_tls_settings(
    kind: str, authority: FakeAuthority
) -> None:
    manifest = ray_manifests(authority)[kind]
    seen = {what: tls_settings(container, pod) for what, container, pod in ray_containers(manifest)}
    expected = {
        "RAY_USE_TLS": "1",
        "RAY_TLS_SERVER_CERT": "/etc/ray/tls/tls.crt",
        "RAY_TLS_SERVER_KEY": "/etc/ray/tls/tls.key",
        "RAY_TLS_CA_CERT": "/etc/ray/tls/ca.crt",
    }
    assert seen == dict.fromkeys(seen, expected)
    assert {"head", "worker cpu", "worker more", "autoscaler"} <= set(seen)
    assert ("submitter" in seen) == (kind == "RayJob")


def pods(manifest: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    spec = cluster_spec(manifest)
    yield "head", spec["headGroupSpec"]["template"]["spec"]
    for group in spec["workerGroupSpecs"]:
        yield group["groupName"], group["template"]["spec"]
    if manifest["kind"] == "RayJob":
        yield "submitter", manifest["spec"]["submitterPodTemplate"]["spec"]


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
def test_every_pod_requests_its_certificate_first_and_user_code_never_sees_the_token(
    kind: str, authority: FakeAuthority
) -> None:
    manifest = ray_manifests(authority)[kind]
    for what, pod in pods(manifest):
        init = pod["initContainers"][0]
        assert init["name"] == INIT_CONTAINER, what
        assert init["command"] == ["python3", "-c", REQUEST_SCRIPT]
        env = {e["name"]: e.get("value") or e.get("valueFrom") for e in init["env"]}
        assert env["POD_IP"] == {"fieldRef": {"fieldPath": "status.podIP"}}
        assert env["RAY_TLS_ROLE"] == (
            "head" if what == "head" else "submitter" if what == "submitter" else "worker"
        )
        assert (env["RAY_TLS_ISSUER_NAME"], env["RAY_TLS_ISSUER_KIND"]) == ("ray-ca", "Issuer")
        assert pod["serviceAccountName"] == "ray-ca-ray-pods"
        assert pod["automountServiceAccountToken"] is False
        token = {"name": API_ACCESS_VOLUME, "mountPath": SERVICE_ACCOUNT_PATH, "readOnly": True}
        assert token in init["volumeMounts"]
        assert token not in (pod["containers"][0].get("volumeMounts") or [])
    autoscaler = cluster_spec(manifest)["autoscalerOptions"]
    assert {
        "name": API_ACCESS_VOLUME,
        "mountPath": SERVICE_ACCOUNT_PATH,
        "readOnly": True,
    } in autoscaler["volumeMounts"]


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_tls_manifests_pass_their_release_crds(release: str, authority: FakeAuthority) -> None:
    for manifest in ray_manifests(authority, RELEASES[release]).values():
        assert conformance_problems(manifest, release=release) == []


def test_a_ca_bundle_replaces_the_issuers_ca(authority: FakeAuthority) -> None:
    tls = TlsArgs(issuer=authority, ca_bundle=SecretRef("corporate-ca", "ca.pem"))
    manifest = ray_manifests(tls)["RayCluster"]
    for what, container, pod in ray_containers(manifest):
        assert tls_settings(container, pod)["RAY_TLS_CA_CERT"] == "/etc/ray/tls-ca/ca.crt", what
    head = manifest["spec"]["headGroupSpec"]["template"]["spec"]
    bundle = next(v for v in head["volumes"] if v["name"] == "ray-tls-ca-bundle")
    assert bundle == {
        "name": "ray-tls-ca-bundle",
        "secret": {"secretName": "corporate-ca", "items": [{"key": "ca.pem", "path": "ca.crt"}]},
    }
    env = {e["name"]: e.get("value") for e in head["initContainers"][0]["env"]}
    assert env["RAY_TLS_REQUIRE_CA"] == "0"


def test_extra_dns_names_go_on_the_head_only(authority: FakeAuthority) -> None:
    manifest = ray_manifests(TlsArgs(issuer=authority, extra_dns_names=["ray.example.com"]))[
        "RayCluster"
    ]
    for what, pod in pods(manifest):
        env = {e["name"]: e.get("value") for e in pod["initContainers"][0]["env"]}
        assert env.get("RAY_TLS_EXTRA_DNS") == ("ray.example.com" if what == "head" else None)


def test_tls_settings_written_by_hand_conflict(authority: FakeAuthority) -> None:
    cluster = tls_cluster(authority).model_copy(
        update={"worker_groups": [WorkerGroup("cpu", env={"RAY_USE_TLS": "1"})]}
    )
    with pytest.raises(
        ValidationError,
        match=r"workerGroupSpecs\[0\].template.spec.containers\[0\] already sets RAY_USE_TLS",
    ):
        plan_raycluster(
            ObjectArgs("demo", namespace="ml"),
            RayClusterArgs(**cluster.given()),
            OperatorCapabilities(),
        )


def test_autoscaler_tls_written_by_hand_conflicts(authority: FakeAuthority) -> None:
    cluster = tls_cluster(authority).model_copy(
        update={"autoscaling": Autoscaling(env=[{"name": "RAY_TLS_CA_CERT", "value": "/x"}])}
    )
    with pytest.raises(ValidationError, match="autoscalerOptions already sets RAY_TLS_CA_CERT"):
        plan_raycluster(
            ObjectArgs("demo", namespace="ml"),
            RayClusterArgs(**cluster.given()),
            OperatorCapabilities(),
        )


def test_a_group_running_as_another_service_account_is_an_error(authority: FakeAuthority) -> None:
    cluster = tls_cluster(authority).model_copy(update={"head": HeadGroup(service_account="mine")})
    with pytest.raises(
        ValidationError, match="runs as 'mine', but only 'ray-ca-ray-pods' may request"
    ):
        plan_raycluster(
            ObjectArgs("demo", namespace="ml"),
            RayClusterArgs(**cluster.given()),
            OperatorCapabilities(),
        )


def test_overrides_cannot_strip_tls(authority: FakeAuthority) -> None:
    cluster = tls_cluster(authority).model_copy(
        update={
            "overrides": {
                "headGroupSpec": {
                    "template": {
                        "spec": {
                            "containers": [{"name": "ray-head", "image": "rayproject/ray:2.53.0"}]
                        }
                    }
                }
            }
        }
    )
    manifest = plan_raycluster(
        ObjectArgs("demo", namespace="ml"),
        RayClusterArgs(**cluster.given()),
        OperatorCapabilities(),
    ).manifest
    head = manifest["spec"]["headGroupSpec"]["template"]["spec"]["containers"][0]
    assert {e["name"] for e in head["env"]} >= set(TLS_ENV_NAMES)


def test_the_ca_namespace_must_be_the_clusters(authority: FakeAuthority) -> None:
    with pytest.raises(ValidationError, match="signs only there"):
        plan_raycluster(
            ObjectArgs("demo", namespace="serving"),
            RayClusterArgs(tls=authority),
            OperatorCapabilities(),
        )


def test_user_init_containers_run_after_the_certificate(authority: FakeAuthority) -> None:
    template = {
        "spec": {
            "containers": [{"name": "ray-head"}],
            "initContainers": [{"name": "warm-cache", "image": "busybox"}],
        }
    }
    manifest = plan_raycluster(
        ObjectArgs("demo", namespace="ml"),
        RayClusterArgs(head=HeadGroup(template=template), tls=authority),
        OperatorCapabilities(),
    ).manifest
    names = [
        c["name"] for c in manifest["spec"]["headGroupSpec"]["template"]["spec"]["initContainers"]
    ]
    assert names == [INIT_CONTAINER, "warm-cache"]
