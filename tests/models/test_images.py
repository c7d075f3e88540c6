"""Reading Ray image references."""

from __future__ import annotations

import pytest

from pulumi_kuberay.models.images import image_family, image_ray_version, split_image


@pytest.mark.parametrize(
    ("image", "repository", "tag"),
    [
        ("rayproject/ray:2.53.0", "rayproject/ray", "2.53.0"),
        ("registry:5000/ray", "registry:5000/ray", None),
        ("rayproject/ray:2.53.0@sha256:abc", "rayproject/ray", "2.53.0"),
        ("ray", "ray", None),
    ],
)
def test_split_image(image: str, repository: str, tag: str | None) -> None:
    assert split_image(image) == (repository, tag)


def test_cpu_gpu_and_cuda_builds_are_one_family() -> None:
    family = image_family("rayproject/ray-ml:2.53.0")
    assert image_family("rayproject/ray-ml:2.53.0-gpu") == family
    assert image_family("rayproject/ray:2.53.0-cu121") == "rayproject/ray:2.53.0"
    assert image_family("rayproject/ray:2.53.0-py311") != image_family("rayproject/ray:2.53.0")


def test_ray_version_from_the_tag() -> None:
    assert image_ray_version("rayproject/ray:2.53.0-py311-gpu") == "2.53.0"
    assert image_ray_version("rayproject/ray:latest") is None
    assert image_ray_version("my/ray") is None
