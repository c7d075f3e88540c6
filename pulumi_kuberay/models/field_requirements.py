"""What a model field needs of the operator, declared on the field itself, and the one checker
that reads those declarations.

A field (or a whole kind) added in a KubeRay release, or usable only with a feature gate on,
carries a :class:`Requires` marker in its annotation::

    upgrade_strategy: Annotated[RayClusterUpgradeStrategy | None, Requires(since="1.6.0")] = None
    tls_options: Annotated[TLSOptions | None, Requires(since="1.7.0", gate="RayClusterMTLS")] = None

so adding a field is one edit. :func:`field_requirement_problems` walks a parsed object and
reports, with the field's path,

- a field newer than the operator: that release's CRD does not define it, so the API server
  drops it (or refuses the object under strict field validation) and the feature silently does
  nothing; the message names the release that added it;
- a field whose gate is off: the operator refuses the object; the message names the gate;
- a field the CRD of older releases requires (``required_before``) that is missing.

Releases: https://github.com/ray-project/kuberay/releases; gates: :mod:`pulumi_kuberay.versions`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.versions import feature_gates_for


@dataclass(frozen=True)
class Requires:
    """Marker for a model field (``Annotated[..., Requires(...)]``) or a kind (``REQUIRES``).

    ``since``: the operator release whose CRD added the field. ``gate``: the feature gate the
    operator needs on to accept the field; ``when`` narrows that to values for which it returns
    true (e.g. only ``suspend: true``), and ``gate_use`` says what the value turns on, for the
    message. ``required_before``: releases older than this one require the field in their CRD.
    """

    since: str | None = None
    gate: str | None = None
    when: Callable[[Any], bool] | None = None
    gate_use: str | None = None
    required_before: str | None = None

    def gate_applies(self, value: Any) -> bool:
        """Whether ``value`` is one the gate governs."""
        return self.gate is not None and (self.when is None or self.when(value))


def is_true(value: Any) -> bool:
    """``when=`` for booleans whose gate matters only when they are ``true``."""
    return value is True


@dataclass(frozen=True)
class _FieldPlan:
    attribute: str
    alias: str
    requires: Requires | None
    nests: bool


def _mentions_model(annotation: Any) -> bool:
    """Whether a field's type can hold another model (so the walk must descend into it)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return False
    return any(_mentions_model(arg) for arg in typing.get_args(annotation))


@cache
def _plan(model_class: type[BaseModel]) -> tuple[_FieldPlan, ...]:
    """The fields of ``model_class`` the walk looks at: those with a marker or a nested model."""
    plans = []
    for attribute, info in model_class.model_fields.items():
        requires = next((m for m in info.metadata if isinstance(m, Requires)), None)
        nests = _mentions_model(info.annotation)
        if requires is not None or nests:
            plans.append(_FieldPlan(attribute, info.alias or attribute, requires, nests))
    return tuple(plans)


def _join(at: str, name: str) -> str:
    return f"{at}.{name}" if at else name


def gate_state(gate: str, caps: OperatorCapabilities) -> str:
    """``"off (its default in 1.6.2)"`` or ``"turned off"``: how the gate came to be off."""
    known = feature_gates_for(caps.version).get(gate)
    if gate in caps.feature_gates or known is None:
        return "turned off"
    return f"off by default in KubeRay {caps.version} ({known.stage})"


def newer_field_message(path: str, since: str, caps: OperatorCapabilities) -> str:
    """The problem of a field that operator ``caps.version`` does not know."""
    return (
        f"{path}: added in KubeRay {since}; operator {caps.version}'s CRD lacks it, so the API "
        "server would drop it and the setting would do nothing; upgrade the operator to "
        f"{since} or newer, or remove the field"
    )


def gate_off_message(path: str, requires: Requires, caps: OperatorCapabilities) -> str:
    """The problem of a field whose feature gate is off."""
    gate = requires.gate
    use = f" ({requires.gate_use})" if requires.gate_use else ""
    return (
        f"{path}: needs the {gate} feature gate{use}, which is {gate_state(str(gate), caps)}, so "
        f"the operator would refuse the object; enable the gate on the operator "
        f"(feature_gates={{'{gate}': True}}) or remove the field"
    )


def field_requirement_problems(
    model: BaseModel, caps: OperatorCapabilities, at: str = ""
) -> list[str]:
    """Every field of ``model`` (and the models inside it) that operator ``caps`` cannot take:
    too new for its release, behind a gate that is off, or required by its CRD and missing."""
    problems: list[str] = []
    _walk(model, caps, at, problems)
    return problems


def _walk(model: BaseModel, caps: OperatorCapabilities, at: str, problems: list[str]) -> None:
    values = model.__dict__
    for plan in _plan(type(model)):
        value = values.get(plan.attribute)
        requires = plan.requires
        if requires is not None:
            if value is None:
                before = requires.required_before
                if before is not None and not caps.at_least(before):
                    problems.append(
                        f"{_join(at, plan.alias)}: required by the CRD of KubeRay releases before "
                        f"{before} (this operator is {caps.version}), so the API server would "
                        "refuse the object; set it, or upgrade the operator"
                    )
                continue
            if requires.since is not None and not caps.at_least(requires.since):
                problems.append(newer_field_message(_join(at, plan.alias), requires.since, caps))
                continue
            if requires.gate_applies(value) and not caps.gate_enabled(str(requires.gate)):
                problems.append(gate_off_message(_join(at, plan.alias), requires, caps))
        if not plan.nests or value is None:
            continue
        if isinstance(value, BaseModel):
            _walk(value, caps, _join(at, plan.alias), problems)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _walk(item, caps, f"{_join(at, plan.alias)}[{index}]", problems)


def object_requirement_problems(obj: BaseModel, caps: OperatorCapabilities) -> list[str]:
    """:func:`field_requirement_problems` over a whole object, after what its kind itself needs
    (the class attribute ``REQUIRES``: e.g. RayCronJob needs 1.6 and the ``RayCronJob`` gate)."""
    requires: Requires | None = getattr(type(obj), "REQUIRES", None)
    kind = str(getattr(type(obj), "KIND", type(obj).__name__))
    if requires is not None:
        if requires.since is not None and not caps.at_least(requires.since):
            return [
                f"kind: {kind} was added in KubeRay {requires.since}, and operator {caps.version} "
                f"has no {kind} CRD, so the API server would refuse the object; upgrade the "
                f"operator to {requires.since} or newer"
            ]
        if requires.gate is not None and not caps.gate_enabled(requires.gate):
            gate = requires.gate
            use = f" ({requires.gate_use})" if requires.gate_use else ""
            return [
                f"kind: {kind} needs the {gate} feature gate{use}, which is "
                f"{gate_state(gate, caps)}: the object would be stored but nothing would act on "
                f"it; enable the gate on the operator (feature_gates={{'{gate}': True}})",
                *field_requirement_problems(obj, caps),
            ]
    return field_requirement_problems(obj, caps)
