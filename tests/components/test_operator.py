"""The KubeRayOperator component under Pulumi mocks.

``helm.v4.Chart`` is a remote component: under mocks it registers one resource and no children,
so these tests assert on its arguments (chart, repository, version, namespace, values, skipCrds).
"""

from __future__ import annotations

import logging
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest

from pulumi_kuberay.components.operator import (
    CRD_TYPE,
    KubeRayOperator,
    decide_chart_source,
    retain_crds_transform,
)
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.operator_chart import ImageValues, OperatorValues
from pulumi_kuberay.versions import OPERATOR_CHART_REPOSITORY
from tests.conftest import RecordingMocks, run_pulumi

CHART = "kubernetes:helm.sh/v4:Chart"
NAMESPACE = "kubernetes:core/v1:Namespace"
CHART_RESOURCES = ["urn:pulumi:test::test-project::kubernetes:apps/v1:Deployment::kuberay"]


class OperatorMocks(RecordingMocks):
    """Recording mocks whose Chart reports resources, as the real Chart component does."""

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        resource_id, state = super().new_resource(args)
        if args.typ == CHART:
            state = {**state, "resources": CHART_RESOURCES}
        return resource_id, state


@pytest.fixture
def mocks() -> OperatorMocks:
    recording = OperatorMocks()
    pulumi.runtime.set_mocks(
        recording, project="test-project", stack="test", preview=False, monitor=recording.monitor
    )
    return recording


def chart_inputs(mocks: OperatorMocks) -> dict[str, Any]:
    return dict(mocks.one(CHART).inputs)


# --- the Chart's arguments --------------------------------------------------------------------


def test_default_install_chart_arguments(mocks: OperatorMocks) -> None:
    run_pulumi(lambda: {"op": KubeRayOperator("kuberay", namespace="kuberay-system").namespace})
    assert chart_inputs(mocks) == {
        "chart": "kuberay-operator",
        "repositoryOpts": {"repo": OPERATOR_CHART_REPOSITORY},
        "version": "1.5.1",
        "namespace": "kuberay-system",
        "values": {"image": {"tag": "v1.5.1"}},
        "skipCrds": False,
    }
    assert mocks.one(CHART).name == "kuberay"


def test_shortcut_arguments_render_exact_values(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        op = KubeRayOperator(
            "kuberay",
            namespace="kuberay-system",
            version="1.5.1",
            feature_gates={"RayJobDeletionPolicy": True},
            watch_namespaces=["ml", "batch"],
            batch_scheduler="volcano",
            leader_election=True,
            reconcile_concurrency=4,
            resources={"requests": {"cpu": "100m", "memory": "512Mi"}},
            metrics={"serviceMonitor": {"enabled": True}},
        )
        return {"ns": op.namespace}

    run_pulumi(program)
    assert chart_inputs(mocks)["values"] == {
        "image": {"tag": "v1.5.1"},
        "featureGates": [{"name": "RayJobDeletionPolicy", "enabled": True}],
        "watchNamespace": ["ml", "batch"],
        "batchScheduler": {"name": "volcano"},
        "leaderElectionEnabled": True,
        "reconcileConcurrency": 4,
        "resources": {"requests": {"cpu": "100m", "memory": "512Mi"}},
        "metrics": {"serviceMonitor": {"enabled": True}},
    }


def test_typed_values_then_raw_values_merged_last(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        op = KubeRayOperator(
            "kuberay",
            namespace="kuberay-system",
            values=OperatorValues(
                replicas=2, image=ImageValues(repository="registry.local/kuberay")
            ),
            leader_election=True,
            raw_values={"image": {"pullPolicy": "Always"}, "hostUsers": False},
        )
        return {"ns": op.namespace}

    run_pulumi(program)
    assert chart_inputs(mocks)["values"] == {
        "image": {"tag": "v1.5.1", "repository": "registry.local/kuberay", "pullPolicy": "Always"},
        "replicas": 2,
        "leaderElectionEnabled": True,
        "hostUsers": False,
    }


def test_values_given_as_a_chart_dict(mocks: OperatorMocks) -> None:
    run_pulumi(
        lambda: {
            "ns": KubeRayOperator(
                "kuberay", namespace="kr", values={"kubeClient": {"qps": 50.0, "burst": 100}}
            ).namespace
        }
    )
    assert chart_inputs(mocks)["values"] == {
        "image": {"tag": "v1.5.1"},
        "kubeClient": {"qps": 50.0, "burst": 100},
    }


def test_version_override_sets_chart_version_and_image_tag(mocks: OperatorMocks) -> None:
    run_pulumi(
        lambda: {"ns": KubeRayOperator("kuberay", namespace="kr", version="v1.4.2").namespace}
    )
    inputs = chart_inputs(mocks)
    assert inputs["version"] == "1.4.2"
    assert inputs["values"] == {"image": {"tag": "v1.4.2"}}


def test_manage_crds_false_skips_crds(mocks: OperatorMocks) -> None:
    run_pulumi(
        lambda: {"ns": KubeRayOperator("kuberay", namespace="kr", manage_crds=False).namespace}
    )
    assert chart_inputs(mocks)["skipCrds"] is True
    assert mocks.one(CHART).transforms == []


def test_crds_are_kept_on_delete_by_default(mocks: OperatorMocks) -> None:
    run_pulumi(lambda: {"ns": KubeRayOperator("kuberay", namespace="kr").namespace})
    assert mocks.one(CHART).transforms == [retain_crds_transform]


def test_retain_crds_on_delete_can_be_turned_off(mocks: OperatorMocks) -> None:
    run_pulumi(
        lambda: {
            "ns": KubeRayOperator("kuberay", namespace="kr", retain_crds_on_delete=False).namespace
        }
    )
    assert mocks.one(CHART).transforms == []


def test_chart_name_and_repository_overrides(mocks: OperatorMocks) -> None:
    run_pulumi(
        lambda: {
            "ns": KubeRayOperator(
                "kuberay",
                namespace="kr",
                chart_name="kuberay-operator-fork",
                chart_repository="https://charts.example.com/",
            ).namespace
        }
    )
    inputs = chart_inputs(mocks)
    assert inputs["chart"] == "kuberay-operator-fork"
    assert inputs["repositoryOpts"] == {"repo": "https://charts.example.com/"}


def test_oci_repository_puts_the_chart_in_the_reference(mocks: OperatorMocks) -> None:
    run_pulumi(
        lambda: {
            "ns": KubeRayOperator(
                "kuberay", namespace="kr", chart_repository="oci://registry.example.com/charts/"
            ).namespace
        }
    )
    inputs = chart_inputs(mocks)
    assert inputs["chart"] == "oci://registry.example.com/charts/kuberay-operator"
    assert "repositoryOpts" not in inputs


# --- namespace ----------------------------------------------------------------------------------


def test_existing_namespace_by_name_creates_no_namespace(mocks: OperatorMocks) -> None:
    run_pulumi(lambda: {"ns": KubeRayOperator("kuberay", namespace="kr").namespace})
    assert mocks.of_type(NAMESPACE) == []


def test_create_namespace(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        op = KubeRayOperator("kuberay", namespace="kuberay-system", create_namespace=True)
        return {"ns": op.namespace}

    outputs = run_pulumi(program)
    namespace = mocks.one(NAMESPACE)
    assert namespace.name == "kuberay-namespace"
    assert namespace.inputs["metadata"] == {"name": "kuberay-system"}
    assert chart_inputs(mocks)["namespace"] == "kuberay-system"
    assert outputs["ns"] == "kuberay-system"
    namespace_urn = mocks.registration(NAMESPACE, "kuberay-namespace").urn
    assert namespace_urn in mocks.registration(CHART, "kuberay").dependencies


def test_namespace_from_an_existing_namespace_output(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        ns = k8s.core.v1.Namespace("platform", metadata={"name": "platform-ray"})
        op = KubeRayOperator("kuberay", namespace=ns.metadata.name, single_namespace=True)
        # Not a plain string at construction: the watched namespace is unknown, so unchecked.
        assert op.capabilities.watch_namespaces is None
        return {"ns": op.namespace}

    outputs = run_pulumi(program)
    assert outputs["ns"] == "platform-ray"
    assert chart_inputs(mocks)["namespace"] == "platform-ray"
    assert len(mocks.of_type(NAMESPACE)) == 1  # only the user's own
    namespace_urn = mocks.registration(NAMESPACE, "platform").urn
    assert namespace_urn in mocks.registration(CHART, "kuberay").dependencies


# --- graph: parents and providers ---------------------------------------------------------------


def test_children_are_parented_to_the_component(mocks: OperatorMocks) -> None:
    run_pulumi(
        lambda: {"ns": KubeRayOperator("kuberay", namespace="kr", create_namespace=True).namespace}
    )
    component = mocks.registration("kuberay:index:KubeRayOperator", "kuberay")
    assert mocks.one("kuberay:index:KubeRayOperator").custom is False
    assert mocks.registration(CHART, "kuberay").parent == component.urn
    assert mocks.registration(NAMESPACE, "kuberay-namespace").parent == component.urn


def test_the_components_provider_reaches_its_children(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        provider = k8s.Provider("cluster-a")
        op = KubeRayOperator(
            "kuberay",
            namespace="kr",
            create_namespace=True,
            opts=pulumi.ResourceOptions(providers=[provider]),
        )
        return {"ns": op.namespace}

    run_pulumi(program)
    for child in (mocks.one(CHART), mocks.one(NAMESPACE)):
        assert child.provider is not None
        assert "pulumi:providers:kubernetes::cluster-a" in child.provider


def test_the_components_depends_on_reaches_its_children(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        team = k8s.core.v1.Namespace("team-a", metadata={"name": "team-a"})
        op = KubeRayOperator(
            "kuberay",
            namespace="kr",
            create_namespace=True,
            single_namespace=True,
            watch_namespaces=["team-a"],
            opts=pulumi.ResourceOptions(depends_on=[team]),
        )
        return {"ns": op.namespace}

    run_pulumi(program)
    team_urn = mocks.registration(NAMESPACE, "team-a").urn
    assert team_urn in mocks.registration(CHART, "kuberay").dependencies
    assert team_urn in mocks.registration(NAMESPACE, "kuberay-namespace").dependencies


# --- outputs and capabilities -------------------------------------------------------------------


def test_outputs(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        op = KubeRayOperator(
            "kuberay",
            namespace="kuberay-system",
            feature_gates={"RayJobDeletionPolicy": True},
            watch_namespaces=["ml"],
            batch_scheduler="yunikorn",
        )
        return {
            "namespace": op.namespace,
            "chart_version": op.chart_version,
            "resources": op.resources,
            "feature_gates": op.feature_gates,
            "watch_namespaces": op.watch_namespaces,
            "batch_scheduler": op.batch_scheduler,
        }

    assert run_pulumi(program) == {
        "namespace": "kuberay-system",
        "chart_version": "1.5.1",
        "resources": CHART_RESOURCES,
        "feature_gates": {
            "RayClusterStatusConditions": True,
            "RayJobDeletionPolicy": True,
            "RayMultiHostIndexing": False,
            "RayServiceIncrementalUpgrade": False,
        },
        "watch_namespaces": ["ml"],
        "batch_scheduler": "yunikorn",
    }


def test_cluster_wide_outputs(mocks: OperatorMocks) -> None:
    def program() -> dict[str, Any]:
        op = KubeRayOperator("kuberay", namespace="kr")
        return {"watch": op.watch_namespaces, "scheduler": op.batch_scheduler}

    assert run_pulumi(program) == {"watch": None, "scheduler": None}


def test_capabilities_are_known_at_construction(mocks: OperatorMocks) -> None:
    captured: dict[str, Any] = {}

    def program() -> dict[str, Any]:
        op = KubeRayOperator(
            "kuberay",
            namespace="kuberay-system",
            single_namespace=True,
            feature_gates={"RayJobDeletionPolicy": True},
            batch_scheduler="kai-scheduler",
        )
        captured["caps"] = op.capabilities
        return {"ns": op.namespace}

    run_pulumi(program)
    caps = captured["caps"]
    assert caps.version == "1.5.1"
    assert dict(caps.feature_gates) == {"RayJobDeletionPolicy": True}
    assert caps.gate_enabled("RayJobDeletionPolicy")
    assert caps.watch_namespaces == ["kuberay-system"]
    assert caps.batch_scheduler == "kai-scheduler"


# --- validation and advice -------------------------------------------------------------------------


def test_invalid_arguments_raise_before_anything_is_registered(mocks: OperatorMocks) -> None:
    with pytest.raises(ValidationError) as caught:
        KubeRayOperator(
            "kuberay",
            namespace="kr",
            reconcile_concurrency=0,
            values={"leaderElection": {"enabled": True}},
        )
    error = caught.value
    assert error.subject == "KubeRayOperator 'kuberay'"
    assert any(p.startswith("leaderElection: unknown key") for p in error.problems)
    assert str(error).startswith("KubeRayOperator 'kuberay': ")
    assert mocks.resources == []


def test_unknown_feature_gate_for_the_version(mocks: OperatorMocks) -> None:
    with pytest.raises(ValidationError, match=r"'RayMultiHostIndexing' needs KubeRay 1\.5\.0"):
        KubeRayOperator(
            "kuberay", namespace="kr", version="1.4.2", feature_gates={"RayMultiHostIndexing": True}
        )


def test_shortcut_and_values_disagreeing_is_an_error(mocks: OperatorMocks) -> None:
    with pytest.raises(ValidationError) as caught:
        KubeRayOperator(
            "kuberay", namespace="kr", leader_election=False, values={"leaderElectionEnabled": True}
        )
    assert caught.value.problems == [
        "leaderElectionEnabled: set to False by leader_election= and to True by values; set it "
        "in one place"
    ]


def test_cr_namespaced_rbac_disabled_is_logged_as_a_warning(
    mocks: OperatorMocks, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    run_pulumi(
        lambda: {
            "ns": KubeRayOperator(
                "kuberay",
                namespace="kr",
                single_namespace=True,
                values={"crNamespacedRbacEnable": False},
            ).namespace
        }
    )
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        m.startswith("crNamespacedRbacEnable: false: the chart creates no Role") for m in warnings
    )
    assert any("GitOps tools such as Argo CD" in m for m in warnings)


def test_single_namespace_watching_elsewhere_is_logged_as_info(
    mocks: OperatorMocks, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    run_pulumi(
        lambda: {
            "ns": KubeRayOperator(
                "kuberay", namespace="kr", single_namespace=True, watch_namespaces=["ml"]
            ).namespace
        }
    )
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert any(m.startswith("singleNamespaceInstall with watchNamespace") for m in infos)


# --- pure helpers of the component ----------------------------------------------------------------


def test_decide_chart_source() -> None:
    assert decide_chart_source("kuberay-operator", OPERATOR_CHART_REPOSITORY) == (
        "kuberay-operator",
        OPERATOR_CHART_REPOSITORY,
    )
    assert decide_chart_source("kuberay-operator", "oci://r.example/charts") == (
        "oci://r.example/charts/kuberay-operator",
        None,
    )


def test_retain_crds_transform_only_touches_crds() -> None:
    opts = pulumi.ResourceOptions(protect=False)
    crd = retain_crds_transform(
        pulumi.ResourceTransformArgs(True, CRD_TYPE, "rayclusters", {"spec": {}}, opts)
    )
    assert crd is not None
    assert crd.opts.retain_on_delete is True
    assert crd.props == {"spec": {}}
    deployment = retain_crds_transform(
        pulumi.ResourceTransformArgs(True, "kubernetes:apps/v1:Deployment", "op", {}, opts)
    )
    assert deployment is None


# --- RayCluster on this operator ------------------------------------------------------------------


def test_raycluster_depends_on_the_operator_and_uses_its_capabilities(
    mocks: OperatorMocks,
) -> None:
    from pulumi_kuberay.components.raycluster import RayCluster

    def program() -> dict[str, Any]:
        op = KubeRayOperator("kuberay", namespace="kuberay-system", watch_namespaces=["ml"])
        cluster = RayCluster("demo", namespace="ml", operator=op)
        return {"ns": cluster.namespace}

    run_pulumi(program)
    # Pulumi expands a dependency on a component into its children: here the Chart, whose own
    # children (CRDs, the operator Deployment) the engine waits for.
    chart_urn = mocks.registration(CHART, "kuberay").urn
    custom_resource = mocks.registration("kubernetes:ray.io/v1:RayCluster", "demo")
    assert chart_urn in custom_resource.dependencies


def test_raycluster_outside_the_watched_namespaces_is_an_error(mocks: OperatorMocks) -> None:
    from pulumi_kuberay.components.raycluster import RayCluster

    def program() -> dict[str, Any]:
        op = KubeRayOperator("kuberay", namespace="kuberay-system", watch_namespaces=["ml"])
        with pytest.raises(ValueError, match="the operator watches only ml"):
            RayCluster("demo", namespace="other", operator=op)
        return {"ns": op.namespace}

    run_pulumi(program)
