"""Ray image decisions: the default image per group and the one-image rule.

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#pod-configuration-containers
"""

from __future__ import annotations

import re

from pulumi_kuberay.versions import DEFAULT_RAY_IMAGE_REPOSITORY

# Variants of one Ray build that keep Ray and Python versions: GPU/CPU builds and CUDA flavours.
_VARIANT_SUFFIX = re.compile(r"-(gpu|cpu|cu\d+)$")
_TAG_VERSION = re.compile(r"^(\d+\.\d+\.\d+)")


def split_image(image: str) -> tuple[str, str | None]:
    """``repo[:tag][@digest]`` -> (repository, tag or ``None``)."""
    name = image.split("@", 1)[0]
    repository, sep, tag = name.rpartition(":")
    if not sep or "/" in tag:
        return name, None
    return repository, tag


def image_family(image: str) -> str:
    """The image with CPU/GPU/CUDA variant suffixes dropped: one Ray and Python version."""
    repository, tag = split_image(image)
    if tag is None:
        return repository
    return f"{repository}:{_VARIANT_SUFFIX.sub('', tag)}"


def image_ray_version(image: str) -> str | None:
    """The Ray version an official-style tag names (``2.53.0-gpu`` -> ``2.53.0``)."""
    _, tag = split_image(image)
    match = _TAG_VERSION.match(tag or "")
    return match.group(1) if match else None


def decide_group_image(cluster_image: str | None, ray_version: str, *, wants_gpu: bool) -> str:
    """The image for a group when the user named none: the cluster's, or the official Ray image
    for ``ray_version`` (its ``-gpu`` build for NVIDIA GPU groups)."""
    if cluster_image:
        return cluster_image
    suffix = "-gpu" if wants_gpu else ""
    return f"{DEFAULT_RAY_IMAGE_REPOSITORY}:{ray_version}{suffix}"


def single_image_problems(images: dict[str, str], ray_version: str) -> list[str]:
    """Groups whose image differs from the head's family or whose tag contradicts rayVersion."""
    problems = []
    head_family = image_family(images["head"]) if "head" in images else None
    for where, image in images.items():
        if head_family is not None and image_family(image) != head_family:
            problems.append(
                f"{where}.image: {image!r} differs from the head image {images['head']!r}; use one "
                "Ray image (one Ray and Python version) across the cluster, or set "
                "BestPractices(single_image=False)"
            )
        tagged = image_ray_version(image)
        if tagged is not None and tagged != ray_version:
            problems.append(
                f"{where}.image: {image!r} runs Ray {tagged} but ray_version is {ray_version}; "
                "make them match (KubeRay uses rayVersion to pick compatible behaviour)"
            )
    return problems
