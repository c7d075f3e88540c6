"""What an installed KubeRay operator can do: the input to version- and gate-aware validation.

A :class:`OperatorCapabilities` is built by the ``KubeRayOperator`` component from what it
installs, or directly by users who manage the operator elsewhere. Validation asks it two
questions: does this operator release know a field, and is a feature gate on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.versions import (
    DEFAULT_OPERATOR_VERSION,
    OLDEST_SUPPORTED_OPERATOR_VERSION,
    default_feature_gates,
    feature_gates_for,
    gate_absence_reason,
    parse_version,
)


@dataclass(frozen=True)
class OperatorCapabilities:
    """The operator version, its effective feature gates, watched namespaces and batch scheduler,
    and whether cert-manager was installed before the operator started.

    ``watch_namespaces`` of ``None`` means the operator watches every namespace.
    ``feature_gates`` holds overrides; gates not named keep the release's default.
    ``cert_manager``: KubeRay >= 1.7 looks for cert-manager's API once, at start-up, and only
    then runs its native mTLS controller (``KubeRayOperator(cert_manager=...)`` sets it).
    See https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
    """

    version: str = DEFAULT_OPERATOR_VERSION
    feature_gates: Mapping[str, bool] = field(default_factory=dict)
    watch_namespaces: Sequence[str] | None = None
    batch_scheduler: str | None = None
    cert_manager: bool = False

    def __post_init__(self) -> None:
        problems: list[str] = []
        try:
            release = parse_version(self.version)
        except ValueError as exc:
            raise ValidationError(f"operator version: {exc}") from None
        if release < parse_version(OLDEST_SUPPORTED_OPERATOR_VERSION):
            problems.append(
                f"operator version {self.version} is older than "
                f"{OLDEST_SUPPORTED_OPERATOR_VERSION}, the oldest release this library supports; "
                "upgrade the KubeRay operator"
            )
        known = feature_gates_for(self.version)
        for name in self.feature_gates:
            if name not in known:
                choices = ", ".join(sorted(known)) or "none"
                problems.append(
                    f"feature gate {name!r} does not exist in KubeRay {self.version}: "
                    f"{gate_absence_reason(name, self.version)} (gates there: {choices}); the "
                    "operator exits at start-up on a gate it does not know; remove it or choose "
                    "an operator release that has it"
                )
        if problems:
            raise ValidationError(problems)

    @property
    def effective_feature_gates(self) -> dict[str, bool]:
        """Every gate this release knows, with overrides applied."""
        gates = default_feature_gates(self.version)
        gates.update({k: bool(v) for k, v in self.feature_gates.items()})
        return gates

    def gate_enabled(self, name: str) -> bool:
        """Whether gate ``name`` is on (``False`` for gates this release does not have)."""
        return self.effective_feature_gates.get(name, False)

    def at_least(self, version: str) -> bool:
        """Whether the operator release is ``version`` or newer."""
        return parse_version(self.version) >= parse_version(version)

    def watches(self, namespace: str) -> bool:
        """Whether custom resources in ``namespace`` are reconciled by this operator."""
        return self.watch_namespaces is None or namespace in self.watch_namespaces


def capabilities_from(
    operator_version: str | None = None,
    feature_gates: Mapping[str, bool] | None = None,
) -> OperatorCapabilities:
    """Capabilities from a loose version and gates pair (``None`` means the library default)."""
    return OperatorCapabilities(
        version=operator_version or DEFAULT_OPERATOR_VERSION,
        feature_gates=dict(feature_gates or {}),
    )
