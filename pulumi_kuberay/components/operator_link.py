"""How Ray components use a ``KubeRayOperator``: its capabilities and a dependency on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import pulumi

from pulumi_kuberay.spec.capabilities import OperatorCapabilities, capabilities_from


@runtime_checkable
class OperatorLike(Protocol):
    """Anything that installed the operator and knows what it can do (``KubeRayOperator``)."""

    capabilities: OperatorCapabilities


def decide_capabilities(
    operator: OperatorLike | None,
    operator_version: str | None,
    feature_gates: Mapping[str, bool] | None,
) -> OperatorCapabilities:
    """The operator's capabilities when one is given, else the version and gates named."""
    if operator is not None:
        if operator_version is not None or feature_gates is not None:
            raise ValueError(
                "operator_version/feature_gates: pass either operator= or these, not both; the "
                "operator component already knows its version and gates"
            )
        return operator.capabilities
    return capabilities_from(operator_version, feature_gates)


def with_operator_dependency(
    opts: pulumi.ResourceOptions | None, operator: OperatorLike | None
) -> pulumi.ResourceOptions:
    """``opts`` plus ``depends_on`` the operator, so custom resources come after its CRDs."""
    opts = opts or pulumi.ResourceOptions()
    if operator is None or not isinstance(operator, pulumi.Resource):
        return opts
    existing = opts.depends_on
    if existing is None:
        deps: list[pulumi.Resource] = []
    elif isinstance(existing, pulumi.Resource):
        deps = [existing]
    else:
        deps = list(existing)  # type: ignore[arg-type]
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[*deps, operator]))
