"""The cert-manager install: chart version, layered values, CRDs managed by the chart.

cert-manager's CRDs are templates of its chart, switched on by ``crds.enabled`` (off by
default) and kept on uninstall by ``crds.keep``. ``helm.v4.Chart`` applies them with the rest of
the chart, so they are upgraded with it.
https://cert-manager.io/docs/installation/helm/
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.cert_manager.chart_values import CertManagerValues
from pulumi_kuberay.models.error_paths import describe_errors
from pulumi_kuberay.models.merging import deep_merge
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.versions import (
    CERT_MANAGER_CHART_NAME,
    CERT_MANAGER_CHART_REPOSITORY,
    CERT_MANAGER_VERSION,
    OLDEST_SUPPORTED_CERT_MANAGER_VERSION,
    parse_version,
)


class CertManagerArgs(ArgumentModel):
    """What ``CertManager`` installs: the ``jetstack/cert-manager`` chart, or nothing when
    cert-manager already runs (``install=False``; CAs are still created on it).
    https://cert-manager.io/docs/installation/helm/
    """

    install: bool = True
    """Install the chart; ``False`` when cert-manager is already in the cluster. Default: on."""
    version: str = CERT_MANAGER_VERSION
    """The chart (and cert-manager) version, pinned. Default: the library's (v1.21.1)."""
    manage_crds: bool = True
    """The chart installs and upgrades cert-manager's CRDs (``crds.enabled``) and keeps them
    on uninstall (``crds.keep``); ``False`` when they are managed elsewhere. Default: on."""
    values: CertManagerValues | dict[str, Any] | None = None
    """Typed chart values (:class:`CertManagerValues` or a dict in chart shape). Default: none."""
    raw_values: dict[str, Any] | None = None
    """Unchecked values merged last, for keys the model lacks. Default: none."""
    chart_repository: str = CERT_MANAGER_CHART_REPOSITORY
    """The Helm repository (``https://...`` or ``oci://quay.io/jetstack/charts``). Default:
    Jetstack's."""
    chart_name: str = CERT_MANAGER_CHART_NAME
    """The chart's name. Default: ``cert-manager``."""


@dataclass(frozen=True)
class CertManagerInstallPlan:
    """The chart version and values, and where ClusterIssuers read their Secrets."""

    chart_version: str
    values: dict[str, Any]
    cluster_resource_namespace: str | None
    advice: list[str] = field(default_factory=list)


def decide_cert_manager_version(version: str) -> str:
    """The chart version: Jetstack's charts are versioned ``v1.21.1``; a missing ``v`` is
    added. Older than the first chart with ``crds.enabled`` is an error."""
    chosen = version.strip()
    chosen = chosen if chosen[:1] in ("v", "V") else f"v{chosen}"
    chosen = "v" + chosen[1:]
    try:
        release = parse_version(chosen)
    except ValueError:
        raise ValidationError(
            f"version: {version!r} is not a cert-manager version (e.g. {CERT_MANAGER_VERSION})"
        ) from None
    if release < parse_version(OLDEST_SUPPORTED_CERT_MANAGER_VERSION):
        raise ValidationError(
            f"version: cert-manager {chosen} is older than "
            f"{OLDEST_SUPPORTED_CERT_MANAGER_VERSION}, the first chart with crds.enabled; use "
            f"{CERT_MANAGER_VERSION}"
        )
    return chosen


def typed_values(values: CertManagerValues | Mapping[str, Any] | None) -> dict[str, Any]:
    """``values`` checked against the typed chart values (misspelt keys are errors)."""
    if values is None:
        return {}
    if isinstance(values, CertManagerValues):
        return values.to_values()
    try:
        return CertManagerValues.model_validate(dict(values)).to_values()
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [f"values.{m}" for m in describe_errors(CertManagerValues, exc)]
        ) from None


def decide_crd_values(manage_crds: bool) -> dict[str, Any]:
    """``crds``: installed and kept when managed here; left to someone else otherwise."""
    return (
        {"crds": {"enabled": True, "keep": True}} if manage_crds else {"crds": {"enabled": False}}
    )


def cert_manager_value_problems(values: Mapping[str, Any]) -> list[str]:
    """What the chart refuses or what cannot work."""
    problems = []
    replicas = values.get("replicaCount")
    if isinstance(replicas, int) and replicas < 1:
        problems.append(f"replicaCount: at least 1, got {replicas}")
    prometheus = values.get("prometheus") or {}
    monitors = [
        kind
        for kind in ("servicemonitor", "podmonitor")
        if (prometheus.get(kind) or {}).get("enabled") is True
    ]
    if len(monitors) == 2:
        problems.append(
            "prometheus: enable servicemonitor or podmonitor, not both (the chart fails)"
        )
    if values.get("installCRDs") is True and (values.get("crds") or {}).get("enabled") is False:
        problems.append("installCRDs: deprecated and contradicts crds.enabled: false; drop it")
    return problems


def plan_cert_manager_install(
    args: CertManagerArgs, *, namespace: str | None
) -> CertManagerInstallPlan:
    """The chart version and values for ``args``; values are layered as Helm does: the CRD
    values, then ``values``, then ``raw_values``.

    Raises :class:`ValidationError` listing every problem.
    """
    version = decide_cert_manager_version(args.version)
    layered = deep_merge(decide_crd_values(args.manage_crds), typed_values(args.values))
    final = deep_merge(layered, args.raw_values or {})
    problems = cert_manager_value_problems(final)
    if problems:
        raise ValidationError(problems)
    advice = []
    if final.get("disableAutoApproval") is True:
        advice.append(
            "disableAutoApproval: CertificateRequests wait for an approver (approver-policy); "
            "per-pod Ray certificates stay pending until a policy approves the Ray issuer"
        )
    crn = final.get("clusterResourceNamespace") or namespace
    return CertManagerInstallPlan(
        chart_version=version,
        values=final,
        cluster_resource_namespace=crn if isinstance(crn, str) else None,
        advice=advice,
    )
