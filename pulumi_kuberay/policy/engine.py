"""Run the catalogue over manifests: per-rule enforcement and settings, findings, fixes.

Configuration uses the format of Pulumi's ``--policy-pack-config`` (the same JSON works for the
pack and for ``pulumi-kuberay lint --config``)::

    {"all": "advisory",
     "ray-start-params-strings": "mandatory",
     "kueue-max-pod-sets": {"enforcementLevel": "mandatory", "maxPodSets": 8}}

https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_kuberay.policy.catalogue import ALL_RULES, RULES, STACK, get_rule
from pulumi_kuberay.policy.model import (
    Enforcement,
    Finding,
    Manifest,
    ObjectRef,
    Rule,
    RuleInfo,
    Setting,
    Violation,
    is_ray_object,
)
from pulumi_kuberay.policy.remediation import apply_remediations

__all__ = [
    "ConfigError",
    "PolicyConfig",
    "check_manifest",
    "check_manifests",
    "fix_manifest",
]

ENFORCEMENT_KEY = "enforcementLevel"
"""The key Pulumi's policy config uses for a rule's enforcement inside its settings object."""


class ConfigError(ValueError):
    """Policy configuration that names an unknown rule, level or setting, or a wrong type."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _level(value: object, where: str, problems: list[str]) -> Enforcement | None:
    try:
        return Enforcement(value)
    except ValueError:
        choices = ", ".join(level.value for level in Enforcement)
        problems.append(f"{where}: {value!r} is not an enforcement level; use one of {choices}")
        return None


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def _setting_value(setting: Setting, value: Any, where: str, problems: list[str]) -> Any:
    kind = str(setting.schema.get("type", ""))
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        value = int(value)  # Pulumi sends every config number as a float.
    expected = _JSON_TYPES.get(kind)
    wrong_bool = isinstance(value, bool) and kind in ("integer", "number")
    if expected is not None and (not isinstance(value, expected) or wrong_bool):
        problems.append(f"{where}: expected {kind}, got {value!r}")
        return None
    minimum = setting.schema.get("minimum")
    if minimum is not None and isinstance(value, (int, float)) and value < minimum:
        problems.append(f"{where}: must be at least {minimum}, got {value!r}")
        return None
    return value


@dataclass(frozen=True)
class PolicyConfig:
    """Per-rule enforcement and settings; rules not named keep their defaults."""

    levels: Mapping[str, Enforcement] = field(default_factory=dict)
    all_rules: Enforcement | None = None
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PolicyConfig:
        """Parse ``--policy-pack-config`` JSON; :class:`ConfigError` lists every problem."""
        problems: list[str] = []
        levels: dict[str, Enforcement] = {}
        settings: dict[str, dict[str, Any]] = {}
        all_rules: Enforcement | None = None
        for key, value in (data or {}).items():
            if key == "all":
                raw = value.get(ENFORCEMENT_KEY) if isinstance(value, Mapping) else value
                all_rules = _level(raw, "all", problems)
                continue
            try:
                rule = get_rule(key)
            except KeyError as exc:
                problems.append(str(exc.args[0]))
                continue
            if isinstance(value, str):
                level = _level(value, key, problems)
                if level is not None:
                    levels[key] = level
                continue
            if not isinstance(value, Mapping):
                problems.append(f"{key}: expected an enforcement level or an object of settings")
                continue
            known = {s.name: s for s in rule.settings}
            for name, item in value.items():
                if name == ENFORCEMENT_KEY:
                    level = _level(item, f"{key}.{name}", problems)
                    if level is not None:
                        levels[key] = level
                elif name not in known:
                    names = ", ".join(known) or "none"
                    problems.append(f"{key}.{name}: unknown setting (settings of {key}: {names})")
                else:
                    checked = _setting_value(known[name], item, f"{key}.{name}", problems)
                    if checked is not None:
                        settings.setdefault(key, {})[name] = checked
        if problems:
            raise ConfigError(problems)
        return cls(levels=levels, all_rules=all_rules, settings=settings)

    def enforcement(self, rule: RuleInfo) -> Enforcement:
        return self.levels.get(rule.id) or self.all_rules or rule.enforcement

    def settings_for(self, rule: RuleInfo) -> dict[str, Any]:
        """The rule's settings: its defaults with the configured values applied."""
        return {**rule.default_settings(), **self.settings.get(rule.id, {})}


DEFAULT_CONFIG = PolicyConfig()


def _finding(
    rule: RuleInfo, level: Enforcement, violation: Violation, manifest: Mapping[str, Any]
) -> Finding:
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        enforcement=level,
        message=violation.message,
        path=violation.path,
        object=ObjectRef.of(manifest),
        fixable=isinstance(rule, Rule) and rule.remediate is not None and violation.fixable,
    )


def _violations(rule: Rule, manifest: Manifest, config: PolicyConfig) -> list[Violation]:
    try:
        return list(rule.check(manifest, config.settings_for(rule)))
    except Exception as exc:  # one broken rule must not hide the others' findings
        return [Violation("", f"the rule could not check this object ({exc!r}); please report it")]


def check_manifest(
    manifest: Manifest,
    config: PolicyConfig = DEFAULT_CONFIG,
    rules: Iterable[Rule] = RULES,
) -> list[Finding]:
    """Every finding of the per-object rules for one manifest (none for non-Ray objects)."""
    if not is_ray_object(manifest):
        return []
    findings = []
    for rule in rules:
        level = config.enforcement(rule)
        if level is Enforcement.DISABLED or not rule.applies_to(manifest):
            continue
        violations = _violations(rule, manifest, config)
        findings += [_finding(rule, level, v, manifest) for v in violations]
    return findings


def check_manifests(
    manifests: Sequence[Manifest], config: PolicyConfig = DEFAULT_CONFIG
) -> list[list[Finding]]:
    """Findings per manifest: the per-object rules, then the stack rules over all of them."""
    results = [check_manifest(manifest, config) for manifest in manifests]
    for rule in STACK:
        level = config.enforcement(rule)
        if level is Enforcement.DISABLED:
            continue
        for index, violation in rule.check_stack(manifests, config.settings_for(rule)):
            results[index].append(_finding(rule, level, violation, manifests[index]))
    return results


def fix_manifest(
    manifest: Manifest, config: PolicyConfig = DEFAULT_CONFIG
) -> tuple[Manifest, list[str]]:
    """``manifest`` with the fix of every enabled rule that has one applied, and the ids of the
    rules that changed it. The input is not modified."""
    if not is_ray_object(manifest):
        return manifest, []
    chosen = [
        (rule, config.settings_for(rule))
        for rule in RULES
        if rule.remediate is not None and config.enforcement(rule) is not Enforcement.DISABLED
    ]
    return apply_remediations(manifest, chosen)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that fail a preview or ``lint`` (mandatory, or remediate left unfixed)."""
    return [finding for finding in findings if finding.blocking]


def describe_rules() -> list[dict[str, Any]]:
    """The catalogue as plain data (for ``lint --list-rules`` and the docs)."""
    return [
        {
            "id": rule.id,
            "severity": rule.severity.value,
            "enforcement": rule.enforcement.value,
            "description": rule.description,
            "reason": rule.reason,
            "url": rule.url,
            "fixable": isinstance(rule, Rule) and rule.remediate is not None,
            "stack": not isinstance(rule, Rule),
            "settings": {s.name: s.default for s in rule.settings},
        }
        for rule in ALL_RULES
    ]
