"""The ``CertManager`` component: cert-manager from the ``jetstack/cert-manager`` Helm chart,
its CRDs managed by the chart, or nothing but a handle when cert-manager already runs.

Pass it to ``KubeRayOperator(cert_manager=...)`` (KubeRay >= 1.7 looks for cert-manager once,
at start-up, so the operator must start after it) and to ``RayCertificateAuthority``.
https://cert-manager.io/docs/installation/helm/
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from pulumi_kubernetes.helm import v4 as helm

from pulumi_kuberay.components.base import KubeRayComponent
from pulumi_kuberay.components.operator import decide_chart_source, retain_crds_transform
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.arguments import merge_arguments
from pulumi_kuberay.plans.tls.cert_manager_install import (
    CertManagerArgs,
    CertManagerInstallPlan,
    plan_cert_manager_install,
)

DEFAULT_NAMESPACE = "cert-manager"


class CertManager(KubeRayComponent):
    """cert-manager for Ray's certificates::

        cm = CertManager("cert-manager", namespace="cert-manager", create_namespace=True)
        CertManager("cert-manager", install=False)   # it already runs: a handle only

    The install is a :class:`CertManagerArgs` (positional) and/or its fields as keywords
    (``version``, ``manage_crds``, ``values``, ``raw_values``, ``install``, ...). The chart is
    installed with ``helm.v4.Chart`` (its objects are Pulumi resources; its CRDs are applied
    with it and kept when the component is deleted). Bad values raise
    :class:`pulumi_kuberay.ValidationError` before any resource is registered.
    """

    TYPE_NAME = "CertManager"

    args: CertManagerArgs
    """The install the component was built from."""
    plan: CertManagerInstallPlan
    """The chart version and values (decided before any resource exists)."""
    installed: bool
    """Whether this component installs cert-manager (``False``: it already runs)."""
    chart: helm.Chart | None
    """The Helm chart, when installed here."""
    namespace: pulumi.Output[str]
    """cert-manager's namespace."""
    chart_version: pulumi.Output[str]
    """The chart version installed (or assumed, with ``install=False``)."""
    cluster_resource_namespace: pulumi.Output[str | None]
    """Where ClusterIssuers read their Secrets."""
    resources: pulumi.Output[Sequence[Any] | None]
    """The chart's resources (``None`` with ``install=False``)."""

    def __init__(
        self,
        resource_name: str,
        args: CertManagerArgs | None = None,
        /,
        *,
        namespace: str = DEFAULT_NAMESPACE,
        create_namespace: bool = False,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        subject = f"CertManager {resource_name!r}"
        install = merge_arguments(CertManagerArgs, args, fields, subject=subject)
        try:
            plan = plan_cert_manager_install(install, namespace=namespace)
        except ValidationError as exc:
            raise ValidationError(exc.problems, subject=subject) from None
        super().__init__(resource_name, opts)
        self.args, self.plan, self.installed = install, plan, install.install
        self.log_warnings(subject, plan.advice)

        chart_namespace: pulumi.Input[str] = namespace
        if install.install and create_namespace:
            ns = k8s.core.v1.Namespace(
                f"{resource_name}-namespace",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=namespace),
                opts=self.child_options(),
            )
            chart_namespace = ns.metadata.name
        self.chart = None
        resources: pulumi.Output[Sequence[Any] | None] = pulumi.Output.from_input(None)
        if install.install:
            chart_ref, repository = decide_chart_source(
                install.chart_name, install.chart_repository
            )
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
                ),
                opts=self.child_options(
                    extra=pulumi.ResourceOptions(
                        transforms=[retain_crds_transform] if install.manage_crds else None
                    )
                ),
            )
            resources = self.chart.resources
        self.register(
            {
                "namespace": pulumi.Output.from_input(chart_namespace),
                "chart_version": pulumi.Output.from_input(plan.chart_version),
                "cluster_resource_namespace": pulumi.Output.from_input(
                    plan.cluster_resource_namespace
                ),
                "resources": resources,
            }
        )
