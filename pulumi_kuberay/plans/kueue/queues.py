"""The plans of Kueue's queue objects: argument objects -> validated models (``v1beta2``, or
``v1beta1`` for Kueue < 0.15 or when chosen) and warnings.

Every default is a named ``decide_...`` function; every object is checked with Kueue's own rules
(:mod:`pulumi_kuberay.models.kueue.validation`) before it is returned.
https://kueue.sigs.k8s.io/docs/concepts/
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

import pydantic

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.error_paths import describe_errors
from pulumi_kuberay.models.kubernetes.quantities import parse_quantity
from pulumi_kuberay.models.kueue import v1beta1, v1beta2
from pulumi_kuberay.models.kueue.capabilities import V1BETA1, KueueCapabilities
from pulumi_kuberay.models.kueue.feature_gates import (
    CONCURRENT_ADMISSION_GATE,
    TOPOLOGY_AWARE_SCHEDULING_GATE,
)
from pulumi_kuberay.models.kueue.validation import queue_object_problems
from pulumi_kuberay.models.kueue.workloads import MULTIKUEUE_CONTROLLER
from pulumi_kuberay.models.merging import deep_merge
from pulumi_kuberay.models.objects import KubernetesObject
from pulumi_kuberay.plans.kueue.args import (
    AdmissionCheckArgs,
    AdmissionCheckSource,
    ClusterQueueArgs,
    CohortArgs,
    CohortSource,
    FlavorArg,
    FlavorQuotas,
    KueueFlavorSource,
    LocalQueueArgs,
    Quota,
    QuotaArg,
    ResourceFlavorArgs,
    ResourceFlavorSource,
    ResourceGroup,
    WorkloadPriorityClassArgs,
)

Model = TypeVar("Model", bound=KubernetesObject)


@dataclass(frozen=True)
class KueuePlan(Generic[Model]):
    """A validated queue object and the warnings to show."""

    model: Model
    warnings: tuple[str, ...] = ()

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """The object as the exact manifest dict to send."""
        return self.model.to_manifest()


def _build(model: type[Model], body: Mapping[str, Any], subject: str) -> Model:
    try:
        return model.model_validate(dict(body))
    except pydantic.ValidationError as exc:
        raise ValidationError(describe_errors(model, exc), subject=subject) from None


def _checked(plan: KueuePlan[Model], subject: str) -> KueuePlan[Model]:
    problems = queue_object_problems(plan.manifest)
    if problems:
        raise ValidationError(problems, subject=subject)
    return plan


def _metadata(name: str, namespace: str | None = None, **extra: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    metadata.update({k: dict(v) for k, v in extra.items() if v})
    return metadata


def _overridden(spec: dict[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    if not overrides:
        return spec
    if not isinstance(overrides, Mapping):
        raise ValidationError("overrides: expected a mapping of spec fields (camelCase)")
    return deep_merge(spec, overrides)


# --- quantities ------------------------------------------------------------------------------


def render_quantity(value: Any, field: str) -> int | str:
    """A quota amount as the CRD takes it: integers stay integers, anything else becomes the
    quantity text (``0.5`` -> ``"0.5"``). Raises :class:`ValidationError` for a non-quantity."""
    if isinstance(value, bool):
        raise ValidationError(f"{field}: {value!r} is not a quantity")
    if isinstance(value, int):
        rendered: int | str = value
    elif isinstance(value, float):
        rendered = format(value, "f").rstrip("0").rstrip(".") if value == value else "nan"
    elif isinstance(value, str):
        rendered = value.strip()
    else:
        raise ValidationError(f"{field}: {value!r} is not a quantity")
    amount = parse_quantity(rendered)
    if amount is None:
        raise ValidationError(
            f"{field}: {value!r} is not a quantity; use a number or a Kubernetes quantity such as "
            "'64', '500m' or '256Gi'"
        )
    if amount < 0:
        raise ValidationError(f"{field}: {value!r} is negative; quotas are at least 0")
    return rendered


# --- flavors ---------------------------------------------------------------------------------


def flavor_args(flavor: FlavorArg) -> ResourceFlavorArgs | None:
    """The description of a flavor given as a component, args or node pool (``None`` for a
    flavor known only by name)."""
    if isinstance(flavor, ResourceFlavorArgs):
        return flavor
    if isinstance(flavor, str):
        return None
    if isinstance(flavor, ResourceFlavorSource):
        return flavor.resource_flavor()
    if isinstance(flavor, KueueFlavorSource):
        return ResourceFlavorArgs.from_source(flavor)
    raise ValidationError(
        f"flavor: expected a ResourceFlavor, ResourceFlavorArgs, a node pool or a name, got "
        f"{type(flavor).__name__}"
    )


def flavor_name(flavor: FlavorArg) -> str:
    """The name a quota writes for its flavor."""
    if isinstance(flavor, str):
        return flavor
    described = flavor_args(flavor)
    assert described is not None
    return described.name


def decide_flavor_tolerations(args: ResourceFlavorArgs) -> list[dict[str, Any]] | None:
    """``spec.tolerations``: the ones given, plus one matching each taint when
    ``tolerate_taints`` is on (any pod set may then use the flavor)."""
    tolerations = [dict(t) for t in args.tolerations or ()]
    if args.tolerate_taints:
        for taint in args.node_taints or ():
            toleration = {
                "key": taint.get("key"),
                "operator": "Exists",
                "effect": taint.get("effect"),
            }
            if taint.get("value"):
                toleration = {**toleration, "operator": "Equal", "value": taint["value"]}
            if toleration not in tolerations:
                tolerations.append(toleration)
    return tolerations or None


def plan_resource_flavor(
    args: ResourceFlavorArgs, kueue: KueueCapabilities | None = None
) -> KueuePlan[v1beta2.ResourceFlavor]:
    """The validated ResourceFlavor for ``args``. Raises :class:`ValidationError`."""
    caps = kueue or KueueCapabilities()
    subject = f"ResourceFlavor {args.name}"
    problems = []
    if args.topology_name is not None and not caps.gate_enabled(TOPOLOGY_AWARE_SCHEDULING_GATE):
        problems.append(
            f"topology_name: needs Kueue's {TOPOLOGY_AWARE_SCHEDULING_GATE} feature gate, which "
            f"is off in Kueue {caps.version}; enable it or drop topology_name"
        )
    if problems:
        raise ValidationError(problems, subject=subject)
    spec: dict[str, Any] = {}
    if args.node_labels:
        spec["nodeLabels"] = dict(args.node_labels)
    if args.node_taints:
        spec["nodeTaints"] = [dict(t) for t in args.node_taints]
    tolerations = decide_flavor_tolerations(args)
    if tolerations:
        spec["tolerations"] = tolerations
    if args.topology_name is not None:
        spec["topologyName"] = args.topology_name
    model_class = (
        v1beta1.ResourceFlavor if caps.queue_api_version == V1BETA1 else v1beta2.ResourceFlavor
    )
    body: dict[str, Any] = {"metadata": _metadata(args.name)}
    if spec:
        body["spec"] = spec
    return _checked(KueuePlan(_build(model_class, body, subject)), subject)


# --- resource groups -------------------------------------------------------------------------


def _quota_entry(resource: str, quota: QuotaArg, at: str) -> dict[str, Any]:
    value = quota if isinstance(quota, Quota) else Quota(nominal=quota)
    entry: dict[str, Any] = {
        "name": resource,
        "nominalQuota": render_quantity(value.nominal, f"{at}.nominal"),
    }
    if value.borrowing_limit is not None:
        entry["borrowingLimit"] = render_quantity(value.borrowing_limit, f"{at}.borrowing_limit")
    if value.lending_limit is not None:
        entry["lendingLimit"] = render_quantity(value.lending_limit, f"{at}.lending_limit")
    return entry


def decide_flavor_quotas(flavor: FlavorQuotas, at: str) -> dict[str, QuotaArg]:
    """The quotas of a flavor: the ones given, else its capacity (a node pool's allocatable at
    its maximum size) as nominal quota."""
    if flavor.quotas is not None:
        return dict(flavor.quotas)
    described = flavor_args(flavor.flavor)
    if described is not None and described.capacity:
        return dict(described.capacity)
    raise ValidationError(
        f"{at}.quotas: flavor {flavor_name(flavor.flavor)!r} has no quotas and no known "
        "capacity; give quotas={'cpu': ..., 'memory': ...}"
    )


def decide_covered_resources(
    group: ResourceGroup, quotas: Sequence[Mapping[str, Any]]
) -> list[str]:
    """``coveredResources``: the ones given, else every resource the flavors give a quota for,
    in the order they first appear."""
    if group.covered_resources is not None:
        return list(group.covered_resources)
    return list(dict.fromkeys(name for flavor in quotas for name in flavor))


def render_resource_groups(groups: Sequence[ResourceGroup], *, at: str) -> list[dict[str, Any]]:
    """``resourceGroups`` from the argument objects; every flavor must give a quota for every
    covered resource and be named once. Raises :class:`ValidationError` listing every problem."""
    problems: list[str] = []
    rendered: list[dict[str, Any]] = []
    seen_flavors: dict[str, str] = {}
    for g, group in enumerate(groups):
        group_at = f"{at}[{g}]"
        quotas: list[dict[str, QuotaArg]] = []
        for f, flavor in enumerate(group.flavors):
            try:
                quotas.append(decide_flavor_quotas(flavor, f"{group_at}.flavors[{f}]"))
            except ValidationError as exc:
                problems += exc.problems
                quotas.append({})
        covered = decide_covered_resources(group, quotas)
        flavors = []
        for f, (flavor, quota) in enumerate(zip(group.flavors, quotas, strict=True)):
            flavor_at = f"{group_at}.flavors[{f}]"
            name = flavor_name(flavor.flavor)
            if name in seen_flavors:
                problems.append(
                    f"{flavor_at}: flavor {name!r} is already used in {seen_flavors[name]}; a "
                    "flavor appears once per queue (give the other nodes their own flavor)"
                )
            seen_flavors.setdefault(name, flavor_at)
            missing = [r for r in covered if r not in quota]
            extra = [r for r in quota if r not in covered]
            if quota and missing:
                problems.append(
                    f"{flavor_at}.quotas: flavor {name!r} gives no quota for {', '.join(missing)}, "
                    f"which the group covers; every flavor needs a quota for each covered "
                    f"resource (use 0 for none)"
                )
            if extra:
                problems.append(
                    f"{flavor_at}.quotas: {', '.join(extra)} not in covered_resources {covered}; "
                    "add it there or remove the quota"
                )
            resources = []
            for resource in covered:
                if resource in quota:
                    try:
                        resources.append(
                            _quota_entry(
                                resource, quota[resource], f"{flavor_at}.quotas[{resource}]"
                            )
                        )
                    except ValidationError as exc:
                        problems += exc.problems
            flavors.append({"name": name, "resources": resources})
        rendered.append({"coveredResources": covered, "flavors": flavors})
    if problems:
        raise ValidationError(problems)
    return rendered


def resource_group_flavors(groups: Sequence[ResourceGroup]) -> list[ResourceFlavorArgs]:
    """The described flavors of ``groups`` (those known only by name are left out)."""
    found: dict[str, ResourceFlavorArgs] = {}
    for group in groups:
        for flavor in group.flavors:
            described = flavor_args(flavor.flavor)
            if described is not None:
                found.setdefault(described.name, described)
    return list(found.values())


# --- Cohort ----------------------------------------------------------------------------------


def cohort_name(cohort: str | CohortArgs | CohortSource) -> str:
    """The name a ClusterQueue or Cohort writes for a cohort."""
    if isinstance(cohort, str):
        return cohort
    if isinstance(cohort, CohortArgs):
        return cohort.name
    if isinstance(cohort, CohortSource):
        return cohort.cohort_name()
    raise ValidationError(
        f"cohort: expected a Cohort, CohortArgs or a name, got {type(cohort).__name__}"
    )


def _fair_sharing(weight: Any, at: str) -> dict[str, Any] | None:
    if weight is None:
        return None
    return {"weight": render_quantity(weight, at)}


def plan_cohort(
    args: CohortArgs, kueue: KueueCapabilities | None = None
) -> KueuePlan[v1beta2.Cohort]:
    """The validated Cohort for ``args``. Raises :class:`ValidationError`."""
    caps = kueue or KueueCapabilities()
    subject = f"Cohort {args.name}"
    spec: dict[str, Any] = {}
    try:
        if args.parent is not None:
            spec["parentName"] = cohort_name(args.parent)
        if args.resource_groups:
            spec["resourceGroups"] = render_resource_groups(
                args.resource_groups, at="resource_groups"
            )
        fair = _fair_sharing(args.fair_sharing_weight, "fair_sharing_weight")
        if fair:
            spec["fairSharing"] = fair
    except ValidationError as exc:
        raise ValidationError(exc.problems, subject=subject) from None
    model_class = v1beta1.Cohort if caps.queue_api_version == V1BETA1 else v1beta2.Cohort
    body: dict[str, Any] = {"metadata": _metadata(args.name)}
    if spec:
        body["spec"] = spec
    return _checked(KueuePlan(_build(model_class, body, subject)), subject)


# --- ClusterQueue ----------------------------------------------------------------------------


def decide_namespace_selector(selector: Mapping[str, Any] | None) -> dict[str, Any]:
    """``namespaceSelector``: the one given, else ``{}`` (every namespace). Kueue reads a
    missing selector as *no* namespace, so a queue written without one admits nothing."""
    return dict(selector) if selector is not None else {}


def admission_check_name(
    check: str | AdmissionCheckArgs | AdmissionCheckSource,
) -> tuple[str, bool]:
    """``(name, is MultiKueue)`` of an AdmissionCheck reference (a plain name: not known)."""
    if isinstance(check, str):
        return check, False
    described = check if isinstance(check, AdmissionCheckArgs) else check.admission_check()
    return described.name, described.controller_name == MULTIKUEUE_CONTROLLER


def _model_dict(value: Any) -> Any:
    return value.to_dict() if isinstance(value, CrdModel) else value


def cluster_queue_spec(args: ClusterQueueArgs, caps: KueueCapabilities) -> dict[str, Any]:
    """The ClusterQueue ``spec`` (v1beta2 field names) for ``args``."""
    spec: dict[str, Any] = {
        "namespaceSelector": decide_namespace_selector(args.namespace_selector),
        "resourceGroups": render_resource_groups(args.resource_groups, at="resource_groups"),
    }
    if args.cohort is not None:
        spec["cohortName"] = cohort_name(args.cohort)
    simple = {
        "queueingStrategy": args.queueing_strategy,
        "stopPolicy": args.stop_policy,
        "preemption": _model_dict(args.preemption),
        "flavorFungibility": _model_dict(args.flavor_fungibility),
        "concurrentAdmissionPolicy": _model_dict(args.concurrent_admission_policy),
        "fairSharing": _fair_sharing(args.fair_sharing_weight, "fair_sharing_weight"),
    }
    spec.update({k: v for k, v in simple.items() if v is not None})
    if args.admission_checks:
        names = [admission_check_name(c)[0] for c in args.admission_checks]
        spec["admissionChecksStrategy"] = {"admissionChecks": [{"name": n} for n in names]}
    return _overridden(spec, args.overrides)


def to_v1beta1_cluster_queue_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A v1beta2 ClusterQueue spec in v1beta1 terms (``cohort``, the ``admissionChecks`` name
    list). Raises :class:`ValidationError` for fields v1beta1 lacks."""
    out = dict(spec)
    if "concurrentAdmissionPolicy" in out:
        raise ValidationError(
            "concurrent_admission_policy: spec.concurrentAdmissionPolicy exists only in "
            "kueue.x-k8s.io/v1beta2; remove it or write v1beta2 (Kueue >= 0.15)"
        )
    if "cohortName" in out:
        out["cohort"] = out.pop("cohortName")
    strategy = out.get("admissionChecksStrategy")
    if isinstance(strategy, Mapping):
        checks = strategy.get("admissionChecks") or []
        if all(set(c) == {"name"} for c in checks):
            out.pop("admissionChecksStrategy")
            out["admissionChecks"] = [c["name"] for c in checks]
    return out


def cluster_queue_gate_problems(args: ClusterQueueArgs, caps: KueueCapabilities) -> list[str]:
    """Fields that need a Kueue feature gate that is off."""
    if args.concurrent_admission_policy is not None and not caps.gate_enabled(
        CONCURRENT_ADMISSION_GATE
    ):
        return [
            f"concurrent_admission_policy: needs Kueue's {CONCURRENT_ADMISSION_GATE} feature gate "
            f"(alpha, off by default), which is off in Kueue {caps.version}; enable it or drop "
            "the field"
        ]
    return []


def cluster_queue_warnings(args: ClusterQueueArgs, spec: Mapping[str, Any]) -> list[str]:
    """What Kueue accepts in a ClusterQueue but deserves a word."""
    warnings = []
    if args.stop_policy in ("Hold", "HoldAndDrain"):
        warnings.append(f"stop_policy is {args.stop_policy}: the queue admits no new workload")
    if not spec.get("resourceGroups"):
        warnings.append(
            "no resource_groups: the queue has no quota, so it admits no workload that asks for "
            "resources"
        )
    return warnings


def plan_cluster_queue(
    args: ClusterQueueArgs, kueue: KueueCapabilities | None = None
) -> KueuePlan[v1beta2.ClusterQueue] | KueuePlan[v1beta1.ClusterQueue]:
    """The validated ClusterQueue for ``args``, in the API version of ``kueue``. Raises
    :class:`ValidationError` naming the queue and every problem."""
    caps = kueue or KueueCapabilities()
    subject = f"ClusterQueue {args.name}"
    try:
        problems = cluster_queue_gate_problems(args, caps)
        if problems:
            raise ValidationError(problems)
        spec = cluster_queue_spec(args, caps)
        warnings = tuple(cluster_queue_warnings(args, spec))
        body = {"metadata": _metadata(args.name)}
        if caps.queue_api_version == V1BETA1:
            v1 = _build(
                v1beta1.ClusterQueue, {**body, "spec": to_v1beta1_cluster_queue_spec(spec)}, subject
            )
            return _checked(KueuePlan(v1, warnings), subject)
    except ValidationError as exc:
        raise ValidationError(exc.problems, subject=subject) from None
    v2 = _build(v1beta2.ClusterQueue, {**body, "spec": spec}, subject)
    return _checked(KueuePlan(v2, warnings), subject)


# --- LocalQueue, WorkloadPriorityClass, AdmissionCheck ---------------------------------------


def plan_local_queue(
    args: LocalQueueArgs, cluster_queue: str, kueue: KueueCapabilities | None = None
) -> KueuePlan[v1beta2.LocalQueue]:
    """The validated LocalQueue for ``args``, pointing to ClusterQueue ``cluster_queue``."""
    caps = kueue or KueueCapabilities()
    subject = f"LocalQueue {args.name}"
    spec: dict[str, Any] = {"clusterQueue": cluster_queue}
    if args.stop_policy is not None:
        spec["stopPolicy"] = args.stop_policy
    try:
        fair = _fair_sharing(args.fair_sharing_weight, "fair_sharing_weight")
    except ValidationError as exc:
        raise ValidationError(exc.problems, subject=subject) from None
    if fair:
        spec["fairSharing"] = fair
    model_class = v1beta1.LocalQueue if caps.queue_api_version == V1BETA1 else v1beta2.LocalQueue
    body = {"metadata": _metadata(args.name, args.namespace), "spec": spec}
    warnings: tuple[str, ...] = ()
    if args.stop_policy in ("Hold", "HoldAndDrain"):
        warnings = (f"stop_policy is {args.stop_policy}: the queue takes no new workload",)
    if isinstance(args.cluster_queue, str):
        warnings += (
            f"cluster_queue {cluster_queue!r} is given by name: it must already exist, or the "
            "queue is inactive and its workloads stay suspended (pass the ClusterQueue "
            "component to create it alongside)",
        )
    return _checked(KueuePlan(_build(model_class, body, subject), warnings), subject)


def plan_workload_priority_class(
    args: WorkloadPriorityClassArgs, kueue: KueueCapabilities | None = None
) -> KueuePlan[v1beta2.WorkloadPriorityClass]:
    """The validated WorkloadPriorityClass for ``args``."""
    caps = kueue or KueueCapabilities()
    subject = f"WorkloadPriorityClass {args.name}"
    body: dict[str, Any] = {"metadata": _metadata(args.name), "value": args.value}
    if args.description is not None:
        body["description"] = args.description
    model_class = (
        v1beta1.WorkloadPriorityClass
        if caps.queue_api_version == V1BETA1
        else v1beta2.WorkloadPriorityClass
    )
    return _checked(KueuePlan(_build(model_class, body, subject)), subject)


def plan_admission_check(
    args: AdmissionCheckArgs, kueue: KueueCapabilities | None = None
) -> KueuePlan[v1beta2.AdmissionCheck]:
    """The validated AdmissionCheck for ``args``."""
    caps = kueue or KueueCapabilities()
    subject = f"AdmissionCheck {args.name}"
    spec: dict[str, Any] = {"controllerName": args.controller_name}
    if args.parameters is not None:
        spec["parameters"] = dict(args.parameters)
    model_class = (
        v1beta1.AdmissionCheck if caps.queue_api_version == V1BETA1 else v1beta2.AdmissionCheck
    )
    body = {"metadata": _metadata(args.name), "spec": spec}
    return _checked(KueuePlan(_build(model_class, body, subject)), subject)
