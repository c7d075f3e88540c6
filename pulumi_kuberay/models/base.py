"""The base of every ray.io/v1 model: CRD field names, no unknown fields, faithful dumps."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from typing_extensions import Self


class CrdModel(BaseModel):
    """A part of a KubeRay custom resource.

    Attributes are snake_case with the CRD's camelCase names as aliases, so both
    ``CrdModel(group_name=...)`` and ``CrdModel.model_validate({"groupName": ...})`` work.
    Unknown fields are an error: the API server would prune them silently
    (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning).
    Numbers and booleans are not coerced from strings, because the API server does not either.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        strict=True,
        validate_assignment=True,
    )

    @classmethod
    def of(cls, **fields: Any) -> Self:
        """The model built from the fields that have a value: a field passed as ``None`` would
        count as set and be written out as ``null``."""
        return cls(**{name: value for name, value in fields.items() if value is not None})

    def to_dict(self) -> dict[str, Any]:
        """The fields that were set, in CRD shape (camelCase), nothing added."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")
