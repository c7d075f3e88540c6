"""The feature gates of each KubeRay release: names, defaults and stages, checked against the
tables of ``../shared/kuberay-1.6/SOURCE.md`` and ``../shared/kuberay-1.7/SOURCE.md``."""

from __future__ import annotations

import re

import pytest

from pulumi_kuberay.versions import (
    default_feature_gates,
    feature_gates_for,
    gate_absence_reason,
)
from tests.releases import RELEASES, Release, require_release

GATES_1_5_1 = {
    "RayClusterStatusConditions": (True, "Beta"),
    "RayJobDeletionPolicy": (False, "Alpha"),
    "RayMultiHostIndexing": (False, "Alpha"),
    "RayServiceIncrementalUpgrade": (False, "Alpha"),
}
"""ray-operator/pkg/features/features.go at v1.5.1 (lines 48-53)."""

_ROW = re.compile(r"^\| `(\w+)` \| (on|off) \(`(?:true|false)`\) \| (Alpha|Beta|GA) \|")


def source_table(release: Release) -> dict[str, tuple[bool, str]]:
    """Gate -> (default, stage) from the release's SOURCE.md feature-gate table."""
    text = (release.folder / "SOURCE.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        match = _ROW.match(line)
        if match:
            rows[match.group(1)] = (match.group(2) == "on", match.group(3))
    return rows


@pytest.mark.parametrize("release", [r for r in RELEASES if r.version != "1.5.1"], ids=str)
def test_gate_table_matches_the_release_source(release: Release) -> None:
    require_release(release)
    expected = source_table(release)
    assert expected, "no feature-gate table found in SOURCE.md"
    found = {name: (g.enabled, g.stage) for name, g in feature_gates_for(release.version).items()}
    assert found == expected


@pytest.mark.parametrize("version", ["1.6.0", "1.6.1", "1.6.2"])
def test_every_1_6_patch_has_the_gates_of_1_6_2(version: str) -> None:
    assert default_feature_gates(version) == default_feature_gates("1.6.2")


def test_gates_of_1_5_1() -> None:
    found = {name: (g.enabled, g.stage) for name, g in feature_gates_for("1.5.1").items()}
    assert found == GATES_1_5_1


def test_gate_defaults_that_changed_between_releases() -> None:
    assert default_feature_gates("1.5.1")["RayJobDeletionPolicy"] is False
    assert default_feature_gates("1.6.0")["RayJobDeletionPolicy"] is True
    assert default_feature_gates("1.5.1")["RayMultiHostIndexing"] is False
    assert default_feature_gates("1.6.2")["RayMultiHostIndexing"] is True
    assert default_feature_gates("1.6.2")["RayServiceIncrementalUpgrade"] is False
    assert default_feature_gates("1.7.0")["RayServiceIncrementalUpgrade"] is True
    assert default_feature_gates("1.2.0")["RayClusterStatusConditions"] is False
    assert default_feature_gates("1.3.0")["RayClusterStatusConditions"] is True


def test_gate_added_and_removed() -> None:
    assert "RayCronJob" not in default_feature_gates("1.5.1")
    assert "AsyncJobInfoQuery" in default_feature_gates("1.6.2")
    assert "AsyncJobInfoQuery" not in default_feature_gates("1.7.0")
    assert gate_absence_reason("RayCronJob", "1.5.1") == "'RayCronJob' was added in KubeRay 1.6.0"
    assert (
        gate_absence_reason("AsyncJobInfoQuery", "1.7.0")
        == "'AsyncJobInfoQuery' was removed in KubeRay 1.7.0"
    )
    assert gate_absence_reason("Nope", "1.7.0") == "'Nope' is not a KubeRay feature gate"
