"""The base of the top-level KubeRay custom resources (RayCluster, RayJob, RayService, ...)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from pulumi_kuberay.models.field_requirements import Requires
from pulumi_kuberay.models.objects import KubernetesObject, ObjectMeta

__all__ = ["API_VERSION", "CustomResourceModel", "ObjectMeta"]

API_VERSION = "ray.io/v1"


class CustomResourceModel(KubernetesObject):
    """A whole ``ray.io/v1`` object: ``apiVersion``, ``kind``, ``metadata``, ``spec`` and
    ``status``."""

    API_VERSION: ClassVar[str] = API_VERSION
    REQUIRES: ClassVar[Requires | None] = None
    """What the kind itself needs of the operator (a release, a gate), if anything."""

    api_version: str = Field(default=API_VERSION)
    status: dict[str, Any] | None = None
