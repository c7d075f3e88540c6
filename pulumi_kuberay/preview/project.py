"""Read a Pulumi project the way the Pulumi CLI would before it starts a Python program.

``Pulumi.yaml`` names the project, its runtime and (optionally) ``main``, the program file or
directory; ``Pulumi.<stack>.yaml`` holds the stack's config under ``config:``. Keys without a
namespace belong to the project (``replicas`` means ``<project>:replicas``); structured values
reach the program as JSON strings, like the CLI passes them.
See https://www.pulumi.com/docs/iac/concepts/projects/project-file/ and
https://www.pulumi.com/docs/iac/concepts/config/.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from pulumi_kuberay.preview.errors import ProjectError

__all__ = ["Project", "StackConfig", "load_project", "load_stack_config"]

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


@dataclasses.dataclass(frozen=True)
class Project:
    """A Pulumi Python project on disk."""

    name: str
    directory: Path
    program: Path
    """The file to run: ``main`` if it names a file, else ``__main__.py`` in ``main`` (or here)."""
    config_defaults: dict[str, str] = dataclasses.field(default_factory=dict)
    """Values and defaults declared in ``Pulumi.yaml``'s ``config:``, by full key."""

    @property
    def program_dir(self) -> Path:
        """Where the program runs: its directory is the working directory and on ``sys.path``."""
        return self.program.parent


@dataclasses.dataclass(frozen=True)
class StackConfig:
    """A stack's config as the program will see it: full key -> string value."""

    values: dict[str, str]
    encrypted: frozenset[str] = frozenset()
    """Keys whose value is a ``secure:`` ciphertext: no offline run can decrypt them."""


def load_project(directory: Path) -> Project:
    """Read ``Pulumi.yaml`` in ``directory``; raise :class:`ProjectError` if it cannot run here."""
    directory = Path(directory)
    if not directory.exists():
        raise ProjectError(f"{directory} does not exist")
    if not directory.is_dir():
        raise ProjectError(f"{directory} is not a directory")
    project_file = next((directory / n for n in PROJECT_FILES if (directory / n).is_file()), None)
    if project_file is None:
        raise ProjectError(f"{directory} is not a Pulumi project: no Pulumi.yaml found")
    document = _read_yaml(project_file)
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise ProjectError(f"{project_file}: 'name' is missing")
    runtime = document.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, Mapping) else runtime
    if runtime_name != "python":
        raise ProjectError(
            f"{project_file}: runtime is {runtime_name!r}; only Python programs can be previewed"
        )
    program = _program_file(directory.resolve(), document.get("main"), project_file)
    defaults = _project_config(name, document.get("config"), project_file)
    return Project(
        name=name, directory=directory.resolve(), program=program, config_defaults=defaults
    )


def load_stack_config(
    project: Project, stack: str, overrides: Mapping[str, str] | None = None
) -> StackConfig:
    """The config a stack's program sees: project defaults, then the stack file, then overrides.

    A missing ``Pulumi.<stack>.yaml`` means an empty stack config (a stack needs no file until
    it has config). ``overrides`` keys follow the same rules as the file's keys.
    """
    values = dict(project.config_defaults)
    encrypted: set[str] = set()
    stack_file = project.directory / f"Pulumi.{stack}.yaml"
    if stack_file.is_file():
        section = _read_yaml(stack_file).get("config") or {}
        if not isinstance(section, Mapping):
            raise ProjectError(f"{stack_file}: 'config' must be a mapping of key: value")
        for key, value in section.items():
            full_key = full_config_key(project.name, str(key))
            if _is_encrypted(value):
                encrypted.add(full_key)
                values.pop(full_key, None)
            else:
                values[full_key] = config_string(value)
    for key, value in (overrides or {}).items():
        full_key = full_config_key(project.name, key)
        values[full_key] = value
        encrypted.discard(full_key)
    return StackConfig(values=values, encrypted=frozenset(encrypted))


def full_config_key(project_name: str, key: str) -> str:
    """``key`` with its namespace: ``replicas`` -> ``<project>:replicas``; ``ns:key`` unchanged."""
    return key if ":" in key else f"{project_name}:{key}"


def config_string(value: Any) -> str:
    """A config value in the string form the Pulumi CLI hands to programs."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def _is_encrypted(value: Any) -> bool:
    if isinstance(value, Mapping):
        return set(value) == {"secure"} or any(_is_encrypted(v) for v in value.values())
    if isinstance(value, list):
        return any(_is_encrypted(v) for v in value)
    return False


def _program_file(directory: Path, main: Any, project_file: Path) -> Path:
    target = directory if main is None else directory / str(main)
    program = target / "__main__.py" if target.is_dir() else target
    if not program.is_file():
        where = "" if main is None else f" (main: {main})"
        raise ProjectError(f"{project_file}: program {program} not found{where}")
    return program


def _project_config(project_name: str, section: Any, project_file: Path) -> dict[str, str]:
    if section is None:
        return {}
    if not isinstance(section, Mapping):
        raise ProjectError(f"{project_file}: 'config' must be a mapping")
    defaults: dict[str, str] = {}
    for key, spec in section.items():
        full_key = full_config_key(project_name, str(key))
        if isinstance(spec, Mapping) and ("default" in spec or "value" in spec):
            defaults[full_key] = config_string(spec.get("value", spec.get("default")))
        elif not isinstance(spec, Mapping):
            defaults[full_key] = config_string(spec)
    return defaults


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProjectError(f"{path}: cannot read: {exc}") from exc
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ProjectError(f"{path}: expected a YAML mapping")
    return document
