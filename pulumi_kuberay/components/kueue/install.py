"""The ``Kueue`` component: Kueue's Helm chart (OCI) with typed, checked values, or the
description of a Kueue that already runs.

Installed with ``pulumi_kubernetes.helm.v4.Chart`` like the KubeRay operator: the chart's objects
are Pulumi resources, its CRDs are applied server-side and upgraded with the chart.
https://kueue.sigs.k8s.io/docs/installation/#install-by-helm
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.helm import v4 as helm

from pulumi_kuberay.components.base import KubeRayComponent
from pulumi_kuberay.components.operator import decide_chart_source, retain_crds_transform
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
from pulumi_kuberay.plans.arguments import merge_arguments
from pulumi_kuberay.plans.kueue.install import KueueArgs, plan_kueue_install

DEFAULT_NAMESPACE = "kueue-system"
"""The namespace Kueue's docs install into."""


class Kueue(KubeRayComponent):
    """Kueue, installed from its chart with the Ray integrations on::

        kueue = Kueue("kueue", version="0.19.2",
                      feature_gates={"ElasticJobsViaWorkloadSlices": True})
        ClusterQueue("team-a", kueue=kueue, ...)

    The install is a :class:`KueueArgs` (positional) and/or its fields as keywords. With
    ``install=False`` nothing is created: the component only describes a Kueue that already
    runs, so queue objects and queued Ray objects are checked against its version and gates.
    ``kueue_capabilities`` is what queue components validate against; passing ``kueue=`` also
    makes them depend on this component (created after the CRDs and the webhook).
    """

    TYPE_NAME = "Kueue"

    namespace: pulumi.Output[str]
    """The namespace Kueue runs in."""
    chart_version: pulumi.Output[str]
    """The chart (and Kueue) version."""
    feature_gates: pulumi.Output[dict[str, bool]]
    """Every feature gate of the release, with its effective state."""

    def __init__(
        self,
        resource_name: str,
        args: KueueArgs | None = None,
        /,
        *,
        namespace: pulumi.Input[str] = DEFAULT_NAMESPACE,
        create_namespace: bool = True,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        subject = f"Kueue {resource_name!r}"
        install = merge_arguments(
            KueueArgs, args, fields, subject=subject, keywords=("namespace", "create_namespace")
        )
        try:
            plan = plan_kueue_install(install)
        except ValidationError as exc:
            raise ValidationError(exc.problems, subject=subject) from None
        super().__init__(resource_name, opts)
        self.args = install
        """The install the component was built from."""
        self.kueue_capabilities: KueueCapabilities = plan.capabilities
        """Version, gates and Configuration settings, known at construction."""
        self.values: dict[str, Any] = plan.values
        """The exact chart values."""
        self.log_warnings(subject, plan.warnings)
        self.chart: helm.Chart | None = None
        chart_namespace: pulumi.Input[str] = namespace
        if install.install:
            if create_namespace:
                ns = k8s.core.v1.Namespace(
                    f"{resource_name}-namespace",
                    metadata=k8s.meta.v1.ObjectMetaArgs(name=namespace),
                    opts=self.child_options(),
                )
                chart_namespace = ns.metadata.name
            chart_ref, repository = decide_chart_source(
                install.chart_name, install.chart_repository
            )
            transforms: list[pulumi.ResourceTransform] | None = None
            if install.manage_crds and install.retain_crds_on_delete:
                transforms = [retain_crds_transform]
            self.chart = helm.Chart(
                resource_name,
                helm.ChartArgs(
                    chart=chart_ref,
                    repository_opts=(
                        helm.RepositoryOptsArgs(repo=repository) if repository else None
                    ),
                    version=plan.chart_version,
                    namespace=chart_namespace,
                    values=plan.values,
                    skip_crds=not install.manage_crds,
                ),
                opts=self.child_options(extra=pulumi.ResourceOptions(transforms=transforms)),
            )
        self.register(
            {
                "namespace": pulumi.Output.from_input(chart_namespace),
                "chart_version": pulumi.Output.from_input(plan.chart_version),
                "feature_gates": pulumi.Output.from_input(
                    plan.capabilities.effective_feature_gates
                ),
            }
        )
