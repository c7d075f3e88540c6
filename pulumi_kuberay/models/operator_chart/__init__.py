"""The ``kuberay-operator`` Helm chart: typed values and the rules its templates and the
operator apply to them.

Chart: https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
"""

from pulumi_kuberay.models.operator_chart.rules import (
    BATCH_SCHEDULERS,
    check_operator_values,
    values_problems,
    version_problems,
)
from pulumi_kuberay.models.operator_chart.values import (
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
    "BatchSchedulerValues",
    "ConfigurationValues",
    "FeatureGateValues",
    "ImageValues",
    "KubeClientValues",
    "LoggingValues",
    "MetricsValues",
    "OperatorValues",
    "ProbeValues",
    "ServiceAccountValues",
    "ServiceMonitorValues",
    "ServiceValues",
    "check_operator_values",
    "describe_values_errors",
    "values_problems",
    "version_problems",
]
