"""Shared pieces for turning pydantic errors into messages in the user's vocabulary.

Used for custom resources (``pulumi_kuberay.spec``), chart values (``operator_chart``) and the
plans' argument objects: paths in CRD/chart key names, the keys allowed
where an unknown one was found, and a "did you mean" hint.
"""

from __future__ import annotations

import difflib
import re
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


_RELATIVE_PATH = re.compile(r"^[\w\-\[\]./]+:(\s|$)")

UNKNOWN_CRD_FIELD = "unknown field (the API server would silently drop it)"
"""How an unknown field of a custom resource is described: the API server would prune it."""


def describe_errors(
    model: type[pydantic.BaseModel],
    error: pydantic.ValidationError,
    *,
    unknown: str = UNKNOWN_CRD_FIELD,
    missing: str = "required field is missing",
) -> list[str]:
    """Pydantic errors as messages in the user's vocabulary: the path (CRD, chart or argument
    names), what is wrong and the fix; an unknown name gets the closest known one.

    ``unknown`` and ``missing`` say what an unknown or missing name means where ``model`` is
    used (a CRD field the API server drops, a chart key Helm ignores, a Python argument).
    """
    messages: list[str] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path = error_path(loc)
        kind = item["type"]
        if kind == "extra_forbidden":
            hint = did_you_mean(str(loc[-1]), allowed_keys(model, loc))
            messages.append(f"{path}: {unknown}{hint}")
        elif kind in ("model_type", "dict_type"):
            messages.append(
                f"{path or '(top level)'}: expected a mapping, got {item.get('input')!r}"
            )
        elif kind == "missing":
            messages.append(f"{path}: {missing}")
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            messages.append(f"{path}: {item['input']!r} is not allowed; use one of {expected}")
        elif kind == "value_error":
            for part in str(item["msg"]).removeprefix("Value error, ").split("\n"):
                if not path:
                    messages.append(part)
                elif not part or part.startswith(":"):
                    messages.append(f"{path}{part}")
                elif _RELATIVE_PATH.match(part):  # a problem further down, at its own path
                    messages.append(f"{path}.{part}")
                else:
                    messages.append(f"{path}: {part}")
        else:
            got = item.get("input")
            messages.append(f"{path or '(top level)'}: {str(item['msg']).lower()} (got {got!r})")
    return list(dict.fromkeys(messages))
