"""Field paths in findings: ``spec.workerGroupSpecs[0].template.spec.containers[0].resources``.

Keys that are not plain words are bracketed (``limits[nvidia.com/gpu]``,
``annotations[ray.io/ft-enabled]``), as the spec layer's validation messages write them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SEGMENT = re.compile(r"\.?([^.\[\]]+)|\[([^\]]*)\]")


def child(prefix: str, key: str) -> str:
    """``prefix`` extended by mapping key ``key``."""
    if not _PLAIN_KEY.match(key):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def segments(path: str) -> Iterator[str | int]:
    """The keys (str) and list indices (int) of ``path``, in order."""
    for match in _SEGMENT.finditer(path):
        plain, bracketed = match.groups()
        if plain is not None:
            yield plain
        elif bracketed is not None and bracketed.isdigit():
            yield int(bracketed)
        elif bracketed is not None:
            yield bracketed


def related(a: str, b: str) -> bool:
    """Whether one path is the other or lies under it."""
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.startswith(short) and long[len(short)] in ".["


def message_path(message: str) -> str:
    """The field path a ``"path: what is wrong; the fix"`` message starts with ('' if none)."""
    head, sep, _ = message.partition(": ")
    return head if sep and " " not in head else ""
