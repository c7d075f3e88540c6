"""Reading Ray image references: repository, tag, the Ray version a tag names, and the image
family (one Ray and Python version, whatever the CPU/GPU/CUDA variant).

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#pod-configuration-containers
"""

from __future__ import annotations

import re

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
