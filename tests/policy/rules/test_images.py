"""single-image, image-matches-ray-version, image-pinned."""

from __future__ import annotations

import pytest

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.rules.images import IMAGE_MATCHES_RAY_VERSION, IMAGE_PINNED, SINGLE_IMAGE
from tests.policy.manifests import CPU_RAY, DELETE, HEAD_RAY, at, cluster_edit, good
from tests.policy.rules.support import assert_fix, assert_flags, assert_passes, violations

KINDS = ["RayCluster", "RayJob", "RayService"]


@pytest.mark.parametrize("kind", KINDS)
def test_one_image_family_passes(kind: str) -> None:
    # The GPU group runs the -gpu build of the head's image: same Ray, same Python.
    assert_passes(SINGLE_IMAGE, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_a_different_image_is_flagged(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{CPU_RAY}.image": "rayproject/ray:2.53.0-py310"})

    assert_flags(
        SINGLE_IMAGE,
        doc,
        at(kind, f"{CPU_RAY}.image"),
        "worker group 'cpu' runs 'rayproject/ray:2.53.0-py310' but the head runs "
        "'rayproject/ray:2.53.0'",
        "use one image across the cluster",
    )


def test_unknown_images_are_not_compared() -> None:
    assert_passes(SINGLE_IMAGE, cluster_edit("RayCluster", good(), {f"{CPU_RAY}.image": UNKNOWN}))


# --- image-matches-ray-version ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_matching_ray_version_passes(kind: str) -> None:
    assert_passes(IMAGE_MATCHES_RAY_VERSION, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_a_contradicting_ray_version_is_flagged_on_each_image(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {"rayVersion": "2.46.0"})

    found = violations(IMAGE_MATCHES_RAY_VERSION, doc)

    assert [v.path for v in found] == [
        at(kind, f"{HEAD_RAY}.image"),
        at(kind, f"{CPU_RAY}.image"),
        at(kind, "workerGroupSpecs[1].template.spec.containers[0].image"),
    ]
    assert "'rayproject/ray:2.53.0' runs Ray 2.53.0 but rayVersion is 2.46.0" in found[0].message
    assert not any(v.fixable for v in found)


def test_a_missing_ray_version_is_flagged_and_set_from_the_images() -> None:
    doc = cluster_edit("RayCluster", good(), {"rayVersion": DELETE})

    assert_flags(
        IMAGE_MATCHES_RAY_VERSION,
        doc,
        "spec.rayVersion",
        "is not set",
        "set it to 2.53.0, the version the images run",
    )
    assert assert_fix(IMAGE_MATCHES_RAY_VERSION, doc)["spec"]["rayVersion"] == "2.53.0"


def test_unknown_ray_version_is_not_flagged() -> None:
    doc = cluster_edit("RayCluster", good(), {"rayVersion": UNKNOWN})
    assert_passes(IMAGE_MATCHES_RAY_VERSION, doc)


# --- image-pinned ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_tagged_images_pass(kind: str) -> None:
    assert_passes(IMAGE_PINNED, good(kind))


@pytest.mark.parametrize(
    ("image", "what"),
    [
        ("rayproject/ray:latest", "uses the latest tag"),
        ("rayproject/ray", "has no tag (so it means latest)"),
        ("registry.local:5000/ray", "has no tag"),
    ],
)
def test_latest_or_untagged_images_are_flagged(image: str, what: str) -> None:
    doc = cluster_edit("RayJob", good("RayJob"), {f"{HEAD_RAY}.image": image})
    assert_flags(
        IMAGE_PINNED,
        doc,
        f"spec.rayClusterSpec.{HEAD_RAY}.image",
        f"{image!r} {what}",
        "pin a version tag",
    )


def test_digests_and_sidecars() -> None:
    sidecar = {"name": "logs", "image": "fluent/fluent-bit"}
    doc = cluster_edit(
        "RayCluster",
        good(),
        {
            f"{HEAD_RAY}.image": "rayproject/ray@sha256:" + "a" * 64,
            "headGroupSpec.template.spec.containers[1]": sidecar,
        },
    )
    assert_flags(
        IMAGE_PINNED,
        doc,
        "spec.headGroupSpec.template.spec.containers[1].image",
        "'fluent/fluent-bit' has no tag",
    )
