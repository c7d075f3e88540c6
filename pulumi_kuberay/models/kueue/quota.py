"""Kueue's quota arithmetic: how much of a resource a ClusterQueue could ever give (its nominal
quota plus what it may borrow in its cohort tree), which flavors a pod set may use, and whether a
workload can ever be admitted.

Pure functions over manifest dicts (ClusterQueue v1beta2 or v1beta1, Cohort, ResourceFlavor),
shared by the plans and the policy rules. Sources (Kueue v0.19.2):
``pkg/cache/scheduler/resource_node.go`` (subtree quota, the part a node keeps for itself),
``clusterqueue_snapshot.go`` (potential available), ``pkg/scheduler/flavorassigner`` (flavors in
order, taints and node selectors filtered to the flavor's labels, one flavor per resource group
and pod set), https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/ and
https://kueue.sigs.k8s.io/docs/concepts/cohort/.

"Can it ever be admitted" is judged against an idle cohort, following Kueue's greedy order:
a workload that fails here is never admitted under that order; one that passes is admitted when
the cohort is idle (it may still wait for quota in use).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from pulumi_kuberay.models.kubernetes.quantities import parse_quantity
from pulumi_kuberay.models.kueue.workloads import PodSet

FlavorResource = tuple[str, str]
"""``(flavor, resource)``: the unit Kueue accounts quota in."""

PODS: Final = "pods"
"""The resource Kueue counts pods as, when a resource group covers it."""
_BINARY_RESOURCES: Final = ("memory", "ephemeral-storage")
_BINARY_UNITS: Final = (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20))


def format_amount(resource: str, amount: Decimal) -> str:
    """An amount as a person reads it: memory in the largest whole binary unit (``64Gi``),
    everything else as a plain number (``16``, ``0.5``)."""
    if resource in _BINARY_RESOURCES or resource.startswith("hugepages-"):
        for suffix, size in _BINARY_UNITS:
            if amount >= size and amount % size == 0:
                return f"{amount // size}{suffix}"
    text = format(amount.normalize(), "f")
    return text


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _amount(value: Any) -> Decimal | None:
    return parse_quantity(value) if isinstance(value, (int, str)) else None


# --- the quota tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    """One flavor-resource of a ClusterQueue or Cohort."""

    nominal: Decimal
    borrowing_limit: Decimal | None = None
    lending_limit: Decimal | None = None


@dataclass(frozen=True)
class ResourceGroupView:
    """A resource group: its covered resources and its flavors, in order."""

    covered: tuple[str, ...]
    flavors: tuple[str, ...]


@dataclass(frozen=True)
class QuotaNode:
    """A ClusterQueue (a leaf) or a Cohort in the quota tree."""

    name: str
    is_cohort: bool
    parent: str | None
    quotas: Mapping[FlavorResource, Quota] = field(default_factory=dict)
    groups: tuple[ResourceGroupView, ...] = ()
    borrow_last: bool = False
    """``flavorFungibility.whenCanBorrow: TryNextFlavor``: a later flavor that fits without
    borrowing wins over an earlier one that needs to borrow."""


def _groups_and_quotas(
    spec: Mapping[str, Any],
) -> tuple[tuple[ResourceGroupView, ...], dict[FlavorResource, Quota]]:
    groups: list[ResourceGroupView] = []
    quotas: dict[FlavorResource, Quota] = {}
    for group in _list(spec.get("resourceGroups")):
        group = _map(group)
        covered = tuple(str(r) for r in _list(group.get("coveredResources")))
        names = []
        for flavor in _list(group.get("flavors")):
            flavor = _map(flavor)
            name = str(flavor.get("name", ""))
            names.append(name)
            for resource in _list(flavor.get("resources")):
                resource = _map(resource)
                nominal = _amount(resource.get("nominalQuota"))
                quotas[(name, str(resource.get("name")))] = Quota(
                    nominal if nominal is not None else Decimal(0),
                    _amount(resource.get("borrowingLimit")),
                    _amount(resource.get("lendingLimit")),
                )
        groups.append(ResourceGroupView(covered, tuple(names)))
    return tuple(groups), quotas


def cohort_name_of(cluster_queue: Mapping[str, Any]) -> str | None:
    """The cohort a ClusterQueue belongs to (``cohortName``, or v1beta1 ``cohort``)."""
    spec = _map(cluster_queue.get("spec"))
    name = spec.get("cohortName", spec.get("cohort"))
    return name if isinstance(name, str) and name else None


def quota_node(manifest: Mapping[str, Any]) -> QuotaNode:
    """The tree node of a ClusterQueue or Cohort manifest."""
    name = str(_map(manifest.get("metadata")).get("name", ""))
    spec = _map(manifest.get("spec"))
    groups, quotas = _groups_and_quotas(spec)
    if manifest.get("kind") == "Cohort":
        parent = spec.get("parentName")
        return QuotaNode(name, True, parent if isinstance(parent, str) and parent else None, quotas)
    fungibility = _map(spec.get("flavorFungibility"))
    borrow_last = fungibility.get("whenCanBorrow") == "TryNextFlavor"
    return QuotaNode(name, False, cohort_name_of(manifest), quotas, groups, borrow_last)


class QuotaTree:
    """ClusterQueues and Cohorts joined by ``cohortName`` / ``parentName``.

    A cohort named by a ClusterQueue (or as a parent) without a Cohort object is a cohort with
    no quota of its own, as in Kueue.
    """

    def __init__(self, nodes: Iterable[QuotaNode]) -> None:
        self._queues: dict[str, QuotaNode] = {}
        self._cohorts: dict[str, QuotaNode] = {}
        for node in nodes:
            (self._cohorts if node.is_cohort else self._queues)[node.name] = node
        for node in list(self._queues.values()) + list(self._cohorts.values()):
            if node.parent is not None and node.parent not in self._cohorts:
                self._cohorts[node.parent] = QuotaNode(node.parent, True, None)
        self._children: dict[str, list[QuotaNode]] = {}
        for node in (*self._queues.values(), *self._cohorts.values()):
            if node.parent is not None:
                self._children.setdefault(node.parent, []).append(node)

    @classmethod
    def of(cls, manifests: Iterable[Mapping[str, Any]]) -> QuotaTree:
        """The tree of the ClusterQueue and Cohort manifests among ``manifests``."""
        return cls(quota_node(m) for m in manifests if m.get("kind") in ("ClusterQueue", "Cohort"))

    def cluster_queue(self, name: str) -> QuotaNode | None:
        """The ClusterQueue node ``name``."""
        return self._queues.get(name)

    def members(self, cohort: str) -> list[str]:
        """The ClusterQueues under ``cohort`` (at any depth), by name."""
        found: list[str] = []
        for child in self._children.get(cohort, ()):
            if child.is_cohort:
                found += self.members(child.name)
            else:
                found.append(child.name)
        return sorted(found)

    def root_of(self, node: QuotaNode) -> str | None:
        """The top cohort above ``node`` (``None`` for a queue outside any cohort)."""
        seen: set[str] = set()
        parent = node.parent
        top = None
        while parent is not None and parent not in seen:
            seen.add(parent)
            top = parent
            parent = self._cohorts[parent].parent
        return top

    def _parent(self, node: QuotaNode) -> QuotaNode | None:
        return self._cohorts.get(node.parent) if node.parent is not None else None

    def subtree_quota(
        self, node: QuotaNode, fr: FlavorResource, _seen: frozenset[str] = frozenset()
    ) -> Decimal:
        """``SubtreeQuota``: a queue's nominal quota; a cohort's own nominal quota plus what its
        children put in (their subtree quota less what they keep for themselves)."""
        own = node.quotas.get(fr)
        total = own.nominal if own is not None else Decimal(0)
        if not node.is_cohort or node.name in _seen:
            return total
        seen = _seen | {node.name}
        for child in self._children.get(node.name, ()):
            total += self.subtree_quota(child, fr, seen) - self.local_quota(child, fr, seen)
        return total

    def local_quota(
        self, node: QuotaNode, fr: FlavorResource, _seen: frozenset[str] = frozenset()
    ) -> Decimal:
        """What a node keeps for itself and never lends: subtree quota less its
        ``lendingLimit``; without a lending limit, nothing (everything is pooled)."""
        own = node.quotas.get(fr)
        if own is None or own.lending_limit is None:
            return Decimal(0)
        return max(Decimal(0), self.subtree_quota(node, fr, _seen) - own.lending_limit)

    def potential(self, node: QuotaNode, fr: FlavorResource, _depth: int = 0) -> Decimal:
        """The most of ``fr`` the node could ever hold with nothing else running: its local
        quota plus its parent's potential, capped at subtree quota + ``borrowingLimit``."""
        parent = self._parent(node)
        if parent is None or _depth > 64:
            return self.subtree_quota(node, fr)
        total = self.local_quota(node, fr) + self.potential(parent, fr, _depth + 1)
        own = node.quotas.get(fr)
        if own is not None and own.borrowing_limit is not None:
            total = min(total, self.subtree_quota(node, fr) + own.borrowing_limit)
        return total


# --- which flavors a pod set may use ---------------------------------------------------------


def _tolerates(tolerations: Sequence[Any], taint: Mapping[str, Any]) -> bool:
    for toleration in tolerations:
        tol = _map(toleration)
        effect = tol.get("effect")
        if effect and effect != taint.get("effect"):
            continue
        key = tol.get("key")
        if tol.get("operator") == "Exists":
            if not key or key == taint.get("key"):
                return True
            continue
        if key == taint.get("key") and (tol.get("value") or "") == (taint.get("value") or ""):
            return True
    return False


def untolerated_taints(pod_spec: Mapping[str, Any], flavor: Mapping[str, Any]) -> list[str]:
    """The flavor's NoSchedule/NoExecute taints that neither the pod nor the flavor tolerates
    (a flavor with one is not a candidate for the pod set)."""
    spec = _map(flavor.get("spec"))
    tolerations = [*_list(pod_spec.get("tolerations")), *_list(spec.get("tolerations"))]
    found = []
    for taint in _list(spec.get("nodeTaints")):
        taint = _map(taint)
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not _tolerates(
            tolerations, taint
        ):
            value = f"={taint['value']}" if taint.get("value") else ""
            found.append(f"{taint.get('key')}{value}:{taint.get('effect')}")
    return found


def _expression_holds(expression: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    key, operator = str(expression.get("key")), expression.get("operator")
    values = [str(v) for v in _list(expression.get("values"))]
    present = key in labels
    value = str(labels.get(key, ""))
    if operator == "In":
        return present and value in values
    if operator == "NotIn":
        return not present or value not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt") and present and values:
        try:
            number, bound = int(value), int(values[0])
        except ValueError:
            return False
        return number > bound if operator == "Gt" else number < bound
    return False


def selector_mismatches(pod_spec: Mapping[str, Any], flavor: Mapping[str, Any]) -> list[str]:
    """Why the pod's ``nodeSelector`` or required node affinity, looked at only on the label
    keys the flavor defines (as Kueue does), rules the flavor out; empty when it matches."""
    labels = _map(_map(flavor.get("spec")).get("nodeLabels"))
    found = [
        f"nodeSelector {key}={value} (flavor: {key}={labels[key]})"
        for key, value in _map(pod_spec.get("nodeSelector")).items()
        if key in labels and str(labels[key]) != str(value)
    ]
    required = _map(
        _map(_map(pod_spec.get("affinity")).get("nodeAffinity")).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
    )
    terms = _list(required.get("nodeSelectorTerms"))
    if terms:
        matched = False
        for term in terms:
            expressions = [
                _map(e)
                for e in _list(_map(term).get("matchExpressions"))
                if _map(e).get("key") in labels
            ]
            if all(_expression_holds(e, labels) for e in expressions):
                matched = True
                break
        if not matched:
            found.append("required node affinity")
    return found


# --- can the workload ever be admitted -------------------------------------------------------


@dataclass(frozen=True)
class AdmissionOptions:
    """The Kueue Configuration settings the check depends on."""

    quota_check_strategy: str = "BlockUndeclared"
    """``resources.quotaCheckStrategy``: ``IgnoreUndeclared`` lets uncovered resources through."""
    exclude_resource_prefixes: Sequence[str] = ()
    """``resources.excludeResourcePrefixes``: resources Kueue does not account at all."""


@dataclass
class AdmissionVerdict:
    """Problems (the workload can never be admitted) and warnings (it may not run as
    written), each a message naming the pod set, the resource and the numbers."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _accounted(requests: Mapping[str, Decimal], options: AdmissionOptions) -> dict[str, Decimal]:
    return {
        name: amount
        for name, amount in requests.items()
        if amount > 0 and not any(name.startswith(p) for p in options.exclude_resource_prefixes)
    }


def _group_of(queue: QuotaNode) -> dict[str, ResourceGroupView]:
    return {resource: group for group in queue.groups for resource in group.covered}


def ceiling(
    tree: QuotaTree, queue: QuotaNode, fr: FlavorResource, *, cohort_complete: bool
) -> Decimal | None:
    """The most of ``fr`` the queue can ever hold: its potential in the tree; with a cohort whose
    other queues are not all known, only ``nominalQuota + borrowingLimit`` bounds it (``None``:
    no bound known)."""
    if cohort_complete or queue.parent is None:
        return tree.potential(queue, fr)
    own = queue.quotas.get(fr)
    if own is None or own.borrowing_limit is None:
        return None
    return own.nominal + own.borrowing_limit


def _where(tree: QuotaTree, queue: QuotaNode, *, cohort_complete: bool = True) -> str:
    root = tree.root_of(queue)
    if root is None:
        return f"ClusterQueue {queue.name!r} (in no cohort)"
    if not cohort_complete:
        return f"ClusterQueue {queue.name!r} (cohort {root!r}, its other queues not known here)"
    peers = [m for m in tree.members(root) if m != queue.name]
    counted = f", with {', '.join(peers)}" if peers else ", no other queue known in it"
    return f"ClusterQueue {queue.name!r} (cohort {root!r}{counted})"


def _capacity_text(queue: QuotaNode, fr: FlavorResource, used: Decimal, potential: Decimal) -> str:
    resource = fr[1]
    own = queue.quotas.get(fr)
    nominal = own.nominal if own is not None else Decimal(0)
    borrowed = potential - nominal
    detail = f"nominal {format_amount(resource, nominal)}"
    if borrowed > 0:
        detail += f" + {format_amount(resource, borrowed)} borrowable"
    elif borrowed < 0:
        detail += f", {format_amount(resource, -borrowed)} of it lent out"
    if used > 0:
        detail += f"; {format_amount(resource, used)} taken by earlier pod sets"
    return f"{resource} {format_amount(resource, potential)} ({detail})"


def admission_verdict(
    pod_sets: Sequence[PodSet],
    cluster_queue: str,
    tree: QuotaTree,
    flavors: Mapping[str, Mapping[str, Any]],
    *,
    options: AdmissionOptions = AdmissionOptions(),
    at_max: bool = False,
    subject: str = "the workload",
    cohort_complete: bool = True,
) -> AdmissionVerdict:
    """Whether ``pod_sets`` fit ClusterQueue ``cluster_queue`` of ``tree`` with an idle cohort.

    ``flavors`` holds the ResourceFlavor manifests known by name; a flavor not in it is
    assumed to fit any pod. ``at_max`` checks the pods at ``maxReplicas`` (an elastic job
    growing to its limit). Problems: a requested resource the queue does not cover, a pod set
    no flavor has quota for. Warnings: a pod set no flavor's labels or taints allow.
    ``cohort_complete`` says whether ``tree`` holds every queue of the cohort (see
    :func:`ceiling`).
    """
    verdict = AdmissionVerdict()
    queue = tree.cluster_queue(cluster_queue)
    if queue is None:
        return verdict
    groups = _group_of(queue)
    used: dict[FlavorResource, Decimal] = {}
    size = "at maxReplicas " if at_max else ""
    uncovered: dict[str, list[str]] = {}
    for pod_set in pod_sets:
        pods = pod_set.max_count if at_max else pod_set.count
        if pods == 0:
            continue
        requests = _accounted(pod_set.requests, options)
        total = {name: amount * pods for name, amount in requests.items()}
        if PODS in groups:
            total[PODS] = Decimal(pods)
        for resource in sorted(r for r in total if r not in groups):
            uncovered.setdefault(resource, []).append(pod_set.name)
        by_group: dict[ResourceGroupView, dict[str, Decimal]] = {}
        for resource, amount in total.items():
            if resource in groups:
                by_group.setdefault(groups[resource], {})[resource] = amount
        for group, asked in by_group.items():
            _assign(
                verdict,
                _Context(tree, queue, flavors, used, size, subject, cohort_complete),
                group,
                asked,
                pod_set,
                pods,
            )
    if options.quota_check_strategy != "IgnoreUndeclared":
        covered = ", ".join(sorted(groups)) or "nothing"
        for resource, names in uncovered.items():
            verdict.problems.insert(
                0,
                f"{subject} requests {resource} (pod sets {', '.join(names)}), which "
                f"{_where(tree, queue, cohort_complete=cohort_complete)} does not cover (it "
                f"covers {covered}); Kueue never admits "
                "it; add a resource group for it to the ClusterQueue, or exclude it in Kueue's "
                "resources.excludeResourcePrefixes",
            )
    return verdict


@dataclass(frozen=True)
class _Context:
    tree: QuotaTree
    queue: QuotaNode
    flavors: Mapping[str, Mapping[str, Any]]
    used: dict[FlavorResource, Decimal]
    size: str
    subject: str
    cohort_complete: bool

    def limit(self, fr: FlavorResource, *, within_nominal: bool) -> Decimal | None:
        if within_nominal:
            quota = self.queue.quotas.get(fr)
            return quota.nominal if quota is not None else Decimal(0)
        return ceiling(self.tree, self.queue, fr, cohort_complete=self.cohort_complete)

    def over(self, fr: FlavorResource, amount: Decimal, *, within_nominal: bool = False) -> bool:
        limit = self.limit(fr, within_nominal=within_nominal)
        return limit is not None and self.used.get(fr, Decimal(0)) + amount > limit


def _candidates(
    ctx: _Context, group: ResourceGroupView, pod_set: PodSet
) -> tuple[list[str], list[str]]:
    ruled_out: list[str] = []
    candidates: list[str] = []
    for name in group.flavors:
        flavor = ctx.flavors.get(name)
        if flavor is None:
            candidates.append(name)
            continue
        reasons = [f"taint {t} not tolerated" for t in untolerated_taints(pod_set.pod_spec, flavor)]
        reasons += selector_mismatches(pod_set.pod_spec, flavor)
        if reasons:
            ruled_out.append(f"{name!r} ({'; '.join(reasons)})")
        else:
            candidates.append(name)
    return candidates, ruled_out


def _assign(
    verdict: AdmissionVerdict,
    ctx: _Context,
    group: ResourceGroupView,
    asked: Mapping[str, Decimal],
    pod_set: PodSet,
    pods: int,
) -> None:
    candidates, ruled_out = _candidates(ctx, group, pod_set)
    if not candidates:
        verdict.warnings.append(
            f"{pod_set.path}: pod set {pod_set.name!r} of {ctx.subject} matches no flavor of "
            f"ClusterQueue {ctx.queue.name!r} for {', '.join(sorted(asked))}: "
            f"{', '.join(ruled_out)}; Kueue cannot assign it a flavor; fix the pod's "
            "nodeSelector/tolerations or the flavors"
        )
        return

    def fits(name: str, *, within_nominal: bool) -> bool:
        return not any(
            ctx.over((name, r), amount, within_nominal=within_nominal)
            for r, amount in asked.items()
        )

    order = [n for n in candidates if fits(n, within_nominal=True)] if ctx.queue.borrow_last else []
    order += [n for n in candidates if n not in order and fits(n, within_nominal=False)]
    if order:
        for r, amount in asked.items():
            ctx.used[(order[0], r)] = ctx.used.get((order[0], r), Decimal(0)) + amount
        return
    needs = ", ".join(f"{r} {format_amount(r, a)}" for r, a in sorted(asked.items()))
    each = ", ".join(f"{r} {format_amount(r, a / pods)}" for r, a in sorted(asked.items()))
    lacking = []
    for name in candidates:
        parts = []
        for resource, amount in sorted(asked.items()):
            fr = (name, resource)
            limit = ctx.limit(fr, within_nominal=False)
            if limit is not None and ctx.over(fr, amount):
                used = ctx.used.get(fr, Decimal(0))
                parts.append(_capacity_text(ctx.queue, fr, used, limit))
        lacking.append(f"{name!r} gives at most {'; '.join(parts)}")
    where = _where(ctx.tree, ctx.queue, cohort_complete=ctx.cohort_complete)
    verdict.problems.append(
        f"{pod_set.path}: pod set {pod_set.name!r} of {ctx.subject} needs {needs} ({pods} pods "
        f"{ctx.size}x {each}) but no flavor of {where} can ever give that: "
        f"{', and '.join(lacking)}; it can never be admitted; lower the pods' requests or count, "
        "or raise the quota (nominalQuota, or borrowing within the cohort)"
    )
