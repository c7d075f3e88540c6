"""The base of every argument object users build (``ClusterArgs``, ``WorkerGroup``, ``JobArgs``,
...): immutable, unknown names refused with the closest known one, and every mistake raised as
:class:`pulumi_kuberay.ValidationError`, never as a raw pydantic dump.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.error_paths import describe_errors, did_you_mean

UNKNOWN_ARGUMENT = "unknown argument"

Arguments = TypeVar("Arguments", bound="ArgumentModel")


class ArgumentModel(BaseModel):
    """An argument object: keyword arguments in Python's snake_case, checked when it is built.

    ``extra="forbid"`` turns a mistyped keyword (``max_replica=``) into an error that names the
    closest argument; values that hold Pulumi types (``PodTemplateSpecArgs``) are kept as given
    and converted at the component edge, so this layer never imports Pulumi.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        arbitrary_types_allowed=True,
        use_attribute_docstrings=True,
    )

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise ValidationError(
                describe_errors(type(self), exc, unknown=UNKNOWN_ARGUMENT),
                subject=self._subject(data),
            ) from None

    @classmethod
    def _subject(cls, data: Mapping[str, Any]) -> str:
        """How errors name the object being built (``WorkerGroup 'gpu'``)."""
        name = data.get("name")
        return f"{cls.__name__} {name!r}" if isinstance(name, str) else cls.__name__

    def given(self) -> dict[str, Any]:
        """The arguments that were passed (not defaulted), by name."""
        return {name: getattr(self, name) for name in self.model_fields_set}


def merge_arguments(
    model: type[Arguments],
    base: ArgumentModel | None,
    fields: Mapping[str, Any],
    *,
    subject: str,
    keywords: Sequence[str] = (),
) -> Arguments:
    """``model`` built from the arguments given in ``base`` (an instance of ``model`` or of one of
    its bases) with keyword ``fields`` on top: how a component takes an argument object, keyword
    shortcuts, or both. Errors name ``subject`` (the component); ``keywords`` are the
    component's own keyword arguments, suggested too when a name is misspelt."""
    if base is not None and (not issubclass(model, type(base)) or type(base) is ArgumentModel):
        raise ValidationError(
            f"expected {model.__name__} (or keyword arguments), got {type(base).__name__}",
            subject=subject,
        )
    unknown = [name for name in fields if name not in model.model_fields]
    if unknown:
        choices = [*model.model_fields, *keywords]
        raise ValidationError(
            [f"{name}: {UNKNOWN_ARGUMENT}{did_you_mean(name, choices)}" for name in unknown],
            subject=subject,
        )
    merged = {**(base.given() if base is not None else {}), **fields}
    try:
        return model(**merged)
    except ValidationError as exc:
        raise ValidationError(exc.problems, subject=subject) from None
