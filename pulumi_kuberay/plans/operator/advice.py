"""Accepted settings whose consequences deserve a word at deploy time (logged, not errors).

RBAC modes: https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/helm-chart-rbac.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pulumi_kuberay.models.operator_chart.rules import (
    DEFAULT_RBAC_ENABLE,
    MISSING,
    leaves,
    lookup,
    plain_str_list,
)
from pulumi_kuberay.models.operator_chart.values import RBAC_DOCS
from pulumi_kuberay.versions import (
    parse_version,
)


@dataclass(frozen=True)
class Advice:
    """A message for the deploy log; ``warning`` when something likely needs action."""

    level: Literal["warning", "info"]
    message: str


def _cr_rbac_advice(values: Mapping[str, Any], watched: list[str] | None) -> list[Advice]:
    if lookup(values, "crNamespacedRbacEnable") is not False:
        return []
    rbac = lookup(values, "rbacEnable")
    rbac_on = DEFAULT_RBAC_ENABLE if rbac is MISSING else rbac is True
    if not (rbac_on and lookup(values, "singleNamespaceInstall") is True):
        return [
            Advice(
                "warning",
                "crNamespacedRbacEnable: false has no effect here: it applies only when "
                "rbacEnable and singleNamespaceInstall are both true; remove it",
            )
        ]
    where = (
        "the watched namespaces " + ", ".join(watched)
        if watched
        else "the operator's own namespace"
    )
    return [
        Advice(
            "warning",
            f"crNamespacedRbacEnable: false: the chart creates no Role or RoleBinding for the "
            f"operator in {where} (only the leader-election Role), so it cannot manage Pods, "
            "Services, Jobs or Ray custom resources there until someone else grants it. This "
            "setting is meant for clusters run by GitOps tools such as Argo CD, where those "
            f"Roles are created by another application; create them there. See {RBAC_DOCS}",
        )
    ]


def _single_namespace_advice(
    values: Mapping[str, Any], watched: list[str] | None, operator_namespace: str | None
) -> list[Advice]:
    if lookup(values, "singleNamespaceInstall") is not True or not watched:
        return []
    outside = [ns for ns in watched if ns != operator_namespace]
    if not outside or lookup(values, "rbacEnable") is False:
        return []
    if lookup(values, "crNamespacedRbacEnable") is False:
        return []
    own = f"{operator_namespace!r}" if operator_namespace else "the operator's namespace"
    unwatched = (
        f" Custom resources in {own} itself are not reconciled."
        if operator_namespace and operator_namespace not in watched
        else ""
    )
    return [
        Advice(
            "info",
            f"singleNamespaceInstall with watchNamespace: the chart creates the operator's Role "
            f"and RoleBinding in {', '.join(outside)} (outside {own}, which gets only the "
            "leader-election Role), so those namespaces must exist before the chart is applied "
            "(create them first, or depend on them) and whoever runs the deployment needs RBAC "
            f"rights there.{unwatched}",
        )
    ]


def _image_advice(values: Mapping[str, Any], chart_version: str) -> list[Advice]:
    tag = lookup(values, "image", "tag")
    if not isinstance(tag, str):
        return []
    try:
        tag_release = parse_version(tag)
    except ValueError:
        return [
            Advice(
                "warning",
                f"image.tag: {tag!r} is not a release version, so version checks use the chart "
                f"version {chart_version}; make sure the image is a build of that release",
            )
        ]
    if tag_release != parse_version(chart_version):
        return [
            Advice(
                "warning",
                f"image.tag: {tag!r} differs from the chart version {chart_version}: the CRDs "
                f"come from the chart and the operator from the image, so fields one side lacks "
                "are pruned or ignored; set version= to the release you want instead",
            )
        ]
    return []


def _null_advice(values: Mapping[str, Any]) -> list[Advice]:
    nulls = [".".join(path) for path, value in leaves(values) if value is None]
    if not nulls:
        return []
    return [
        Advice(
            "warning",
            f"{', '.join(nulls)}: set to null, but Pulumi drops null values before they reach "
            "the chart, so the chart's defaults stay for these keys (null does not delete a "
            "default as it does in a Helm values file); set a value, or change the rendered "
            "resource with a transform",
        )
    ]


def operator_values_advice(
    values: Mapping[str, Any], *, chart_version: str, operator_namespace: str | None
) -> list[Advice]:
    """Warnings and notes about accepted ``values`` (never a reason to refuse the install)."""
    watched = plain_str_list(lookup(values, "watchNamespace"))
    return [
        *_cr_rbac_advice(values, watched),
        *_single_namespace_advice(values, watched, operator_namespace),
        *_image_advice(values, chart_version),
        *_null_advice(values),
    ]
