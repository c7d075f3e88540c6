"""The ``KubeRayOperator`` component: the KubeRay operator Helm chart with typed, checked values.

The chart is installed with ``pulumi_kubernetes.helm.v4.Chart``: its objects become individual
Pulumi resources (visible to policies and transforms) and its CRDs are applied with server-side
apply and updated with the chart, unlike ``helm upgrade``, which never touches CRDs.

- KubeRay: https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
- Chart: https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator
- Pulumi: https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v4/chart/
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.helm import v4 as helm

from pulumi_kuberay.components.base import KubeRayComponent
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.plans.arguments import merge_arguments
from pulumi_kuberay.plans.operator import OperatorArgs, plan_operator_install

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


class KubeRayOperator(KubeRayComponent):
    """The KubeRay operator, installed from the ``kuberay-operator`` Helm chart::

        KubeRayOperator("kuberay", namespace="kuberay-system", create_namespace=True,
                        version="1.6.2", watch_namespaces=["ml"])

    The install is an :class:`OperatorArgs` (positional) and/or its fields as keywords
    (``version``, ``feature_gates``, ``watch_namespaces``, ``values``, ``raw_values``, ...).
    Problems the chart or the operator would reject raise :class:`pulumi_kuberay.ValidationError`
    before any resource is registered; accepted settings that deserve a word are logged.

    ``capabilities`` (a plain value) is what ``RayCluster(..., operator=op)`` validates against;
    passing ``operator=`` also makes the custom resource depend on this component, so it is
    created after the CRDs and the operator.

    ``cert_manager``: the ``CertManager`` component (the operator then starts after it, as
    KubeRay >= 1.7's native mTLS requires), or ``True`` when cert-manager is installed
    elsewhere; recorded in ``capabilities.cert_manager``.

    CRDs: with ``manage_crds`` (default) the chart's CRDs are Pulumi resources, applied
    server-side and updated when ``version`` changes, and kept in the cluster when the component
    is deleted unless ``retain_crds_on_delete=False``. ``manage_crds=False`` skips them
    (``skip_crds``) for clusters whose CRDs are managed elsewhere.
    See https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/kuberay-operator-installation.html
    and https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v4/chart/
    """

    TYPE_NAME = "KubeRayOperator"

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
        args: OperatorArgs | None = None,
        /,
        *,
        namespace: pulumi.Input[str],
        create_namespace: bool = False,
        cert_manager: pulumi.Resource | bool = False,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        subject = f"KubeRayOperator {resource_name!r}"
        install = merge_arguments(OperatorArgs, args, fields, subject=subject)
        plain_namespace = namespace if isinstance(namespace, str) else None
        try:
            plan = plan_operator_install(install, operator_namespace=plain_namespace)
        except ValidationError as exc:
            # Raised before registration so a bad argument leaves no half-built component.
            raise ValidationError(exc.problems, subject=subject) from None

        if isinstance(cert_manager, pulumi.Resource):
            # KubeRay >= 1.7 looks for cert-manager's API once, at start-up: start after it.
            opts = pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(depends_on=[cert_manager])
            )
        super().__init__(resource_name, opts)

        self.args = install
        """The install the component was built from."""
        self.capabilities: OperatorCapabilities = replace(
            plan.capabilities, cert_manager=cert_manager is not False
        )
        """Version, feature gates, watched namespaces and batch scheduler, known at construction."""
        self.values: dict[str, Any] = plan.values
        """The exact values given to the chart."""

        for advice in plan.advice:
            log = pulumi.log.warn if advice.level == "warning" else pulumi.log.info
            log(advice.message, resource=self)

        self.namespace_resource: k8s.core.v1.Namespace | None = None
        chart_namespace: pulumi.Input[str] = namespace
        if create_namespace:
            self.namespace_resource = k8s.core.v1.Namespace(
                f"{resource_name}-namespace",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=namespace),
                opts=self.child_options(),
            )
            # Taking the name from the Namespace makes the chart wait for it.
            chart_namespace = self.namespace_resource.metadata.name

        chart_ref, repository = decide_chart_source(install.chart_name, install.chart_repository)
        transforms: list[pulumi.ResourceTransform] | None = None
        if install.manage_crds and install.retain_crds_on_delete:
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
                skip_crds=not install.manage_crds,
            ),
            opts=self.child_options(extra=pulumi.ResourceOptions(transforms=transforms)),
        )

        caps = plan.capabilities
        self.register(
            {
                "namespace": pulumi.Output.from_input(chart_namespace),
                "chart_version": pulumi.Output.from_input(plan.chart_version),
                "resources": self.chart.resources,
                "feature_gates": pulumi.Output.from_input(caps.effective_feature_gates),
                "watch_namespaces": pulumi.Output.from_input(
                    list(caps.watch_namespaces) if caps.watch_namespaces is not None else None
                ),
                "batch_scheduler": pulumi.Output.from_input(caps.batch_scheduler),
            }
        )
