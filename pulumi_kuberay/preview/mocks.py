"""Pulumi mocks that answer a preview honestly and record every registration.

The Pulumi SDK lets tests replace the engine with a mock monitor
(https://www.pulumi.com/docs/iac/concepts/testing/unit/). :class:`PreviewMocks` answers like a
preview against a provider that has not deployed anything: outputs are the inputs (so ``apply``
on inputs works), ids and server-assigned names are unknown, invokes return nothing.
:class:`RecordingMonitor` wraps the SDK's mock monitor to keep what the mocks API does not pass
to ``new_resource``: parent, dependencies, explicit provider and the ``remote`` flag.
"""

from __future__ import annotations

import threading
from typing import Any

from google.protobuf import struct_pb2  # type: ignore[import-untyped,unused-ignore]
from pulumi.output import UNKNOWN as PULUMI_UNKNOWN
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2

from pulumi_kuberay.preview.kubernetes import ResourceRole, classify
from pulumi_kuberay.preview.model import PreviewResource
from pulumi_kuberay.preview.wire_values import to_plain

__all__ = ["PreviewMocks", "RecordingMonitor"]

_STACK_TYPE = "pulumi:pulumi:Stack"
_GET_RESOURCE = "pulumi:pulumi:getResource"


class PreviewMocks(Mocks):
    """Answers resource registrations and invokes without a provider.

    With ``preview=True`` (what ``run_program`` uses) custom resources get an empty id, which
    the SDK resolves as unknown, exactly like ``pulumi preview`` before a first deploy. Reads
    and imports keep the id the program gave. Kubernetes objects output the metadata fields
    only a deploy sets (``uid``, ``resourceVersion``, ..., and ``name`` when the provider
    auto-names the object) as unknown. One consequence, as in any preview with unknowns:
    ``obj.metadata.apply(f)`` does not run (the whole ``metadata`` is not fully known), while
    the lifted ``obj.metadata.name`` stays known when the program set it.
    """

    def __init__(self, *, preview: bool = True) -> None:
        self.preview = preview

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        outputs = dict(args.inputs)
        role = classify(
            args.typ, custom=bool(args.custom), remote=False, read=False, inputs=outputs
        )
        if role is ResourceRole.KUBERNETES_OBJECT and not args.resource_id:
            outputs["metadata"] = _server_populated_metadata(outputs.get("metadata"))
        if args.resource_id:
            return args.resource_id, outputs
        if args.custom and not self.preview:
            return f"{args.name}-id", outputs
        return "", outputs

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        # Offline there is no provider to render charts or decode YAML: say "nothing". (The
        # mock monitor iterates the failures list when a tuple comes back: [] not None.)
        return {}, []


# What the API server (or the provider's auto-naming) fills into every object's metadata.
_SERVER_POPULATED_METADATA = ("name", "uid", "resourceVersion", "creationTimestamp", "generation")


def _server_populated_metadata(metadata: Any) -> Any:
    """``metadata`` as a preview would output it: fields only a deploy sets are unknown.

    Without this, ``ns.metadata.uid`` would resolve to a known ``None`` and flow into other
    objects as invented data (an absent key) instead of an unknown.
    """
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        return metadata
    return {**dict.fromkeys(_SERVER_POPULATED_METADATA, PULUMI_UNKNOWN), **metadata}


class RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, keeping a :class:`PreviewResource` per registration.

    Registrations arrive on executor threads, hence the lock. Resource references inside
    inputs are replaced by the referenced URN before anything deserializes them: otherwise the
    SDK would rebuild a live ``Resource`` object inside the monitor (one more registration).
    """

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self._lock = threading.Lock()
        self.recorded: list[PreviewResource] = []
        self.invoked: list[str] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        if request.type == _STACK_TYPE:
            return super().RegisterResource(request)  # type: ignore[no-untyped-call]
        plain_request = resource_pb2.RegisterResourceRequest()
        plain_request.CopyFrom(request)
        plain_request.object.CopyFrom(_without_resource_references(request.object))
        response = super().RegisterResource(plain_request)  # type: ignore[no-untyped-call]
        self._record(
            PreviewResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent_urn=request.parent,
                custom=bool(request.custom),
                inputs=to_plain(rpc.deserialize_properties(plain_request.object)),
                provider_urn=_provider_urn(request.provider),
                dependencies=tuple(request.dependencies),
                remote=bool(request.remote),
                resource_id=request.importId or None,
                transforms=len(request.transforms),
            )
        )
        return response

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        plain_request = resource_pb2.ReadResourceRequest()
        plain_request.CopyFrom(request)
        plain_request.properties.CopyFrom(_without_resource_references(request.properties))
        response = super().ReadResource(plain_request)  # type: ignore[no-untyped-call]
        self._record(
            PreviewResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent_urn=request.parent,
                custom=True,
                inputs=to_plain(rpc.deserialize_properties(plain_request.properties)),
                provider_urn=_provider_urn(request.provider),
                dependencies=tuple(request.dependencies),
                read=True,
                resource_id=request.id or None,
            )
        )
        return response

    def Invoke(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        if request.tok != _GET_RESOURCE:
            with self._lock:
                self.invoked.append(request.tok)
        return super().Invoke(request)  # type: ignore[no-untyped-call]

    def _record(self, resource: PreviewResource) -> None:
        with self._lock:
            self.recorded.append(resource)


def _provider_urn(reference: str) -> str | None:
    # A provider reference is "<provider urn>::<provider id>"; the id is unknown in preview.
    return reference.rsplit("::", 1)[0] if reference else None


def _without_resource_references(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    plain = struct_pb2.Struct()
    for key, value in struct.fields.items():
        plain.fields[key].CopyFrom(_value_without_references(value))
    return plain


def _value_without_references(value: struct_pb2.Value) -> struct_pb2.Value:
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        fields = value.struct_value.fields
        signature = fields.get(rpc._special_sig_key)
        if signature is not None and signature.string_value == rpc._special_resource_sig:
            return struct_pb2.Value(string_value=fields["urn"].string_value)
        return struct_pb2.Value(struct_value=_without_resource_references(value.struct_value))
    if kind == "list_value":
        items = [_value_without_references(item) for item in value.list_value.values]
        return struct_pb2.Value(list_value=struct_pb2.ListValue(values=items))
    return value
