"""The vocabulary of the policy pack: rules, their severities and enforcement, and findings.

Pure data; no Pulumi import. The Pulumi pack (:mod:`.pulumi_pack`) maps these onto
``pulumi_policy`` and the ``lint`` command prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

Manifest = dict[str, Any]
"""A Kubernetes object as a plain dict (``apiVersion``, ``kind``, ``metadata``, ``spec``)."""

Settings = Mapping[str, Any]
"""A rule's settings, every default applied (see :attr:`Rule.settings`)."""

RAY_KINDS: Final = frozenset({"RayCluster", "RayJob", "RayService"})


def is_ray_object(manifest: Mapping[str, Any]) -> bool:
    """A ``ray.io`` RayCluster, RayJob or RayService (other objects are not checked)."""
    return manifest.get("kind") in RAY_KINDS and str(manifest.get("apiVersion", "")).startswith(
        "ray.io/"
    )


class Severity(str, Enum):
    """How bad a violation is; the same four levels as ``pulumi_policy.Severity``."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for critical, for sorting."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Enforcement(str, Enum):
    """What a violation does; the levels of Pulumi's ``--policy-pack-config``.

    ``remediate`` applies the rule's fix (Pulumi does it during ``up``, ``lint --fix`` writes it);
    a violation that remains counts as mandatory, as in Pulumi.
    """

    ADVISORY = "advisory"
    MANDATORY = "mandatory"
    REMEDIATE = "remediate"
    DISABLED = "disabled"

    @property
    def blocks(self) -> bool:
        """Whether a remaining violation fails the preview (or ``lint``)."""
        return self in (Enforcement.MANDATORY, Enforcement.REMEDIATE)


@dataclass(frozen=True)
class Violation:
    """What a rule's check reports: the field path and what is wrong there, with the fix."""

    path: str
    text: str
    fixable: bool = True
    """False when the rule has a fix but it does not apply to this case (it needs a human)."""

    @property
    def message(self) -> str:
        return f"{self.path}: {self.text}" if self.path else self.text


Check = Callable[[Manifest, Settings], Iterable[Violation]]
"""A rule's check: a manifest and the rule's settings -> its violations. Pure, never raises
on malformed input (it reports what it can and skips what it cannot read)."""

Remediation = Callable[[Manifest, Settings], Manifest]
"""A rule's mechanical fix: returns a fixed copy of the manifest (the input is not touched)."""


@dataclass(frozen=True)
class Setting:
    """A rule setting: its name in ``--policy-pack-config``, default and JSON schema type."""

    name: str
    default: Any
    schema: Mapping[str, Any]
    description: str

    def json_schema(self) -> dict[str, Any]:
        """The property schema Pulumi shows for this setting (default included)."""
        return {**self.schema, "default": self.default, "description": self.description}


@dataclass(frozen=True, kw_only=True)
class RuleInfo:
    """What every rule has: a stable id, severity, one-line description, the reason with a
    link to the doc it encodes, its default enforcement and its settings."""

    id: str
    severity: Severity
    description: str
    reason: str
    url: str
    enforcement: Enforcement = Enforcement.ADVISORY
    settings: tuple[Setting, ...] = ()
    tags: tuple[str, ...] = ()
    """``security`` marks rules about exposure and credentials (SARIF security severity)."""

    def default_settings(self) -> dict[str, Any]:
        return {setting.name: setting.default for setting in self.settings}


@dataclass(frozen=True, kw_only=True)
class Rule(RuleInfo):
    """A rule over one ``ray.io/v1`` manifest, with an optional mechanical fix.

    ``kinds`` are the kinds the check applies to; ``enforcement`` is the default (advisory for
    best practices, mandatory when the object would be rejected).
    """

    check: Check
    remediate: Remediation | None = None
    kinds: frozenset[str] = RAY_KINDS

    def applies_to(self, manifest: Mapping[str, Any]) -> bool:
        return is_ray_object(manifest) and manifest.get("kind") in self.kinds


StackCheck = Callable[[Sequence[Mapping[str, Any]], Settings], list[tuple[int, Violation]]]
"""A stack rule's check: every manifest of a stack (or of the linted files) -> ``(index of the
manifest, violation)`` pairs."""


@dataclass(frozen=True, kw_only=True)
class StackRule(RuleInfo):
    """A rule over all objects at once (what a stack creates, what a set of files defines)."""

    check_stack: StackCheck


@dataclass(frozen=True)
class ObjectRef:
    """Which object a finding is about."""

    kind: str
    name: str | None
    namespace: str | None = None

    @classmethod
    def of(cls, manifest: Mapping[str, Any]) -> ObjectRef:
        metadata = manifest.get("metadata")
        metadata = metadata if isinstance(metadata, Mapping) else {}
        name, namespace = metadata.get("name"), metadata.get("namespace")
        generate_name = metadata.get("generateName")
        if not isinstance(name, str) and isinstance(generate_name, str) and generate_name:
            name = f"{generate_name}(generated)"
        return cls(
            kind=str(manifest.get("kind") or "?"),
            name=name if isinstance(name, str) else None,
            namespace=namespace if isinstance(namespace, str) else None,
        )

    def __str__(self) -> str:
        name = self.name or "(unnamed)"
        return f"{self.kind} {self.namespace}/{name}" if self.namespace else f"{self.kind} {name}"


@dataclass(frozen=True)
class Finding:
    """A violation of one rule by one object, with the enforcement it was checked under."""

    rule_id: str
    severity: Severity
    enforcement: Enforcement
    message: str
    path: str
    object: ObjectRef
    fixable: bool = False

    @property
    def blocking(self) -> bool:
        """A mandatory violation: ``pulumi preview`` fails and ``lint`` exits 1."""
        return self.enforcement.blocks

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "severity": self.severity.value,
            "enforcement": self.enforcement.value,
            "message": self.message,
            "path": self.path,
            "object": {
                "kind": self.object.kind,
                "namespace": self.object.namespace,
                "name": self.object.name,
            },
            "fixable": self.fixable,
        }
