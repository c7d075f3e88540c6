"""Shared pieces for turning pydantic errors into messages in the user's vocabulary.

Used for custom resources (``manifest.describe_errors``) and chart values
(``operator_chart.describe_values_errors``): paths in CRD/chart key names, the keys allowed
where an unknown one was found, and a "did you mean" hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import pydantic


def _is_schema_tag(part: str) -> bool:
    # Pydantic puts validator and union-member tags in error locations; they are not keys.
    return part.startswith(("function-", "literal[", "list[", "dict[")) or part in {
        "str",
        "int",
        "float",
        "bool",
        "literal",
        "dict[str,any]",
    }


def error_path(loc: Sequence[str | int]) -> str:
    """``("spec", "workerGroupSpecs", 0, "replicas")`` -> ``spec.workerGroupSpecs[0].replicas``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _is_schema_tag(part):
            text += f".{part}" if text else part
    return text


def model_in(annotation: Any) -> type[pydantic.BaseModel] | None:
    """The pydantic model inside an annotation such as ``list[Model] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = model_in(arg)
        if found is not None:
            return found
    return None


def allowed_keys(model: type[pydantic.BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The (aliased) field names allowed where the last part of ``loc`` was found."""
    current: type[pydantic.BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or _is_schema_tag(part) or current is None:
            continue
        by_alias = {f.alias or n: f for n, f in current.model_fields.items()}
        found = by_alias.get(part) or current.model_fields.get(part)
        current = model_in(found.annotation) if found is not None else None
    if current is None:
        return []
    return [f.alias or n for n, f in current.model_fields.items()]


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice (case, typo or prefix), else ``""``."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    # Abbreviations ("kai" for "kai-scheduler") are too short for difflib's ratio.
    prefixed = [c for c in choices if len(word) >= 3 and c.lower().startswith(word.lower())]
    suggestion = lowered.get(word.lower()) or (close[0] if close else None)
    suggestion = suggestion or (prefixed[0] if len(prefixed) == 1 else None)
    return f"; did you mean {suggestion!r}?" if suggestion else ""


def describe_errors(model: type[pydantic.BaseModel], error: pydantic.ValidationError) -> list[str]:
    """Pydantic errors as messages in CRD terms: path, what is wrong, the fix."""
    messages = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path = error_path(loc) or "(top level)"
        kind = item["type"]
        if kind == "extra_forbidden":
            hint = did_you_mean(str(loc[-1]), allowed_keys(model, loc))
            messages.append(f"{path}: unknown field (the API server would silently drop it){hint}")
        elif kind == "missing":
            messages.append(f"{path}: required field is missing")
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            messages.append(f"{path}: {item['input']!r} is not allowed; use one of {expected}")
        elif kind == "value_error":
            for part in str(item["msg"]).removeprefix("Value error, ").split("\n"):
                messages.append(f"{path}.{part}" if part else path)
        else:
            got = item.get("input")
            messages.append(f"{path}: {item['msg'].lower()} (got {got!r})")
    return messages
