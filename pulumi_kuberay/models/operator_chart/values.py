"""Typed values of the ``kuberay-operator`` Helm chart: the chart's exact key names, unknown keys
rejected (Helm would silently ignore a misspelt key such as ``leaderElection``).

Chart: https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pydantic
import yaml
from pydantic import Field, model_validator
from typing_extensions import Self

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.error_paths import describe_errors
from pulumi_kuberay.models.kubernetes.core_types import (
    EnvVar,
    ResourceRequirements,
    SecurityContext,
    kubernetes_shape,
)
from pulumi_kuberay.models.operator_chart.rules import values_problems

RBAC_DOCS = "https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/helm-chart-rbac.html"


Toleration = Annotated[dict[str, Any], kubernetes_shape("V1Toleration")]
Affinity = Annotated[dict[str, Any], kubernetes_shape("V1Affinity")]
PodSecurityContext = Annotated[dict[str, Any], kubernetes_shape("V1PodSecurityContext")]
LocalObjectReference = Annotated[dict[str, Any], kubernetes_shape("V1LocalObjectReference")]


class ChartValues(CrdModel):
    """Base of the values models: the chart's key names as aliases, unknown keys rejected."""

    def to_values(self) -> dict[str, Any]:
        """The keys that were set, with the chart's names, nothing added."""
        return self.to_dict()


class ImageValues(ChartValues):
    """``image``: the operator container image."""

    repository: str | None = None
    tag: str | None = None
    pull_policy: Literal["Always", "IfNotPresent", "Never"] | None = None


class ServiceAccountValues(ChartValues):
    """``serviceAccount``: create one, and its name."""

    create: bool | None = None
    name: str | None = None


class LoggingValues(ChartValues):
    """``logging``: encoders for stdout and the optional log file (``baseDir``/``fileName``)."""

    stdout_encoder: Literal["json", "console", ""] | None = None
    file_encoder: Literal["json", "console", ""] | None = None
    base_dir: str | None = None
    file_name: str | None = None
    size_limit: str | int | None = None


class BatchSchedulerValues(ChartValues):
    """``batchScheduler``: ``name`` (volcano, yunikorn, ...) or the deprecated ``enabled``."""

    enabled: bool | None = None
    name: str | None = None


class ConfigurationValues(ChartValues):
    """``configuration``: run the operator from a mounted config file instead of flags."""

    enabled: bool | None = None
    default_container_envs: list[EnvVar] | None = None


class FeatureGateValues(ChartValues):
    """One ``featureGates`` entry; the chart renders ``--feature-gates=name=enabled,...``."""

    name: str
    enabled: bool


class ServiceMonitorValues(ChartValues):
    """``metrics.serviceMonitor``: a Prometheus Operator ServiceMonitor for the operator."""

    enabled: bool | None = None
    interval: str | None = None
    honor_labels: bool | None = None
    selector: dict[str, str] | None = None
    namespace: str | None = None


class MetricsValues(ChartValues):
    """``metrics``: control-plane metrics of the operator."""

    enabled: bool | None = None
    service_monitor: ServiceMonitorValues | None = None


class KubeClientValues(ChartValues):
    """``kubeClient``: rate limits of the operator's Kubernetes API client."""

    qps: float | None = None
    burst: int | None = None


class ProbeValues(ChartValues):
    """``livenessProbe`` / ``readinessProbe``: the three timings the chart's template reads."""

    initial_delay_seconds: int | None = Field(default=None, ge=0)
    period_seconds: int | None = Field(default=None, ge=1)
    failure_threshold: int | None = Field(default=None, ge=1)


class ServiceValues(ChartValues):
    """``service``: the Service in front of the operator's metrics port."""

    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] | None = None
    port: int | None = Field(default=None, ge=1, le=65535)


class OperatorValues(ChartValues):
    """Every key of the ``kuberay-operator`` chart's ``values.yaml`` (chart 1.5.x), typed.

    Attributes are snake_case; the chart's names are the aliases, so both
    ``OperatorValues(leader_election_enabled=True)`` and
    ``OperatorValues.from_values({"leaderElectionEnabled": True})`` work. Unset keys keep the
    chart's defaults: :meth:`to_values` dumps only what was set. Keys of newer charts that this
    model lacks go through the component's ``raw_values``.
    See https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
    """

    name_override: str | None = None
    fullname_override: str | None = None
    component_override: str | None = None
    replicas: int | None = None
    image: ImageValues | None = None
    image_pull_secrets: list[LocalObjectReference] | None = None
    node_selector: dict[str, str] | None = None
    priority_class_name: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    affinity: Affinity | None = None
    tolerations: list[Toleration] | None = None
    service_account: ServiceAccountValues | None = None
    logging: LoggingValues | None = None
    batch_scheduler: BatchSchedulerValues | None = None
    configuration: ConfigurationValues | None = None
    feature_gates: list[FeatureGateValues] | None = None
    metrics: MetricsValues | None = None
    operator_command: str | None = None
    use_kubernetes_proxy: bool | None = None
    leader_election_enabled: bool | None = None
    reconcile_concurrency: int | None = None
    kube_client: KubeClientValues | None = None
    rbac_enable: bool | None = None
    cr_namespaced_rbac_enable: bool | None = None
    single_namespace_install: bool | None = None
    watch_namespace: list[str] | None = None
    env: list[EnvVar] | None = None
    resources: ResourceRequirements | None = None
    liveness_probe: ProbeValues | None = None
    readiness_probe: ProbeValues | None = None
    pod_security_context: PodSecurityContext | None = None
    security_context: SecurityContext | None = None
    service: ServiceValues | None = None

    @model_validator(mode="after")
    def _chart_rules(self) -> Self:
        problems = values_problems(self.to_values())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> OperatorValues:
        """Parse chart values (a ``values.yaml`` mapping).

        Raises :class:`pulumi_kuberay.ValidationError` with one message per problem: unknown
        keys (with the closest chart key), wrong types, and the chart's own rules.
        """
        if not isinstance(values, Mapping):
            raise ValidationError(f"chart values must be a mapping, got {type(values).__name__}")
        try:
            return cls.model_validate(dict(values))
        except pydantic.ValidationError as exc:
            raise ValidationError(describe_values_errors(exc)) from None

    @classmethod
    def from_values_yaml(cls, path: str | os.PathLike[str]) -> OperatorValues:
        """Parse a ``values.yaml`` file."""
        with open(path, encoding="utf-8") as handle:
            return cls.from_yaml_text(handle.read())

    @classmethod
    def from_yaml_text(cls, text: str) -> OperatorValues:
        """Parse chart values written as YAML text (an empty document is no values)."""
        loaded = yaml.safe_load(text)
        return cls.from_values(loaded if loaded is not None else {})


UNKNOWN_CHART_KEY = (
    "unknown key of the kuberay-operator chart values (Helm would silently ignore it)"
)


def describe_values_errors(error: pydantic.ValidationError) -> list[str]:
    """Pydantic errors as chart-values messages: the key path, what is wrong, the fix."""
    return describe_errors(
        OperatorValues, error, unknown=UNKNOWN_CHART_KEY, missing="required key is missing"
    )
