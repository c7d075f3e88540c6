"""The engine: the catalogue, configuration, enforcement, findings, fixes and unknowns."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_kuberay.policy import (
    ALL_RULES,
    RULES,
    UNKNOWN,
    ConfigError,
    Enforcement,
    PolicyConfig,
    Severity,
    check_manifest,
    check_manifests,
    fix_manifest,
    get_rule,
    normalize,
)
from pulumi_kuberay.policy.engine import describe_rules
from pulumi_kuberay.policy.manifest_reading import PULUMI_UNKNOWN_SENTINELS
from pulumi_kuberay.policy.model import Rule, Violation
from pulumi_kuberay.spec import validate_manifest
from tests.policy.manifests import CPU_RAY, DELETE, HEAD_RAY, edit, edit_paths, good

TESTS = Path(__file__).parent


# --- the catalogue ---------------------------------------------------------------------------


def test_rule_ids_are_unique_stable_slugs() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule_id) for rule_id in ids)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_is_documented(rule: Rule) -> None:
    assert rule.description
    assert "\n" not in rule.description
    assert len(rule.reason) > 40
    assert rule.url.startswith("https://")
    assert isinstance(rule.severity, Severity)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_has_tests(rule: Rule) -> None:
    texts = "".join(p.read_text() for p in TESTS.rglob("test_*.py") if p.name != "test_engine.py")
    constant = rule.id.upper().replace("-", "_")
    assert rule.id in texts or constant in texts


def test_only_rejections_are_mandatory_by_default() -> None:
    mandatory = {rule.id for rule in ALL_RULES if rule.enforcement is Enforcement.MANDATORY}
    # tls-settings-complete predicts pods that never become ready (the operator accepts them).
    assert mandatory == {
        "operator-would-reject",
        "ray-start-params-strings",
        "kueue-queue-objects",
        "tls-settings-complete",
    }


def test_get_rule_names_the_known_ids() -> None:
    assert get_rule("single-image").id == "single-image"
    with pytest.raises(KeyError, match="known rules: operator-would-reject, "):
        get_rule("nope")


def test_describe_rules_lists_settings_and_fixes() -> None:
    by_id = {entry["id"]: entry for entry in describe_rules()}
    assert by_id["kueue-max-pod-sets"]["settings"] == {"maxPodSets": 18}
    assert by_id["memory-requests-equal-limits"]["fixable"] is True
    assert by_id["unresolved-references"]["stack"] is True


# --- configuration ---------------------------------------------------------------------------


def test_policy_pack_config_format() -> None:
    config = PolicyConfig.from_json(
        {
            "ray-start-params-strings": "advisory",
            "kueue-max-pod-sets": {"enforcementLevel": "mandatory", "maxPodSets": 8.0},
            "single-image": {"enforcementLevel": "disabled"},
        }
    )

    assert config.enforcement(get_rule("ray-start-params-strings")) is Enforcement.ADVISORY
    assert config.enforcement(get_rule("kueue-max-pod-sets")) is Enforcement.MANDATORY
    assert config.enforcement(get_rule("single-image")) is Enforcement.DISABLED
    assert config.enforcement(get_rule("image-pinned")) is Enforcement.ADVISORY
    assert config.settings_for(get_rule("kueue-max-pod-sets")) == {"maxPodSets": 8}


def test_all_sets_every_unnamed_rule() -> None:
    config = PolicyConfig.from_json({"all": "mandatory", "image-pinned": "advisory"})
    assert config.enforcement(get_rule("single-image")) is Enforcement.MANDATORY
    assert config.enforcement(get_rule("image-pinned")) is Enforcement.ADVISORY


def test_defaults_apply_to_unset_settings() -> None:
    config = PolicyConfig.from_json({"operator-would-reject": {"featureGates": {"A": True}}})
    assert config.settings_for(get_rule("operator-would-reject")) == {
        "operatorVersion": "1.5.1",
        "featureGates": {"A": True},
    }


def test_config_problems_are_all_reported() -> None:
    with pytest.raises(ConfigError) as raised:
        PolicyConfig.from_json(
            {
                "no-such-rule": "advisory",
                "single-image": "loud",
                "kueue-max-pod-sets": {"maxPodSet": 8, "enforcementLevel": "mandatory"},
                "rayjob-cluster-cleanup": {"ttlSecondsAfterFinished": "soon"},
                "head-runs-no-workloads": 3,
            }
        )
    assert raised.value.problems == [
        "no policy rule 'no-such-rule'; known rules: " + ", ".join(r.id for r in ALL_RULES),
        "single-image: 'loud' is not an enforcement level; use one of advisory, mandatory, "
        "remediate, disabled",
        "kueue-max-pod-sets.maxPodSet: unknown setting (settings of kueue-max-pod-sets: "
        "maxPodSets)",
        "rayjob-cluster-cleanup.ttlSecondsAfterFinished: expected integer, got 'soon'",
        "head-runs-no-workloads: expected an enforcement level or an object of settings",
    ]


# --- findings --------------------------------------------------------------------------------


def test_findings_carry_rule_severity_enforcement_path_and_object() -> None:
    doc = edit_paths(good(), {f"spec.{CPU_RAY}.resources.requests.memory": "1Gi"})

    [finding] = check_manifest(doc)

    assert finding.rule_id == "memory-requests-equal-limits"
    assert finding.severity is Severity.MEDIUM
    assert finding.enforcement is Enforcement.ADVISORY
    assert not finding.blocking
    assert finding.fixable
    assert finding.path == f"spec.{CPU_RAY}.resources.requests.memory"
    assert finding.message.startswith(finding.path + ": ")
    assert str(finding.object) == "RayCluster ml/demo"


def test_enforcement_comes_from_the_config() -> None:
    doc = edit(good(), spec__rayVersion=DELETE)
    config = PolicyConfig.from_json({"image-matches-ray-version": "mandatory"})

    [finding] = check_manifest(doc, config)

    assert finding.blocking
    disabled = PolicyConfig.from_json({"image-matches-ray-version": "disabled"})
    assert check_manifest(doc, disabled) == []


def test_non_ray_objects_are_ignored() -> None:
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    old_api = {**good(), "apiVersion": "example.com/v1"}
    assert check_manifest(config_map) == []
    assert check_manifest(old_api) == []


def test_a_broken_rule_is_reported_not_raised() -> None:
    def explode(manifest: dict[str, Any], settings: Any) -> list[Violation]:
        raise RuntimeError("boom")

    broken = Rule(
        id="broken-rule",
        severity=Severity.LOW,
        description="d",
        reason="r",
        url="https://x",
        check=explode,
    )
    [finding] = check_manifest(good(), rules=[broken])
    assert "could not check this object (RuntimeError('boom'))" in finding.message


def test_check_manifests_adds_the_stack_rule() -> None:
    secret_env = [{"name": "T", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]
    doc = edit_paths(good(), {f"spec.{HEAD_RAY}.env": secret_env})
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ml"}}

    alone = check_manifests([doc])
    together = check_manifests([doc, secret])

    assert [f.rule_id for f in alone[0]] == [
        "hide-gpus-from-cpu-containers",
        "unresolved-references",
    ]
    assert [f.rule_id for f in together[0]] == ["hide-gpus-from-cpu-containers"]
    assert together[1] == []


# --- unknowns (preview) ----------------------------------------------------------------------


def test_normalize_turns_pulumi_sentinels_and_floats_into_plain_values() -> None:
    sentinel = next(iter(PULUMI_UNKNOWN_SENTINELS))
    raw = {"a": 2.0, "b": [1.5, sentinel], "c": {"d": True}}
    assert normalize(raw) == {"a": 2, "b": [1.5, UNKNOWN], "c": {"d": True}}


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
def test_an_unknown_spec_raises_no_finding(kind: str) -> None:
    assert check_manifest(edit(good(kind), spec=UNKNOWN)) == []


@pytest.mark.parametrize("kind", ["RayCluster", "RayJob", "RayService"])
def test_unknown_leaves_everywhere_raise_no_finding(kind: str) -> None:
    def blank(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: blank(v) for k, v in value.items()}
        if isinstance(value, list):
            return [blank(v) for v in value]
        return UNKNOWN

    doc = good(kind)
    doc["spec"] = blank(doc["spec"])
    assert check_manifest(doc) == []


# --- fixes -----------------------------------------------------------------------------------


def test_fix_manifest_applies_every_enabled_fix_and_the_operator_still_accepts() -> None:
    doc = edit_paths(
        good("RayJob"),
        {
            "spec.ttlSecondsAfterFinished": DELETE,
            "spec.rayClusterSpec.headGroupSpec.rayStartParams.num-cpus": 0,
            f"spec.rayClusterSpec.{CPU_RAY}.env": DELETE,
            f"spec.rayClusterSpec.{CPU_RAY}.resources.requests.memory": "4Gi",
        },
    )

    fixed, applied = fix_manifest(doc)

    assert applied == [
        "ray-start-params-strings",
        "memory-requests-equal-limits",
        "hide-gpus-from-cpu-containers",
        "rayjob-cluster-cleanup",
    ]
    assert fixed == good("RayJob")
    assert check_manifest(fixed) == []
    assert validate_manifest(fixed) == []


def test_disabled_rules_do_not_fix() -> None:
    doc = edit_paths(good(), {f"spec.{CPU_RAY}.env": DELETE})
    config = PolicyConfig.from_json({"hide-gpus-from-cpu-containers": "disabled"})
    assert fix_manifest(doc, config) == (doc, [])


def test_every_fixable_rule_is_in_the_catalogue_order() -> None:
    fixable = [rule.id for rule in RULES if rule.remediate is not None]
    assert fixable == [
        "ray-start-params-strings",
        "head-runs-no-workloads",
        "memory-requests-equal-limits",
        "cpu-requests-without-limits",
        "gpu-requests-equal-limits",
        "gpu-tolerates-taint",
        "hide-gpus-from-cpu-containers",
        "image-matches-ray-version",
        "rayjob-cluster-cleanup",
        "kueue-shutdown-after-finish",
    ]
