"""What Kueue (its CRD schemas, CEL rules and validating webhooks) rejects in a queue object.

Pure functions over manifest dicts, so the plans (on the objects they build) and the policy
rules (on any YAML) share them. Each problem names the field, what is wrong and the fix.
Sources: the CRDs of Kueue v0.19.2 and its webhooks for ClusterQueue, Cohort and ResourceFlavor
(https://github.com/kubernetes-sigs/kueue/tree/v0.19.2/pkg/webhooks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from pulumi_kuberay.models.kubernetes.names import (
    dns1123_subdomain_problems,
    label_value_problems,
    qualified_name_problems,
)
from pulumi_kuberay.models.kubernetes.quantities import parse_quantity

GROUP: Final = "kueue.x-k8s.io"
MAX_RESOURCE_GROUPS: Final = 16
MAX_PER_GROUP: Final = 64
"""Covered resources, flavors, and resources per flavor, in one resource group."""
MAX_FLAVOR_ENTRIES: Final = 8
"""``nodeLabels``, ``nodeTaints`` and ``tolerations`` of a ResourceFlavor each."""
TAINT_EFFECTS: Final = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_EFFECTS: Final = ", ".join(TAINT_EFFECTS)
INT32_MAX: Final = 2**31 - 1


def is_kueue_object(manifest: Mapping[str, Any]) -> bool:
    """A ``kueue.x-k8s.io`` object."""
    return str(manifest.get("apiVersion", "")).startswith(f"{GROUP}/")


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def dns_subdomain_problems(field: str, name: Any) -> list[str]:
    """``name`` must be a DNS-1123 subdomain (how Kueue names flavors, queues and cohorts)."""
    if not isinstance(name, str) or not name:
        return [f"{field}: must be a non-empty name, got {name!r}"]
    return [f"{field}: {name!r} {p}" for p in dns1123_subdomain_problems(name)]


def quantity_problems(field: str, value: Any) -> list[str]:
    """``value`` must be a non-negative Kubernetes quantity (``64``, ``"500m"``, ``"1Ti"``)."""
    amount = parse_quantity(value) if isinstance(value, (int, str)) else None
    if amount is None:
        return [
            f"{field}: {value!r} is not a quantity; use a number or a Kubernetes quantity such "
            "as '64', '500m' or '256Gi'"
        ]
    if amount < 0:
        return [f"{field}: {value!r} is negative; quotas are at least 0"]
    return []


def quantity(value: Any) -> Decimal:
    """The amount of a quantity already checked by :func:`quantity_problems` (0 otherwise)."""
    amount = parse_quantity(value) if isinstance(value, (int, str)) else None
    return amount if amount is not None else Decimal(0)


# --- resource groups (ClusterQueue and Cohort) -----------------------------------------------


def resource_group_problems(
    groups: Sequence[Any], *, at: str, has_cohort: bool, cluster_queue: bool
) -> list[str]:
    """The rules of ``resourceGroups``: sizes, each flavor listing exactly the covered resources
    in order, a resource or flavor in one group only, valid non-negative quotas, limits only in a
    cohort, and ``lendingLimit <= nominalQuota`` on a ClusterQueue."""
    problems: list[str] = []
    if len(groups) > MAX_RESOURCE_GROUPS:
        problems.append(f"{at}: {len(groups)} resource groups; Kueue allows at most 16")
    resource_group: dict[str, int] = {}
    flavor_group: dict[str, int] = {}
    for g, group in enumerate(groups):
        group_at = f"{at}[{g}]"
        group = _map(group)
        covered = [str(r) for r in _list(group.get("coveredResources"))]
        flavors = _list(group.get("flavors"))
        if not covered:
            problems.append(f"{group_at}.coveredResources: must name at least one resource")
        if not flavors:
            problems.append(f"{group_at}.flavors: must list at least one flavor")
        for what, count in (("coveredResources", len(covered)), ("flavors", len(flavors))):
            if count > MAX_PER_GROUP:
                problems.append(f"{group_at}.{what}: {count} entries; Kueue allows at most 64")
        for name in covered:
            if name in resource_group:
                problems.append(
                    f"{group_at}.coveredResources: {name!r} is already covered by "
                    f"{at}[{resource_group[name]}]; a resource belongs to one group only"
                )
            else:
                resource_group[name] = g
        for f, flavor in enumerate(flavors):
            flavor = _map(flavor)
            flavor_at = f"{group_at}.flavors[{f}]"
            flavor_name = flavor.get("name")
            problems += dns_subdomain_problems(f"{flavor_at}.name", flavor_name)
            if isinstance(flavor_name, str):
                if flavor_name in flavor_group:
                    first = flavor_group[flavor_name]
                    where = "this group" if first == g else f"{at}[{first}]"
                    problems.append(
                        f"{flavor_at}.name: flavor {flavor_name!r} is already listed in {where}; "
                        "a flavor appears once per ClusterQueue"
                    )
                else:
                    flavor_group[flavor_name] = g
            resources = [_map(r) for r in _list(flavor.get("resources"))]
            names = [r.get("name") for r in resources]
            if names != covered:
                missing = [r for r in covered if r not in names]
                extra = [r for r in names if r not in covered]
                detail = []
                if missing:
                    detail.append(f"missing {', '.join(map(str, missing))}")
                if extra:
                    detail.append(f"not covered: {', '.join(map(str, extra))}")
                if not detail:
                    detail.append("in another order")
                problems.append(
                    f"{flavor_at}.resources: must list the covered resources "
                    f"{covered} in that order ({'; '.join(detail)}); give flavor {flavor_name!r} a "
                    "quota for every covered resource"
                )
            for r, resource in enumerate(resources):
                problems += _quota_problems(
                    resource,
                    f"{flavor_at}.resources[{r}]",
                    has_cohort=has_cohort,
                    cluster_queue=cluster_queue,
                )
    return problems


def _quota_problems(
    resource: Mapping[str, Any], at: str, *, has_cohort: bool, cluster_queue: bool
) -> list[str]:
    problems: list[str] = []
    if "nominalQuota" not in resource:
        problems.append(f"{at}.nominalQuota: required")
    else:
        problems += quantity_problems(f"{at}.nominalQuota", resource["nominalQuota"])
    for limit in ("borrowingLimit", "lendingLimit"):
        if resource.get(limit) is None:
            continue
        problems += quantity_problems(f"{at}.{limit}", resource[limit])
        if cluster_queue and not has_cohort:
            problems.append(
                f"{at}.{limit}: only allowed when the ClusterQueue is in a cohort (cohortName); "
                "without one there is nobody to borrow from or lend to"
            )
    lending = resource.get("lendingLimit")
    nominal = resource.get("nominalQuota")
    if (
        cluster_queue
        and lending is not None
        and not quantity_problems("", lending)
        and not quantity_problems("", nominal)
        and quantity(lending) > quantity(nominal)
    ):
        problems.append(
            f"{at}.lendingLimit: {lending} is more than nominalQuota {nominal}; a queue can lend "
            "at most its own quota"
        )
    return problems


# --- per kind --------------------------------------------------------------------------------

_WHEN_CAN_BORROW_DEFAULT: Final = "MayStopSearch"
_WHEN_CAN_PREEMPT_DEFAULT: Final = "TryNextFlavor"


def cluster_queue_problems(manifest: Mapping[str, Any]) -> list[str]:
    """What Kueue rejects in a ClusterQueue (v1beta2 ``cohortName`` or v1beta1 ``cohort``)."""
    spec = _map(manifest.get("spec"))
    cohort = spec.get("cohortName", spec.get("cohort"))
    problems: list[str] = []
    if cohort is not None:
        key = "cohortName" if "cohortName" in spec else "cohort"
        problems += dns_subdomain_problems(f"spec.{key}", cohort)
    problems += resource_group_problems(
        _list(spec.get("resourceGroups")),
        at="spec.resourceGroups",
        has_cohort=bool(cohort),
        cluster_queue=True,
    )
    fungibility = _map(spec.get("flavorFungibility"))
    if fungibility.get("preference") is not None and (
        fungibility.get("whenCanBorrow", _WHEN_CAN_BORROW_DEFAULT) != "TryNextFlavor"
        or fungibility.get("whenCanPreempt", _WHEN_CAN_PREEMPT_DEFAULT) != "TryNextFlavor"
    ):
        problems.append(
            "spec.flavorFungibility.preference: only allowed when whenCanBorrow and "
            "whenCanPreempt are both TryNextFlavor"
        )
    preemption = _map(spec.get("preemption"))
    borrow_policy = _map(preemption.get("borrowWithinCohort")).get("policy", "Never")
    if preemption.get("reclaimWithinCohort", "Never") == "Never" and borrow_policy != "Never":
        problems.append(
            "spec.preemption.borrowWithinCohort.policy: must be Never while reclaimWithinCohort "
            "is Never (Kueue's rule); set reclaimWithinCohort too"
        )
    return problems


def cohort_problems(manifest: Mapping[str, Any]) -> list[str]:
    """What Kueue rejects in a Cohort."""
    spec = _map(manifest.get("spec"))
    problems: list[str] = []
    parent = spec.get("parentName")
    if parent is not None:
        problems += dns_subdomain_problems("spec.parentName", parent)
        name = _map(manifest.get("metadata")).get("name")
        if parent == name:
            problems.append("spec.parentName: a cohort cannot be its own parent")
    problems += resource_group_problems(
        _list(spec.get("resourceGroups")),
        at="spec.resourceGroups",
        has_cohort=True,
        cluster_queue=False,
    )
    return problems


def _taint_problems(taints: Sequence[Any], at: str) -> list[str]:
    problems: list[str] = []
    for i, taint in enumerate(taints):
        taint = _map(taint)
        if not taint.get("key"):
            problems.append(f"{at}[{i}].key: required")
        else:
            problems += [f"{at}[{i}].key: {p}" for p in qualified_name_problems(taint["key"])]
        effect = taint.get("effect")
        if effect not in TAINT_EFFECTS:
            problems.append(f"{at}[{i}].effect: {effect!r} is not one of {_EFFECTS}")
    return problems


def toleration_problems(tolerations: Sequence[Any], at: str) -> list[str]:
    """The CEL rules Kueue puts on ``ResourceFlavor.spec.tolerations``."""
    problems: list[str] = []
    for i, toleration in enumerate(tolerations):
        tol = _map(toleration)
        where = f"{at}[{i}]"
        operator = tol.get("operator")
        if operator is not None and operator not in ("Equal", "Exists"):
            problems.append(f"{where}.operator: must be Equal or Exists, got {operator!r}")
        if not tol.get("key") and operator != "Exists":
            problems.append(f"{where}.operator: must be Exists when key is empty (match all)")
        if operator == "Exists" and tol.get("value"):
            problems.append(f"{where}.value: must be empty when operator is Exists")
        if tol.get("tolerationSeconds") is not None and tol.get("effect") != "NoExecute":
            problems.append(f"{where}.effect: must be NoExecute when tolerationSeconds is set")
        effect = tol.get("effect")
        if effect and effect not in TAINT_EFFECTS:
            problems.append(f"{where}.effect: {effect!r} is not one of {_EFFECTS}")
    return problems


def resource_flavor_problems(manifest: Mapping[str, Any]) -> list[str]:
    """What Kueue rejects in a ResourceFlavor."""
    spec = _map(manifest.get("spec"))
    problems: list[str] = []
    labels = _map(spec.get("nodeLabels"))
    for field in ("nodeLabels", "nodeTaints", "tolerations"):
        value = spec.get(field)
        if value is not None and len(value) > MAX_FLAVOR_ENTRIES:
            problems.append(f"spec.{field}: {len(value)} entries; Kueue allows at most 8")
    for key, value in labels.items():
        problems += [f"spec.nodeLabels[{key}]: {p}" for p in qualified_name_problems(str(key))]
        problems += [f"spec.nodeLabels[{key}]: {p}" for p in label_value_problems(str(value))]
    problems += _taint_problems(_list(spec.get("nodeTaints")), "spec.nodeTaints")
    problems += toleration_problems(_list(spec.get("tolerations")), "spec.tolerations")
    if spec.get("topologyName") is not None and not labels:
        problems.append(
            "spec.topologyName: needs at least one nodeLabel (the flavor's nodes must be "
            "selectable for topology-aware scheduling)"
        )
    return problems


def local_queue_problems(manifest: Mapping[str, Any]) -> list[str]:
    """What Kueue rejects in a LocalQueue: it must name its ClusterQueue."""
    spec = _map(manifest.get("spec"))
    return dns_subdomain_problems("spec.clusterQueue", spec.get("clusterQueue"))


def workload_priority_class_problems(manifest: Mapping[str, Any]) -> list[str]:
    """What Kueue rejects in a WorkloadPriorityClass: ``value`` is a required int32."""
    value = manifest.get("value")
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"value: required integer priority, got {value!r}"]
    if not -(2**31) <= value <= INT32_MAX:
        return [f"value: {value} does not fit a 32-bit integer"]
    return []


def admission_check_problems(manifest: Mapping[str, Any]) -> list[str]:
    """What Kueue rejects in an AdmissionCheck: a controller name is required."""
    name = _map(manifest.get("spec")).get("controllerName")
    return [] if isinstance(name, str) and name else ["spec.controllerName: required"]


QUEUE_OBJECT_RULES: Final[Mapping[str, Callable[[Mapping[str, Any]], list[str]]]] = {
    "ResourceFlavor": resource_flavor_problems,
    "ClusterQueue": cluster_queue_problems,
    "Cohort": cohort_problems,
    "LocalQueue": local_queue_problems,
    "WorkloadPriorityClass": workload_priority_class_problems,
    "AdmissionCheck": admission_check_problems,
}


def queue_object_problems(manifest: Mapping[str, Any]) -> list[str]:
    """Every reason Kueue would reject this queue object (none for other kinds), with the
    object's own name checked too."""
    if not is_kueue_object(manifest):
        return []
    check = QUEUE_OBJECT_RULES.get(str(manifest.get("kind")))
    if check is None:
        return []
    name = _map(manifest.get("metadata")).get("name")
    return [*dns_subdomain_problems("metadata.name", name), *check(manifest)]
