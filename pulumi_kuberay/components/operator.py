"""The ``KubeRayOperator`` component: the KubeRay operator Helm chart with typed, checked values.

The chart is installed with ``pulumi_kubernetes.helm.v4.Chart``: its objects become individual
Pulumi resources (visible to policies and transforms) and its CRDs are applied with server-side
apply and updated with the chart, unlike ``helm upgrade``, which never touches CRDs.

- KubeRay: https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
- Chart: https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
- Pulumi: https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v4/chart/
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.helm import v4 as helm

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.operator_chart import OperatorValues
from pulumi_kuberay.plans.operator import plan_operator_install
from pulumi_kuberay.versions import OPERATOR_CHART_NAME, OPERATOR_CHART_REPOSITORY

TYPE_TOKEN = "kuberay:index:KubeRayOperator"
CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"


def decide_chart_source(chart_name: str, chart_repository: str) -> tuple[str, str | None]:
    """(chart reference, repository URL for ``repository_opts``) for a chart in a repository.

    OCI registries take the chart as part of the reference (``oci://host/path/chart``) and no
    repository option; classic Helm repositories take the chart name plus the repository URL.
    """
    if chart_repository.startswith("oci://"):
        return f"{chart_repository.rstrip('/')}/{chart_name}", None
    return chart_name, chart_repository


def retain_crds_transform(
    args: pulumi.ResourceTransformArgs,
) -> pulumi.ResourceTransformResult | None:
    """Keep the chart's CRDs in the cluster when the component is deleted.

    Deleting a CRD deletes every custom resource of that kind in the cluster (all RayClusters,
    RayJobs, RayServices), which Helm avoids by never deleting CRDs; this transform does the same.
    """
    if args.type_ != CRD_TYPE:
        return None
    return pulumi.ResourceTransformResult(
        props=args.props,
        opts=pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(retain_on_delete=True)),
    )


class KubeRayOperator(pulumi.ComponentResource):
    """The KubeRay operator, installed from the ``kuberay-operator`` Helm chart.

    Values are layered like Helm: the image tag ``v<version>``, then the typed ``values``
    (:class:`~pulumi_kuberay.models.operator_chart.OperatorValues` or a dict in chart shape), then
    the shortcut arguments (``feature_gates``, ``watch_namespaces``, ...; a key set both ways to
    different values is an error), then ``raw_values``, the unchecked escape hatch for keys the
    model lacks, deep-merged last. Problems the chart or the operator would reject raise
    :class:`pulumi_kuberay.ValidationError` before any resource is registered.

    ``capabilities`` (a plain value) is what ``RayCluster(..., operator=op)`` validates against;
    passing ``operator=`` also makes the custom resource depend on this component, so it is
    created after the CRDs and the operator.

    CRDs: with ``manage_crds`` (default) the chart's CRDs are Pulumi resources, applied
    server-side and updated when ``version`` changes, and kept in the cluster when the component
    is deleted unless ``retain_crds_on_delete=False``. ``manage_crds=False`` skips them
    (``skip_crds``) for clusters whose CRDs are managed elsewhere.
    See https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
    and https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v4/chart/
    """

    namespace: pulumi.Output[str]
    """The namespace the operator runs in."""
    chart_version: pulumi.Output[str]
    """The chart version installed."""
    resources: pulumi.Output[Sequence[Any] | None]
    """The chart's resources, as ``helm.v4.Chart`` reports them."""
    feature_gates: pulumi.Output[dict[str, bool]]
    """Every feature gate of the running release, with its effective state."""
    watch_namespaces: pulumi.Output[list[str] | None]
    """The namespaces the operator reconciles; ``None`` for all (or unknown at preview)."""
    batch_scheduler: pulumi.Output[str | None]
    """The batch scheduler integration, or ``None``."""

    def __init__(
        self,
        resource_name: str,
        *,
        namespace: pulumi.Input[str],
        create_namespace: bool = False,
        version: str | None = None,
        feature_gates: Mapping[str, bool] | None = None,
        watch_namespaces: Sequence[str] | None = None,
        single_namespace: bool = False,
        batch_scheduler: str | None = None,
        leader_election: bool | None = None,
        reconcile_concurrency: int | None = None,
        resources: Mapping[str, Any] | None = None,
        metrics: bool | Mapping[str, Any] | None = None,
        values: OperatorValues | Mapping[str, Any] | None = None,
        raw_values: Mapping[str, Any] | None = None,
        manage_crds: bool = True,
        retain_crds_on_delete: bool = True,
        chart_repository: str = OPERATOR_CHART_REPOSITORY,
        chart_name: str = OPERATOR_CHART_NAME,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        plain_namespace = namespace if isinstance(namespace, str) else None
        try:
            plan = plan_operator_install(
                version=version,
                operator_namespace=plain_namespace,
                values=values,
                raw_values=raw_values,
                feature_gates=feature_gates,
                watch_namespaces=watch_namespaces,
                single_namespace=single_namespace,
                batch_scheduler=batch_scheduler,
                leader_election=leader_election,
                reconcile_concurrency=reconcile_concurrency,
                resources=resources,
                metrics=metrics,
            )
        except ValidationError as exc:
            # Raised before registration so a bad argument leaves no half-built component.
            raise ValidationError(
                exc.problems, subject=f"KubeRayOperator {resource_name!r}"
            ) from None

        super().__init__(TYPE_TOKEN, resource_name, None, opts)

        self.capabilities: OperatorCapabilities = plan.capabilities
        """Version, feature gates, watched namespaces and batch scheduler, known at construction."""
        self.values: dict[str, Any] = plan.values
        """The exact values given to the chart."""

        for advice in plan.advice:
            log = pulumi.log.warn if advice.level == "warning" else pulumi.log.info
            log(advice.message, resource=self)

        # Children inherit provider(s) from the parent; the component's depends_on is passed
        # down too, because the engine does not make children wait for their parent's
        # dependencies (e.g. watched namespaces that must exist before the chart's Roles).
        depends_on = opts.depends_on if opts is not None else None
        child_opts = pulumi.ResourceOptions(parent=self, depends_on=depends_on)

        self.namespace_resource: k8s.core.v1.Namespace | None = None
        chart_namespace: pulumi.Input[str] = namespace
        if create_namespace:
            self.namespace_resource = k8s.core.v1.Namespace(
                f"{resource_name}-namespace",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=namespace),
                opts=child_opts,
            )
            # Taking the name from the Namespace makes the chart wait for it.
            chart_namespace = self.namespace_resource.metadata.name

        chart_ref, repository = decide_chart_source(chart_name, chart_repository)
        skip_crds = not manage_crds
        transforms: list[pulumi.ResourceTransform] | None = None
        if manage_crds and retain_crds_on_delete:
            transforms = [retain_crds_transform]
        self.chart = helm.Chart(
            resource_name,
            helm.ChartArgs(
                chart=chart_ref,
                repository_opts=(
                    helm.RepositoryOptsArgs(repo=repository) if repository is not None else None
                ),
                version=plan.chart_version,
                namespace=chart_namespace,
                values=plan.values,
                skip_crds=skip_crds,
            ),
            opts=pulumi.ResourceOptions.merge(
                child_opts, pulumi.ResourceOptions(transforms=transforms)
            ),
        )

        caps = plan.capabilities
        self.namespace = pulumi.Output.from_input(chart_namespace)
        self.chart_version = pulumi.Output.from_input(plan.chart_version)
        self.resources = self.chart.resources
        self.feature_gates = pulumi.Output.from_input(caps.effective_feature_gates)
        self.watch_namespaces = pulumi.Output.from_input(
            list(caps.watch_namespaces) if caps.watch_namespaces is not None else None
        )
        self.batch_scheduler = pulumi.Output.from_input(caps.batch_scheduler)
        self.register_outputs(
            {
                "namespace": self.namespace,
                "chart_version": self.chart_version,
                "resources": self.resources,
                "feature_gates": self.feature_gates,
                "watch_namespaces": self.watch_namespaces,
                "batch_scheduler": self.batch_scheduler,
            }
        )
