"""Kubernetes resource quantities from friendly Python values (``4``, ``0.5``, ``"16Gi"``).

https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
"""

from __future__ import annotations

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.kubernetes.quantities import parse_quantity

CpuValue = int | float | str
MemoryValue = int | str


def cpu_quantity(value: CpuValue, field: str) -> str:
    """CPU as a quantity string: ``4`` -> ``"4"``, ``0.5`` -> ``"500m"``."""
    if isinstance(value, bool):
        raise ValidationError(
            f"{field}: expected a CPU amount such as 4, 0.5 or '500m', got {value!r}"
        )
    if isinstance(value, (int, float)):
        if value <= 0:
            raise ValidationError(f"{field}: CPU must be positive, got {value!r}")
        if float(value).is_integer():
            return str(int(value))
        return f"{round(value * 1000)}m"
    return _checked(value, field, "a CPU amount such as '4' or '500m'")


def memory_quantity(value: MemoryValue, field: str) -> str:
    """Memory as a quantity string; a bare integer means bytes. ``"16Gi"`` stays ``"16Gi"``."""
    if isinstance(value, bool):
        raise ValidationError(f"{field}: expected a memory amount such as '16Gi', got {value!r}")
    if isinstance(value, int):
        if value <= 0:
            raise ValidationError(f"{field}: memory must be positive, got {value!r}")
        return str(value)
    return _checked(value, field, "a memory amount such as '16Gi' or '512Mi'")


def _checked(value: str, field: str, example: str) -> str:
    text = value.strip()
    amount = parse_quantity(text)
    if amount is None:
        raise ValidationError(f"{field}: {value!r} is not a Kubernetes quantity; use {example}")
    if amount <= 0:
        raise ValidationError(f"{field}: must be positive, got {value!r}")
    return text
