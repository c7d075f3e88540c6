"""unresolved-references: Secrets, LocalQueues and RayClusters a stack does not create."""

from __future__ import annotations

from typing import Any

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.stack_rules import UNRESOLVED_REFERENCES, unresolved_references
from tests.policy.manifests import CPU_RAY, DELETE, edit, edit_paths, good

QUEUE = "metadata.labels[kueue.x-k8s.io/queue-name]"


def secret(name: str, namespace: str | None = "ml") -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata}


def local_queue(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "kueue.x-k8s.io/v1beta1",
        "kind": "LocalQueue",
        "metadata": {"name": name, "namespace": "ml"},
        "spec": {"clusterQueue": "cq"},
    }


def with_secret_env(kind: str = "RayCluster") -> dict[str, Any]:
    env = [{"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf", "key": "token"}}}]
    prefix = {"RayCluster": "spec", "RayJob": "spec.rayClusterSpec"}[kind]
    return edit_paths(good(kind), {f"{prefix}.{CPU_RAY}.env": env})


def messages(manifests: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(index, v.message) for index, v in unresolved_references(manifests)]


def test_objects_without_references_pass() -> None:
    assert messages([good(), good("RayJob"), good("RayService"), secret("redis")]) == []


def test_a_secret_created_alongside_resolves() -> None:
    assert messages([with_secret_env(), secret("hf")]) == []


def test_a_missing_secret_is_reported_against_the_referring_object() -> None:
    found = messages([secret("other"), with_secret_env()])

    assert found == [
        (
            1,
            f"spec.{CPU_RAY}.env[0].valueFrom.secretKeyRef.name: refers to Secret 'hf', which is "
            "not created here; it must already exist in namespace 'ml' when KubeRay reconciles, "
            "or pods cannot start (Secrets), the job is never admitted (LocalQueues) or the job "
            "waits forever (RayClusters); create it alongside or check the name",
        )
    ]


def test_a_secret_in_another_namespace_does_not_resolve() -> None:
    assert len(messages([with_secret_env(), secret("hf", "other")])) == 1


def test_a_secret_without_namespace_may_be_in_any() -> None:
    assert messages([with_secret_env(), secret("hf", None)]) == []


def test_optional_references_are_not_required() -> None:
    doc = with_secret_env()
    doc["spec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]["env"][0]["valueFrom"][
        "secretKeyRef"
    ]["optional"] = True
    assert messages([doc]) == []


def test_redis_password_volume_and_pull_secrets() -> None:
    doc = good("RayService")  # redisPassword from Secret 'redis'
    doc = edit_paths(
        doc,
        {
            "spec.rayClusterConfig.headGroupSpec.template.spec.volumes": [
                {"name": "certs", "secret": {"secretName": "tls"}}
            ],
            "spec.rayClusterConfig.headGroupSpec.template.spec.imagePullSecrets": [
                {"name": "registry"}
            ],
        },
    )
    paths = [v.path for _, v in unresolved_references([doc])]
    assert paths == [
        "spec.rayClusterConfig.headGroupSpec.template.spec.volumes[0].secret.secretName",
        "spec.rayClusterConfig.headGroupSpec.template.spec.imagePullSecrets[0].name",
        "spec.rayClusterConfig.gcsFaultToleranceOptions.redisPassword.valueFrom.secretKeyRef.name",
    ]


def test_local_queues() -> None:
    job = edit_paths(good("RayJob"), {QUEUE: "team-a"})
    assert [v.path for _, v in unresolved_references([job])] == [
        "metadata.labels[kueue.x-k8s.io/queue-name]"
    ]
    assert unresolved_references([job, local_queue("team-a")]) == []


def test_cluster_selectors_resolve_to_rayclusters_by_name() -> None:
    job = edit(
        good("RayJob"),
        spec__rayClusterSpec=DELETE,
        spec__clusterSelector={"ray.io/cluster": "demo"},
    )
    [(_index, violation)] = unresolved_references([job])
    assert violation.path == "spec.clusterSelector[ray.io/cluster]"
    assert "refers to RayCluster 'demo'" in violation.message
    assert unresolved_references([good(), job]) == []  # good() is RayCluster ml/demo


def test_unknown_names_never_produce_findings() -> None:
    unknown_secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": UNKNOWN}}
    assert messages([with_secret_env(), unknown_secret]) == []


def test_rule_metadata() -> None:
    assert UNRESOLVED_REFERENCES.id == "unresolved-references"
    assert UNRESOLVED_REFERENCES.enforcement.value == "advisory"
