"""Comparing Kubernetes resource quantities (``1Gi`` equals ``1024Mi``).

https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_QUANTITY = re.compile(
    r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$"
)
_SUFFIX = {
    "Ki": Decimal(2**10),
    "Mi": Decimal(2**20),
    "Gi": Decimal(2**30),
    "Ti": Decimal(2**40),
    "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}


def parse_quantity(value: object) -> Decimal | None:
    """The amount a quantity stands for, or ``None`` when ``value`` is not a quantity."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    match = _QUANTITY.match(value.strip())
    if match is None:
        return None
    number, suffix = match.groups()
    try:
        amount = Decimal(number)
        if suffix and suffix[0] in "eE" and len(suffix) > 1:
            return amount * (Decimal(10) ** int(suffix[1:]))
    except (InvalidOperation, ValueError):
        return None
    return amount * _SUFFIX[suffix] if suffix else amount


def same_quantity(a: object, b: object) -> bool | None:
    """Whether two quantities are equal; ``None`` when either is not a quantity."""
    left, right = parse_quantity(a), parse_quantity(b)
    if left is None or right is None:
        return None
    return left == right
