"""The shared base of every component: the one place for what each of them repeats.

- :class:`KubeRayComponent`: the ``kuberay:index:<Name>`` type token, children parented to the
  component with its ``depends_on`` passed down (providers are inherited through the parent),
  warnings logged on the component, children created from manifests, typed outputs registered.
- :class:`RayObjectComponent`: a component around one ``ray.io/v1`` object (RayCluster, RayJob,
  RayService, RayCronJob): argument object or keyword shortcuts, the operator it runs on,
  metadata and namespace, ``pulumi up`` waits, and the custom resource from the pure plan.

A new component is a plan (``pulumi_kuberay.plans``) plus a subclass of one of these that says
which plan to call and which outputs to publish; see ``docs/architecture.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast, runtime_checkable

import pulumi
import pulumi_kubernetes as k8s

from pulumi_kuberay.components.pulumi_inputs import at_component_edge
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.resource import CustomResourceModel
from pulumi_kuberay.models.ray.validation.scope import watched_namespace_problems
from pulumi_kuberay.plans.arguments import ArgumentModel, merge_arguments
from pulumi_kuberay.plans.ray_object import ObjectArgs, RayObjectPlan

TYPE_PACKAGE = "kuberay:index"
"""Every component's type token is ``kuberay:index:<Name>``."""

ArgsT = TypeVar("ArgsT", bound=ArgumentModel)
ModelT = TypeVar("ModelT", bound=CustomResourceModel)

_TYPED_KINDS: dict[tuple[str, str], type[pulumi.CustomResource]] = {
    ("v1", "ConfigMap"): k8s.core.v1.ConfigMap,
    ("v1", "Namespace"): k8s.core.v1.Namespace,
    ("v1", "PersistentVolumeClaim"): k8s.core.v1.PersistentVolumeClaim,
    ("v1", "Secret"): k8s.core.v1.Secret,
    ("v1", "Service"): k8s.core.v1.Service,
    ("v1", "ServiceAccount"): k8s.core.v1.ServiceAccount,
    ("apps/v1", "Deployment"): k8s.apps.v1.Deployment,
    ("apps/v1", "StatefulSet"): k8s.apps.v1.StatefulSet,
    ("batch/v1", "Job"): k8s.batch.v1.Job,
    ("networking.k8s.io/v1", "Ingress"): k8s.networking.v1.Ingress,
    ("networking.k8s.io/v1", "NetworkPolicy"): k8s.networking.v1.NetworkPolicy,
    ("policy/v1", "PodDisruptionBudget"): k8s.policy.v1.PodDisruptionBudget,
    ("rbac.authorization.k8s.io/v1", "Role"): k8s.rbac.v1.Role,
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): k8s.rbac.v1.RoleBinding,
}
"""Core kinds, created with their typed pulumi_kubernetes class (so the type token is the
provider's, e.g. ``kubernetes:core/v1:Secret``); every other kind is a ``CustomResource``."""

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _python_name(field: str) -> str:
    return _CAMEL.sub("_", field).lower()


def resource_options(
    parent: pulumi.Resource,
    component_opts: pulumi.ResourceOptions | None,
    depends_on: Sequence[pulumi.Resource] = (),
) -> pulumi.ResourceOptions:
    """Options for a component's child: parented to it (so providers and aliases follow) and
    depending on what the component depends on (the engine does not make children wait for
    their parent's dependencies) and on ``depends_on``."""
    deps: list[pulumi.Resource] = []
    existing = component_opts.depends_on if component_opts is not None else None
    if isinstance(existing, pulumi.Resource):
        deps.append(existing)
    elif existing is not None:
        deps.extend(existing)  # type: ignore[arg-type]
    deps.extend(d for d in depends_on if d not in deps)
    return pulumi.ResourceOptions(parent=parent, depends_on=deps or None)


class KubeRayComponent(pulumi.ComponentResource):
    """The base of every component: type token, child options, warnings and outputs."""

    TYPE_NAME: ClassVar[str]
    """The component's name in its type token ``kuberay:index:<TYPE_NAME>``."""

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None,
        props: Mapping[str, Any] | None = None,
    ) -> None:
        # ``props`` are the component's inputs as the engine records them (and policy packs
        # see them); most components have none.
        super().__init__(
            f"{TYPE_PACKAGE}:{self.TYPE_NAME}", resource_name, dict(props) if props else None, opts
        )
        self._component_opts = opts

    def child_options(
        self,
        *,
        depends_on: Sequence[pulumi.Resource] = (),
        extra: pulumi.ResourceOptions | None = None,
    ) -> pulumi.ResourceOptions:
        """Options for a child of this component (see :func:`resource_options`), with
        ``extra`` merged on top."""
        opts = resource_options(self, self._component_opts, depends_on)
        return pulumi.ResourceOptions.merge(opts, extra) if extra is not None else opts

    def log_warnings(self, subject: str, warnings: Sequence[str]) -> None:
        """Show what the plan accepted but should be fixed as Pulumi warnings on this component."""
        for warning in warnings:
            pulumi.log.warn(f"{subject}: {warning}", resource=self)

    def create_object(
        self,
        name: str,
        manifest: Mapping[str, Any],
        *,
        depends_on: Sequence[pulumi.Resource] = (),
        resource_class: type[pulumi.CustomResource] | None = None,
        extra: pulumi.ResourceOptions | None = None,
    ) -> pulumi.CustomResource:
        """A child Kubernetes object for ``manifest``: the typed pulumi_kubernetes class for core
        kinds, ``apiextensions.CustomResource`` (or ``resource_class``) for the rest."""
        api_version, kind = manifest["apiVersion"], manifest["kind"]
        opts = self.child_options(depends_on=depends_on, extra=extra)
        body = {k: v for k, v in manifest.items() if k not in ("apiVersion", "kind")}
        typed = _TYPED_KINDS.get((api_version, kind))
        if typed is not None and resource_class is None:
            fields = {_python_name(k): v for k, v in body.items()}
            return typed(name, opts=opts, **fields)
        cls = resource_class or k8s.apiextensions.CustomResource
        return cls(name, api_version=api_version, kind=kind, opts=opts, **body)  # type: ignore[call-arg]

    def register(self, outputs: Mapping[str, pulumi.Input[Any]]) -> None:
        """Publish ``outputs`` as ``Output`` attributes of this component and register them.

        Values known now may be given plain: they are registered as they are (the engine then
        has no future to wait for; components are created by the hundred)."""
        for key, value in outputs.items():
            setattr(
                self,
                key,
                value if isinstance(value, pulumi.Output) else pulumi.Output.from_input(value),
            )
        self.register_outputs(dict(outputs))


@runtime_checkable
class OperatorLike(Protocol):
    """Anything that installed the operator and knows what it can do (``KubeRayOperator``)."""

    capabilities: OperatorCapabilities


OperatorArg = OperatorLike | OperatorCapabilities | None
"""Where a Ray object runs: a ``KubeRayOperator`` (its version, gates and watched namespaces, and
a dependency on it), an :class:`OperatorCapabilities` for an operator managed elsewhere, or
``None`` for the library's default operator version with its default gates."""


def decide_capabilities(operator: OperatorArg) -> OperatorCapabilities:
    """What the operator a Ray object runs on can do (see :data:`OperatorArg`)."""
    if operator is None:
        return OperatorCapabilities()
    if isinstance(operator, OperatorCapabilities):
        return operator
    if isinstance(operator, OperatorLike):
        return operator.capabilities
    raise ValidationError(
        "operator: expected a KubeRayOperator or OperatorCapabilities, got "
        f"{type(operator).__name__}"
    )


def resource_metadata(
    kind: str,
    manifest: Mapping[str, Any],
    namespace: pulumi.Input[str] | None,
    caps: OperatorCapabilities,
) -> dict[str, Any]:
    """The custom resource's ``metadata``: the manifest's, with a namespace given as an Output
    filled in at deploy and checked against the operator's watched namespaces then (a plain
    namespace was checked at preview with the manifest)."""
    metadata = dict(manifest["metadata"])
    if namespace is None or isinstance(namespace, str):
        return metadata

    def checked(value: str) -> str:
        problems = watched_namespace_problems(kind, value, caps)
        if problems:
            raise ValidationError(problems, subject=kind)
        return value

    given: pulumi.Input[str] = namespace  # narrowed to Output/Awaitable, which mypy rejects
    metadata["namespace"] = pulumi.Output.from_input(given).apply(checked)
    return metadata


KEYWORDS = (
    "namespace",
    "name",
    "labels",
    "annotations",
    "operator",
    "wait_for_ready",
    "ready_timeout_seconds",
    "opts",
)
"""The keywords every Ray component takes besides its argument object's fields."""


class RayObjectComponent(KubeRayComponent, Generic[ArgsT, ModelT]):
    """A component around one ``ray.io/v1`` object, created from its pure plan.

    Subclasses name their argument object (``ARGS``), plan (:meth:`plan`) and outputs
    (:meth:`outputs`). Every one of them takes the same keywords:

    - ``args``: the argument object (positional), and/or its fields as keyword arguments
      (keywords win);
    - ``namespace`` (plain or an Output), ``name`` (``metadata.name``; default: the resource
      name), ``labels``, ``annotations``;
    - ``operator``: a ``KubeRayOperator``, :class:`OperatorCapabilities` or ``None`` (see
      :data:`OperatorArg`);
    - ``wait_for_ready`` / ``ready_timeout_seconds``: ``pulumi up`` waits for the object to be
      ready (``pulumi.com/waitFor``; the default timeout is the kind's ``READY_TIMEOUT``);
    - ``opts``: Pulumi resource options, passed down to the custom resource.
    """

    ARGS: ClassVar[type[ArgumentModel]]
    """The argument object this component renders."""
    READY_TIMEOUT: ClassVar[int] = 600
    """Seconds ``wait_for_ready`` waits by default."""
    RESOURCE_CLASS: ClassVar[type[k8s.apiextensions.CustomResource]] = (
        k8s.apiextensions.CustomResource
    )
    """The Pulumi class of the custom resource."""

    args: ArgsT
    """The argument object the component was built from (Pulumi input types made plain)."""
    capabilities: OperatorCapabilities
    """What the operator the object runs on can do; the object was validated against it."""
    model: ModelT
    """The validated model of the object."""
    warnings: tuple[str, ...]
    """What the operator accepts but should be fixed (logged as Pulumi warnings too)."""
    manifest: dict[str, Any]
    """The exact manifest sent to Kubernetes (namespace filled in at deploy if an Output)."""
    custom_resource: k8s.apiextensions.CustomResource
    """The ``ray.io/v1`` custom resource, a child of the component."""
    name: pulumi.Output[str]
    """``metadata.name`` of the object."""
    namespace: pulumi.Output[str]
    """The namespace the object lands in."""

    def __init__(
        self,
        resource_name: str,
        args: ArgsT | None = None,
        /,
        *,
        namespace: pulumi.Input[str] | None = None,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        operator: OperatorArg = None,
        wait_for_ready: bool = False,
        ready_timeout_seconds: int | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        subject = f"{self.TYPE_NAME} {name or resource_name}"
        base = self.base_arguments(args, fields)
        merged = merge_arguments(self.ARGS, base, fields, subject=subject, keywords=KEYWORDS)
        plain, referenced = at_component_edge(merged, subject=subject)
        arguments = cast(ArgsT, plain)
        caps = decide_capabilities(operator)
        timeout = None
        if wait_for_ready:
            timeout = self.READY_TIMEOUT if ready_timeout_seconds is None else ready_timeout_seconds
        obj = ObjectArgs(
            name=name or resource_name,
            namespace=namespace if isinstance(namespace, str) else None,
            labels=dict(labels or {}),
            annotations=dict(annotations or {}),
            ready_timeout_seconds=timeout,
        )
        # Planned before registration, so a bad argument leaves no half-built component.
        plan = self.plan(obj, arguments, caps)
        super().__init__(resource_name, opts)

        self.args = arguments
        self.capabilities = caps
        self.model = plan.model
        self.warnings = plan.warnings
        kind = plan.model.KIND
        self.log_warnings(f"{kind} {obj.name}", plan.warnings)
        namespace_input = self.namespace_input(namespace, arguments)
        manifest = plan.manifest
        self.manifest = {
            **manifest,
            "metadata": resource_metadata(kind, manifest, namespace_input, caps),
        }
        depends_on = [*referenced]
        if isinstance(operator, pulumi.Resource):
            depends_on.append(operator)
        resource = self.create_object(
            resource_name,
            self.manifest,
            depends_on=depends_on,
            resource_class=self.RESOURCE_CLASS,
            extra=self.resource_options(arguments),
        )
        assert isinstance(resource, k8s.apiextensions.CustomResource)
        self.custom_resource = resource
        known = (
            namespace_input
            if isinstance(namespace_input, str)
            else decide_namespace_output(namespace_input, resource)
        )
        outputs: dict[str, pulumi.Input[Any]] = {"name": obj.name, "namespace": known}
        outputs.update(self.outputs(plan, known))
        self.register(outputs)

    @classmethod
    def base_arguments(cls, args: ArgsT | None, fields: dict[str, Any]) -> ArgumentModel | None:
        """The argument object keyword ``fields`` are merged over (``args`` by default)."""
        return args

    def plan(
        self, obj: ObjectArgs, args: ArgsT, caps: OperatorCapabilities
    ) -> RayObjectPlan[ModelT]:
        """The validated object for ``args`` (raises :class:`ValidationError`)."""
        raise NotImplementedError

    def namespace_input(
        self, namespace: pulumi.Input[str] | None, args: ArgsT
    ) -> pulumi.Input[str] | None:
        """The namespace the object is created in (``namespace`` by default)."""
        return namespace

    def resource_options(self, args: ArgsT) -> pulumi.ResourceOptions | None:
        """Extra options for the custom resource (none by default)."""
        return None

    def outputs(
        self, plan: RayObjectPlan[ModelT], namespace: str | pulumi.Output[str]
    ) -> dict[str, pulumi.Input[Any]]:
        """The kind's own outputs besides ``name`` and ``namespace`` (plain values or Outputs);
        ``namespace`` is the plain namespace when known at preview (derive outputs from it with
        :func:`derived`)."""
        return {}


Derived = TypeVar("Derived")


def derived(
    namespace: str | pulumi.Output[str], compute: Callable[[str], Derived]
) -> Derived | pulumi.Output[Derived]:
    """``compute(namespace)``: computed now when the namespace is a plain string (no apply for the
    engine to schedule: components are created by the hundred), else an Output computed once the
    namespace resolves. :meth:`KubeRayComponent.register` takes either."""
    if isinstance(namespace, str):
        return compute(namespace)
    return namespace.apply(compute)


def decide_namespace_output(
    namespace: pulumi.Input[str] | None, resource: pulumi.CustomResource
) -> pulumi.Output[str]:
    """The namespace the object lands in: the one given, else what the provider filled in.

    The lifted ``metadata["namespace"]`` stays known at preview, unlike an ``apply`` over the
    whole metadata (which holds server-side unknowns such as ``uid``).
    """
    if namespace is not None:
        return pulumi.Output.from_input(namespace)
    metadata: pulumi.Output[Any] = resource.metadata  # type: ignore[attr-defined]
    return metadata["namespace"].apply(lambda ns: ns or "default")
