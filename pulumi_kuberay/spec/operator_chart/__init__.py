"""The ``kuberay-operator`` Helm chart: typed values, the rules its templates and the operator
apply, deploy-time advice, and the install plan the ``KubeRayOperator`` component follows.

Chart: https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
"""

from pulumi_kuberay.spec.merging import deep_merge
from pulumi_kuberay.spec.operator_chart.advice import Advice, operator_values_advice
from pulumi_kuberay.spec.operator_chart.install_plan import (
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
from pulumi_kuberay.spec.operator_chart.rules import (
    BATCH_SCHEDULERS,
    check_operator_values,
    values_problems,
    version_problems,
)
from pulumi_kuberay.spec.operator_chart.values import (
    BatchSchedulerValues,
    ConfigurationValues,
    FeatureGateValues,
    ImageValues,
    KubeClientValues,
    LoggingValues,
    MetricsValues,
    OperatorValues,
    ProbeValues,
    ServiceAccountValues,
    ServiceMonitorValues,
    ServiceValues,
    describe_values_errors,
)

__all__ = [
    "BATCH_SCHEDULERS",
    "Advice",
    "BatchSchedulerValues",
    "ConfigurationValues",
    "FeatureGateValues",
    "ImageValues",
    "KubeClientValues",
    "LoggingValues",
    "MetricsValues",
    "OperatorInstallPlan",
    "OperatorValues",
    "ProbeValues",
    "ServiceAccountValues",
    "ServiceMonitorValues",
    "ServiceValues",
    "check_operator_values",
    "decide_chart_version",
    "decide_image_tag",
    "decide_operator_version",
    "deep_merge",
    "describe_values_errors",
    "ergonomic_values",
    "operator_capabilities",
    "operator_values_advice",
    "plan_operator_install",
    "render_operator_values",
    "value_conflicts",
    "values_problems",
    "version_problems",
]
