"""The base of the three top-level KubeRay custom resources (RayCluster, RayJob, RayService)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel

API_VERSION = "ray.io/v1"


class ObjectMeta(CrdModel):
    """The ``metadata`` of a custom resource: the parts a manifest author sets.

    Server-populated fields (uid, resourceVersion, ...) are accepted so that objects read back
    from a cluster parse, and are dumped unchanged.
    """

    name: str | None = None
    generate_name: str | None = None
    namespace: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    finalizers: list[str] | None = None
    owner_references: list[dict[str, Any]] | None = None
    uid: str | None = None
    resource_version: str | None = None
    generation: int | None = None
    creation_timestamp: str | None = None
    deletion_timestamp: str | None = None
    deletion_grace_period_seconds: int | None = None
    managed_fields: list[dict[str, Any]] | None = None
    self_link: str | None = None


class CustomResourceModel(CrdModel):
    """A whole ``ray.io/v1`` object: ``apiVersion``, ``kind``, ``metadata``, ``spec``.

    ``to_manifest()`` is the contract between layers: the plain dict that components hand to
    Kubernetes, policies check and ``pulumi-kuberay preview --out`` writes as YAML.
    """

    KIND: ClassVar[str] = ""

    api_version: str = Field(default=API_VERSION)
    kind: str = ""
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)
    status: dict[str, Any] | None = None

    def to_manifest(self) -> dict[str, Any]:
        """The object as a plain dict in the exact CRD shape, ``apiVersion`` and ``kind`` first."""
        body = self.to_dict()
        head = {"apiVersion": self.api_version, "kind": self.kind or self.KIND}
        body.pop("apiVersion", None)
        body.pop("kind", None)
        return {**head, **body}
