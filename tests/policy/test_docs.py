"""docs/policies.md and the README list every rule with its severity and default enforcement."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_kuberay.policy import ALL_RULES
from pulumi_kuberay.policy.model import RuleInfo

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "docs" / "policies.md", REPO / "README.md"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_the_catalogue_table_has_the_rule(rule: RuleInfo, doc: Path) -> None:
    row = f"| `{rule.id}` | {rule.severity.value} | {rule.enforcement.value} |"
    assert row in doc.read_text()
