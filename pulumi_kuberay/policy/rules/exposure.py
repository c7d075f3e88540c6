"""The head's dashboard (and Jobs API) reachable from outside the cluster only with token auth.

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/kuberay-auth.html
"""

from __future__ import annotations

from collections.abc import Iterator

from pulumi_kuberay.policy.manifest_reading import UNKNOWN, lookup
from pulumi_kuberay.policy.model import Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import cluster_specs
from pulumi_kuberay.policy.rules import docs

EXPOSING_SERVICE_TYPES = ("LoadBalancer", "NodePort")


def check_dashboard_exposure(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for cluster in cluster_specs(manifest):
        mode = lookup(cluster.spec, "authOptions", "mode")
        if mode == "token" or mode is UNKNOWN:
            continue
        head = f"{cluster.path}.headGroupSpec"
        exposures = []
        service_type = lookup(cluster.spec, "headGroupSpec", "serviceType")
        if service_type in EXPOSING_SERVICE_TYPES:
            exposures.append((f"{head}.serviceType", f"serviceType {service_type}"))
        custom_type = lookup(cluster.spec, "headGroupSpec", "headService", "spec", "type")
        if custom_type in EXPOSING_SERVICE_TYPES:
            exposures.append((f"{head}.headService.spec.type", f"a {custom_type} head Service"))
        if lookup(cluster.spec, "headGroupSpec", "enableIngress") is True:
            exposures.append((f"{head}.enableIngress", "an Ingress"))
        for path, how in exposures:
            yield Violation(
                path,
                f"exposes the head (dashboard and Jobs API) outside the cluster through {how} "
                "without authentication; anyone who reaches it can run arbitrary code on the "
                "cluster; set authOptions.mode: token (Ray >= 2.52) or keep the head ClusterIP "
                "and use kubectl port-forward",
            )


DASHBOARD_EXPOSED_WITHOUT_AUTH = Rule(
    id="dashboard-exposed-without-auth",
    severity=Severity.CRITICAL,
    description=(
        "A head exposed by a LoadBalancer or NodePort Service or an Ingress uses token "
        "authentication"
    ),
    reason=(
        "The Ray dashboard and Jobs API accept job submissions: whoever reaches them runs code "
        "with the cluster's service account and data access. Since Ray 2.52, KubeRay can "
        "enable token authentication (authOptions.mode: token)."
    ),
    tags=("security",),
    url=docs.AUTH,
    check=check_dashboard_exposure,
)

RULES = (DASHBOARD_EXPOSED_WITHOUT_AUTH,)
