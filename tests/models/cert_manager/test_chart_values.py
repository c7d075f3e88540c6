"""The typed cert-manager chart values name only keys the chart's ``values.yaml`` has."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
import yaml

from pulumi_kuberay.models.cert_manager.chart_values import (
    CertManagerChartValues,
    CertManagerValues,
)
from tests.conformance.shared_folders import SHARED_ROOT

VALUES = SHARED_ROOT / "crds" / "cert-manager-v1.21.1" / "helm" / "cert-manager" / "values.yaml"


def _typed_paths(
    model: type[CertManagerChartValues], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    for name, field in model.model_fields.items():
        key = field.alias or name
        path = (*prefix, key)
        yield path
        for arg in getattr(field.annotation, "__args__", (field.annotation,)):
            if isinstance(arg, type) and issubclass(arg, CertManagerChartValues):
                yield from _typed_paths(arg, path)


def _documented(text: str, values: dict[str, Any], path: tuple[str, ...]) -> bool:
    node: Any = values
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
            continue
        # Optional keys the chart documents as comments (``# leaseDuration: 60s``).
        return re.search(rf"^\s*#\s*{re.escape(key)}:", text, re.MULTILINE) is not None
    return True


def test_every_typed_key_is_a_key_of_the_chart() -> None:
    if not VALUES.is_file():
        pytest.skip(f"{VALUES} is absent")
    text = VALUES.read_text(encoding="utf-8")
    values = yaml.safe_load(text)
    missing = [
        ".".join(p) for p in _typed_paths(CertManagerValues) if not _documented(text, values, p)
    ]
    assert missing == []


def test_a_misspelt_key_is_an_error() -> None:
    with pytest.raises(pydantic.ValidationError, match="replicaCont"):
        CertManagerValues.model_validate({"replicaCont": 2})


def test_global_is_spelt_as_the_chart_spells_it() -> None:
    values = CertManagerValues.model_validate(
        {"global": {"leaderElection": {"namespace": "cert-manager"}}}
    )
    assert values.to_values() == {"global": {"leaderElection": {"namespace": "cert-manager"}}}
