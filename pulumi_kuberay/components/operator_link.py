"""How Ray components use a ``KubeRayOperator``: its capabilities and a dependency on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import pulumi

from pulumi_kuberay.models.capabilities import OperatorCapabilities, capabilities_from


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


def child_options(
    parent: pulumi.Resource,
    component_opts: pulumi.ResourceOptions | None,
    operator: OperatorLike | None,
) -> pulumi.ResourceOptions:
    """Options for a component's custom resource: parented to the component, depending on what
    the component depends on (children do not inherit ``depends_on``) and on the operator, so
    custom resources are created after its CRDs and Deployment."""
    deps: list[pulumi.Resource] = []
    existing = component_opts.depends_on if component_opts is not None else None
    if isinstance(existing, pulumi.Resource):
        deps.append(existing)
    elif existing is not None:
        deps.extend(existing)  # type: ignore[arg-type]
    if isinstance(operator, pulumi.Resource):
        deps.append(operator)
    return pulumi.ResourceOptions(parent=parent, depends_on=deps or None)
