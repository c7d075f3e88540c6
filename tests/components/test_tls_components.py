"""CertManager, RayCertificateAuthority and ``tls=`` on the Ray components, under Pulumi mocks."""

from __future__ import annotations

from typing import Any

import pytest

import pulumi_kuberay as kuberay
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.versions import CERT_MANAGER_CHART_REPOSITORY
from tests.conformance.registry import conformance_problems
from tests.conftest import RecordingMocks, run_pulumi

CHART = "kubernetes:helm.sh/v4:Chart"
CA_TYPES = {
    "kubernetes:cert-manager.io/v1:ClusterIssuer",
    "kubernetes:cert-manager.io/v1:Certificate",
    "kubernetes:cert-manager.io/v1:Issuer",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
}


def urn_of(mocks: RecordingMocks, typ: str, name: str) -> str:
    return mocks.registration(typ, name).urn


def waits_for(dependencies: tuple[str, ...], component_type: str) -> bool:
    """Whether a resource depends on a component (the engine expands a component dependency
    into its children's URNs)."""
    return any(f"kuberay:index:{component_type}$" in urn for urn in dependencies)


def test_cert_manager_installs_the_pinned_chart_with_its_crds(pulumi_mocks: RecordingMocks) -> None:
    run_pulumi(lambda: {"ns": kuberay.CertManager("cert-manager", create_namespace=True).namespace})
    inputs = dict(pulumi_mocks.one(CHART).inputs)
    assert inputs["chart"] == "cert-manager"
    assert inputs["repositoryOpts"] == {"repo": CERT_MANAGER_CHART_REPOSITORY}
    assert inputs["version"] == "v1.21.1"
    assert inputs["namespace"] == "cert-manager"
    assert inputs["values"] == {"crds": {"enabled": True, "keep": True}}
    chart = pulumi_mocks.registration(CHART, "cert-manager")
    assert chart.parent.endswith("kuberay:index:CertManager::cert-manager")
    assert (
        urn_of(pulumi_mocks, "kubernetes:core/v1:Namespace", "cert-manager-namespace")
        in chart.dependencies
    )


def test_cert_manager_already_running_installs_nothing(pulumi_mocks: RecordingMocks) -> None:
    run_pulumi(lambda: {"ns": kuberay.CertManager("cert-manager", install=False).namespace})
    assert pulumi_mocks.of_type(CHART) == []
    assert [r.typ for r in pulumi_mocks.resources] == ["kuberay:index:CertManager"]


def test_bad_chart_values_fail_before_anything_is_registered(pulumi_mocks: RecordingMocks) -> None:
    def program() -> None:
        kuberay.CertManager("cert-manager", values={"replicaCont": 2})

    with pytest.raises(ValidationError, match=r"CertManager .cert-manager..*replicaCont"):
        run_pulumi(program)
    assert pulumi_mocks.resources == []


def test_the_ca_creates_its_objects_after_cert_manager(pulumi_mocks: RecordingMocks) -> None:
    holder: dict[str, Any] = {}

    def program() -> dict[str, Any]:
        cm = kuberay.CertManager("cert-manager")
        ca = kuberay.RayCertificateAuthority("ray-ca", namespace="ml", cert_manager=cm)
        holder["ca"] = ca
        return {
            "issuer": ca.issuer_name,
            "secret": ca.ca_secret_name,
            "sa": ca.service_account_name,
        }

    outputs = run_pulumi(program)
    assert outputs == {"issuer": "ray-ca", "secret": "ray-ca", "sa": "ray-ca-ray-pods"}
    children = [r for r in pulumi_mocks.resources if r.typ in CA_TYPES]
    assert {r.typ for r in children} == CA_TYPES
    for child in children:
        registration = pulumi_mocks.registration(child.typ, child.name)
        assert registration.parent.endswith("kuberay:index:RayCertificateAuthority::ray-ca")
        assert waits_for(registration.dependencies, "CertManager")
        if child.typ.startswith("kubernetes:cert-manager.io"):
            manifest = {
                "apiVersion": "cert-manager.io/v1",
                "kind": child.typ.rsplit(":", 1)[1],
                **child.inputs,
            }
            assert conformance_problems(manifest) == [], child.name
    ca_issuer = pulumi_mocks.registration(
        "kubernetes:cert-manager.io/v1:Issuer", "ray-ca-ca-issuer"
    )
    assert (
        urn_of(pulumi_mocks, "kubernetes:cert-manager.io/v1:Certificate", "ray-ca-ca-certificate")
        in ca_issuer.dependencies
    )
    assert holder["ca"].ray_tls_issuer().service_account == "ray-ca-ray-pods"


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
def test_ray_objects_with_tls_depend_on_the_ca(kind: str, pulumi_mocks: RecordingMocks) -> None:
    def program() -> None:
        ca = kuberay.RayCertificateAuthority("ray-ca", namespace="ml")
        cluster = kuberay.ClusterArgs(worker_groups=[kuberay.WorkerGroup("cpu", cpu=1)], tls=ca)
        if kind == "RayCluster":
            kuberay.RayCluster("demo", cluster, namespace="ml")
        elif kind == "RayJob":
            kuberay.RayJob("demo", namespace="ml", entrypoint="python x.py", cluster=cluster)
        else:
            kuberay.RayService(
                "demo",
                namespace="ml",
                cluster=cluster,
                serve_config={"applications": [{"name": "app", "import_path": "app:d"}]},
            )

    run_pulumi(program)
    registration = pulumi_mocks.registration(f"kubernetes:ray.io/v1:{kind}", "demo")
    assert waits_for(registration.dependencies, "RayCertificateAuthority")


def test_tls_true_on_the_default_operator_fails_at_preview(pulumi_mocks: RecordingMocks) -> None:
    with pytest.raises(ValidationError, match=r"RayCluster demo.*no TLS mode is possible"):
        run_pulumi(lambda: {"n": kuberay.RayCluster("demo", namespace="ml", tls=True).name})


def test_the_operator_starts_after_cert_manager(pulumi_mocks: RecordingMocks) -> None:
    holder: dict[str, Any] = {}

    def program() -> None:
        cm = kuberay.CertManager("cert-manager")
        holder["op"] = kuberay.KubeRayOperator(
            "kuberay", namespace="kuberay-system", cert_manager=cm
        )

    run_pulumi(program)
    chart = pulumi_mocks.registration(CHART, "kuberay")
    assert waits_for(chart.dependencies, "CertManager")
    assert holder["op"].capabilities.cert_manager is True


def test_an_operator_without_cert_manager_says_so(pulumi_mocks: RecordingMocks) -> None:
    holder: dict[str, Any] = {}
    run_pulumi(
        lambda: holder.update(op=kuberay.KubeRayOperator("kuberay", namespace="kuberay-system"))
    )
    assert holder["op"].capabilities.cert_manager is False
