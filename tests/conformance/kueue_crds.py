"""Check Kueue manifests against the real Kueue v0.19.2 CRDs, per served version, the way the
API server does: prune and default (:class:`CrdSchemas`), validate, and evaluate every CEL rule
(``x-kubernetes-validations``) with a real CEL interpreter (cel-python), since Kueue's CRDs carry
rules the KubeRay harness does not know.

The CRDs are read in place from ``<repo root>/../shared/crds/kueue-v0.19.2/crds``; tests skip with
the reason when the folder is absent.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import pytest

from tests.conformance.cel_rules import cel_problems
from tests.conformance.crd_schema import REPO_ROOT, CrdSchemas, load_yaml_documents

KUEUE_CRDS: Final[Path] = REPO_ROOT.parent / "shared" / "crds" / "kueue-v0.19.2" / "crds"


def require_kueue_crds() -> Path:
    """The Kueue CRD folder, or skip the calling test."""
    if not KUEUE_CRDS.is_dir():
        pytest.skip(f"{KUEUE_CRDS} is absent: Kueue conformance needs the Kueue v0.19.2 CRDs")
    return KUEUE_CRDS


def _crds() -> list[dict[str, Any]]:
    return [
        doc
        for path in sorted(require_kueue_crds().glob("*.yaml"))
        for doc in load_yaml_documents(path)
        if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition"
    ]


def _python_patterns(node: Any) -> Any:
    # Go's regexp takes inline flags anywhere (``^(?i)[a-z]...``); Python's only at the start.
    if isinstance(node, dict):
        out = {k: _python_patterns(v) for k, v in node.items()}
        pattern = out.get("pattern")
        if isinstance(pattern, str) and pattern.startswith("^(?i)"):
            out["pattern"] = "(?i)^" + pattern[len("^(?i)") :]
        return out
    if isinstance(node, list):
        return [_python_patterns(v) for v in node]
    return node


def _as_storage(crd: Mapping[str, Any], version: str) -> dict[str, Any] | None:
    served = [v for v in crd["spec"]["versions"] if v["name"] == version]
    if not served:
        return None
    out = copy.deepcopy(dict(crd))
    out["spec"]["versions"] = [{**_python_patterns(served[0]), "storage": True}]
    return out


@functools.cache
def kueue_schemas(version: str) -> CrdSchemas:
    """The checker of every Kueue kind in API ``version`` (``v1beta2`` or ``v1beta1``)."""
    return CrdSchemas(c for crd in _crds() if (c := _as_storage(crd, version)) is not None)


def kueue_problems(manifest: Mapping[str, Any]) -> list[str]:
    """Every reason the API server would reject or change a Kueue manifest: schema, pruning and
    defaults per its ``apiVersion``, then the CRD's CEL rules on the defaulted object."""
    version = str(manifest.get("apiVersion", "")).rpartition("/")[2]
    schemas = kueue_schemas(version)
    problems = schemas.problems(manifest, require_name=True)
    if problems:
        return problems
    stored = schemas.as_stored(manifest)
    schema = schemas.schema(str(manifest["apiVersion"]), str(manifest["kind"]))
    return cel_problems(stored, schema)
