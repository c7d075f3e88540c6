"""Kueue's queue objects as components: ResourceFlavor, ClusterQueue, Cohort, LocalQueue,
WorkloadPriorityClass and AdmissionCheck.

Each takes its argument object (positional) and/or its fields as keywords (``name`` defaults to
the resource name), and ``kueue=`` (a ``Kueue`` component, :class:`KueueCapabilities`, or
``None`` for the library's default Kueue). Each implements the small protocol its consumers ask
for, so ``ClusterQueue(resource_groups=[ResourceGroup([FlavorQuotas(a100_flavor, ...)])])``,
``LocalQueue(cluster_queue=team_a)`` and ``RayJob(queue=team_a_queue)`` take the components
themselves, and depend on them. https://kueue.sigs.k8s.io/docs/concepts/
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

import pulumi

from pulumi_kuberay.components.base import KubeRayComponent
from pulumi_kuberay.components.pulumi_inputs import at_component_edge
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
from pulumi_kuberay.plans.arguments import ArgumentModel, merge_arguments
from pulumi_kuberay.plans.kueue.admission import QueueTarget, cluster_queue_name, cluster_queue_view
from pulumi_kuberay.plans.kueue.args import (
    AdmissionCheckArgs,
    ClusterQueueArgs,
    ClusterQueueView,
    CohortArgs,
    CohortSource,
    LocalQueueArgs,
    ResourceFlavorArgs,
    WorkloadPriorityClassArgs,
)
from pulumi_kuberay.plans.kueue.queues import (
    KueuePlan,
    admission_check_name,
    plan_admission_check,
    plan_cluster_queue,
    plan_cohort,
    plan_local_queue,
    plan_resource_flavor,
    plan_workload_priority_class,
    resource_group_flavors,
)

ArgsT = TypeVar("ArgsT", bound=ArgumentModel)


class TopLevelCustomResource(pulumi.CustomResource):
    """A custom resource whose fields sit at the top level, not under ``spec`` (a
    WorkloadPriorityClass has ``value`` and ``description``), which
    ``apiextensions.CustomResource`` cannot send. Same type token and provider as it."""

    def __init__(
        self,
        resource_name: str,
        *,
        api_version: str,
        kind: str,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        version = pulumi.ResourceOptions(version=importlib.metadata.version("pulumi_kubernetes"))
        props = {"apiVersion": api_version, "kind": kind, **fields}
        super().__init__(
            f"kubernetes:{api_version}:{kind}",
            resource_name,
            props,
            pulumi.ResourceOptions.merge(version, opts),
        )


@runtime_checkable
class KueueLike(Protocol):
    """Anything that installed (or describes) Kueue: the ``Kueue`` component."""

    kueue_capabilities: KueueCapabilities


KueueArg = KueueLike | KueueCapabilities | None
"""Where a queue object lives: a ``Kueue`` component (its version and gates, and a dependency
on it), a :class:`KueueCapabilities` for a Kueue managed elsewhere, or ``None`` (the library's
default Kueue)."""


def decide_kueue_capabilities(kueue: KueueArg) -> KueueCapabilities:
    """What the Kueue a queue object is written for can do (see :data:`KueueArg`)."""
    if kueue is None:
        return KueueCapabilities()
    if isinstance(kueue, KueueCapabilities):
        return kueue
    if isinstance(kueue, KueueLike):
        return kueue.kueue_capabilities
    raise ValidationError(
        f"kueue: expected a Kueue component or KueueCapabilities, got {type(kueue).__name__}"
    )


class KueueObjectComponent(KubeRayComponent, Generic[ArgsT]):
    """A component around one Kueue object, created from its pure plan.

    Subclasses name their argument object (``ARGS``) and plan (:meth:`plan`). Outputs:
    ``name`` (``metadata.name``).
    """

    ARGS: ClassVar[type[ArgumentModel]]
    KEYWORDS: ClassVar[tuple[str, ...]] = ("kueue", "opts")
    RESOURCE_CLASS: ClassVar[type[pulumi.CustomResource] | None] = None
    """The Pulumi class of the object (default: ``apiextensions.CustomResource``)."""

    args: ArgsT
    """The argument object the component was built from."""
    kueue_capabilities: KueueCapabilities
    """The Kueue the object was checked against."""
    plan_result: KueuePlan[Any]
    """The validated object and its warnings."""
    manifest: dict[str, Any]
    """The exact manifest sent to Kubernetes."""
    name: pulumi.Output[str]
    """``metadata.name`` of the object."""

    def __init__(
        self,
        resource_name: str,
        args: ArgsT | None = None,
        /,
        *,
        kueue: KueueArg = None,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        if (args is None or "name" not in args.model_fields_set) and "name" not in fields:
            fields["name"] = resource_name
        subject = f"{self.TYPE_NAME} {fields.get('name') or resource_name}"
        merged = merge_arguments(self.ARGS, args, fields, subject=subject, keywords=self.KEYWORDS)
        plain, referenced = at_component_edge(merged, subject=subject)
        caps = decide_kueue_capabilities(kueue)
        arguments: ArgsT = plain  # type: ignore[assignment]
        plan = self.plan(arguments, caps)  # before registration: no half-built component
        super().__init__(resource_name, opts)
        self.args = arguments
        self.kueue_capabilities = caps
        self.plan_result = plan
        self.manifest = plan.manifest
        self.log_warnings(subject, plan.warnings)
        depends_on: list[pulumi.Resource] = [*referenced]
        if isinstance(kueue, pulumi.Resource):
            depends_on.append(kueue)
        self.custom_resource = self.create_object(
            resource_name, self.manifest, depends_on=depends_on, resource_class=self.RESOURCE_CLASS
        )
        outputs = {"name": pulumi.Output.from_input(str(self.manifest["metadata"]["name"]))}
        self.register({**outputs, **self.outputs()})

    def outputs(self) -> dict[str, pulumi.Output[Any]]:
        """The kind's own outputs besides ``name`` (none by default)."""
        return {}

    def plan(self, args: ArgsT, caps: KueueCapabilities) -> KueuePlan[Any]:
        """The validated object for ``args`` (raises :class:`ValidationError`)."""
        raise NotImplementedError


class ResourceFlavor(KueueObjectComponent[ResourceFlavorArgs]):
    """A ResourceFlavor: ``ResourceFlavor("a100", node_labels={...}, node_taints=[...])``, or
    from a node pool: ``ResourceFlavor("a100", ResourceFlavorArgs.from_source(pool))``."""

    TYPE_NAME = "ResourceFlavor"
    ARGS = ResourceFlavorArgs

    def plan(self, args: ResourceFlavorArgs, caps: KueueCapabilities) -> KueuePlan[Any]:
        return plan_resource_flavor(args, caps)

    def resource_flavor(self) -> ResourceFlavorArgs:
        """The flavor's description (what ``FlavorQuotas`` reads)."""
        return self.args


class AdmissionCheck(KueueObjectComponent[AdmissionCheckArgs]):
    """An AdmissionCheck, e.g. MultiKueue's:
    ``AdmissionCheck("multikueue", AdmissionCheckArgs.multikueue("multikueue", "workers"))``."""

    TYPE_NAME = "AdmissionCheck"
    ARGS = AdmissionCheckArgs

    def plan(self, args: AdmissionCheckArgs, caps: KueueCapabilities) -> KueuePlan[Any]:
        return plan_admission_check(args, caps)

    def admission_check(self) -> AdmissionCheckArgs:
        """The check's description (what ``ClusterQueueArgs.admission_checks`` reads)."""
        return self.args


class Cohort(KueueObjectComponent[CohortArgs]):
    """A Cohort: ``Cohort("ml")``, or ``Cohort("team-x", parent=org_cohort)`` for hierarchical
    cohorts. ClusterQueues created with ``cohort=`` this component register with it, so
    quota checks count every queue of the tree declared before the workload."""

    TYPE_NAME = "Cohort"
    ARGS = CohortArgs

    def __init__(self, resource_name: str, args: CohortArgs | None = None, /, **kwargs: Any):
        self._members: list[dict[str, Any]] = []
        self._children: list[Cohort] = []
        super().__init__(resource_name, args, **kwargs)
        parent = self.args.parent
        if isinstance(parent, Cohort):
            parent._children.append(self)

    def plan(self, args: CohortArgs, caps: KueueCapabilities) -> KueuePlan[Any]:
        return plan_cohort(args, caps)

    def cohort_name(self) -> str:
        """The cohort's name."""
        return str(self.manifest["metadata"]["name"])

    def add_member(self, manifest: dict[str, Any]) -> None:
        """Record a ClusterQueue of this cohort (the ``ClusterQueue`` component calls it)."""
        self._members.append(manifest)

    def _root(self) -> Cohort:
        node, seen = self, {id(self)}
        while isinstance(node.args.parent, Cohort) and id(node.args.parent) not in seen:
            node = node.args.parent
            seen.add(id(node))
        return node

    def _subtree(self) -> list[dict[str, Any]]:
        found = [self.manifest, *self._members]
        for child in self._children:
            found += child._subtree()
        return found

    def quota_objects(self) -> list[dict[str, Any]]:
        """The Cohort and ClusterQueue manifests of the whole tree, as declared so far."""
        return self._root()._subtree()

    def quota_tree_complete(self) -> bool:
        """Whether the tree's root is known (not a cohort named only as a parent)."""
        return self._root().args.parent is None


class ClusterQueue(KueueObjectComponent[ClusterQueueArgs]):
    """A ClusterQueue with quotas per flavor::

    ClusterQueue("team-a", kueue=kueue, cohort=ml, resource_groups=[
        ResourceGroup([FlavorQuotas(a100, {"cpu": 96, "memory": "1Ti",
                                           "nvidia.com/gpu": Quota(16, borrowing_limit=8)})])])
    """

    TYPE_NAME = "ClusterQueue"
    ARGS = ClusterQueueArgs

    def __init__(self, resource_name: str, args: ClusterQueueArgs | None = None, /, **kwargs: Any):
        super().__init__(resource_name, args, **kwargs)
        cohort = self.args.cohort
        if isinstance(cohort, Cohort):
            cohort.add_member(self.manifest)

    def plan(self, args: ClusterQueueArgs, caps: KueueCapabilities) -> KueuePlan[Any]:
        return plan_cluster_queue(args, caps)

    def cluster_queue_view(self) -> ClusterQueueView:
        """The queue with its cohort tree and flavors (what admission checks read)."""
        cohort = self.args.cohort
        caps = self.kueue_capabilities
        if isinstance(cohort, CohortSource):
            objects = cohort.quota_objects()
            complete = cohort.quota_tree_complete()
        else:
            objects, complete = [self.manifest], cohort is None
        flavors = {
            f.name: plan_resource_flavor(f, caps).manifest
            for f in resource_group_flavors(self.args.resource_groups)
        }
        multikueue = any(admission_check_name(c)[1] for c in self.args.admission_checks or ())
        return ClusterQueueView(
            manifest=self.manifest,
            quota_objects=objects,
            cohort_complete=complete,
            flavors=flavors,
            multikueue=multikueue,
            kueue=caps,
        )


class LocalQueue(KueueObjectComponent[LocalQueueArgs]):
    """A LocalQueue in a namespace: ``LocalQueue("team-a", namespace="team-a",
    cluster_queue=team_a)``; Ray objects take it as ``queue=``. Outputs: ``name``,
    ``namespace``."""

    TYPE_NAME = "LocalQueue"
    ARGS = LocalQueueArgs

    namespace: pulumi.Output[str | None]
    """The namespace of the queue (workloads must be in it)."""

    def outputs(self) -> dict[str, pulumi.Output[Any]]:
        return {"namespace": pulumi.Output.from_input(self.args.namespace)}

    def plan(self, args: LocalQueueArgs, caps: KueueCapabilities) -> KueuePlan[Any]:
        return plan_local_queue(args, cluster_queue_name(args.cluster_queue), caps)

    def queue_target(self) -> QueueTarget:
        """The queue as a Ray object's checks read it."""
        view = cluster_queue_view(self.args.cluster_queue, self.kueue_capabilities)
        return QueueTarget(
            name=str(self.manifest["metadata"]["name"]),
            namespace=self.args.namespace,
            cluster_queue=view,
            kueue=view.kueue if view is not None else self.kueue_capabilities,
            stopped=self.args.stop_policy in ("Hold", "HoldAndDrain"),
        )


class WorkloadPriorityClass(KueueObjectComponent[WorkloadPriorityClassArgs]):
    """A WorkloadPriorityClass: ``WorkloadPriorityClass("high", value=1000)``; Ray objects take
    it as ``priority_class=``."""

    TYPE_NAME = "WorkloadPriorityClass"
    ARGS = WorkloadPriorityClassArgs
    RESOURCE_CLASS = TopLevelCustomResource

    def plan(self, args: WorkloadPriorityClassArgs, caps: KueueCapabilities) -> KueuePlan[Any]:
        return plan_workload_priority_class(args, caps)

    def priority_class_name(self) -> str:
        """The class's name (``kueue.x-k8s.io/priority-class``)."""
        return str(self.manifest["metadata"]["name"])


__all__: Sequence[str] = (
    "AdmissionCheck",
    "ClusterQueue",
    "Cohort",
    "KueueLike",
    "LocalQueue",
    "ResourceFlavor",
    "WorkloadPriorityClass",
    "decide_kueue_capabilities",
)
