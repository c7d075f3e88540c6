"""No privileged containers and no privilege escalation in Ray pods.

https://kubernetes.io/docs/concepts/security/pod-security-standards/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_kuberay.policy.manifest_reading import items, lookup
from pulumi_kuberay.policy.model import Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import cluster_specs, containers, groups
from pulumi_kuberay.policy.rules import docs


def _security_contexts(manifest: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """``(path, what, securityContext)`` of every container the Ray pods (and the autoscaler
    sidecar, and a RayJob's submitter) run."""
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            for container in containers(group, init=True):
                yield (
                    f"{container.path}.securityContext",
                    container.label,
                    container.spec.get("securityContext"),
                )
        autoscaler = lookup(cluster.spec, "autoscalerOptions", "securityContext")
        yield f"{cluster.path}.autoscalerOptions.securityContext", "the autoscaler", autoscaler
    if manifest.get("kind") == "RayJob":
        pod = lookup(manifest, "spec", "submitterPodTemplate", "spec")
        for index, container in enumerate(items(lookup(pod, "containers"))):
            path = f"spec.submitterPodTemplate.spec.containers[{index}].securityContext"
            yield path, "the submitter", lookup(container, "securityContext")


def check_privileged(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for path, what, context in _security_contexts(manifest):
        if lookup(context, "privileged") is True:
            yield Violation(
                f"{path}.privileged",
                f"{what} runs privileged (root on the node, every device); Ray needs no "
                "privileges; remove privileged, or grant the one capability a tool needs "
                "(e.g. SYS_PTRACE for py-spy)",
            )
        if lookup(context, "allowPrivilegeEscalation") is True:
            yield Violation(
                f"{path}.allowPrivilegeEscalation",
                f"{what} allows privilege escalation (setuid binaries can gain root); set "
                "allowPrivilegeEscalation: false",
            )


NO_PRIVILEGED_CONTAINERS = Rule(
    id="no-privileged-containers",
    severity=Severity.HIGH,
    description="Ray pods run no privileged container and allow no privilege escalation",
    reason=(
        "Ray runs arbitrary user code; a privileged container (or one that can escalate) turns "
        "any job into root on the node. The Pod Security Standards' baseline and restricted "
        "profiles forbid both."
    ),
    tags=("security",),
    url=docs.POD_SECURITY,
    check=check_privileged,
)

RULES = (NO_PRIVILEGED_CONTAINERS,)
