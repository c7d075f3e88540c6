"""Write the objects of a preview as YAML files, and read such files back.

Unknown values are written as a YAML tag, ``!unknown known after deploy``, and each file's
header lists their paths. A tag, not a string, so that no reader can take it for data: YAML
loaders without a ``!unknown`` constructor (``yaml.safe_load``) refuse the file, and
:func:`read_manifests` turns it back into :data:`~pulumi_kuberay.preview.UNKNOWN`, so ``lint``
and the policies can treat it as unknown, as they do during ``pulumi preview``.
The files are for review and checks, not for ``kubectl apply``.
"""

from __future__ import annotations

import collections
import os
import re
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from pulumi_kuberay.models.unknown import UNKNOWN, Unknown
from pulumi_kuberay.preview.errors import OutputDirError
from pulumi_kuberay.preview.model import KubernetesObject, PreviewResult

__all__ = [
    "MARKER_FILE",
    "UNKNOWN_TAG",
    "dump_manifest",
    "format_value",
    "manifest_file_names",
    "read_manifests",
    "write_manifests",
]

UNKNOWN_TAG = "!unknown"
UNKNOWN_TEXT = "known after deploy"
MARKER_FILE = ".pulumi-kuberay-preview"
"""Marks a directory as written by :func:`write_manifests`, so a later run may replace it."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # manifests stay self-contained: no &anchors / *aliases


def _represent_unknown(dumper: yaml.SafeDumper, _value: Unknown) -> yaml.ScalarNode:
    return dumper.represent_scalar(UNKNOWN_TAG, UNKNOWN_TEXT)


_Dumper.add_representer(Unknown, _represent_unknown)


class _Loader(yaml.SafeLoader):
    pass


def _construct_unknown(_loader: yaml.SafeLoader, _node: yaml.Node) -> Unknown:
    return UNKNOWN


_Loader.add_constructor(UNKNOWN_TAG, _construct_unknown)


def dump_manifest(manifest: dict[str, Any]) -> str:
    """One manifest as YAML, keys in the manifest's order, unknowns tagged ``!unknown``."""
    return yaml.dump(manifest, Dumper=_Dumper, sort_keys=False, default_flow_style=False)


def read_manifests(path: Path) -> list[dict[str, Any]]:
    """Every YAML document in ``path``, with ``!unknown`` values as UNKNOWN."""
    with Path(path).open(encoding="utf-8") as stream:
        return [doc for doc in yaml.load_all(stream, Loader=_Loader) if doc is not None]


def manifest_file_names(objects: Iterable[KubernetesObject]) -> list[str]:
    """File names for ``objects``, in order: ``<namespace>--<kind>--<name>.yaml``, lowercase.

    No namespace gives ``_``, an unknown namespace ``_unknown``, an unknown name
    ``_unknown-<resource name>`` (underscores cannot occur in real Kubernetes names, so these
    never collide with one). Two objects with the same name get their resource's logical name
    appended, then a counter.
    """
    objects = list(objects)
    bases = [_base_name(obj) for obj in objects]
    counts = collections.Counter(bases)
    names: list[str] = []
    taken: set[str] = set()
    for obj, base in zip(objects, bases, strict=True):
        candidate = base if counts[base] == 1 else f"{base}--{_slug(obj.resource.name)}"
        unique, counter = candidate, 2
        while unique in taken:
            unique, counter = f"{candidate}-{counter}", counter + 1
        taken.add(unique)
        names.append(f"{unique}.yaml")
    return names


def write_manifests(result: PreviewResult, out_dir: Path) -> list[Path]:
    """Write one YAML file per Kubernetes object into ``out_dir``; return the paths, sorted.

    All or nothing: files are written into a temporary directory beside ``out_dir`` that
    replaces it only once every file is written. ``out_dir`` may be missing, empty, or a
    directory this function wrote before (its stale files go); anything else is refused with
    :class:`~pulumi_kuberay.preview.OutputDirError` before writing.
    """
    _check_replaceable(Path(out_dir))
    target = Path(out_dir).resolve()
    objects = result.objects()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _new_sibling_dir(target, "tmp")
    try:
        (staging / MARKER_FILE).write_text(
            f"project: {result.project}\nstack: {result.stack}\n", encoding="utf-8"
        )
        names = manifest_file_names(objects)
        for obj, name in zip(objects, names, strict=True):
            (staging / name).write_text(_file_text(result, obj), encoding="utf-8")
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(Path(out_dir) / name for name in names)


def _file_text(result: PreviewResult, obj: KubernetesObject) -> str:
    header = [
        f"# Rendered offline by pulumi-kuberay preview (project {result.project}, "
        f"stack {result.stack}).",
        f"# Resource: {obj.resource.urn}",
    ]
    paths = obj.unknown_paths
    if paths:
        header.append(f"# Values tagged {UNKNOWN_TAG} only exist after a real deploy:")
        header.extend(f"#   {path}" for path in paths)
    return "\n".join(header) + "\n" + dump_manifest(obj.manifest)


def _check_replaceable(out_dir: Path) -> None:
    if Path.cwd().resolve().is_relative_to(out_dir.resolve()):
        raise OutputDirError(f"{out_dir} holds the current directory; choose another directory")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputDirError(f"{out_dir} exists and is not a directory")
    if any(out_dir.iterdir()) and not (out_dir / MARKER_FILE).is_file():
        raise OutputDirError(
            f"{out_dir} is not empty and was not written by pulumi-kuberay preview; "
            "choose a new or empty directory"
        )


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    retired = _new_sibling_dir(out_dir, "old")
    retired.rmdir()
    os.replace(out_dir, retired)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        os.replace(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _new_sibling_dir(out_dir: Path, purpose: str) -> Path:
    # Beside out_dir so the final rename stays on one filesystem (and is atomic); created with
    # mkdir rather than mkdtemp so it gets the usual umask-based mode, not 0700.
    while True:
        candidate = out_dir.parent / f".{out_dir.name}.{purpose}-{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate


def _base_name(obj: KubernetesObject) -> str:
    namespace = obj.namespace
    if namespace is None:
        namespace_part = "_"
    elif isinstance(namespace, Unknown):
        namespace_part = "_unknown"
    else:
        namespace_part = _slug(namespace)
    name = obj.name
    if isinstance(name, str) and name:
        name_part = _slug(name)
    else:
        name_part = f"_unknown-{_slug(obj.resource.name)}"
    return f"{namespace_part}--{_slug(obj.kind)}--{name_part}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", str(text).lower()).strip("-.") or "-"


def format_value(value: Any) -> str:
    """A value on one line, as flow YAML (``{a: 1}``), unknowns as ``!unknown ...``."""
    text = yaml.dump(value, Dumper=_Dumper, default_flow_style=True, width=10_000)
    return text.removesuffix("\n...\n").strip()  # a bare scalar ends with a document end
