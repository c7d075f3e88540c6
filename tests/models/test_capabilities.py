"""OperatorCapabilities: versions, feature gates and watched namespaces."""

from __future__ import annotations

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.spec import OperatorCapabilities
from pulumi_kuberay.versions import parse_version


def test_defaults_follow_the_release() -> None:
    caps = OperatorCapabilities()
    assert caps.version == "1.5.1"
    assert caps.effective_feature_gates == {
        "RayClusterStatusConditions": True,
        "RayJobDeletionPolicy": False,
        "RayMultiHostIndexing": False,
        "RayServiceIncrementalUpgrade": False,
    }


def test_overrides_apply_on_top_of_defaults() -> None:
    caps = OperatorCapabilities(feature_gates={"RayJobDeletionPolicy": True})
    assert caps.gate_enabled("RayJobDeletionPolicy")
    assert caps.gate_enabled("RayClusterStatusConditions")
    assert not caps.gate_enabled("NoSuchGate")


def test_unknown_gate_is_an_error() -> None:
    with pytest.raises(ValidationError, match="feature gate 'RayCronJob' does not exist"):
        OperatorCapabilities(feature_gates={"RayCronJob": True})


def test_watched_namespaces() -> None:
    assert OperatorCapabilities().watches("anything")
    scoped = OperatorCapabilities(watch_namespaces=["ml"])
    assert scoped.watches("ml")
    assert not scoped.watches("default")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.5.1", (1, 5, 1)), ("v1.5", (1, 5, 0)), ("2.53.0rc1", (2, 53, 0)), (" 2.9.3 ", (2, 9, 3))],
)
def test_parse_version(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_version(text) == expected
