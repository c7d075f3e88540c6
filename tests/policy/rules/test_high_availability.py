"""rayservice-gcs-fault-tolerance."""

from __future__ import annotations

from pulumi_kuberay.policy.rules.high_availability import RAYSERVICE_GCS_FAULT_TOLERANCE
from tests.policy.manifests import DELETE, edit, good
from tests.policy.rules.support import assert_flags, assert_passes


def test_a_rayservice_with_gcs_ft_passes() -> None:
    assert_passes(RAYSERVICE_GCS_FAULT_TOLERANCE, good("RayService"))


def test_a_rayservice_without_gcs_ft_is_flagged() -> None:
    doc = edit(good("RayService"), spec__rayClusterConfig__gcsFaultToleranceOptions=DELETE)
    assert_flags(
        RAYSERVICE_GCS_FAULT_TOLERANCE,
        doc,
        "spec.rayClusterConfig.gcsFaultToleranceOptions",
        "a head pod failure restarts the whole cluster",
        "set gcsFaultToleranceOptions.redisAddress",
    )


def test_the_legacy_annotation_counts() -> None:
    doc = edit(good("RayService"), spec__rayClusterConfig__gcsFaultToleranceOptions=DELETE)
    doc["metadata"]["annotations"] = {"ray.io/ft-enabled": "true"}
    assert_passes(RAYSERVICE_GCS_FAULT_TOLERANCE, doc)


def test_only_rayservices_are_checked() -> None:
    assert not RAYSERVICE_GCS_FAULT_TOLERANCE.applies_to(good("RayCluster"))
