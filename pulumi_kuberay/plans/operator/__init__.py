"""The plan of a ``KubeRayOperator`` install: chart version, layered values, capabilities and
advice, decided before any resource exists."""

from pulumi_kuberay.plans.operator.advice import Advice, operator_values_advice
from pulumi_kuberay.plans.operator.args import OperatorArgs
from pulumi_kuberay.plans.operator.install import (
    OperatorInstallPlan,
    decide_chart_version,
    decide_image_tag,
    decide_operator_version,
    ergonomic_values,
    operator_capabilities,
    plan_operator_install,
    render_operator_values,
    value_conflicts,
)

__all__ = [
    "Advice",
    "OperatorArgs",
    "OperatorInstallPlan",
    "decide_chart_version",
    "decide_image_tag",
    "decide_operator_version",
    "ergonomic_values",
    "operator_capabilities",
    "operator_values_advice",
    "plan_operator_install",
    "render_operator_values",
    "value_conflicts",
]
