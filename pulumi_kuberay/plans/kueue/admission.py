"""``queue=`` on RayJob, RayCluster and RayService: what a queued Ray object gets (the queue and
priority labels, the suspended state Kueue expects, the elastic-job annotation, MultiKueue's
``managedBy``) and the checks that it can ever be admitted.

The plan sees plain data: a LocalQueue component or description becomes a :class:`QueueTarget`
(its name and namespace, and, when known, its ClusterQueue with the cohort tree, the flavors
and the Kueue it runs on). With only a queue name the checks cover what the object alone shows.
https://kueue.sigs.k8s.io/docs/tasks/run/rayjobs/, .../rayclusters/, .../rayservices/
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.kueue.capabilities import (
    RAY_INTEGRATIONS,
    KueueCapabilities,
    rayjob_autoscaling_supported,
)
from pulumi_kuberay.models.kueue.feature_gates import ELASTIC_JOBS_GATE
from pulumi_kuberay.models.kueue.quota import AdmissionOptions, QuotaTree, admission_verdict
from pulumi_kuberay.models.kueue.workloads import (
    ELASTIC_JOB_ANNOTATION,
    ELASTIC_JOB_SCHEDULING_GATE,
    MULTIKUEUE_CONTROLLER,
    PRIORITY_CLASS_LABEL,
    QUEUE_NAME_LABEL,
    queued_workload_problems,
    ray_pod_sets,
)
from pulumi_kuberay.models.ray.raycluster import RayClusterSpec
from pulumi_kuberay.models.ray.resource import CustomResourceModel
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.kueue.args import (
    ClusterQueueArg,
    ClusterQueueArgs,
    ClusterQueueSource,
    ClusterQueueView,
    CohortSource,
    LocalQueueArgs,
    WorkloadPriorityClassArgs,
)
from pulumi_kuberay.plans.kueue.queues import (
    admission_check_name,
    plan_cluster_queue,
    plan_resource_flavor,
    resource_group_flavors,
)
from pulumi_kuberay.plans.ray_object import RayObjectPlan

Model = TypeVar("Model", bound=CustomResourceModel)

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
"""The label every namespace carries with its own name (the one namespace label known at
preview)."""


@dataclass(frozen=True)
class QueueTarget:
    """The LocalQueue a Ray object is queued to, as far as it is known."""

    name: str
    """The LocalQueue's name (``kueue.x-k8s.io/queue-name``)."""
    namespace: str | None = None
    """Its namespace, when known: the workload must be in the same one."""
    cluster_queue: ClusterQueueView | None = None
    """Its ClusterQueue with the cohort tree and flavors (``None``: known by name only)."""
    kueue: KueueCapabilities = field(default_factory=KueueCapabilities)
    """The Kueue it runs on."""
    stopped: bool = False
    """The LocalQueue's ``stopPolicy`` is Hold or HoldAndDrain."""


@runtime_checkable
class QueueSource(Protocol):
    """Anything a Ray object can be queued to (the ``LocalQueue`` component)."""

    def queue_target(self) -> QueueTarget:
        """The queue as the workload's checks need it."""
        ...


@runtime_checkable
class PriorityClassSource(Protocol):
    """Anything that stands for a WorkloadPriorityClass (the component)."""

    def priority_class_name(self) -> str:
        """The class's name (``kueue.x-k8s.io/priority-class``)."""
        ...


QueueArg = str | LocalQueueArgs | QueueSource | QueueTarget
"""What ``queue=`` takes: a LocalQueue component, its description, or the queue's name."""
PriorityArg = str | WorkloadPriorityClassArgs | PriorityClassSource
"""What ``priority_class=`` takes: a WorkloadPriorityClass component, its description, or a
name."""


class QueueingArgs(ArgumentModel):
    """The Kueue arguments every Ray object takes (RayJob, RayCluster, RayService)."""

    queue: QueueArg | None = None
    """The Kueue LocalQueue (label ``kueue.x-k8s.io/queue-name``): the object is created
    suspended and Kueue starts it when its ClusterQueue admits it. Default: not queued."""
    priority_class: PriorityArg | None = None
    """The WorkloadPriorityClass (label ``kueue.x-k8s.io/priority-class``) ordering it in the
    queue and deciding preemption. Needs ``queue``. Default: unset."""
    elastic: bool | None = None
    """An elastic job (annotation ``kueue.x-k8s.io/elastic-job: "true"``, gate
    ElasticJobsViaWorkloadSlices): it may autoscale within quota. Default: on exactly when the
    queued cluster autoscales (Kueue rejects autoscaling otherwise)."""


# --- from arguments to a target --------------------------------------------------------------


def cluster_queue_view(
    arg: ClusterQueueArg, kueue: KueueCapabilities | None = None
) -> ClusterQueueView | None:
    """The ClusterQueue as admission needs it (``None`` for one known only by name)."""
    caps = kueue or KueueCapabilities()
    if isinstance(arg, str):
        return None
    if isinstance(arg, ClusterQueueView):
        return arg
    if isinstance(arg, ClusterQueueSource):
        return arg.cluster_queue_view()
    if not isinstance(arg, ClusterQueueArgs):
        raise ValidationError(
            f"cluster_queue: expected a ClusterQueue, ClusterQueueArgs or a name, got "
            f"{type(arg).__name__}"
        )
    manifest = plan_cluster_queue(arg, caps).manifest
    cohort = arg.cohort
    others = cohort.quota_objects() if isinstance(cohort, CohortSource) else []
    quota_objects = [manifest, *(o for o in others if not _same_queue(o, arg.name))]
    described = resource_group_flavors(arg.resource_groups)
    flavors = {f.name: plan_resource_flavor(f, caps).manifest for f in described}
    multikueue = any(admission_check_name(c)[1] for c in arg.admission_checks or ())
    return ClusterQueueView(
        manifest=manifest,
        quota_objects=quota_objects,
        cohort_complete=cohort is None
        or (isinstance(cohort, CohortSource) and cohort.quota_tree_complete()),
        flavors=flavors,
        multikueue=multikueue,
        kueue=caps,
    )


def _same_queue(manifest: Mapping[str, Any], name: str) -> bool:
    return (
        manifest.get("kind") == "ClusterQueue"
        and (manifest.get("metadata") or {}).get("name") == name
    )


def cluster_queue_name(arg: ClusterQueueArg) -> str:
    """The name a LocalQueue writes in ``spec.clusterQueue``."""
    if isinstance(arg, str):
        return arg
    if isinstance(arg, ClusterQueueArgs):
        return arg.name
    view = cluster_queue_view(arg)
    assert view is not None
    return str(view.manifest["metadata"]["name"])


def queue_target(arg: QueueArg, kueue: KueueCapabilities | None = None) -> QueueTarget:
    """The :class:`QueueTarget` of a ``queue=`` value."""
    if isinstance(arg, QueueTarget):
        return arg
    if isinstance(arg, str):
        return QueueTarget(name=arg, kueue=kueue or KueueCapabilities())
    if isinstance(arg, LocalQueueArgs):
        view = cluster_queue_view(arg.cluster_queue, kueue)
        caps = view.kueue if view is not None else (kueue or KueueCapabilities())
        return QueueTarget(
            name=arg.name,
            namespace=arg.namespace,
            cluster_queue=view,
            kueue=caps,
            stopped=arg.stop_policy in ("Hold", "HoldAndDrain"),
        )
    if isinstance(arg, QueueSource):
        return arg.queue_target()
    raise ValidationError(
        f"queue: expected a LocalQueue, LocalQueueArgs or a queue name, got {type(arg).__name__}"
    )


def priority_class_name(arg: PriorityArg) -> str:
    """The value of ``kueue.x-k8s.io/priority-class`` for a ``priority_class=`` value."""
    if isinstance(arg, str):
        return arg
    if isinstance(arg, WorkloadPriorityClassArgs):
        return arg.name
    if isinstance(arg, PriorityClassSource):
        return arg.priority_class_name()
    raise ValidationError(
        "priority_class: expected a WorkloadPriorityClass, WorkloadPriorityClassArgs or a name, "
        f"got {type(arg).__name__}"
    )


# --- what a queued object gets ---------------------------------------------------------------


@dataclass(frozen=True)
class Queueing:
    """What queueing adds to a Ray object."""

    target: QueueTarget
    labels: dict[str, str]
    """The queue (and priority) labels."""
    annotations: dict[str, str]
    """The elastic-job annotation, when elastic."""
    elastic: bool
    managed_by: str | None
    """``kueue.x-k8s.io/multikueue`` when the ClusterQueue dispatches to worker clusters."""

    @property
    def scheduling_gate(self) -> dict[str, str]:
        """The gate Kueue's defaulter adds to an elastic RayCluster's (and RayService's) pods;
        written here so the object is stored as sent."""
        return {"name": ELASTIC_JOB_SCHEDULING_GATE}


def decide_elastic(explicit: bool | None, *, autoscaling: bool) -> bool:
    """Whether the workload is an elastic job: as given, else exactly when it autoscales."""
    return explicit if explicit is not None else autoscaling


def decide_managed_by(target: QueueTarget, explicit: str | None) -> str | None:
    """``managedBy``: MultiKueue's when the ClusterQueue dispatches to worker clusters (Kueue's
    defaulter would set it anyway; written here so the object is stored as sent), else as
    given."""
    multikueue = target.cluster_queue is not None and target.cluster_queue.multikueue
    if not multikueue:
        return explicit
    if explicit not in (None, MULTIKUEUE_CONTROLLER):
        raise ValidationError(
            f"managed_by: {explicit!r}, but queue {target.name!r} dispatches to worker clusters "
            f"through MultiKueue, which needs managedBy {MULTIKUEUE_CONTROLLER!r}; drop "
            "managed_by"
        )
    return MULTIKUEUE_CONTROLLER


def queueing_problems(
    kind: str,
    target: QueueTarget,
    *,
    elastic: bool,
    autoscaling: bool,
    namespace: str | None,
) -> list[str]:
    """What makes queueing this object fail, from the arguments alone."""
    caps = target.kueue
    problems = []
    if not caps.manages(kind):
        problems.append(
            f"queue: Kueue {caps.version} does not manage {kind}s here: the integration "
            f"{RAY_INTEGRATIONS.get(kind)!r} is not in its integrations.frameworks, so the queue "
            "label would do nothing; enable the integration (Kueue(frameworks=...))"
        )
    if autoscaling and not elastic:
        problems.append(
            "elastic: False, but the cluster autoscales; Kueue rejects autoscaling on a queued "
            "workload unless it is elastic; set elastic=True or turn autoscaling off"
        )
    if elastic and not caps.gate_enabled(ELASTIC_JOBS_GATE):
        problems.append(
            f"elastic: needs Kueue's {ELASTIC_JOBS_GATE} feature gate, which is off in Kueue "
            f"{caps.version} (beta and on by default from 0.18); enable it in Kueue's "
            "feature_gates or turn autoscaling off"
        )
    if (
        kind == "RayJob"
        and elastic
        and autoscaling
        and not rayjob_autoscaling_supported(caps.version)
    ):
        problems.append(
            f"elastic: Kueue {caps.version} cannot run an autoscaling RayJob (supported from "
            "0.15.2 and 0.14.7); upgrade Kueue or turn autoscaling off"
        )
    if target.namespace and namespace and target.namespace != namespace:
        problems.append(
            f"queue: LocalQueue {target.name!r} is in namespace {target.namespace!r} but the "
            f"{kind} is in {namespace!r}; Kueue looks the queue up in the workload's own "
            "namespace; use a LocalQueue there"
        )
    return problems


def plan_queueing(
    kind: str,
    args: QueueingArgs,
    *,
    autoscaling: bool,
    namespace: str | None,
    managed_by: str | None = None,
) -> Queueing | None:
    """What queueing adds to a ``kind`` object (``None`` when it is not queued). Raises
    :class:`ValidationError` listing every problem."""
    if args.queue is None:
        if args.priority_class is not None or args.elastic:
            field_name = "priority_class" if args.priority_class is not None else "elastic"
            raise ValidationError(
                f"{field_name}: only means something for a workload queued by Kueue; set queue= too"
            )
        return None
    target = queue_target(args.queue)
    elastic = decide_elastic(args.elastic, autoscaling=autoscaling)
    problems = queueing_problems(
        kind, target, elastic=elastic, autoscaling=autoscaling, namespace=namespace
    )
    if problems:
        raise ValidationError(problems)
    labels = {QUEUE_NAME_LABEL: target.name}
    if args.priority_class is not None:
        labels[PRIORITY_CLASS_LABEL] = priority_class_name(args.priority_class)
    annotations = {ELASTIC_JOB_ANNOTATION: "true"} if elastic else {}
    return Queueing(
        target=target,
        labels=labels,
        annotations=annotations,
        elastic=elastic,
        managed_by=decide_managed_by(target, managed_by),
    )


# --- can the queued object ever be admitted --------------------------------------------------


def namespace_selector_matches(selector: Mapping[str, Any], namespace: str) -> bool | None:
    """Whether a ClusterQueue's ``namespaceSelector`` admits ``namespace``, when that can be
    told from the namespace's name alone (``None`` otherwise)."""
    labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    keys = {*labels, *(e.get("key") for e in expressions)}
    if keys - {NAMESPACE_NAME_LABEL}:
        return None
    if any(value != namespace for value in labels.values()):
        return False
    for expression in expressions:
        values = expression.get("values") or []
        operator = expression.get("operator")
        if operator == "In" and namespace not in values:
            return False
        if operator == "NotIn" and namespace in values:
            return False
        if operator == "DoesNotExist":
            return False
    return True


def admission_problems(
    manifest: Mapping[str, Any], queueing: Queueing, *, subject: str
) -> tuple[list[str], list[str]]:
    """``(problems, warnings)`` of a queued object's manifest: Kueue's Ray webhook rules, then,
    when the ClusterQueue is known, whether its quota can ever hold the workload (at
    ``replicas``, and at ``maxReplicas`` for an elastic job)."""
    target = queueing.target
    problems = queued_workload_problems(manifest, max_pod_sets=target.kueue.max_pod_sets)
    warnings = []
    if target.stopped:
        warnings.append(
            f"queue: LocalQueue {target.name!r} is stopped (stopPolicy); nothing starts"
        )
    view = target.cluster_queue
    if view is None:
        return problems, warnings
    cq_name = str(view.manifest["metadata"]["name"])
    spec = view.manifest.get("spec") or {}
    namespace = (manifest.get("metadata") or {}).get("namespace")
    selector = spec.get("namespaceSelector")
    admits = (
        namespace_selector_matches(selector, namespace)
        if namespace and isinstance(selector, Mapping)
        else None
    )
    if admits is False:
        problems.append(
            f"queue: ClusterQueue {cq_name!r} does not admit workloads from namespace "
            f"{namespace!r} (its namespaceSelector); widen the selector"
        )
    if spec.get("stopPolicy") in ("Hold", "HoldAndDrain"):
        warnings.append(f"queue: ClusterQueue {cq_name!r} is stopped (stopPolicy); nothing starts")
    tree = QuotaTree.of(view.quota_objects or [view.manifest])
    options = AdmissionOptions(
        quota_check_strategy=target.kueue.quota_check_strategy,
        exclude_resource_prefixes=tuple(target.kueue.exclude_resource_prefixes),
    )
    pod_sets = ray_pod_sets(manifest)
    for at_max in (False, True) if queueing.elastic else (False,):
        verdict = admission_verdict(
            pod_sets,
            cq_name,
            tree,
            view.flavors,
            options=options,
            at_max=at_max,
            subject=subject,
            cohort_complete=view.cohort_complete,
        )
        problems += [p for p in verdict.problems if p not in problems]
        warnings += [w for w in verdict.warnings if w not in warnings]
    return problems, warnings


# --- the queued cluster ----------------------------------------------------------------------


def _gated(template: Mapping[str, Any], gate: Mapping[str, str]) -> dict[str, Any]:
    spec = dict(template.get("spec") or {})
    gates = [dict(g) for g in spec.get("schedulingGates") or []]
    if all(g.get("name") != gate["name"] for g in gates):
        gates.append(dict(gate))
    spec["schedulingGates"] = gates
    return {**template, "spec": spec}


def queued_cluster_spec(
    spec: RayClusterSpec, queueing: Queueing, *, suspend: bool
) -> RayClusterSpec:
    """A queued cluster's spec: suspended when ``suspend`` (RayCluster, RayService), and for an
    elastic RayCluster or RayService the scheduling gate Kueue's defaulter adds to every pod."""
    update: dict[str, Any] = {}
    if suspend:
        update["suspend"] = True
    if queueing.elastic:
        gate = queueing.scheduling_gate
        head = spec.head_group_spec.model_copy(
            update={"template": _gated(spec.head_group_spec.template, gate)}
        )
        workers = [
            group.model_copy(update={"template": _gated(group.template, gate)})
            for group in spec.worker_group_specs or ()
        ]
        update["head_group_spec"] = head
        if spec.worker_group_specs is not None:
            update["worker_group_specs"] = workers
    return spec.model_copy(update=update) if update else spec


def decide_queued_suspend(explicit: bool | None, queueing: Queueing | None) -> bool | None:
    """``suspend``: as given, or true for a queued object (Kueue admits it by unsuspending it;
    its webhook suspends it anyway). ``suspend=False`` on a queued object is an error."""
    if queueing is None:
        return explicit
    if explicit is False:
        raise ValidationError(
            "suspend: False, but the object is queued; Kueue creates it suspended and starts it "
            "on admission; drop suspend"
        )
    return True


def finish_queued(plan: RayObjectPlan[Model], queueing: Queueing | None) -> RayObjectPlan[Model]:
    """The plan with Kueue's admission checks run on its manifest: problems raise
    :class:`ValidationError` naming the object, warnings are added."""
    if queueing is None:
        return plan
    subject = f"{plan.model.KIND} {plan.model.metadata.name}"
    problems, warnings = admission_problems(plan.manifest, queueing, subject=subject)
    if problems:
        raise ValidationError(problems, subject=subject)
    return RayObjectPlan(plan.model, (*plan.warnings, *warnings))
