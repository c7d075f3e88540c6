"""The kuberay-operator chart values model, its rules, and the pure install decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.merging import deep_merge
from pulumi_kuberay.models.operator_chart import (
    BATCH_SCHEDULERS,
    KubeClientValues,
    OperatorValues,
    check_operator_values,
    values_problems,
    version_problems,
)

CHART_VALUES = (
    Path(__file__).resolve().parents[2].parent / "shared/kuberay/helm/kuberay-operator/values.yaml"
)


@pytest.fixture
def chart_values_file() -> Path:
    if not CHART_VALUES.is_file():
        pytest.skip(f"the real chart values are not checked out at {CHART_VALUES}")
    return CHART_VALUES


def problems_of(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        OperatorValues.from_values(values)
    return caught.value.problems


# --- the real values.yaml ---------------------------------------------------------------


def test_real_values_yaml_loads_with_no_unknown_key(chart_values_file: Path) -> None:
    model = OperatorValues.from_values_yaml(chart_values_file)
    assert model.image is not None
    assert model.image.repository == "quay.io/kuberay/operator"
    assert model.leader_election_enabled is True
    assert model.kube_client is not None
    assert model.kube_client.qps == 100.0


def test_real_values_yaml_round_trips_every_key(chart_values_file: Path) -> None:
    original = yaml.safe_load(chart_values_file.read_text())
    dumped = OperatorValues.from_values_yaml(chart_values_file).to_values()
    assert dumped == original
    # Including the keys whose value is null (``env:``) or empty.
    assert "env" in dumped
    assert dumped["env"] is None
    assert dumped["podSecurityContext"] == {}


def test_model_validate_accepts_the_real_values(chart_values_file: Path) -> None:
    loaded = yaml.safe_load(chart_values_file.read_text())
    assert OperatorValues.model_validate(loaded).to_values() == loaded


def test_commented_out_keys_of_the_chart_are_modelled() -> None:
    model = OperatorValues.from_values({"useKubernetesProxy": True, "watchNamespace": ["a", "b"]})
    assert model.use_kubernetes_proxy is True
    assert model.to_values() == {"useKubernetesProxy": True, "watchNamespace": ["a", "b"]}


def test_python_names_and_chart_names_both_construct() -> None:
    model = OperatorValues(
        leader_election_enabled=False, kube_client=KubeClientValues(qps=50.0, burst=100)
    )
    assert model.to_values() == {
        "leaderElectionEnabled": False,
        "kubeClient": {"qps": 50.0, "burst": 100},
    }


def test_from_yaml_text() -> None:
    model = OperatorValues.from_yaml_text("replicas: 2\nleaderElectionEnabled: true\n")
    assert model.to_values() == {"replicas": 2, "leaderElectionEnabled": True}
    assert OperatorValues.from_yaml_text("").to_values() == {}


# --- unknown keys and types -----------------------------------------------------------------


def test_unknown_top_level_key_is_named_with_the_closest_chart_key() -> None:
    # The seed's example writes ``leaderElection: {enabled: true}``; Helm ignores it silently.
    assert problems_of({"leaderElection": {"enabled": True}}) == [
        "leaderElection: unknown key of the kuberay-operator chart values (Helm would silently "
        "ignore it); did you mean 'leaderElectionEnabled'?"
    ]


def test_unknown_nested_key_is_named_with_its_path() -> None:
    assert problems_of({"metrics": {"serviceMonitor": {"enable": True}}}) == [
        "metrics.serviceMonitor.enable: unknown key of the kuberay-operator chart values (Helm "
        "would silently ignore it); did you mean 'enabled'?"
    ]


def test_unknown_key_inside_an_embedded_kubernetes_type() -> None:
    problems = problems_of({"tolerations": [{"key": "gpu", "efect": "NoSchedule"}]})
    assert len(problems) == 1
    assert problems[0].startswith("tolerations[0].efect: unknown field for Toleration")
    assert "did you mean 'effect'?" in problems[0]


def test_batch_scheduler_must_be_a_mapping() -> None:
    # The seed's example writes ``batchScheduler: ""``; the chart expects {name: ...}.
    assert problems_of({"batchScheduler": ""}) == ["batchScheduler: expected a mapping, got ''"]


def test_strings_are_not_coerced_to_booleans() -> None:
    # Helm would render "--enable-leader-election=%!t(string=false)".
    problems = problems_of({"leaderElectionEnabled": "false"})
    assert problems == ["leaderElectionEnabled: input should be a valid boolean (got 'false')"]


def test_enumerations_name_the_allowed_values() -> None:
    assert problems_of({"image": {"pullPolicy": "always"}}) == [
        "image.pullPolicy: 'always' is not allowed; use one of 'Always', 'IfNotPresent' or 'Never'"
    ]


def test_feature_gate_entries_need_name_and_enabled() -> None:
    assert problems_of({"featureGates": [{"name": "RayJobDeletionPolicy"}]}) == [
        "featureGates[0].enabled: required key is missing"
    ]


def test_not_a_mapping() -> None:
    with pytest.raises(ValidationError, match="chart values must be a mapping, got list"):
        OperatorValues.from_values([])  # type: ignore[arg-type]


# --- rules (one message each) ---------------------------------------------------------------


def test_batch_scheduler_name_together_with_enabled() -> None:
    assert problems_of({"batchScheduler": {"enabled": True, "name": "yunikorn"}}) == [
        "batchScheduler: the deprecated `enabled: true` (meaning volcano) and `name: yunikorn` "
        "are both set, and the operator refuses to start with both; remove "
        "batchScheduler.enabled and keep batchScheduler.name"
    ]


def test_batch_scheduler_enabled_false_with_name_is_fine() -> None:
    values = {"batchScheduler": {"enabled": False, "name": "volcano"}}
    assert OperatorValues.from_values(values).to_values() == values


def test_unknown_batch_scheduler_name() -> None:
    assert problems_of({"batchScheduler": {"name": "kai"}}) == [
        "batchScheduler.name: 'kai' is not a batch scheduler KubeRay supports, and the operator "
        "would exit at start-up; use one of default, kai-scheduler, scheduler-plugins, volcano, "
        "yunikorn, or leave it empty for none; did you mean 'kai-scheduler'?"
    ]


@pytest.mark.parametrize("name", sorted(BATCH_SCHEDULERS))
def test_every_supported_batch_scheduler_is_accepted(name: str) -> None:
    assert values_problems({"batchScheduler": {"name": name}}) == []


def test_reconcile_concurrency_below_one() -> None:
    assert problems_of({"reconcileConcurrency": 0}) == [
        "reconcileConcurrency: 0 is not a positive integer, and the chart refuses to render it; "
        "use 1 (the default) or more when the operator manages many custom resources"
    ]


def test_kube_client_qps_must_be_positive() -> None:
    assert problems_of({"kubeClient": {"qps": 0.0}}) == [
        "kubeClient.qps: 0.0 must be greater than 0 (0 silently falls back to client-go's "
        "default of 5 requests per second); use e.g. 100.0, the chart default"
    ]


def test_kube_client_burst_must_not_be_negative() -> None:
    assert problems_of({"kubeClient": {"burst": -1}}) == [
        "kubeClient.burst: -1 must be 0 or more (the chart requires a non-negative integer); "
        "use e.g. 200, the chart default"
    ]
    assert values_problems({"kubeClient": {"burst": 0, "qps": 0.5}}) == []


def test_replicas_zero_is_rendered_as_one_by_the_chart() -> None:
    assert problems_of({"replicas": 0}) == [
        "replicas: 0 is below 1 (the chart renders 0 as 1 through `replicas | default 1`, and "
        "the API server rejects a negative count); use 1, or 2 or more with leader election "
        "for high availability"
    ]


def test_several_replicas_need_leader_election() -> None:
    assert problems_of({"replicas": 2, "leaderElectionEnabled": False}) == [
        "replicas: 2 operator pods with leaderElectionEnabled: false would all reconcile the "
        "same custom resources and fight over them; set leaderElectionEnabled: true "
        "(leader_election=True) or use 1 replica"
    ]
    # Leader election is on by default in the chart.
    assert values_problems({"replicas": 2}) == []


def test_log_file_needs_both_directory_and_name() -> None:
    assert problems_of({"logging": {"baseDir": "/var/log/kuberay"}}) == [
        "logging: baseDir and fileName must be set together (the chart writes a log file only "
        "when both are set and ignores one alone); set both, or neither"
    ]
    assert values_problems({"logging": {"baseDir": "/logs", "fileName": "op.log"}}) == []


def test_default_container_envs_need_the_configuration_file() -> None:
    envs = [{"name": "RAY_enable_open_telemetry", "value": "true"}]
    assert problems_of({"configuration": {"defaultContainerEnvs": envs}}) == [
        "configuration.defaultContainerEnvs: ignored unless configuration.enabled is true (the "
        "chart passes it to the operator only through its config file); set "
        "configuration.enabled: true"
    ]
    assert values_problems({"configuration": {"enabled": True, "defaultContainerEnvs": envs}}) == []


def test_feature_gate_listed_twice() -> None:
    gates = [
        {"name": "RayJobDeletionPolicy", "enabled": True},
        {"name": "RayJobDeletionPolicy", "enabled": False},
    ]
    assert problems_of({"featureGates": gates}) == [
        "featureGates: 'RayJobDeletionPolicy' is listed 2 times and only the last entry counts; "
        "list each gate once"
    ]


def test_watch_namespace_names_are_checked() -> None:
    assert problems_of({"watchNamespace": ["ml", "Team_A"]}) == [
        "watchNamespace[1]: 'Team_A' is not a namespace name (a DNS-1123 label: lowercase "
        "letters, digits and '-', at most 63 characters); fix the name"
    ]


def test_watch_namespace_listed_twice() -> None:
    assert problems_of({"watchNamespace": ["ml", "ml"], "singleNamespaceInstall": True}) == [
        "watchNamespace: 'ml' is listed more than once (with singleNamespaceInstall the chart "
        "renders the same Role twice and the install fails); list each namespace once"
    ]


def test_rules_tolerate_values_they_cannot_read() -> None:
    # raw_values may hold Pulumi Outputs or keys of newer charts; rules skip what is not plain.
    odd: dict[str, Any] = {
        "replicas": object(),
        "kubeClient": "x",
        "featureGates": [{"name": object(), "enabled": True}],
        "watchNamespace": object(),
        "batchScheduler": None,
    }
    assert values_problems(odd) == []
    assert version_problems(odd, "1.5.1") == []


# --- version-dependent rules ----------------------------------------------------------------


def test_unknown_feature_gate_for_the_version() -> None:
    values = {"featureGates": [{"name": "RayJobDeletionPolcy", "enabled": True}]}
    assert check_operator_values(values, operator_version="1.5.1") == [
        "featureGates: 'RayJobDeletionPolcy' is not a feature gate of KubeRay 1.5.1 (gates "
        "there: RayClusterStatusConditions, RayJobDeletionPolicy, RayMultiHostIndexing, "
        "RayServiceIncrementalUpgrade), and the operator exits at start-up on an unknown gate; "
        "remove it or fix the name; did you mean 'RayJobDeletionPolicy'?"
    ]


def test_feature_gate_of_a_newer_release() -> None:
    values = {"featureGates": [{"name": "RayMultiHostIndexing", "enabled": True}]}
    assert check_operator_values(values, operator_version="1.4.2") == [
        "featureGates: 'RayMultiHostIndexing' needs KubeRay 1.5.0 or newer, and this operator "
        "is 1.4.2; upgrade the operator (version=) or remove the gate"
    ]
    assert check_operator_values(values, operator_version="1.5.0") == []


def test_kai_scheduler_needs_kuberay_1_5() -> None:
    values = {"batchScheduler": {"name": "kai-scheduler"}}
    assert check_operator_values(values, operator_version="1.4.2") == [
        "batchScheduler.name: 'kai-scheduler' needs KubeRay 1.5.0 or newer, and this operator "
        "is 1.4.2; upgrade the operator (version=) or choose another scheduler"
    ]
    assert check_operator_values(values, operator_version="1.5.0") == []


def test_scheduler_plugins_needs_kuberay_1_4() -> None:
    values = {"batchScheduler": {"name": "scheduler-plugins"}}
    assert len(check_operator_values(values, operator_version="1.3.2")) == 1
    assert check_operator_values(values, operator_version="1.4.0") == []


# --- advice -------------------------------------------------------------------------------------


# --- pure decisions -------------------------------------------------------------------------------


def test_deep_merge_merges_mappings_and_replaces_the_rest() -> None:
    base = {"image": {"repository": "r", "tag": "v1"}, "tolerations": [{"key": "a"}], "x": 1}
    overlay = {"image": {"tag": "v2"}, "tolerations": [{"key": "b"}], "y": None}
    assert deep_merge(base, overlay) == {
        "image": {"repository": "r", "tag": "v2"},
        "tolerations": [{"key": "b"}],
        "x": 1,
        "y": None,
    }
    assert base["image"] == {"repository": "r", "tag": "v1"}  # inputs untouched


def test_deep_merge_overlay_scalar_replaces_mapping() -> None:
    assert deep_merge({"a": {"b": 1}}, {"a": None}) == {"a": None}
    assert deep_merge({"a": 1}, {"a": {"b": 2}}) == {"a": {"b": 2}}


# --- capabilities -------------------------------------------------------------------------------
