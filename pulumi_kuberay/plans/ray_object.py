"""What every plan of a ``ray.io/v1`` object shares: the object's name and metadata, the last
step that builds the whole model and checks it with the operator's rules, and the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.resource import CustomResourceModel, ObjectMeta
from pulumi_kuberay.plans.readiness import wait_for_annotations
from pulumi_kuberay.spec import validate_model

Model = TypeVar("Model", bound=CustomResourceModel)


@dataclass(frozen=True)
class ObjectArgs:
    """What every Ray object takes besides its own description: its identity and how
    ``pulumi up`` waits for it."""

    name: str
    """``metadata.name``; deterministic, because KubeRay derives Service and Pod names from it."""
    namespace: str | None = None
    """``metadata.namespace`` when known at preview (``None``: unset, or known only at deploy)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """``metadata.labels``."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """``metadata.annotations``."""
    ready_timeout_seconds: int | None = None
    """Make ``pulumi up`` wait until the object is ready, up to this many seconds
    (``pulumi.com/waitFor``); ``None``: do not wait."""


@dataclass(frozen=True)
class RayObjectPlan(Generic[Model]):
    """A validated Ray object and the warnings to show (what the operator accepts but should be
    fixed)."""

    model: Model
    warnings: tuple[str, ...] = ()

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """The object as the exact manifest dict to send (the contract between layers)."""
        return self.model.to_manifest()


@contextmanager
def problems_of(subject: str) -> Iterator[None]:
    """Name ``subject`` (``RayJob train``) in every :class:`ValidationError` raised inside."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(exc.problems, subject=subject) from None


def subject_of(model_class: type[CustomResourceModel], obj: ObjectArgs) -> str:
    """How messages name the object: ``RayCluster demo``."""
    return f"{model_class.KIND} {obj.name}"


def finish_ray_object(
    model_class: type[Model],
    obj: ObjectArgs,
    spec: Any,
    caps: OperatorCapabilities,
    *,
    ready_when: str | Sequence[str],
    warnings: Callable[[Model], Iterable[str]] | None = None,
    argument_warnings: Sequence[str] = (),
) -> RayObjectPlan[Model]:
    """The whole object (``metadata`` from ``obj``, ``spec`` a built spec model), checked once
        with every operator rule for ``caps``. ``ready_when`` is the ``pulumi.com/waitFor``
        expression used when ``obj`` asks to wait; ``warnings`` lists what the operator accepts but
    should be fixed, ``argument_warnings`` what the plan found in the arguments (placement, pool
    capacity). Raises :class:`ValidationError` naming the object."""
    subject = subject_of(model_class, obj)
    annotations = dict(obj.annotations)
    if obj.ready_timeout_seconds is not None:
        with problems_of(subject):
            annotations.update(wait_for_annotations(ready_when, obj.ready_timeout_seconds))
    metadata = ObjectMeta.of(
        name=obj.name,
        namespace=obj.namespace,
        labels=dict(obj.labels) or None,
        annotations=annotations or None,
    )
    # Every kind has a ``spec``; the base model does not declare it.
    model = model_class(metadata=metadata, spec=spec)  # type: ignore[call-arg]
    problems = validate_model(model, caps)
    if problems:
        raise ValidationError(problems, subject=subject)
    found = [*argument_warnings, *(warnings(model) if warnings is not None else ())]
    return RayObjectPlan(model, tuple(found))
