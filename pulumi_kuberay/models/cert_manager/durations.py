"""Go durations, the format of every cert-manager ``duration`` and ``renewBefore`` field.

cert-manager decodes these fields as ``metav1.Duration``, i.e. with Go's ``time.ParseDuration``:
a sequence of decimal numbers, each with a unit ``ns``, ``us`` (or ``µs``), ``ms``, ``s``, ``m``
or ``h`` (``2160h``, ``1h30m``, ``1.5h``). There is no ``d``, ``w`` or ``y`` unit, so ``90d`` is
refused by the webhook. https://pkg.go.dev/time#ParseDuration
"""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import AfterValidator

NANOSECONDS: Final[dict[str, int]] = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek small letter mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
"""Go's duration units, in nanoseconds."""

_TERM = re.compile(r"(\d*)(?:\.(\d*))?([^\d.]*)")
_MAX_NANOSECONDS: Final = 2**63 - 1


def _hint(text: str) -> str:
    match = re.fullmatch(r"\s*(\d+)\s*([dwy])\s*", text)
    if match is None:
        return "e.g. 2160h or 1h30m"
    number, unit = int(match.group(1)), match.group(2)
    hours = number * {"d": 24, "w": 168, "y": 8760}[unit]
    return f"write {hours}h for {text.strip()}"


def parse_go_duration(text: str) -> int:
    """The duration ``text`` in nanoseconds, parsed exactly as Go's ``time.ParseDuration``.

    Raises ``ValueError`` naming the text and the expected form.
    """
    problem = (
        f"{text!r} is not a Go duration (a number and a unit out of h, m, s, ms, us, ns; "
        f"no d, w or y): {_hint(text)}"
    )
    body = text
    sign = 1
    if body[:1] in ("+", "-"):
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return 0
    if not body:
        raise ValueError(problem)
    total = 0.0
    position = 0
    while position < len(body):
        match = _TERM.match(body, position)
        if match is None or match.end() == position:  # pragma: no cover - the pattern matches ""
            raise ValueError(problem)
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not fraction:
            raise ValueError(problem)
        if unit not in NANOSECONDS:
            raise ValueError(problem)
        value = float(f"{whole or '0'}.{fraction or '0'}")
        total += value * NANOSECONDS[unit]
        position = match.end()
    if total > _MAX_NANOSECONDS:
        raise ValueError(f"{text!r} is longer than a Go duration can hold (about 292 years)")
    return sign * int(total)


def format_hours(nanoseconds: int) -> str:
    """A duration as Go prints whole hours and minutes (``2160h``, ``1h30m``), for messages."""
    minutes, rest = divmod(nanoseconds, NANOSECONDS["m"])
    hours, minutes = divmod(minutes, 60)
    text = f"{hours}h" if hours else ""
    if minutes or (not hours and not rest):
        text += f"{minutes}m"
    if rest:
        text += f"{rest / NANOSECONDS['s']:g}s"
    return text


def _check(value: str) -> str:
    parse_go_duration(value)
    return value


GoDuration = Annotated[str, AfterValidator(_check)]
"""A string field that must be a Go duration (kept exactly as written)."""
