"""The catalogue as Pulumi policies: the pack ``policies/__main__.py`` serves.

Importable without starting anything: :func:`build_policies` returns the
``pulumi_policy`` objects; only constructing ``PolicyPack`` starts the gRPC server. What
arrives from the engine is made plain here, once: the SDK's unknown-checking proxies are
unwrapped, Pulumi's unknown sentinels become :data:`~pulumi_kuberay.policy.manifest_reading.UNKNOWN`
(never flagged), numbers that arrive as floats (``2.0``) become ints, and settings missing
from ``--policy-pack-config`` get their ``config_schema`` defaults (the SDK does not apply
them). https://www.pulumi.com/docs/iac/using-pulumi/crossguard/
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceRemediation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Secret,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from pulumi_kuberay.policy.catalogue import RULES, STACK
from pulumi_kuberay.policy.engine import ConfigError, PolicyConfig
from pulumi_kuberay.policy.manifest_reading import UNKNOWN, normalize
from pulumi_kuberay.policy.model import RAY_KINDS, Manifest, Rule, RuleInfo, StackRule
from pulumi_kuberay.policy.node_pools import pool_record_manifest

PACK_NAME: Final = "kuberay-best-practices"
PACK_ENFORCEMENT: Final = EnforcementLevel.ADVISORY
"""The pack's default; every policy sets its own level from the catalogue."""

RESOURCE_TYPES: Final[Mapping[str, str]] = {f"kubernetes:ray.io/v1:{k}": k for k in RAY_KINDS}
"""Pulumi type tokens of the KubeRay custom resources (``apiextensions.CustomResource``)."""

UNKNOWN_STRING: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""What an unknown value is sent back as in remediated properties."""

_REMEDIATION_STEPS: Final = (
    'Set this policy\'s enforcementLevel to "remediate" and Pulumi applies the fix, or run '
    "`pulumi-kuberay lint --fix` on the YAML."
)

SecretPath = tuple[str | int, ...]


def _plain(value: Any, path: SecretPath = (), secrets: list[SecretPath] | None = None) -> Any:
    """``value`` without the SDK's proxies and Secret wrappers (their paths go to ``secrets``)."""
    if isinstance(value, Secret):
        if secrets is not None:
            secrets.append(path)
        return _plain(value.value, path, secrets)
    if isinstance(value, (dict, list)):
        pass
    elif isinstance(value, (Mapping, Sequence)) and not isinstance(value, (str, bytes)):
        # The SDK's proxies (unknown-checking, secret-preserving) wrap the real container.
        return _plain(value["__target"], path, secrets)  # type: ignore[call-overload]
    if isinstance(value, dict):
        return {k: _plain(v, (*path, k), secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, (*path, i), secrets) for i, v in enumerate(value)]
    return value


def manifest_from_props(
    resource_type: str, props: Any, secrets: list[SecretPath] | None = None
) -> Manifest:
    """A resource's properties as a normalised manifest. ``apiVersion`` and ``kind`` come from
    the type token (``kubernetes:<group>/<version>:<Kind>``) when the properties lack them."""
    plain = _plain(props, (), secrets)
    manifest: Manifest = normalize(plain) if isinstance(plain, dict) else {}
    record = pool_record_manifest(resource_type, manifest)
    if record is not None:  # a GpuNodePool component: the pool the stack rules read
        return record
    parts = resource_type.split(":")
    if len(parts) == 3 and parts[0] == "kubernetes":
        api_version = parts[1].removeprefix("core/")
        manifest.setdefault("apiVersion", api_version)
        manifest.setdefault("kind", parts[2])
    return manifest


def props_from_manifest(
    manifest: Manifest, original_keys: set[str], secrets: list[SecretPath]
) -> dict[str, Any]:
    """A fixed manifest as properties to hand back: unknowns as the wire sentinel, former
    secrets wrapped again, and ``apiVersion``/``kind`` only if the resource had them."""

    def denormalize(value: Any) -> Any:
        if value is UNKNOWN:
            return UNKNOWN_STRING
        if isinstance(value, dict):
            return {k: denormalize(v) for k, v in value.items()}
        if isinstance(value, list):
            return [denormalize(v) for v in value]
        return value

    props: dict[str, Any] = denormalize(manifest)
    for path in secrets:
        parent: Any = props
        for step in path[:-1]:
            parent = _step(parent, step)
        if path and _step(parent, path[-1]) is not None:
            parent[path[-1]] = Secret(parent[path[-1]])
    if not original_keys:
        return props
    return {k: v for k, v in props.items() if k in original_keys or k not in ("apiVersion", "kind")}


def _step(node: Any, step: str | int) -> Any:
    if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
        return node[step]
    if isinstance(step, str) and isinstance(node, dict):
        return node.get(step)
    return None


def settings_for(rule: RuleInfo, config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The rule's settings from its ``--policy-pack-config`` entry, defaults applied."""
    entry = dict(config or {})
    entry.pop("enforcementLevel", None)
    try:
        parsed = PolicyConfig.from_json({rule.id: entry} if entry else {})
    except ConfigError as exc:
        raise ValueError(f"policy {rule.id}: invalid configuration: {exc}") from None
    return parsed.settings_for(rule)


def _schema(rule: RuleInfo) -> PolicyConfigSchema | None:
    if not rule.settings:
        return None
    return PolicyConfigSchema(properties={s.name: s.json_schema() for s in rule.settings})


def resource_policy(rule: Rule) -> ResourceValidationPolicy:
    """One rule as a resource policy over the KubeRay custom resources."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in RESOURCE_TYPES:
            return
        manifest = manifest_from_props(args.resource_type, args.props)
        if not rule.applies_to(manifest):
            return
        for violation in rule.check(manifest, settings_for(rule, args.get_config())):
            report_violation(violation.message, None)

    def remediate(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
        if args.resource_type not in RESOURCE_TYPES or rule.remediate is None:
            return None
        secrets: list[SecretPath] = []
        manifest = manifest_from_props(args.resource_type, args.props, secrets)
        if not rule.applies_to(manifest):
            return None
        fixed = rule.remediate(manifest, settings_for(rule, args.get_config()))
        if fixed == manifest:
            return None
        original = set(_plain(args.props))
        return props_from_manifest(fixed, original, secrets)

    return ResourceValidationPolicy(
        name=rule.id,
        description=rule.description,
        validate=validate,
        # The SDK's annotation asks for an awaitable, but its servicer takes a plain mapping too.
        remediate=cast("ResourceRemediation", remediate) if rule.remediate is not None else None,
        enforcement_level=EnforcementLevel(rule.enforcement.value),
        config_schema=_schema(rule),
        severity=Severity(rule.severity.value),
        remediation_steps=_REMEDIATION_STEPS if rule.remediate is not None else None,
        url=rule.url,
        tags=["kuberay"],
    )


def stack_policy(rule: StackRule) -> StackValidationPolicy:
    """A stack rule over every resource of the stack (each reported against its URN)."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = list(args.resources)
        manifests = [manifest_from_props(r.resource_type, r.props) for r in resources]
        settings = settings_for(rule, args.get_config())
        for index, violation in rule.check_stack(manifests, settings):
            report_violation(violation.message, resources[index].urn)

    return StackValidationPolicy(
        name=rule.id,
        description=rule.description,
        validate=validate,
        enforcement_level=EnforcementLevel(rule.enforcement.value),
        config_schema=_schema(rule),
        severity=Severity(rule.severity.value),
        url=rule.url,
        tags=["kuberay"],
    )


def build_policies() -> list[Policy]:
    """Every rule of the catalogue as a ``pulumi_policy`` policy, in catalogue order."""
    policies: list[Policy] = [resource_policy(rule) for rule in RULES]
    policies += [stack_policy(rule) for rule in STACK]
    return policies
