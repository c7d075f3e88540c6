"""Typed values of the ``jetstack/cert-manager`` Helm chart (v1.21.1): the keys a Ray platform
sets, with the chart's exact names; a misspelt key is an error where Helm would ignore it.
Keys not modelled here go through ``raw_values``.

Chart values: https://artifacthub.io/packages/helm/cert-manager/cert-manager
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.kubernetes.core_types import ResourceRequirements, kubernetes_shape

Toleration = Annotated[dict[str, Any], kubernetes_shape("V1Toleration")]
Affinity = Annotated[dict[str, Any], kubernetes_shape("V1Affinity")]
LocalObjectReference = Annotated[dict[str, Any], kubernetes_shape("V1LocalObjectReference")]


class CertManagerChartValues(CrdModel):
    """Base of the values models: chart key names as aliases, unknown keys rejected."""

    def to_values(self) -> dict[str, Any]:
        """The keys that were set, with the chart's names, nothing added."""
        return self.to_dict()


class CrdsValues(CertManagerChartValues):
    """``crds``: the chart installs cert-manager's CRDs (``enabled``, default false) and keeps
    them when the release is uninstalled (``keep``, default true; deleting a CRD deletes every
    Certificate and Issuer)."""

    enabled: bool | None = None
    keep: bool | None = None


class LeaderElectionValues(CertManagerChartValues):
    """``global.leaderElection``: where the controllers' lease lives (``kube-system``)."""

    namespace: str | None = None
    lease_duration: str | None = None
    renew_deadline: str | None = None
    retry_period: str | None = None


class GlobalValues(CertManagerChartValues):
    """``global``: settings of every cert-manager component."""

    image_pull_secrets: list[LocalObjectReference] | None = None
    node_selector: dict[str, str] | None = None
    common_labels: dict[str, str] | None = None
    priority_class_name: str | None = None
    log_level: int | None = None
    leader_election: LeaderElectionValues | None = None
    revision_history_limit: int | None = None


class PodDisruptionBudgetValues(CertManagerChartValues):
    """``podDisruptionBudget`` (also under ``webhook`` and ``cainjector``)."""

    enabled: bool | None = None
    min_available: int | str | None = None
    max_unavailable: int | str | None = None


class ImageValues(CertManagerChartValues):
    """``image`` of a cert-manager component."""

    repository: str | None = None
    tag: str | None = None
    digest: str | None = None
    pull_policy: Literal["Always", "IfNotPresent", "Never"] | None = None


class ServiceMonitorValues(CertManagerChartValues):
    """``prometheus.servicemonitor``: a Prometheus operator ServiceMonitor for the controller."""

    enabled: bool | None = None
    namespace: str | None = None
    prometheus_instance: str | None = None
    interval: str | None = None
    scrape_timeout: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    honor_labels: bool | None = None


class PrometheusValues(CertManagerChartValues):
    """``prometheus``: the controller's metrics (on by default) and how they are scraped."""

    enabled: bool | None = None
    servicemonitor: ServiceMonitorValues | None = None
    podmonitor: ServiceMonitorValues | None = None


class WebhookValues(CertManagerChartValues):
    """``webhook``: the admission webhook that validates every cert-manager object."""

    replica_count: int | None = None
    timeout_seconds: int | None = None
    resources: ResourceRequirements | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[Toleration] | None = None
    affinity: Affinity | None = None
    pod_disruption_budget: PodDisruptionBudgetValues | None = None
    image: ImageValues | None = None


class CainjectorValues(CertManagerChartValues):
    """``cainjector``: fills CA bundles of webhooks and API services."""

    enabled: bool | None = None
    replica_count: int | None = None
    resources: ResourceRequirements | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[Toleration] | None = None
    affinity: Affinity | None = None
    pod_disruption_budget: PodDisruptionBudgetValues | None = None
    image: ImageValues | None = None


class StartupApiCheckValues(CertManagerChartValues):
    """``startupapicheck``: a post-install Job that waits until the webhook answers."""

    enabled: bool | None = None
    timeout: str | None = None


class CertManagerValues(CertManagerChartValues):
    """The chart's values that matter for a Ray platform, key for key ``values.yaml``."""

    crds: CrdsValues | None = None
    global_: GlobalValues | None = Field(default=None, alias="global")
    """``global`` (a Python keyword, hence ``global_``)."""
    replica_count: int | None = None
    pod_disruption_budget: PodDisruptionBudgetValues | None = None
    feature_gates: str | None = None
    """``featureGates``: the controller's gates, ``Name=true,Other=false``."""
    image: ImageValues | None = None
    cluster_resource_namespace: str | None = None
    """``clusterResourceNamespace``: where ClusterIssuers read their Secrets (default: the
    release namespace)."""
    enable_certificate_owner_ref: bool | None = None
    """``enableCertificateOwnerRef``: delete a Certificate's Secret with it."""
    config: dict[str, Any] | None = None
    """``config``: a ControllerConfiguration (e.g. ``pemSizeLimitsConfig``)."""
    disable_auto_approval: bool | None = None
    """``disableAutoApproval``: CertificateRequests wait for an approver (approver-policy)."""
    approve_signer_names: list[str] | None = None
    extra_args: list[str] | None = None
    resources: ResourceRequirements | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[Toleration] | None = None
    affinity: Affinity | None = None
    prometheus: PrometheusValues | None = None
    webhook: WebhookValues | None = None
    cainjector: CainjectorValues | None = None
    startupapicheck: StartupApiCheckValues | None = None
