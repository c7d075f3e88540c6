"""Assertions shared by the rule tests: run one rule, check its one finding and its fix."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pulumi_kuberay.policy.model import Rule, Violation
from pulumi_kuberay.spec import validate_manifest


def violations(rule: Rule, manifest: dict[str, Any], **settings: Any) -> list[Violation]:
    resolved: Mapping[str, Any] = {**rule.default_settings(), **settings}
    if not rule.applies_to(manifest):
        return []
    return list(rule.check(manifest, resolved))


def assert_passes(rule: Rule, manifest: dict[str, Any], **settings: Any) -> None:
    found = violations(rule, manifest, **settings)
    assert found == [], [v.message for v in found]


def assert_flags(
    rule: Rule, manifest: dict[str, Any], path: str, *fragments: str, **settings: Any
) -> Violation:
    """Exactly one violation, at ``path``, whose message holds every fragment."""
    found = violations(rule, manifest, **settings)
    assert len(found) == 1, [v.message for v in found]
    [violation] = found
    assert violation.path == path
    assert violation.message.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in violation.message, violation.message
    return violation


def assert_fix(rule: Rule, manifest: dict[str, Any], **settings: Any) -> dict[str, Any]:
    """The rule's fix removes its violations, leaves the input alone, and keeps the object
    acceptable to the operator if it was."""
    assert rule.remediate is not None
    before = copy.deepcopy(manifest)
    accepted = validate_manifest(manifest) == []
    fixed = rule.remediate(manifest, {**rule.default_settings(), **settings})
    assert manifest == before, "the remediation modified its input"
    assert_passes(rule, fixed, **settings)
    if accepted:
        assert validate_manifest(fixed) == []
    return fixed
