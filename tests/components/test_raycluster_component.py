"""The RayCluster component under Pulumi mocks: graph, names, parents, dependencies, outputs."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

import pulumi_kuberay as kuberay
from pulumi_kuberay.spec import OperatorCapabilities
from tests.conftest import RecordingMocks, run_pulumi

RAYCLUSTER_TYPE = "kubernetes:ray.io/v1:RayCluster"


def small_cluster(resource_name: str = "demo", /, **kwargs: Any) -> kuberay.RayCluster:
    kwargs.setdefault("namespace", "ray")
    kwargs.setdefault(
        "worker_groups", [kuberay.WorkerGroup("cpu", replicas=1, cpu=2, memory="4Gi")]
    )
    return kuberay.RayCluster(resource_name, **kwargs)


def test_creates_one_custom_resource_parented_to_the_component(
    pulumi_mocks: RecordingMocks,
) -> None:
    outputs = run_pulumi(lambda: {"urn": small_cluster().custom_resource.urn})

    component = pulumi_mocks.one("kuberay:index:RayCluster")
    resource = pulumi_mocks.one(RAYCLUSTER_TYPE)
    assert (component.name, resource.name) == ("demo", "demo")
    assert resource.custom
    assert not component.custom
    registration = pulumi_mocks.registration(RAYCLUSTER_TYPE, "demo")
    assert registration.parent.endswith("kuberay:index:RayCluster::demo")
    assert "kuberay:index:RayCluster$kubernetes:ray.io/v1:RayCluster::demo" in outputs["urn"]


def test_sends_the_manifest_it_built(pulumi_mocks: RecordingMocks) -> None:
    holder: dict[str, kuberay.RayCluster] = {}

    def program() -> None:
        holder["cluster"] = small_cluster(labels={"team": "ml"})

    run_pulumi(program)
    inputs = pulumi_mocks.one(RAYCLUSTER_TYPE).inputs
    manifest = holder["cluster"].manifest
    assert inputs["apiVersion"] == "ray.io/v1"
    assert inputs["kind"] == "RayCluster"
    assert inputs["metadata"] == {"name": "demo", "namespace": "ray", "labels": {"team": "ml"}}
    assert inputs["spec"] == manifest["spec"]


def test_metadata_name_is_deterministic_and_can_be_set(pulumi_mocks: RecordingMocks) -> None:
    run_pulumi(lambda: {"n": small_cluster("logical", name="physical").name})
    assert pulumi_mocks.one(RAYCLUSTER_TYPE).inputs["metadata"]["name"] == "physical"


def test_outputs(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        cluster = small_cluster()
        return {
            "name": cluster.name,
            "namespace": cluster.namespace,
            "head": cluster.head_service_name,
            "dashboard": cluster.dashboard_url,
            "client": cluster.client_address,
            "gcs": cluster.gcs_address,
        }

    assert run_pulumi(program) == {
        "name": "demo",
        "namespace": "ray",
        "head": "demo-head-svc",
        "dashboard": "http://demo-head-svc.ray.svc.cluster.local:8265",
        "client": "ray://demo-head-svc.ray.svc.cluster.local:10001",
        "gcs": "demo-head-svc.ray.svc.cluster.local:6379",
    }


def test_namespace_from_another_resource(pulumi_mocks: RecordingMocks) -> None:
    import pulumi_kubernetes as k8s

    def program() -> dict[str, Any]:
        ns = k8s.core.v1.Namespace("ml", metadata={"name": "ml"})
        cluster = small_cluster(namespace=ns.metadata.apply(lambda m: m["name"]))
        return {"dashboard": cluster.dashboard_url}

    outputs = run_pulumi(program)
    assert pulumi_mocks.one(RAYCLUSTER_TYPE).inputs["metadata"]["namespace"] == "ml"
    assert outputs["dashboard"] == "http://demo-head-svc.ml.svc.cluster.local:8265"


def test_wait_for_ready_adds_pulumi_await_annotations(pulumi_mocks: RecordingMocks) -> None:
    run_pulumi(lambda: {"n": small_cluster(wait_for_ready=True, ready_timeout_seconds=900).name})
    annotations = pulumi_mocks.one(RAYCLUSTER_TYPE).inputs["metadata"]["annotations"]
    assert annotations == {
        "pulumi.com/waitFor": "jsonpath={.status.state}=ready",
        "pulumi.com/timeoutSeconds": "900",
    }


class FakeOperator(pulumi.ComponentResource):
    """Stands in for KubeRayOperator: a component that knows its capabilities and owns one
    child (as the operator owns its chart's resources)."""

    def __init__(self, name: str, capabilities: OperatorCapabilities) -> None:
        import pulumi_kubernetes as k8s

        super().__init__("test:index:Operator", name)
        self.capabilities = capabilities
        k8s.core.v1.ConfigMap(f"{name}-child", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


def test_depends_on_the_operator_and_uses_its_capabilities(pulumi_mocks: RecordingMocks) -> None:
    def program() -> None:
        operator = FakeOperator(
            "kuberay", OperatorCapabilities(feature_gates={"RayJobDeletionPolicy": True})
        )
        small_cluster(
            operator=operator,
            worker_groups=[kuberay.WorkerGroup("cpu", replicas=1, suspend=True)],
        )

    run_pulumi(program)
    registration = pulumi_mocks.registration(RAYCLUSTER_TYPE, "demo")
    # Pulumi expands a dependency on a component to the resources inside it.
    assert any(dep.endswith("::kuberay-child") for dep in registration.dependencies)


def test_operator_capabilities_reject_what_it_cannot_run(pulumi_mocks: RecordingMocks) -> None:
    operator = FakeOperator(
        "kuberay", OperatorCapabilities(version="1.4.2", watch_namespaces=["ml"])
    )
    with pytest.raises(kuberay.ValidationError) as caught:
        small_cluster(operator=operator, auth_token=True)
    assert caught.value.problems == [
        "metadata.namespace: the operator watches only ml, so a RayCluster in 'ray' would never "
        "be reconciled; add the namespace to the operator's watch_namespaces or deploy into a "
        "watched one",
        "spec.authOptions: added in KubeRay 1.5.0; operator 1.4.2's CRD lacks it, so the API "
        "server would drop it and the setting would do nothing; upgrade the operator to 1.5.0 "
        "or newer, or remove the field",
    ]


def test_a_misspelt_keyword_names_the_closest_argument(pulumi_mocks: RecordingMocks) -> None:
    with pytest.raises(kuberay.ValidationError) as caught:
        small_cluster(max_replica=4, ray_verison="2.53.0")
    assert str(caught.value) == (
        "RayCluster demo: 2 problems:\n"
        "  - max_replica: unknown argument\n"
        "  - ray_verison: unknown argument; did you mean 'ray_version'?"
    )
    with pytest.raises(kuberay.ValidationError, match="operator: expected a KubeRayOperator"):
        small_cluster(operator="1.6.2")


def test_an_operator_managed_elsewhere_is_given_by_its_capabilities(
    pulumi_mocks: RecordingMocks,
) -> None:
    with pytest.raises(
        kuberay.ValidationError, match="needs the RayJobDeletionPolicy feature gate"
    ):
        small_cluster(worker_groups=[kuberay.WorkerGroup("cpu", suspend=True)])
    run_pulumi(
        lambda: {
            "n": small_cluster(
                worker_groups=[kuberay.WorkerGroup("cpu", suspend=True)],
                operator=OperatorCapabilities(feature_gates={"RayJobDeletionPolicy": True}),
            ).name
        }
    )
    assert (
        pulumi_mocks.one(RAYCLUSTER_TYPE).inputs["spec"]["workerGroupSpecs"][0]["suspend"] is True
    )


def test_component_dependencies_reach_the_custom_resource(pulumi_mocks: RecordingMocks) -> None:
    import pulumi_kubernetes as k8s

    def program() -> None:
        namespace = k8s.core.v1.Namespace("ray-namespace", metadata={"name": "ray"})
        small_cluster(opts=pulumi.ResourceOptions(depends_on=[namespace]))

    run_pulumi(program)
    registration = pulumi_mocks.registration(RAYCLUSTER_TYPE, "demo")
    assert any(dep.endswith("::ray-namespace") for dep in registration.dependencies)
