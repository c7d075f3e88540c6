"""The base of every whole Kubernetes object the library models: ``apiVersion``, ``kind``,
``metadata``, and the one place manifests are produced (:meth:`KubernetesObject.to_manifest`).

Ray's custom resources, Kueue queues, cert-manager issuers, monitors and node pools all derive
from :class:`KubernetesObject`, so every object the library emits goes through the same dump
(and the test suite's conformance guard sees every one of them).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel


class ObjectMeta(CrdModel):
    """The ``metadata`` of an object: the parts a manifest author sets.

    Server-populated fields (uid, resourceVersion, ...) are accepted so that objects read back
    from a cluster parse, and are dumped unchanged.
    https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/
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


class KubernetesObject(CrdModel):
    """A whole object: ``apiVersion``, ``kind`` and ``metadata`` (subclasses add the rest).

    ``API_VERSION`` and ``KIND`` name the type; ``to_manifest()`` is the contract between layers:
    the plain dict that components hand to Kubernetes, policies check and
    ``pulumi-kuberay preview --out`` writes as YAML.
    """

    API_VERSION: ClassVar[str] = ""
    KIND: ClassVar[str] = ""

    api_version: str = ""
    kind: str = ""
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)

    def to_manifest(self) -> dict[str, Any]:
        """The object as a plain dict in the exact API shape, ``apiVersion`` and ``kind`` first."""
        body = self.to_dict()
        head = {"apiVersion": self.api_version or self.API_VERSION, "kind": self.kind or self.KIND}
        body.pop("apiVersion", None)
        body.pop("kind", None)
        return {**head, **body}
