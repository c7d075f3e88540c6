"""The stack-level rules: references to objects the stack (or the linted files) do not create
(here), and GPU groups that match none of the stack's node pools (``policy/node_pools.py``).

A RayCluster that reads a Secret, a job queued to a Kueue LocalQueue, a RayJob that runs on an
existing RayCluster (``clusterSelector``): each works only if that object exists when the
operator reconciles. When it is not created alongside, it must already be in the cluster; the
finding says so, so that a typo or a missing object is caught before the deploy.
https://kubernetes.io/docs/concepts/configuration/secret/#using-a-secret
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_kuberay.models.ray.rayjob import CLUSTER_SELECTOR_KEY
from pulumi_kuberay.policy.manifest_reading import UNKNOWN, items, lookup, mapping, text
from pulumi_kuberay.policy.model import (
    Settings,
    Severity,
    StackRule,
    Violation,
    is_ray_object,
)
from pulumi_kuberay.policy.node_pools import GPU_POOL_SELECTOR
from pulumi_kuberay.policy.ray_objects import cluster_specs, groups, object_labels
from pulumi_kuberay.policy.rules import docs
from pulumi_kuberay.policy.rules.rayjob import KUEUE_QUEUE_LABEL

SECRET: Final = "Secret"
LOCAL_QUEUE: Final = "LocalQueue"
RAY_CLUSTER: Final = "RayCluster"


@dataclass(frozen=True)
class Reference:
    """A reference from a Ray object to another object, by kind and name in its namespace."""

    path: str
    kind: str
    name: str


def _secret_refs_in_pod(path: str, pod: Mapping[str, Any]) -> Iterator[Reference]:
    for field in ("containers", "initContainers"):
        for index, container in enumerate(items(pod.get(field))):
            at = f"{path}.{field}[{index}]"
            for i, env in enumerate(items(lookup(container, "env"))):
                ref = lookup(env, "valueFrom", "secretKeyRef")
                if isinstance(ref, Mapping) and ref.get("optional") is not True:
                    name = ref.get("name")
                    if isinstance(name, str):
                        yield Reference(f"{at}.env[{i}].valueFrom.secretKeyRef.name", SECRET, name)
            for i, source in enumerate(items(lookup(container, "envFrom"))):
                ref = lookup(source, "secretRef")
                if isinstance(ref, Mapping) and ref.get("optional") is not True:
                    name = ref.get("name")
                    if isinstance(name, str):
                        yield Reference(f"{at}.envFrom[{i}].secretRef.name", SECRET, name)
    for index, volume in enumerate(items(pod.get("volumes"))):
        secret = lookup(volume, "secret")
        if isinstance(secret, Mapping) and secret.get("optional") is not True:
            name = secret.get("secretName")
            if isinstance(name, str):
                yield Reference(f"{path}.volumes[{index}].secret.secretName", SECRET, name)
    for index, pull in enumerate(items(pod.get("imagePullSecrets"))):
        name = lookup(pull, "name")
        if isinstance(name, str):
            yield Reference(f"{path}.imagePullSecrets[{index}].name", SECRET, name)


def references(manifest: Mapping[str, Any]) -> Iterator[Reference]:
    """Every Secret, LocalQueue and RayCluster a Ray object refers to by name."""
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            yield from _secret_refs_in_pod(group.pod_spec_path, group.pod_spec)
        ft = mapping(cluster.spec.get("gcsFaultToleranceOptions"))
        for field in ("redisPassword", "redisUsername"):
            ref = lookup(ft, field, "valueFrom", "secretKeyRef")
            name = lookup(ref, "name")
            if isinstance(name, str) and lookup(ref, "optional") is not True:
                at = f"{cluster.path}.gcsFaultToleranceOptions.{field}"
                yield Reference(f"{at}.valueFrom.secretKeyRef.name", SECRET, name)
    if manifest.get("kind") == "RayJob":
        submitter = mapping(lookup(manifest, "spec", "submitterPodTemplate", "spec"))
        yield from _secret_refs_in_pod("spec.submitterPodTemplate.spec", submitter)
        cluster = lookup(manifest, "spec", "clusterSelector", CLUSTER_SELECTOR_KEY)
        if isinstance(cluster, str) and cluster:
            yield Reference(f"spec.clusterSelector[{CLUSTER_SELECTOR_KEY}]", RAY_CLUSTER, cluster)
    queue = object_labels(manifest).get(KUEUE_QUEUE_LABEL)
    if isinstance(queue, str) and queue:
        yield Reference(f"metadata.labels[{KUEUE_QUEUE_LABEL}]", LOCAL_QUEUE, queue)


def _kind_of(manifest: Mapping[str, Any]) -> str | None:
    kind, api_version = text(manifest.get("kind")), str(manifest.get("apiVersion") or "")
    if kind == SECRET and api_version == "v1":
        return SECRET
    if kind == LOCAL_QUEUE and api_version.startswith("kueue.x-k8s.io/"):
        return LOCAL_QUEUE
    if kind == RAY_CLUSTER and api_version.startswith("ray.io/"):
        return RAY_CLUSTER
    return None


class Inventory:
    """The Secrets, LocalQueues and RayClusters among a set of manifests, by namespace.

    A missing namespace means "the default namespace of the apply", which could be any: such
    objects match references in every namespace, and references from such objects match
    objects in any namespace. An object whose name or namespace is unknown (during a preview)
    matches everything of its kind, so nothing is reported that a deploy could make true.
    """

    def __init__(self, manifests: Sequence[Mapping[str, Any]]) -> None:
        self._names: dict[str, set[tuple[str | None, str]]] = {}
        self._wildcard: set[str] = set()
        for manifest in manifests:
            kind = _kind_of(manifest)
            if kind is None:
                continue
            metadata = manifest.get("metadata")
            name = lookup(metadata, "name")
            namespace = lookup(metadata, "namespace")
            if metadata is UNKNOWN or name is UNKNOWN or namespace is UNKNOWN or not name:
                self._wildcard.add(kind)
                continue
            self._names.setdefault(kind, set()).add((text(namespace) or None, str(name)))

    def has(self, kind: str, namespace: str | None, name: str) -> bool:
        if kind in self._wildcard:
            return True
        for ns, candidate in self._names.get(kind, ()):
            if candidate == name and (ns is None or namespace is None or ns == namespace):
                return True
        return False


def unresolved_references(
    manifests: Sequence[Mapping[str, Any]],
) -> list[tuple[int, Violation]]:
    """``(index of the referring manifest, violation)`` for every reference to a Secret,
    LocalQueue or RayCluster that none of ``manifests`` creates."""
    inventory = Inventory(manifests)
    found: list[tuple[int, Violation]] = []
    for index, manifest in enumerate(manifests):
        if not is_ray_object(manifest):
            continue
        namespace = text(lookup(manifest, "metadata", "namespace")) or None
        for ref in references(manifest):
            if inventory.has(ref.kind, namespace, ref.name):
                continue
            where = f" in namespace {namespace!r}" if namespace else ""
            found.append(
                (
                    index,
                    Violation(
                        ref.path,
                        f"refers to {ref.kind} {ref.name!r}, which is not created here; it must "
                        f"already exist{where} when KubeRay reconciles, or pods cannot start "
                        f"(Secrets), the job is never admitted (LocalQueues) or the job waits "
                        f"forever (RayClusters); create it alongside or check the name",
                    ),
                )
            )
    return found


def check_unresolved_references(
    manifests: Sequence[Mapping[str, Any]], settings: Settings
) -> list[tuple[int, Violation]]:
    return unresolved_references(manifests)


UNRESOLVED_REFERENCES = StackRule(
    id="unresolved-references",
    severity=Severity.LOW,
    description=(
        "Secrets, Kueue LocalQueues and RayClusters (clusterSelector) that Ray objects refer to "
        "are created alongside them"
    ),
    reason=(
        "KubeRay resolves these references only when it reconciles: a missing Secret leaves "
        "pods in CreateContainerConfigError, a missing LocalQueue leaves the job suspended, and "
        "a RayJob with a clusterSelector naming no cluster waits forever. Objects that exist "
        "outside the stack are fine; the finding asks you to make sure."
    ),
    url=docs.K8S_SECRETS_ENV,
    check_stack=check_unresolved_references,
)

STACK_RULES = (UNRESOLVED_REFERENCES, GPU_POOL_SELECTOR)
