"""Fixture projects for the offline preview tests, and a helper to write throwaway ones."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

PROJECTS = Path(__file__).parent / "projects"
RAY_APP = PROJECTS / "ray_app"
DEPLOY_TIME_VALUES = PROJECTS / "deploy_time_values"
FAILING = PROJECTS / "failing"
REMOTE_COMPONENTS = PROJECTS / "remote_components"


def write_project(
    directory: Path,
    program: str,
    *,
    project_file: str = "name: scratch\nruntime: python\n",
    files: Mapping[str, str] | None = None,
) -> Path:
    """A throwaway Pulumi Python project: ``Pulumi.yaml``, ``__main__.py`` and extra ``files``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(textwrap.dedent(project_file))
    (directory / "__main__.py").write_text(textwrap.dedent(program))
    for relative, text in (files or {}).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return directory
