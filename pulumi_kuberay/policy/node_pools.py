"""The node pools of a stack, as the policy rules see them, and the stack rule
``gpu-pool-selector``: a GPU group whose node selection matches none of them.

Pools come from two kinds of manifest:

- Karpenter ``karpenter.sh/v1`` NodePools (in a stack or in linted YAML): the labels their nodes
  get (``karpenter.sh/nodepool``, ``template.metadata.labels``, the values ``requirements``
  allow; well-known labels the requirements leave open may take any value);
- ``GpuNodePool`` components (any realisation, existing nodes included): their ``record`` input,
  presented as ``{"apiVersion": "kuberay:index", "kind": "GpuNodePool", "record": {...}}`` by
  :func:`pool_record_manifest` (the pack adapter and the offline preview call it). Existing
  nodes may carry labels the record does not list, so keys it does not name never rule it out.

With no pool in the stack nothing is reported: the cluster's own pools are not visible here.
https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_kuberay.policy.manifest_reading import UNKNOWN, items, lookup, mapping, text
from pulumi_kuberay.policy.model import Settings, Severity, StackRule, Violation, is_ray_object
from pulumi_kuberay.policy.ray_objects import (
    Group,
    cluster_specs,
    containers,
    gpu_resources,
    groups,
)
from pulumi_kuberay.policy.rules import docs

POOL_RECORD_TYPE: Final = "kuberay:index:GpuNodePool"
"""The Pulumi type token of the ``GpuNodePool`` component."""
POOL_RECORD_API: Final = "kuberay:index"
POOL_RECORD_KIND: Final = "GpuNodePool"
KARPENTER_API: Final = "karpenter.sh/v1"
KARPENTER_OPEN_PREFIXES: Final = (
    "karpenter.k8s.aws/",
    "karpenter.sh/capacity-type",
    "node.kubernetes.io/instance-type",
    "topology.kubernetes.io/",
    "kubernetes.io/arch",
    "kubernetes.io/os",
    "eks.amazonaws.com/",
)
"""Labels every Karpenter node has (well-known), whatever value its requirements leave open."""


def pool_record_manifest(resource_type: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
    """A ``GpuNodePool`` resource (its inputs or outputs) as the manifest the rules read;
    ``None`` for any other resource."""
    if resource_type != POOL_RECORD_TYPE:
        return None
    record = props.get("record")
    if not isinstance(record, Mapping):
        return None
    return {
        "apiVersion": POOL_RECORD_API,
        "kind": POOL_RECORD_KIND,
        "metadata": {"name": text(record.get("name")) or ""},
        "record": dict(record),
    }


@dataclass(frozen=True)
class NodePoolView:
    """A pool's labels: key -> the values its nodes may carry (``None``: any value)."""

    name: str
    origin: str
    values: Mapping[str, frozenset[str] | None]
    closed: bool
    """Whether keys not in :attr:`values` are absent from the nodes (Karpenter) rather than
    unknown (a description of existing nodes)."""

    def may_have(self, key: str, value: str) -> bool:
        """Whether a node of the pool may carry label ``key=value``."""
        if key not in self.values:
            return not self.closed or key.startswith(KARPENTER_OPEN_PREFIXES)
        allowed = self.values[key]
        return allowed is None or value in allowed

    def may_have_key(self, key: str) -> bool:
        """Whether a node of the pool may carry label ``key``."""
        return key in self.values or not self.closed or key.startswith(KARPENTER_OPEN_PREFIXES)

    def surely_has(self, key: str, values: Sequence[str] | None = None) -> bool:
        """Whether every node carries ``key`` (and, given ``values``, a value among them)."""
        if key not in self.values:
            return False
        allowed = self.values[key]
        if values is None:
            return True
        return allowed is not None and allowed <= set(values)

    def describe(self) -> str:
        """``karpenter NodePool 'a100' (karpenter.sh/nodepool=a100, ...)``."""
        shown = []
        for key, allowed in list(self.values.items())[:4]:
            shown.append(
                f"{key} in {sorted(allowed)}"
                if allowed and len(allowed) > 1
                else (f"{key}={next(iter(allowed))}" if allowed else f"{key} (any)")
            )
        return f"{self.origin} {self.name!r} ({', '.join(shown)})"


def _karpenter_pool(manifest: Mapping[str, Any]) -> NodePoolView | None:
    name = text(lookup(manifest, "metadata", "name"))
    if not name:
        return None
    values: dict[str, frozenset[str] | None] = {"karpenter.sh/nodepool": frozenset({name})}
    template = mapping(lookup(manifest, "spec", "template"))
    for key, value in mapping(lookup(template, "metadata", "labels")).items():
        if isinstance(value, str):
            values[key] = frozenset({value})
    for requirement in items(lookup(template, "spec", "requirements")):
        key, operator = lookup(requirement, "key"), lookup(requirement, "operator")
        if not isinstance(key, str) or key in values:
            continue
        allowed = [v for v in items(lookup(requirement, "values")) if isinstance(v, str)]
        if operator == "In" and allowed:
            values[key] = frozenset(allowed)
        elif operator in ("Exists", "NotIn", "Gt", "Lt", "Gte", "Lte"):
            values[key] = None
    return NodePoolView(name, "Karpenter NodePool", values, closed=True)


def _record_pool(manifest: Mapping[str, Any]) -> NodePoolView | None:
    record = mapping(manifest.get("record"))
    name = text(record.get("name"))
    if not name:
        return None
    values: dict[str, frozenset[str] | None] = {}
    for key, allowed in mapping(record.get("nodeLabelValues")).items():
        found = [v for v in items(allowed) if isinstance(v, str)]
        values[key] = frozenset(found) if found else None
    origin = f"GpuNodePool ({text(record.get('realisation')) or 'existing'})"
    return NodePoolView(name, origin, values, closed=False)


def stack_pools(manifests: Sequence[Mapping[str, Any]]) -> list[NodePoolView]:
    """Every node pool among ``manifests`` (Karpenter NodePools and GpuNodePool records)."""
    pools = []
    for manifest in manifests:
        api_version, kind = manifest.get("apiVersion"), manifest.get("kind")
        pool = None
        if api_version == KARPENTER_API and kind == "NodePool":
            pool = _karpenter_pool(manifest)
        elif api_version == POOL_RECORD_API and kind == POOL_RECORD_KIND:
            pool = _record_pool(manifest)
        if pool is not None:
            pools.append(pool)
    return pools


@dataclass(frozen=True)
class NodeSelection:
    """A pod's node selection: ``nodeSelector`` and the required node affinity terms."""

    selector: Mapping[str, str]
    terms: Sequence[Sequence[Mapping[str, Any]]]

    def matches(self, pool: NodePoolView) -> bool:
        """Whether some node of ``pool`` could satisfy it."""
        if not all(pool.may_have(k, v) for k, v in self.selector.items()):
            return False
        return not self.terms or any(_term_matches(term, pool) for term in self.terms)


def _term_matches(term: Sequence[Mapping[str, Any]], pool: NodePoolView) -> bool:
    for expression in term:
        key, operator = expression.get("key"), expression.get("operator")
        values = [v for v in items(expression.get("values")) if isinstance(v, str)]
        if not isinstance(key, str):
            continue
        if operator == "In" and not any(pool.may_have(key, v) for v in values):
            return False
        if operator == "NotIn" and pool.surely_has(key, values):
            return False
        if operator == "Exists" and not pool.may_have_key(key):
            return False
        if operator == "DoesNotExist" and pool.surely_has(key):
            return False
    return True


def node_selection(pod_spec: Mapping[str, Any]) -> NodeSelection | None:
    """The pod's node selection; ``None`` when it selects nothing or is not known yet."""
    selector = pod_spec.get("nodeSelector")
    required = lookup(
        pod_spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"
    )
    if selector is UNKNOWN or required is UNKNOWN:
        return None
    plain = {k: v for k, v in mapping(selector).items() if isinstance(v, str)}
    if len(plain) != len(mapping(selector)):
        return None  # a value only a deploy knows
    terms = []
    for term in items(lookup(required, "nodeSelectorTerms")):
        expressions = [e for e in items(lookup(term, "matchExpressions")) if isinstance(e, Mapping)]
        if expressions:
            terms.append(expressions)
    if not plain and not terms:
        return None
    return NodeSelection(plain, terms)


def _gpu_groups(manifest: Mapping[str, Any]) -> Iterator[Group]:
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            if any(gpu_resources(c) for c in containers(group)):
                yield group


def unmatched_gpu_groups(
    manifests: Sequence[Mapping[str, Any]],
) -> list[tuple[int, Violation]]:
    """``(index of the Ray object, violation)`` for each GPU group whose node selection matches
    none of the stack's pools (nothing when the stack declares no pool)."""
    pools = stack_pools(manifests)
    if not pools:
        return []
    found = []
    for index, manifest in enumerate(manifests):
        if not is_ray_object(manifest):
            continue
        for group in _gpu_groups(manifest):
            selection = node_selection(group.pod_spec)
            if selection is None or any(selection.matches(pool) for pool in pools):
                continue
            listed = "; ".join(pool.describe() for pool in pools)
            found.append(
                (
                    index,
                    Violation(
                        f"{group.pod_spec_path}.nodeSelector",
                        f"{group.label} selects nodes that none of the stack's node pools has "
                        f"({listed}), so its pods stay Pending unless such nodes exist "
                        "elsewhere; put the group on a pool (WorkerGroup(node_pool=...)) or "
                        "select the labels the pool's nodes carry",
                    ),
                )
            )
    return found


def check_gpu_pool_selector(
    manifests: Sequence[Mapping[str, Any]], settings: Settings
) -> list[tuple[int, Violation]]:
    return unmatched_gpu_groups(manifests)


GPU_POOL_SELECTOR = StackRule(
    id="gpu-pool-selector",
    severity=Severity.MEDIUM,
    description="GPU groups select nodes of one of the stack's node pools",
    reason=(
        "A GPU group's nodeSelector or required node affinity that no node of the stack's pools "
        "can satisfy (a misspelt or placeholder label such as nvidia.com/gpu.product: A100, "
        "which GPU Feature Discovery never writes) leaves its pods Pending forever, and "
        "autoprovisioners create no node for them."
    ),
    url=docs.GPU_GUIDE,
    check_stack=check_gpu_pool_selector,
)
