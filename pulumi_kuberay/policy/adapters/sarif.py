"""Lint results as SARIF 2.1.0, the format code-scanning UIs (GitHub, GitLab, Azure) import.

https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html and
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any, Final

from pulumi_kuberay.policy.adapters.lint_files import LintedObject, LintReport
from pulumi_kuberay.policy.catalogue import ALL_RULES
from pulumi_kuberay.policy.model import Finding, RuleInfo, Severity
from pulumi_kuberay.versions import LIBRARY_VERSION

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_URI: Final = "https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html"

# GitHub ranks security alerts by this score (0-10): critical >= 9, high >= 7, medium >= 4.
_SECURITY_SEVERITY: Final = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}


def _level(severity: Severity, blocking: bool) -> str:
    if blocking:
        return "error"
    return "note" if severity is Severity.LOW else "warning"


def _rule(rule: RuleInfo) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "tags": ["kuberay", *rule.tags],
        "problem.severity": "error"
        if rule.enforcement.blocks
        else ("recommendation" if rule.severity is Severity.LOW else "warning"),
    }
    if "security" in rule.tags:
        properties["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": rule.reason},
        "helpUri": rule.url,
        "help": {"text": f"{rule.reason} See {rule.url}"},
        "defaultConfiguration": {"level": _level(rule.severity, rule.enforcement.blocks)},
        "properties": properties,
    }


def _uri(name: str, base: Path | None) -> str:
    if name == "<stdin>":
        return "stdin"
    path = Path(name)
    if base is not None:
        with contextlib.suppress(ValueError):  # outside the base: keep the path as given
            path = path.resolve().relative_to(base.resolve())
    return path.as_posix()


def _result(
    obj: LintedObject, finding: Finding, index: dict[str, int], base: Path | None
) -> dict[str, Any]:
    fingerprint = hashlib.sha256(
        f"{finding.rule_id}|{finding.object}|{finding.path}".encode()
    ).hexdigest()
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": _level(finding.severity, finding.blocking),
        "message": {"text": f"{finding.object}: {finding.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": _uri(obj.source.name, base),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": {"startLine": obj.document.line_of(finding.path)},
                },
                "logicalLocations": [
                    {"fullyQualifiedName": f"{finding.object}:{finding.path}", "kind": "object"}
                ],
            }
        ],
        "partialFingerprints": {"kuberayFinding/v1": fingerprint},
        "properties": {"enforcement": finding.enforcement.value, "fixable": finding.fixable},
    }


def to_sarif(report: LintReport, base: Path | None = None) -> dict[str, Any]:
    """The report as one SARIF run; file URIs are relative to ``base`` (the checkout root)."""
    base = base or Path.cwd()
    rules = [_rule(rule) for rule in ALL_RULES]
    index = {rule.id: position for position, rule in enumerate(ALL_RULES)}
    results = [
        _result(obj, finding, index, base) for obj in report.objects for finding in obj.findings
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pulumi-kuberay",
                        "version": LIBRARY_VERSION,
                        "informationUri": TOOL_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def format_sarif(report: LintReport, base: Path | None = None) -> str:
    return json.dumps(to_sarif(report, base), indent=2) + "\n"
