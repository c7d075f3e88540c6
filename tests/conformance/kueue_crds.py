"""Kueue manifests against the real Kueue v0.19.2 CRDs: the harness's registry, named for Kueue.

Each manifest is checked in the served version its ``apiVersion`` names (``v1beta2``, or
``v1beta1`` for the older rendering): pruned and defaulted as the API server does, validated
(patterns matched as Go matches them, so Kueue's ``^(?i)...`` work), CEL rules evaluated with
cel-python (see ``tests/conformance/README.md``). The CRDs are read in place from
``<repo root>/../shared/crds/kueue-v0.19.2/crds``; tests skip with the reason when it is absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.conformance.registry import conformance_problems
from tests.conformance.shared_folders import require_shared_folder

KUEUE_GROUP = "kueue.x-k8s.io"


def require_kueue_crds() -> Path:
    """The Kueue CRD folder, or skip the calling test."""
    return require_shared_folder("kueue") / "crds"


def kueue_problems(manifest: Mapping[str, Any]) -> list[str]:
    """Every reason the API server would reject or change a Kueue manifest (a fixed name is
    required too: the library names every object it emits)."""
    if not str(manifest.get("apiVersion", "")).startswith(f"{KUEUE_GROUP}/"):
        raise ValueError(f"not a Kueue manifest: apiVersion={manifest.get('apiVersion')!r}")
    return conformance_problems(manifest, require_name=True)
