"""Kueue rules over all objects at once (a stack, or a set of YAML files): queue objects Kueue
would reject, queue objects that name ones not created alongside, and Ray workloads their
ClusterQueue can never admit, when the LocalQueue, ClusterQueue (and cohort) are all present.

The same checks the components run at preview (:mod:`pulumi_kuberay.models.kueue`), for
hand-written YAML. https://kueue.sigs.k8s.io/docs/concepts/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from pulumi_kuberay.models.kueue.quota import QuotaTree, admission_verdict
from pulumi_kuberay.models.kueue.validation import is_kueue_object, queue_object_problems
from pulumi_kuberay.models.kueue.workloads import (
    PRIORITY_CLASS_LABEL,
    is_elastic,
    labels_of,
    queue_name,
    ray_pod_sets,
)
from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.model import (
    Enforcement,
    Settings,
    Severity,
    StackRule,
    Violation,
    is_ray_object,
)
from pulumi_kuberay.policy.rules import docs

_KINDS: Final = ("ClusterQueue", "Cohort", "ResourceFlavor", "LocalQueue", "WorkloadPriorityClass")


def _has_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


def _name(manifest: Mapping[str, Any]) -> Any:
    metadata = manifest.get("metadata")
    return metadata.get("name") if isinstance(metadata, Mapping) else None


def _namespace(manifest: Mapping[str, Any]) -> Any:
    metadata = manifest.get("metadata")
    return metadata.get("namespace") if isinstance(metadata, Mapping) else None


class KueueObjects:
    """The Kueue objects among a set of manifests, by kind and name (LocalQueues by namespace
    too). Objects with unknown values (during a preview) make their kind a wildcard."""

    def __init__(self, manifests: Sequence[Mapping[str, Any]]) -> None:
        self.by_kind: dict[str, dict[str, Mapping[str, Any]]] = {k: {} for k in _KINDS}
        self.local_queues: list[Mapping[str, Any]] = []
        self.unknown: set[str] = set()
        for manifest in manifests:
            kind = manifest.get("kind")
            if not is_kueue_object(manifest) or kind not in _KINDS:
                continue
            if _has_unknown(manifest):
                self.unknown.add(str(kind))
                continue
            name = _name(manifest)
            if isinstance(name, str):
                self.by_kind[str(kind)][name] = manifest
                if kind == "LocalQueue":
                    self.local_queues.append(manifest)

    def has(self, kind: str, name: str) -> bool:
        return kind in self.unknown or name in self.by_kind[kind]

    def local_queue(self, name: str, namespace: Any) -> Mapping[str, Any] | None:
        for queue in self.local_queues:
            ns = _namespace(queue)
            if _name(queue) == name and (ns is None or namespace is None or ns == namespace):
                return queue
        return None


# --- kueue-queue-objects ---------------------------------------------------------------------


def check_queue_objects(
    manifests: Sequence[Mapping[str, Any]], settings: Settings
) -> list[tuple[int, Violation]]:
    found = []
    for index, manifest in enumerate(manifests):
        if _has_unknown(manifest):
            continue
        for problem in queue_object_problems(manifest):
            path, _, text = problem.partition(": ")
            found.append((index, Violation(path, f"{text}; Kueue rejects the object")))
    return found


KUEUE_QUEUE_OBJECTS = StackRule(
    id="kueue-queue-objects",
    severity=Severity.CRITICAL,
    description="Kueue queue objects are accepted by Kueue's CRD rules and webhooks",
    reason=(
        "Kueue's CRDs and webhooks reject a ClusterQueue whose flavors do not list every "
        "covered resource in order, a borrowing or lending limit outside a cohort, a flavor or "
        "resource in two groups, quotas that are not quantities, and invalid flavor taints and "
        "tolerations: the deploy fails."
    ),
    url=docs.KUEUE_CLUSTER_QUEUE,
    check_stack=check_queue_objects,
    enforcement=Enforcement.MANDATORY,
)

# --- kueue-references ------------------------------------------------------------------------


def _references(manifest: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    kind = manifest.get("kind")
    spec = manifest.get("spec")
    spec = spec if isinstance(spec, Mapping) else {}
    if kind == "LocalQueue" and isinstance(spec.get("clusterQueue"), str):
        yield "spec.clusterQueue", "ClusterQueue", spec["clusterQueue"]
    if kind == "ClusterQueue":
        for g, group in enumerate(spec.get("resourceGroups") or []):
            for f, flavor in enumerate((group or {}).get("flavors") or []):
                name = (flavor or {}).get("name")
                if isinstance(name, str):
                    yield (f"spec.resourceGroups[{g}].flavors[{f}].name", "ResourceFlavor", name)
    if is_ray_object(manifest):
        priority = labels_of(manifest).get(PRIORITY_CLASS_LABEL)
        if isinstance(priority, str) and priority and queue_name(manifest):
            yield (f"metadata.labels[{PRIORITY_CLASS_LABEL}]", "WorkloadPriorityClass", priority)


def check_references(
    manifests: Sequence[Mapping[str, Any]], settings: Settings
) -> list[tuple[int, Violation]]:
    objects = KueueObjects(manifests)
    found = []
    for index, manifest in enumerate(manifests):
        if not (is_kueue_object(manifest) or is_ray_object(manifest)):
            continue
        for path, kind, name in _references(manifest):
            if not objects.has(kind, name):
                found.append(
                    (
                        index,
                        Violation(
                            path,
                            f"refers to {kind} {name!r}, which is not created here; it must "
                            "already exist, or Kueue admits nothing through it (an inactive "
                            "queue, or an unknown priority); create it alongside or check the "
                            "name",
                        ),
                    )
                )
    return found


KUEUE_REFERENCES = StackRule(
    id="kueue-references",
    severity=Severity.LOW,
    description=(
        "LocalQueues, ClusterQueues and queued workloads name ClusterQueues, ResourceFlavors and "
        "WorkloadPriorityClasses created alongside them"
    ),
    reason=(
        "A LocalQueue whose ClusterQueue is missing, or a ClusterQueue naming a missing flavor, "
        "is inactive: its workloads stay suspended. Objects that exist outside the stack are "
        "fine; the finding asks you to make sure."
    ),
    url=docs.KUEUE_CLUSTER_QUEUE,
    check_stack=check_references,
)

# --- kueue-admission -------------------------------------------------------------------------


def check_admission(
    manifests: Sequence[Mapping[str, Any]], settings: Settings
) -> list[tuple[int, Violation]]:
    objects = KueueObjects(manifests)
    if {"ClusterQueue", "Cohort", "LocalQueue"} & objects.unknown:
        return []
    queues = [*objects.by_kind["ClusterQueue"].values(), *objects.by_kind["Cohort"].values()]
    tree = QuotaTree.of(queues)
    flavors = dict(objects.by_kind["ResourceFlavor"])
    found = []
    for index, manifest in enumerate(manifests):
        name = queue_name(manifest)
        if not is_ray_object(manifest) or name is None or _has_unknown(manifest.get("spec")):
            continue
        local = objects.local_queue(name, _namespace(manifest))
        spec = local.get("spec") if local is not None else None
        target = spec.get("clusterQueue") if isinstance(spec, Mapping) else None
        if not isinstance(target, str) or target not in objects.by_kind["ClusterQueue"]:
            continue
        subject = f"{manifest.get('kind')} {_name(manifest)}"
        seen: set[str] = set()
        for at_max in (False, True) if is_elastic(manifest) else (False,):
            verdict = admission_verdict(
                ray_pod_sets(manifest), target, tree, flavors, at_max=at_max, subject=subject
            )
            for text in (*verdict.problems, *verdict.warnings):
                if text in seen:
                    continue
                seen.add(text)
                path, sep, rest = text.partition(": ")
                at_path = bool(sep) and path.startswith("spec")
                violation = Violation(path, rest) if at_path else Violation("", text)
                found.append((index, violation))
    return found


KUEUE_ADMISSION = StackRule(
    id="kueue-admission",
    severity=Severity.HIGH,
    description=(
        "Kueue-queued workloads fit what their ClusterQueue can ever give (quota, borrowing, "
        "covered resources, flavors)"
    ),
    reason=(
        "Kueue admits a workload only when every pod set fits one flavor's quota (nominal plus "
        "what the cohort can lend) and every requested resource is covered; otherwise the "
        "workload stays suspended forever, with no error at deploy. Checked when the "
        "LocalQueue and its ClusterQueue (and cohort) are among the objects."
    ),
    url=docs.KUEUE_CLUSTER_QUEUE,
    check_stack=check_admission,
)

KUEUE_STACK_RULES = (KUEUE_QUEUE_OBJECTS, KUEUE_REFERENCES, KUEUE_ADMISSION)
