"""Whether the operator reconciles a namespace at all (its ``watchNamespace`` setting)."""

from __future__ import annotations

from pulumi_kuberay.models.capabilities import OperatorCapabilities


def watched_namespace_problems(
    kind: str, namespace: str | None, caps: OperatorCapabilities
) -> list[str]:
    """A custom resource outside the watched namespaces is never reconciled: report it.

    https://github.com/ray-project/kuberay/tree/master/helm-chart/kuberay-operator#watch-namespaces
    """
    if not namespace or caps.watches(namespace):
        return []
    watched = ", ".join(caps.watch_namespaces or [])
    return [
        f"metadata.namespace: the operator watches only {watched}, so a {kind} in {namespace!r} "
        "would never be reconciled; add the namespace to the operator's watch_namespaces or "
        "deploy into a watched one"
    ]
