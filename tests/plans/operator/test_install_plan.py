"""The operator install plan: chart version, layered values, capabilities and deploy advice."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.models.operator_chart import ImageValues, OperatorValues
from pulumi_kuberay.plans.operator import (
    Advice,
    OperatorArgs,
    decide_chart_version,
    decide_image_tag,
    decide_operator_version,
    ergonomic_values,
    operator_capabilities,
    operator_values_advice,
    plan_operator_install,
    render_operator_values,
    value_conflicts,
)
from pulumi_kuberay.versions import DEFAULT_OPERATOR_VERSION


def test_cr_namespaced_rbac_disabled_explained_for_gitops() -> None:
    values = {"singleNamespaceInstall": True, "crNamespacedRbacEnable": False}
    advice = operator_values_advice(values, chart_version="1.5.1", operator_namespace="kuberay")
    assert advice == [
        Advice(
            "warning",
            "crNamespacedRbacEnable: false: the chart creates no Role or RoleBinding for the "
            "operator in the operator's own namespace (only the leader-election Role), so it "
            "cannot manage Pods, Services, Jobs or Ray custom resources there until someone "
            "else grants it. This setting is meant for clusters run by GitOps tools such as Argo "
            "CD, where those Roles are created by another application; create them there. See "
            "https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/helm-chart-rbac.html",
        )
    ]


def test_cr_namespaced_rbac_disabled_names_the_watched_namespaces() -> None:
    values = {
        "singleNamespaceInstall": True,
        "crNamespacedRbacEnable": False,
        "watchNamespace": ["ml", "batch"],
    }
    (advice,) = operator_values_advice(values, chart_version="1.5.1", operator_namespace="kr")
    assert "in the watched namespaces ml, batch (only the leader-election Role)" in advice.message


def test_cr_namespaced_rbac_disabled_without_single_namespace_has_no_effect() -> None:
    advice = operator_values_advice(
        {"crNamespacedRbacEnable": False}, chart_version="1.5.1", operator_namespace="kr"
    )
    assert advice == [
        Advice(
            "warning",
            "crNamespacedRbacEnable: false has no effect here: it applies only when rbacEnable "
            "and singleNamespaceInstall are both true; remove it",
        )
    ]


def test_single_namespace_with_watched_namespaces_elsewhere_is_explained() -> None:
    values = {"singleNamespaceInstall": True, "watchNamespace": ["ml", "kuberay"]}
    advice = operator_values_advice(values, chart_version="1.5.1", operator_namespace="kuberay")
    assert advice == [
        Advice(
            "info",
            "singleNamespaceInstall with watchNamespace: the chart creates the operator's Role "
            "and RoleBinding in ml (outside 'kuberay', which gets only the leader-election "
            "Role), so those namespaces must exist before the chart is applied (create them "
            "first, or depend on them) and whoever runs the deployment needs RBAC rights there.",
        )
    ]


def test_single_namespace_not_watching_its_own_namespace_is_said() -> None:
    values = {"singleNamespaceInstall": True, "watchNamespace": ["ml"]}
    (advice,) = operator_values_advice(values, chart_version="1.5.1", operator_namespace="kr")
    assert advice.message.endswith("Custom resources in 'kr' itself are not reconciled.")


def test_single_namespace_watching_only_its_own_namespace_needs_no_advice() -> None:
    values = {"singleNamespaceInstall": True, "watchNamespace": ["kr"]}
    assert operator_values_advice(values, chart_version="1.5.1", operator_namespace="kr") == []


def test_image_tag_different_from_chart_version() -> None:
    advice = operator_values_advice(
        {"image": {"tag": "v1.4.2"}}, chart_version="1.5.1", operator_namespace=None
    )
    assert advice == [
        Advice(
            "warning",
            "image.tag: 'v1.4.2' differs from the chart version 1.5.1: the CRDs come from the "
            "chart and the operator from the image, so fields one side lacks are pruned or "
            "ignored; set version= to the release you want instead",
        )
    ]


def test_image_tag_that_is_not_a_version() -> None:
    (advice,) = operator_values_advice(
        {"image": {"tag": "nightly"}}, chart_version="1.5.1", operator_namespace=None
    )
    assert advice.message.startswith("image.tag: 'nightly' is not a release version")


def test_null_values_are_explained() -> None:
    values = {"resources": {"limits": {"cpu": None, "memory": "1Gi"}}, "env": None}
    assert operator_values_advice(values, chart_version="1.5.1", operator_namespace=None) == [
        Advice(
            "warning",
            "resources.limits.cpu, env: set to null, but Pulumi drops null values before they "
            "reach the chart, so the chart's defaults stay for these keys (null does not delete "
            "a default as it does in a Helm values file); set a value, or change the rendered "
            "resource with a transform",
        )
    ]


def test_decide_chart_version() -> None:
    assert decide_chart_version(None) == DEFAULT_OPERATOR_VERSION
    assert decide_chart_version("v1.4.2") == "1.4.2"
    assert decide_chart_version("1.6.0") == "1.6.0"


def test_decide_chart_version_rejects_non_versions_and_old_releases() -> None:
    with pytest.raises(ValidationError) as caught:
        decide_chart_version("latest")
    assert caught.value.problems == [
        "version: 'latest' is not a chart version (expected MAJOR.MINOR.PATCH such as 1.5.1)"
    ]
    with pytest.raises(ValidationError) as caught:
        decide_chart_version("1.2.2")
    assert caught.value.problems == [
        "version: KubeRay 1.2.2 is older than 1.3.0, the oldest release this library "
        "supports; use version='1.5.1' or another supported release"
    ]


def test_decide_image_tag() -> None:
    assert decide_image_tag("1.5.1") == "v1.5.1"


def test_decide_operator_version_follows_the_image() -> None:
    assert decide_operator_version("1.5.1", {"image": {"tag": "v1.4.2"}}) == "1.4.2"
    assert decide_operator_version("1.5.1", {"image": {"tag": "nightly"}}) == "1.5.1"
    assert decide_operator_version("1.5.1", {}) == "1.5.1"


def test_ergonomic_values_map_to_chart_keys() -> None:
    pieces = ergonomic_values(
        OperatorArgs(
            feature_gates={"RayJobDeletionPolicy": True},
            watch_namespaces=["ml"],
            single_namespace=True,
            batch_scheduler="volcano",
            leader_election=True,
            reconcile_concurrency=4,
            resources={"requests": {"cpu": "100m"}},
            metrics=False,
        )
    )
    assert pieces == [
        ("feature_gates", {"featureGates": [{"name": "RayJobDeletionPolicy", "enabled": True}]}),
        ("watch_namespaces", {"watchNamespace": ["ml"]}),
        ("single_namespace", {"singleNamespaceInstall": True}),
        ("batch_scheduler", {"batchScheduler": {"name": "volcano"}}),
        ("leader_election", {"leaderElectionEnabled": True}),
        ("reconcile_concurrency", {"reconcileConcurrency": 4}),
        ("resources", {"resources": {"requests": {"cpu": "100m"}}}),
        ("metrics", {"metrics": {"enabled": False}}),
    ]
    assert ergonomic_values(OperatorArgs()) == []
    assert ergonomic_values(OperatorArgs(metrics={"serviceMonitor": {"enabled": True}})) == [
        ("metrics", {"metrics": {"serviceMonitor": {"enabled": True}}})
    ]


def test_value_conflicts() -> None:
    typed = {"reconcileConcurrency": 2, "metrics": {"enabled": True}}
    pieces = ergonomic_values(OperatorArgs(reconcile_concurrency=4, metrics=True))
    assert value_conflicts(typed, pieces) == [
        "reconcileConcurrency: set to 4 by reconcile_concurrency= and to 2 by values; set it in "
        "one place"
    ]


def test_render_defaults_to_the_image_of_the_chart_version() -> None:
    assert render_operator_values(chart_version="1.5.1") == {"image": {"tag": "v1.5.1"}}


def test_render_layers_typed_values_shortcuts_then_raw_values() -> None:
    rendered = render_operator_values(
        chart_version="1.5.1",
        values=OperatorValues(replicas=2, image=ImageValues(repository="mirror/kuberay")),
        shortcuts=ergonomic_values(OperatorArgs(leader_election=True, metrics=True)),
        raw_values={"image": {"pullPolicy": "Always"}, "newChartKey": {"a": 1}},
    )
    assert rendered == {
        "image": {"tag": "v1.5.1", "repository": "mirror/kuberay", "pullPolicy": "Always"},
        "replicas": 2,
        "leaderElectionEnabled": True,
        "metrics": {"enabled": True},
        "newChartKey": {"a": 1},
    }


def test_render_typed_image_tag_wins_over_the_default() -> None:
    rendered = render_operator_values(chart_version="1.5.1", values={"image": {"tag": "v1.5.1"}})
    assert rendered == {"image": {"tag": "v1.5.1"}}


def test_render_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        render_operator_values(
            chart_version="1.5.1",
            values={"reconcileConcurrency": 2},
            shortcuts=ergonomic_values(
                OperatorArgs(reconcile_concurrency=0, feature_gates={"NoSuchGate": True})
            ),
        )
    problems = caught.value.problems
    assert problems[0].startswith("reconcileConcurrency: set to 0 by reconcile_concurrency=")
    assert any(p.startswith("reconcileConcurrency: 0 is not a positive integer") for p in problems)
    assert any(p.startswith("featureGates: 'NoSuchGate' is not a feature gate") for p in problems)


def test_render_checks_raw_values_with_the_rules_but_not_the_model() -> None:
    # Unknown keys are the point of raw_values; the rules still apply to the known ones.
    with pytest.raises(ValidationError, match=r"reconcileConcurrency: 0 is not"):
        render_operator_values(chart_version="1.5.1", raw_values={"reconcileConcurrency": 0})


def test_render_checks_gates_against_the_image_release() -> None:
    with pytest.raises(ValidationError, match=r"'RayMultiHostIndexing' needs KubeRay 1\.5\.0"):
        render_operator_values(
            chart_version="1.5.1",
            values={
                "image": {"tag": "v1.4.2"},
                "featureGates": [{"name": "RayMultiHostIndexing", "enabled": True}],
            },
        )


def test_capabilities_cluster_wide_by_default() -> None:
    caps = operator_capabilities({}, operator_version="1.5.1", operator_namespace="kr")
    assert caps.version == "1.5.1"
    assert caps.watch_namespaces is None
    assert caps.batch_scheduler is None
    assert caps.effective_feature_gates["RayClusterStatusConditions"] is True


def test_capabilities_watch_namespaces() -> None:
    caps = operator_capabilities(
        {"watchNamespace": ["ml"]}, operator_version="1.5.1", operator_namespace="kr"
    )
    assert caps.watch_namespaces == ["ml"]


def test_capabilities_single_namespace_watches_its_own_namespace() -> None:
    values = {"singleNamespaceInstall": True}
    caps = operator_capabilities(values, operator_version="1.5.1", operator_namespace="kr")
    assert caps.watch_namespaces == ["kr"]
    unknown = operator_capabilities(values, operator_version="1.5.1", operator_namespace=None)
    assert unknown.watch_namespaces is None
    # An empty list is what the chart treats as "not set".
    empty = {"singleNamespaceInstall": True, "watchNamespace": []}
    caps = operator_capabilities(empty, operator_version="1.5.1", operator_namespace="kr")
    assert caps.watch_namespaces == ["kr"]


def test_capabilities_batch_scheduler() -> None:
    def scheduler(values: dict[str, Any]) -> str | None:
        caps = operator_capabilities(values, operator_version="1.5.1", operator_namespace=None)
        return caps.batch_scheduler

    assert scheduler({"batchScheduler": {"name": "yunikorn"}}) == "yunikorn"
    assert scheduler({"batchScheduler": {"enabled": True, "name": ""}}) == "volcano"
    assert scheduler({"batchScheduler": {"name": "default"}}) is None
    assert scheduler({"batchScheduler": {"enabled": False, "name": ""}}) is None


def test_capabilities_feature_gates_are_the_rendered_list() -> None:
    values = {"featureGates": [{"name": "RayJobDeletionPolicy", "enabled": True}]}
    caps = operator_capabilities(values, operator_version="1.5.1", operator_namespace=None)
    assert caps.gate_enabled("RayJobDeletionPolicy")
    assert caps.gate_enabled("RayClusterStatusConditions")  # release default


def test_plan_operator_install() -> None:
    plan = plan_operator_install(
        OperatorArgs(
            version="v1.5.1",
            single_namespace=True,
            watch_namespaces=["ml"],
            batch_scheduler="kai-scheduler",
            feature_gates={"RayJobDeletionPolicy": True},
        ),
        operator_namespace="kuberay-system",
    )
    assert plan.chart_version == "1.5.1"
    assert plan.operator_version == "1.5.1"
    assert plan.values == {
        "image": {"tag": "v1.5.1"},
        "featureGates": [{"name": "RayJobDeletionPolicy", "enabled": True}],
        "watchNamespace": ["ml"],
        "singleNamespaceInstall": True,
        "batchScheduler": {"name": "kai-scheduler"},
    }
    assert plan.capabilities.watch_namespaces == ["ml"]
    assert plan.capabilities.batch_scheduler == "kai-scheduler"
    assert [a.level for a in plan.advice] == ["info"]
