"""The marker for manifest values that only exist after a real deploy.

During ``pulumi preview`` the engine has no provider to ask, so ids, server-assigned names and
outputs derived from them are *unknown*. Pulumi represents them with sentinels
(https://www.pulumi.com/docs/iac/concepts/inputs-outputs/#outputs-and-previews). The offline
preview engine and the policy pack both turn every such value into :data:`UNKNOWN`, so nothing
downstream can mistake it for data, and rules can tell "missing" from "not known yet".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

__all__ = ["UNKNOWN", "Unknown", "is_unknown", "unknown_paths"]


class Unknown:
    """A value only a real deploy can provide. There is one instance: :data:`UNKNOWN`."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        # Pickling (e.g. by multiprocessing) must give back the singleton, not a copy.
        return "UNKNOWN"

    def __copy__(self) -> Unknown:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Unknown:
        return self


UNKNOWN: Final = Unknown()
"""The one :class:`Unknown` instance."""


def is_unknown(value: object) -> bool:
    """Whether ``value`` is the unknown marker."""
    return value is UNKNOWN


def unknown_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Dotted paths (``spec.template.metadata.name``, ``ports[0].port``) of every unknown value.

    >>> list(unknown_paths({"metadata": {"name": UNKNOWN}, "ports": [{"port": UNKNOWN}]}))
    ['metadata.name', 'ports[0].port']
    """
    if value is UNKNOWN:
        yield prefix or "."
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from unknown_paths(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        for index, item in enumerate(value):
            yield from unknown_paths(item, f"{prefix}[{index}]")
