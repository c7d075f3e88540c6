"""The root project: the operator, a namespace and an autoscaling RayCluster."""

from __future__ import annotations

from pulumi_kuberay.preview import run_program
from pulumi_kuberay.spec import validate_manifest
from tests.stacks.conftest import REPO_ROOT


def test_default_stack_composes_operator_and_cluster() -> None:
    result = run_program(REPO_ROOT)
    types = {(r.type, r.name) for r in result.resources}
    assert ("kuberay:index:KubeRayOperator", "kuberay") in types
    assert ("kubernetes:helm.sh/v4:Chart", "kuberay") in types
    assert ("kuberay:index:RayCluster", "raycluster-default") in types

    (cluster,) = [o for o in result.kubernetes_objects() if o["kind"] == "RayCluster"]
    assert cluster["metadata"] == {"name": "raycluster-default", "namespace": "ray"}
    assert validate_manifest(cluster) == []
    assert result.stack_outputs["dashboard_url"] == (
        "http://raycluster-default-head-svc.ray.svc.cluster.local:8265"
    )


def test_the_cluster_waits_for_the_operator_and_its_namespace() -> None:
    result = run_program(REPO_ROOT)
    cluster = result.resource("raycluster-default", "kubernetes:ray.io/v1:RayCluster")
    chart = result.resource("kuberay", "kubernetes:helm.sh/v4:Chart")
    namespace = result.resource("ray-namespace", "kubernetes:core/v1:Namespace")
    assert chart.urn in cluster.dependencies
    assert namespace.urn in cluster.dependencies


def test_config_changes_the_namespace() -> None:
    result = run_program(REPO_ROOT, config={"pulumi-kuberay:namespace": "research"})
    (cluster,) = [o for o in result.kubernetes_objects() if o["kind"] == "RayCluster"]
    assert cluster["metadata"]["namespace"] == "research"
