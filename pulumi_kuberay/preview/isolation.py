"""Give a program the process state the Pulumi language host gives it, then take it back.

The Python language host runs a program with its directory as the working directory and on
``sys.path``. Several programs in one process (tests, ``stacks/`` checks) must not see each
other's modules: two projects may both have a ``helpers.py``. So while a program runs, modules
named like its own top-level modules but loaded from somewhere else are set aside, and what it
imported from its own directory is forgotten afterwards. Modules that are shared by nature are
left alone: installed packages (a virtualenv inside the project must keep what it already
imported) and modules already loaded from the program's own directory.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

__all__ = ["isolated_program"]


@contextlib.contextmanager
def isolated_program(program_dir: Path) -> Iterator[None]:
    """Run the body with ``program_dir`` as cwd and first on ``sys.path``; restore both after.

    Not thread-safe by nature (cwd, ``sys.path`` and ``sys.modules`` are process-wide): callers
    serialize runs.
    """
    program_dir = program_dir.resolve()
    shared = {
        root
        for root in _top_level_module_names(program_dir)
        if root in sys.modules
        and (_is_installed(sys.modules[root]) or _loaded_from(sys.modules[root], program_dir))
    }
    private = _top_level_module_names(program_dir) - shared
    set_aside = {name: mod for name, mod in sys.modules.items() if _root(name) in private}
    for name in set_aside:
        del sys.modules[name]
    modules_before = set(sys.modules)
    saved_path = list(sys.path)
    saved_cwd = os.getcwd()
    importlib.invalidate_caches()
    sys.path.insert(0, str(program_dir))
    os.chdir(program_dir)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for name in set(sys.modules) - modules_before:
            if _root(name) in private:
                del sys.modules[name]
        sys.modules.update(set_aside)
        importlib.invalidate_caches()


def _root(module_name: str) -> str:
    return module_name.partition(".")[0]


def _top_level_module_names(directory: Path) -> set[str]:
    names = set()
    for entry in directory.iterdir():
        if entry.suffix == ".py" and entry.stem != "__main__":
            names.add(entry.stem)
        elif entry.is_dir() and entry.name.isidentifier() and any(entry.glob("*.py")):
            # Regular and namespace packages alike.
            names.add(entry.name)
    return names


def _locations(module: ModuleType) -> list[Path]:
    places = [getattr(module, "__file__", None), *getattr(module, "__path__", [])]
    return [Path(place).resolve() for place in places if place]


def _loaded_from(module: ModuleType, directory: Path) -> bool:
    return any(path.is_relative_to(directory) for path in _locations(module))


def _is_installed(module: ModuleType) -> bool:
    locations = _locations(module)
    if not locations:
        return True  # built-in
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots = [Path(prefix).resolve() for prefix in prefixes]
    return all(any(path.is_relative_to(root) for root in roots) for path in locations)
