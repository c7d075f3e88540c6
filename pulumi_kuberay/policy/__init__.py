"""KubeRay best practices as pure rules over manifest dicts.

The same catalogue runs in the Pulumi policy pack (``policies/``, built by
:mod:`pulumi_kuberay.policy.adapters.pulumi_pack`), in ``pulumi-kuberay lint`` on YAML files, under
``pulumi-kuberay preview``, and in tests. This package imports neither Pulumi nor
``pulumi_policy`` (only :mod:`.pulumi_pack` does), so linting stays fast.

>>> from pulumi_kuberay.policy import check_manifest
>>> [f.rule_id for f in check_manifest(doc)]        # doctest: +SKIP
"""

from pulumi_kuberay.policy.catalogue import ALL_RULES, RULES, STACK, get_rule, rule_ids
from pulumi_kuberay.policy.engine import (
    ConfigError,
    PolicyConfig,
    blocking,
    check_manifest,
    check_manifests,
    fix_manifest,
)
from pulumi_kuberay.policy.manifest_reading import UNKNOWN, normalize
from pulumi_kuberay.policy.model import (
    Enforcement,
    Finding,
    ObjectRef,
    Rule,
    RuleInfo,
    Severity,
    StackRule,
    Violation,
    is_ray_object,
)

__all__ = [
    "ALL_RULES",
    "RULES",
    "STACK",
    "UNKNOWN",
    "ConfigError",
    "Enforcement",
    "Finding",
    "ObjectRef",
    "PolicyConfig",
    "Rule",
    "RuleInfo",
    "Severity",
    "StackRule",
    "Violation",
    "blocking",
    "check_manifest",
    "check_manifests",
    "fix_manifest",
    "get_rule",
    "is_ray_object",
    "normalize",
    "rule_ids",
]
