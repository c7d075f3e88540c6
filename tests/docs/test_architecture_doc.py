"""docs/architecture.md draws the package's folders: its picture must match them."""

from __future__ import annotations

import re
from pathlib import Path

import pulumi_kuberay

PACKAGE = Path(pulumi_kuberay.__file__).parent
DOC = PACKAGE.parent / "docs" / "architecture.md"


def _picture() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"```\npulumi_kuberay/\n(.*?)```", text, re.DOTALL)
    assert match, "docs/architecture.md has no picture of pulumi_kuberay/"
    return match.group(1)


def _drawn_names() -> set[str]:
    return {m.group(1) for m in re.finditer(r"^  (\w+)(?:/|\.py)\s", _picture(), re.MULTILINE)}


def test_every_folder_and_top_level_module_is_drawn() -> None:
    present = {
        p.name if p.is_dir() else p.stem
        for p in PACKAGE.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.name != "__init__.py")
    }
    assert _drawn_names() == present


def test_every_module_the_picture_names_exists() -> None:
    for line in _picture().splitlines():
        folder = re.match(r"^  (\w+)/", line)
        if folder:
            current = PACKAGE / folder.group(1)
            continue
        for name in re.findall(r"\b([\w/]+\.py)\b", line):
            candidates = [PACKAGE / name, current / name]
            assert any(c.exists() for c in candidates), f"{name} is drawn but does not exist"
