"""The rule catalogue: every rule, in the order findings are reported, and lookup by id.

Rule ids are stable: they are the keys of ``--policy-pack-config`` and of ``lint --config``.
"""

from __future__ import annotations

from typing import Final

from pulumi_kuberay.policy.kueue_stack_rules import KUEUE_STACK_RULES
from pulumi_kuberay.policy.model import Rule, RuleInfo, StackRule
from pulumi_kuberay.policy.rules import (
    exposure,
    gpu,
    high_availability,
    images,
    kueue,
    operator_validation,
    rayjob,
    resources,
    secrets,
    security,
    start_params,
    tls,
)
from pulumi_kuberay.policy.stack_rules import STACK_RULES

RULES: Final[tuple[Rule, ...]] = (
    *operator_validation.RULES,
    *start_params.RULES,
    *resources.RULES,
    *gpu.RULES,
    *images.RULES,
    *secrets.RULES,
    *exposure.RULES,
    *security.RULES,
    *high_availability.RULES,
    *rayjob.RULES,
    *kueue.RULES,
    *tls.RULES,
)
"""Rules over one manifest at a time."""

STACK: Final[tuple[StackRule, ...]] = (*STACK_RULES, *KUEUE_STACK_RULES, *tls.STACK_RULES)
"""Rules over all manifests at once."""

ALL_RULES: Final[tuple[RuleInfo, ...]] = (*RULES, *STACK)

_BY_ID: Final[dict[str, RuleInfo]] = {rule.id: rule for rule in ALL_RULES}
if len(_BY_ID) != len(ALL_RULES):  # pragma: no cover - caught by the catalogue tests
    raise RuntimeError("duplicate rule ids in the policy catalogue")


def rule_ids() -> list[str]:
    return [rule.id for rule in ALL_RULES]


def get_rule(rule_id: str) -> RuleInfo:
    """The rule with this id; ``KeyError`` naming the known ids otherwise."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(
            f"no policy rule {rule_id!r}; known rules: {', '.join(rule_ids())}"
        ) from None
