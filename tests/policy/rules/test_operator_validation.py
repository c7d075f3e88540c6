"""operator-would-reject: the spec layer's validate_manifest as a mandatory rule."""

from __future__ import annotations

import pytest

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.model import Enforcement
from pulumi_kuberay.policy.rules.operator_validation import OPERATOR_WOULD_REJECT
from pulumi_kuberay.spec import validate_manifest
from tests.policy.manifests import DELETE, at, cluster_edit, edit, good
from tests.policy.rules.support import assert_flags, assert_passes, violations

KINDS = ["RayCluster", "RayJob", "RayService"]


def test_is_mandatory_and_critical() -> None:
    assert OPERATOR_WOULD_REJECT.enforcement is Enforcement.MANDATORY
    assert OPERATOR_WOULD_REJECT.severity.value == "critical"


@pytest.mark.parametrize("kind", KINDS)
def test_objects_the_operator_accepts_pass(kind: str) -> None:
    assert_passes(OPERATOR_WOULD_REJECT, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_replicas_above_max_is_flagged_with_the_operators_message(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {"workerGroupSpecs[0].replicas": 9})

    violation = assert_flags(
        OPERATOR_WOULD_REJECT,
        doc,
        at(kind, "workerGroupSpecs[0].replicas"),
        "9 is above maxReplicas (4)",
    )
    # The message is validate_manifest's, word for word: one rule, written once.
    assert violation.message in validate_manifest(doc)


def test_unknown_fields_are_reported_with_a_hint() -> None:
    doc = edit(good(), spec__headGroupSpec__template__spec__nodeselector={"a": "b"})
    [violation] = violations(OPERATOR_WOULD_REJECT, doc)
    assert violation.path == "spec.headGroupSpec.template.spec.nodeselector"
    assert "did you mean 'nodeSelector'?" in violation.message


def test_rayjob_rules_run_too() -> None:
    doc = edit(good("RayJob"), spec__activeDeadlineSeconds=0)
    assert_flags(OPERATOR_WOULD_REJECT, doc, "spec.activeDeadlineSeconds")


def test_settings_choose_the_operator_version_and_gates() -> None:
    doc = edit(
        good("RayJob"),
        spec__shutdownAfterJobFinishes=DELETE,
        spec__ttlSecondsAfterFinished=DELETE,
        spec__deletionStrategy={
            "deletionRules": [
                {
                    "policy": "DeleteCluster",
                    "condition": {"jobStatus": "SUCCEEDED", "ttlSeconds": 60},
                }
            ]
        },
    )

    assert_flags(OPERATOR_WOULD_REJECT, doc, "spec.deletionStrategy", "RayJobDeletionPolicy")
    assert_passes(OPERATOR_WOULD_REJECT, doc, featureGates={"RayJobDeletionPolicy": True})
    with_auth = cluster_edit("RayCluster", good(), {"authOptions": {"mode": "token"}})
    assert_passes(OPERATOR_WOULD_REJECT, with_auth)
    assert_flags(
        OPERATOR_WOULD_REJECT,
        with_auth,
        "spec.authOptions",
        "added in KubeRay 1.5.0; operator 1.4.2's CRD lacks it",
        operatorVersion="1.4.2",
    )


def test_non_string_start_params_are_left_to_their_own_rule_and_the_rest_still_checked() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {"headGroupSpec.rayStartParams.num-cpus": 0, "workerGroupSpecs[0].replicas": 9},
    )
    [violation] = violations(OPERATOR_WOULD_REJECT, doc)
    assert violation.path == "spec.workerGroupSpecs[0].replicas"


def test_problems_about_unknown_values_are_dropped() -> None:
    # During a preview the name can be unknown (computed from another resource).
    doc = edit(good(), metadata__name=UNKNOWN, spec__workerGroupSpecs=UNKNOWN)
    assert_passes(OPERATOR_WOULD_REJECT, doc)
    known_problem = edit(doc, spec__rayVersion=5)
    assert [v.path for v in violations(OPERATOR_WOULD_REJECT, known_problem)] == ["spec.rayVersion"]
