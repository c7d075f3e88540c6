"""The KubeRay operator install, described once: :class:`OperatorArgs`.

Chart: https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
"""

from __future__ import annotations

from typing import Any

from pulumi_kuberay.models.operator_chart.values import OperatorValues
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.versions import OPERATOR_CHART_NAME, OPERATOR_CHART_REPOSITORY


class OperatorArgs(ArgumentModel):
    """What ``KubeRayOperator`` installs: the ``kuberay-operator`` chart version and values.

    Values are layered like Helm: the image tag ``v<version>``, then ``values``, then the
    shortcut arguments (a key set both ways to different values is an error), then
    ``raw_values``. https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
    """

    version: str | None = None
    """The chart (and operator) version. Default: the library's operator version."""
    feature_gates: dict[str, bool] | None = None
    """``featureGates``: gate name -> enabled; gates not named keep the release's default.
    Default: the chart's list."""
    watch_namespaces: list[str] | None = None
    """``watchNamespace``: the namespaces the operator reconciles. Default: every namespace."""
    single_namespace: bool = False
    """``singleNamespaceInstall``: Roles instead of ClusterRoles, the operator's own namespace
    only. Default: off."""
    batch_scheduler: str | None = None
    """``batchScheduler.name`` (volcano, yunikorn, kai-scheduler, scheduler-plugins). Default:
    none."""
    leader_election: bool | None = None
    """``leaderElectionEnabled``. Default: the chart's (on)."""
    reconcile_concurrency: int | None = None
    """``reconcileConcurrency``: parallel reconciles per kind. Default: the chart's (1)."""
    resources: dict[str, Any] | None = None
    """``resources`` of the operator container. Default: the chart's."""
    metrics: bool | dict[str, Any] | None = None
    """``metrics``: ``True``/``False`` for ``metrics.enabled``, or the whole mapping. Default:
    the chart's."""
    values: OperatorValues | dict[str, Any] | None = None
    """Typed chart values (:class:`OperatorValues` or a dict in chart shape). Default: none."""
    raw_values: dict[str, Any] | None = None
    """Unchecked values merged last: the escape hatch for keys the model lacks. Default: none."""
    manage_crds: bool = True
    """Install and upgrade the chart's CRDs (server-side apply); ``False`` skips them
    (``skip_crds``). Default: on."""
    retain_crds_on_delete: bool = True
    """Keep the CRDs (and so every Ray object) when the component is deleted. Default: on."""
    chart_repository: str = OPERATOR_CHART_REPOSITORY
    """The Helm repository (``https://...`` or ``oci://...``). Default: KubeRay's."""
    chart_name: str = OPERATOR_CHART_NAME
    """The chart's name. Default: ``kuberay-operator``."""
