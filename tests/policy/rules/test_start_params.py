"""ray-start-params-strings and head-runs-no-workloads."""

from __future__ import annotations

import pytest

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.model import Enforcement
from pulumi_kuberay.policy.rules.start_params import (
    HEAD_RUNS_NO_WORKLOADS,
    RAY_START_PARAMS_STRINGS,
    quoted,
)
from tests.policy.manifests import DELETE, at, cluster_edit, good
from tests.policy.rules.support import assert_fix, assert_flags, assert_passes

KINDS = ["RayCluster", "RayJob", "RayService"]


@pytest.mark.parametrize("kind", KINDS)
def test_string_start_params_pass(kind: str) -> None:
    assert_passes(RAY_START_PARAMS_STRINGS, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_a_number_in_start_params_is_flagged_with_the_quoted_fix(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {"headGroupSpec.rayStartParams.num-cpus": 0})

    assert_flags(
        RAY_START_PARAMS_STRINGS,
        doc,
        at(kind, "headGroupSpec.rayStartParams.num-cpus"),
        "0 is a number",
        "must be strings",
        'quote it: num-cpus: "0"',
    )


def test_booleans_mappings_and_nulls() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {
            "workerGroupSpecs[0].rayStartParams.block": True,
            "workerGroupSpecs[0].rayStartParams.resources": {"TPU": 4},
            "workerGroupSpecs[0].rayStartParams.object-store-memory": None,
        },
    )
    messages = [v.message for v in RAY_START_PARAMS_STRINGS.check(doc, {})]

    assert messages == [
        "spec.workerGroupSpecs[0].rayStartParams.block: True is a boolean, but rayStartParams "
        "values must be strings (the CRD is map[string]string and the API server rejects anything "
        'else); quote it: block: "true"',
        "spec.workerGroupSpecs[0].rayStartParams.resources: {'TPU': 4} is a mapping, but "
        "rayStartParams values must be strings (the CRD is map[string]string and the API server "
        'rejects anything else); quote it: resources: "{\\"TPU\\": 4}"',
        "spec.workerGroupSpecs[0].rayStartParams.object-store-memory: is null; give it a string "
        "value or remove object-store-memory",
    ]


def test_the_fix_quotes_values_and_drops_nulls() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {
            "headGroupSpec.rayStartParams.num-cpus": 0,
            "workerGroupSpecs[0].rayStartParams.block": True,
            "workerGroupSpecs[0].rayStartParams.object-store-memory": None,
        },
    )

    fixed = assert_fix(RAY_START_PARAMS_STRINGS, doc)

    assert fixed["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] == "0"
    assert fixed["spec"]["workerGroupSpecs"][0]["rayStartParams"] == {"block": "true"}


def test_unknown_values_are_not_flagged() -> None:
    doc = cluster_edit("RayCluster", good(), {"headGroupSpec.rayStartParams.num-cpus": UNKNOWN})
    assert_passes(RAY_START_PARAMS_STRINGS, doc)


def test_quoted_forms() -> None:
    assert quoted(0) == "0"
    assert quoted(0.5) == "0.5"
    assert quoted(False) == "false"
    assert quoted({"a": 1}) == '{"a": 1}'


def test_non_string_start_params_are_mandatory_since_the_api_server_rejects_them() -> None:
    assert RAY_START_PARAMS_STRINGS.enforcement is Enforcement.MANDATORY


# --- head-runs-no-workloads ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_head_with_num_cpus_zero_passes(kind: str) -> None:
    assert_passes(HEAD_RUNS_NO_WORKLOADS, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_head_without_num_cpus_is_flagged(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {"headGroupSpec.rayStartParams.num-cpus": DELETE})

    assert_flags(
        HEAD_RUNS_NO_WORKLOADS,
        doc,
        at(kind, "headGroupSpec.rayStartParams.num-cpus"),
        "is not set, so Ray schedules tasks and actors on the head",
        'set num-cpus: "0"',
    )


def test_head_with_cpus_is_flagged_with_its_value() -> None:
    doc = cluster_edit("RayCluster", good(), {"headGroupSpec.rayStartParams.num-cpus": "4"})
    assert_flags(
        HEAD_RUNS_NO_WORKLOADS, doc, "spec.headGroupSpec.rayStartParams.num-cpus", "is '4'"
    )


def test_a_head_only_cluster_may_run_workloads() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {"workerGroupSpecs": DELETE, "headGroupSpec.rayStartParams.num-cpus": DELETE},
    )
    assert_passes(HEAD_RUNS_NO_WORKLOADS, doc)


def test_fix_sets_num_cpus_zero() -> None:
    doc = cluster_edit("RayJob", good("RayJob"), {"headGroupSpec.rayStartParams": DELETE})
    fixed = assert_fix(HEAD_RUNS_NO_WORKLOADS, doc)
    assert fixed["spec"]["rayClusterSpec"]["headGroupSpec"]["rayStartParams"] == {"num-cpus": "0"}


def test_head_using_the_resources_field_is_checked_and_fixed_there() -> None:
    # rayStartParams num-cpus together with the resources field is rejected by the operator.
    doc = cluster_edit(
        "RayCluster",
        good(),
        {"headGroupSpec.rayStartParams": {}, "headGroupSpec.resources": {"memory": "8G"}},
    )

    assert_flags(HEAD_RUNS_NO_WORKLOADS, doc, "spec.headGroupSpec.resources.CPU", 'set CPU: "0"')
    fixed = assert_fix(HEAD_RUNS_NO_WORKLOADS, doc)
    assert fixed["spec"]["headGroupSpec"]["resources"] == {"memory": "8G", "CPU": "0"}
    assert fixed["spec"]["headGroupSpec"]["rayStartParams"] == {}


def test_unknown_head_params_are_not_flagged() -> None:
    doc = cluster_edit("RayCluster", good(), {"headGroupSpec.rayStartParams": UNKNOWN})
    assert_passes(HEAD_RUNS_NO_WORKLOADS, doc)
