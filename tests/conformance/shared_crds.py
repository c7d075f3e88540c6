"""Checkers for the other CRDs a TLS cluster's objects meet: cert-manager v1.21.1 and the KubeRay
CRDs of a given release (``../shared/crds`` and ``../shared/kuberay*``), loaded once each.

Tests that need a folder skip with the reason when it is absent.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Final

import pytest

from tests.conformance.crd_schema import CRD_FILES, REPO_ROOT, CrdSchemas

SHARED: Final = REPO_ROOT.parent / "shared"
CERT_MANAGER_CRDS: Final = SHARED / "crds" / "cert-manager-v1.21.1" / "crds"
KUBERAY_CRDS: Final = {
    "1.5": SHARED / "kuberay" / "crds",
    "1.6": SHARED / "kuberay-1.6" / "crds",
    "1.7": SHARED / "kuberay-1.7" / "crds",
}


def _require(folder: Path, what: str) -> Path:
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: {what} live beside the repository in ../shared")
    return folder


@functools.cache
def _cert_manager() -> CrdSchemas:
    return CrdSchemas.from_files(sorted(CERT_MANAGER_CRDS.glob("*.yaml")))


def cert_manager_schemas() -> CrdSchemas:
    """The cert-manager v1.21.1 CRDs (Certificate, CertificateRequest, Issuer, ClusterIssuer)."""
    _require(CERT_MANAGER_CRDS, "the cert-manager v1.21.1 CRDs")
    return _cert_manager()


@functools.cache
def _kuberay(folder: Path) -> CrdSchemas:
    return CrdSchemas.from_files(folder / name for name in CRD_FILES)


def kuberay_schemas(release: str) -> CrdSchemas:
    """The KubeRay CRDs of ``release`` (``"1.5"``, ``"1.6"`` or ``"1.7"``)."""
    folder = KUBERAY_CRDS[release]
    return _kuberay(_require(folder, f"the KubeRay {release} CRDs"))
