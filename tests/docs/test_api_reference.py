"""The API reference is generated from the docstrings, and every public argument has one."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import pulumi_kuberay
from pulumi_kuberay.plans.arguments import ArgumentModel

REPO_ROOT = Path(__file__).resolve().parents[2]


def _argument_models() -> list[type[ArgumentModel]]:
    for info in pkgutil.walk_packages(pulumi_kuberay.__path__, "pulumi_kuberay."):
        importlib.import_module(info.name)
    found: list[type[ArgumentModel]] = []
    pending = list(ArgumentModel.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return sorted(
        (m for m in found if m.__module__.startswith("pulumi_kuberay.")),
        key=lambda m: m.__qualname__,
    )


@pytest.mark.parametrize("model", _argument_models(), ids=lambda m: m.__qualname__)
def test_every_argument_is_documented_where_it_is_declared(model: type[ArgumentModel]) -> None:
    assert model.__doc__, f"{model.__qualname__} has no docstring"
    undocumented = [
        name
        for name, field in model.model_fields.items()
        if name in model.__annotations__ and not field.description
    ]
    assert undocumented == [], f"{model.__qualname__}: no docstring under {undocumented}"


@pytest.mark.slow
def test_the_api_reference_builds_in_strict_mode(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    reference = (tmp_path / "reference" / "cluster" / "index.html").read_text(encoding="utf-8")
    assert "The head pod (<code>headGroupSpec</code>)" in reference
