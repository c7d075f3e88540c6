"""What a preview run produces: the recorded resource graph and the objects it stands for."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from pulumi_kuberay.models.unknown import Unknown, unknown_paths
from pulumi_kuberay.preview.kubernetes import ResourceRole, classify, manifest_from_inputs

__all__ = ["Diagnostic", "KubernetesObject", "PreviewResource", "PreviewResult"]


@dataclasses.dataclass(frozen=True)
class PreviewResource:
    """One resource registration the program made, as the mock monitor saw it.

    ``inputs`` are plain values (see :func:`pulumi_kuberay.preview.wire_values.to_plain`), with
    :data:`~pulumi_kuberay.preview.UNKNOWN` wherever the value only exists after a deploy.
    ``parent_urn`` is the stack's URN for top-level resources. ``provider_urn`` is set only
    when the program passed an explicit provider. ``dependencies`` are the URNs the engine
    would order this resource after (``depends_on`` plus resources whose outputs feed inputs).
    ``remote`` marks a remote component (its children live in the provider), ``read`` a
    ``Resource.get`` lookup (``resource_id`` is the id looked up, or the ``import_`` id), and
    ``transforms`` counts the transforms declared on it, which mocks record but never run.

    URNs are the mock monitor's: unlike the engine's, top-level types keep the
    ``pulumi:pulumi:Stack$`` prefix, so compare by name and type rather than by URN text.
    """

    urn: str
    type: str
    name: str
    parent_urn: str
    custom: bool
    inputs: dict[str, Any]
    provider_urn: str | None = None
    dependencies: tuple[str, ...] = ()
    remote: bool = False
    read: bool = False
    resource_id: str | None = None
    transforms: int = 0

    @property
    def role(self) -> ResourceRole:
        """What this resource is (Kubernetes object, component, chart rendered at deploy, ...)."""
        return classify(
            self.type, custom=self.custom, remote=self.remote, read=self.read, inputs=self.inputs
        )


@dataclasses.dataclass(frozen=True)
class KubernetesObject:
    """A Kubernetes object the program would apply, with the resource that declares it."""

    resource: PreviewResource
    manifest: dict[str, Any]

    @property
    def api_version(self) -> str:
        return str(self.manifest["apiVersion"])

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def name(self) -> str | Unknown:
        """``metadata.name``, or UNKNOWN when only a deploy assigns it."""
        value: str | Unknown = _metadata_field(self.manifest, "name")
        return value

    @property
    def namespace(self) -> str | Unknown | None:
        """``metadata.namespace`` (None when the program leaves it to the provider's default)."""
        value = _metadata_field(self.manifest, "namespace")
        return None if value == "" else value

    @property
    def unknown_paths(self) -> list[str]:
        """Dotted paths of the values that only exist after a deploy."""
        return list(unknown_paths(self.manifest))


def _metadata_field(manifest: dict[str, Any], field: str) -> Any:
    metadata = manifest.get("metadata")
    if isinstance(metadata, Unknown):
        return metadata
    if isinstance(metadata, dict):
        return metadata.get(field)
    return None


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """A message the program logged through ``pulumi.log`` (``info``, ``warning``, ``error``)."""

    severity: str
    message: str


@dataclasses.dataclass(frozen=True)
class PreviewResult:
    """The outcome of :func:`~pulumi_kuberay.preview.run_program`.

    ``resources`` are in registration order and exclude the implicit ``pulumi:pulumi:Stack``
    (whose URN is :attr:`stack_urn`). ``stack_outputs`` are the program's exports as plain
    values, UNKNOWN where only a deploy knows them. ``invokes`` lists the provider functions the
    program called; offline they all answer with empty results.
    """

    project: str
    stack: str
    resources: list[PreviewResource]
    stack_outputs: dict[str, Any] = dataclasses.field(default_factory=dict)
    diagnostics: list[Diagnostic] = dataclasses.field(default_factory=list)
    invokes: list[str] = dataclasses.field(default_factory=list)

    @property
    def stack_urn(self) -> str:
        """The URN of the implicit root resource every top-level resource is parented to."""
        name = f"{self.project}-{self.stack}"
        return f"urn:pulumi:{self.stack}::{self.project}::pulumi:pulumi:Stack::{name}"

    def resource(self, name: str, type_: str | None = None) -> PreviewResource:
        """The one resource with this logical name (and type token, if given).

        Raises :class:`KeyError` when there is none or more than one.
        """
        found = [r for r in self.resources if r.name == name and (type_ is None or r.type == type_)]
        if len(found) != 1:
            what = f"{name!r}" + (f" of type {type_!r}" if type_ else "")
            raise KeyError(f"{len(found)} resources named {what} in the preview")
        return found[0]

    def by_urn(self, urn: str) -> PreviewResource | None:
        """The resource with this URN, or None (the stack's URN is not a recorded resource)."""
        return next((r for r in self.resources if r.urn == urn), None)

    def children(self, parent_urn: str) -> list[PreviewResource]:
        """Resources parented to ``parent_urn``, in registration order."""
        return [r for r in self.resources if r.parent_urn == parent_urn]

    def objects(self) -> list[KubernetesObject]:
        """Every Kubernetes object the program declares, with fresh manifest copies."""
        return [
            KubernetesObject(resource=r, manifest=manifest_from_inputs(r.inputs))
            for r in self.resources
            if r.role is ResourceRole.KUBERNETES_OBJECT
        ]

    def kubernetes_objects(self) -> Iterator[dict[str, Any]]:
        """The manifest of every Kubernetes object, the input policies and ``lint`` work on."""
        for obj in self.objects():
            yield obj.manifest

    def not_rendered(self) -> list[PreviewResource]:
        """Resources that stand for Kubernetes objects no offline run can show.

        Charts and YAML groups rendered by the provider, Helm releases, patches and reads: a
        reader of the manifests needs to know these exist, since their objects are missing.
        """
        skipped = {
            ResourceRole.RENDERED_AT_DEPLOY,
            ResourceRole.KUBERNETES_PATCH,
            ResourceRole.READ,
        }
        return [r for r in self.resources if r.role in skipped]
