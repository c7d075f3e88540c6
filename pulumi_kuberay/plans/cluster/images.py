"""Ray image decisions: the default image per group and the one-image rule.

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html#pod-configuration-containers
"""

from __future__ import annotations

from pulumi_kuberay.models.images import image_family, image_ray_version
from pulumi_kuberay.versions import DEFAULT_RAY_IMAGE_REPOSITORY


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
