"""Ray images: one image across the cluster, matching ``rayVersion``, pinned to a tag.

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#pod-configuration-containers
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_kuberay.models.images import image_family, image_ray_version, split_image
from pulumi_kuberay.policy.manifest_reading import UNKNOWN, text
from pulumi_kuberay.policy.model import Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import (
    ClusterSpec,
    Container,
    cluster_specs,
    containers,
    groups,
    ray_containers,
)
from pulumi_kuberay.policy.remediation import as_dict, fixed_copy
from pulumi_kuberay.policy.rules import docs


def _images(cluster: ClusterSpec) -> list[tuple[Container, str]]:
    """The Ray containers of ``cluster`` whose image is known, with the image."""
    found = []
    for container in ray_containers(cluster):
        image = text(container.spec.get("image"))
        if image:
            found.append((container, image))
    return found


# --- single-image --------------------------------------------------------------------------


def check_single_image(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for cluster in cluster_specs(manifest):
        images = _images(cluster)
        head = next(((c, i) for c, i in images if c.group.is_head), None)
        if head is None:
            continue
        head_family = image_family(head[1])
        for container, image in images:
            if not container.group.is_head and image_family(image) != head_family:
                yield Violation(
                    f"{container.path}.image",
                    f"{container.group.label} runs {image!r} but the head runs {head[1]!r}; Ray "
                    "needs the same Ray and Python version on every node, so use one image "
                    "across the cluster (its -gpu/CUDA builds are fine)",
                )


SINGLE_IMAGE = Rule(
    id="single-image",
    severity=Severity.MEDIUM,
    description="One Ray image (one Ray and Python version) across head and all worker groups",
    reason=(
        "Ray requires every node of a cluster to run the same Ray and Python versions; mixed "
        "images fail at connect time or, worse, with pickling errors at run time. GPU and CUDA "
        "variants of the same image are compatible."
    ),
    url=docs.CONTAINERS,
    check=check_single_image,
)

# --- image-matches-ray-version -------------------------------------------------------------


def _tagged_versions(images: list[tuple[Container, str]]) -> set[str]:
    return {v for _, image in images if (v := image_ray_version(image)) is not None}


def check_image_matches_ray_version(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for cluster in cluster_specs(manifest):
        ray_version = cluster.spec.get("rayVersion")
        if ray_version is UNKNOWN:
            continue
        images = _images(cluster)
        if ray_version is None:
            versions = _tagged_versions(images)
            hint = ""
            if len(versions) == 1:
                hint = f" to {next(iter(versions))}, the version the images run"
            if images:
                yield Violation(
                    f"{cluster.path}.rayVersion",
                    "is not set; KubeRay uses it to pick version-dependent behaviour (autoscaler "
                    f"v2, token auth); set it{hint}",
                    fixable=bool(hint),
                )
            continue
        for container, image in images:
            tagged = image_ray_version(image)
            if tagged is not None and tagged != str(ray_version):
                yield Violation(
                    f"{container.path}.image",
                    f"{image!r} runs Ray {tagged} but rayVersion is {ray_version}; make them "
                    "match (KubeRay configures the cluster for rayVersion)",
                    fixable=False,
                )


def set_ray_version_from_images(manifest: Manifest, settings: Settings) -> Manifest:
    """Set a missing ``rayVersion`` when every tagged image names the same Ray version; a
    mismatch needs a human to decide which side is right."""
    fixed = fixed_copy(manifest)
    for cluster in cluster_specs(fixed):
        if "rayVersion" in cluster.spec:
            continue
        versions = _tagged_versions(_images(cluster))
        if len(versions) == 1:
            as_dict(cluster.spec)["rayVersion"] = versions.pop()
    return fixed


IMAGE_MATCHES_RAY_VERSION = Rule(
    id="image-matches-ray-version",
    severity=Severity.MEDIUM,
    description="rayVersion is set and matches the Ray version of the images",
    reason=(
        "KubeRay enables version-dependent features from rayVersion (autoscaler v2 from 2.47, "
        "token authentication from 2.52). A rayVersion that contradicts the image turns on "
        "behaviour the running Ray does not have."
    ),
    url=docs.CONTAINERS,
    check=check_image_matches_ray_version,
    remediate=set_ray_version_from_images,
)

# --- image-pinned --------------------------------------------------------------------------


def _all_containers(manifest: Mapping[str, Any]) -> Iterator[Container]:
    for cluster in cluster_specs(manifest):
        for group in groups(cluster):
            yield from containers(group, init=True)


def check_image_pinned(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    for container in _all_containers(manifest):
        image = text(container.spec.get("image"))
        if not image or "@" in image:
            continue
        _, tag = split_image(image)
        if tag is None or tag == "latest":
            what = "has no tag (so it means latest)" if tag is None else "uses the latest tag"
            yield Violation(
                f"{container.path}.image",
                f"{image!r} {what}; pods created later (autoscaling, restarts) can pull a "
                "different Ray version than the rest of the cluster; pin a version tag such as "
                "rayproject/ray:2.53.0 or a digest",
            )


IMAGE_PINNED = Rule(
    id="image-pinned",
    severity=Severity.MEDIUM,
    description="No latest or untagged images in Ray pods",
    reason=(
        "A moving tag is resolved per pod: workers added by the autoscaler or restarted after a "
        "failure can run a newer Ray than the head, which Ray does not support."
    ),
    url=docs.CONTAINERS,
    check=check_image_pinned,
)

RULES = (SINGLE_IMAGE, IMAGE_MATCHES_RAY_VERSION, IMAGE_PINNED)
