"""Kubernetes quantities: parsed to amounts, so 1Gi equals 1024Mi."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pulumi_kuberay.models.kubernetes.quantities import parse_quantity, same_quantity


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1", Decimal(1)),
        (2, Decimal(2)),
        ("500m", Decimal("0.5")),
        ("1Gi", Decimal(2**30)),
        ("1.5G", Decimal("1.5e9")),
        ("1e3", Decimal(1000)),
    ],
)
def test_parse(text: object, amount: Decimal) -> None:
    assert parse_quantity(text) == amount


@pytest.mark.parametrize("text", ["16 GB", "four", "", True, None, "1Gib"])
def test_not_quantities(text: object) -> None:
    assert parse_quantity(text) is None


def test_same_quantity_compares_amounts() -> None:
    assert same_quantity("1Gi", "1024Mi") is True
    assert same_quantity("1", "1000m") is True
    assert same_quantity("1G", "1Gi") is False
    assert same_quantity("1Gi", "lots") is None
