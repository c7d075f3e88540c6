"""Turn what the Pulumi mock monitor hands us into plain Python values.

Inputs reach a mock deserialized by the Pulumi SDK: unknowns are ``pulumi.output.Unknown``
objects (or the wire sentinel string), secrets are wrapped dicts, numbers are floats because
they travel as protobuf ``Struct`` values, and assets are SDK objects. Downstream code (policies,
YAML) wants JSON-shaped data, so this module is the one place that unwraps all of that.
See https://www.pulumi.com/docs/iac/concepts/testing/unit/.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.output import Unknown as PulumiUnknown
from pulumi.runtime import rpc

from pulumi_kuberay.models.unknown import UNKNOWN

__all__ = ["to_plain"]


def to_plain(value: Any) -> Any:
    """A deep copy of ``value`` with unknowns as :data:`UNKNOWN` and secrets unwrapped.

    Secret values are kept as the program gave them: a preview shows what the program asked for,
    and ``pulumi preview`` itself knows them too (it only hides them when printing). Integral
    floats become ints, since the wire format cannot tell ``2`` from ``2.0`` and Kubernetes
    rejects ``2.0`` for integer fields. Mapping keys come out sorted so that renderings are
    deterministic whatever order the protobuf map iterates in.
    """
    if value is UNKNOWN or isinstance(value, PulumiUnknown):
        return UNKNOWN
    if isinstance(value, str) and value == rpc.UNKNOWN:
        return UNKNOWN
    if rpc.is_rpc_secret(value):
        return to_plain(rpc.unwrap_rpc_secret(value))
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(key): to_plain(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, pulumi.StringAsset):
        return value.text
    if isinstance(value, (pulumi.FileAsset, pulumi.FileArchive)):
        return value.path
    if isinstance(value, (pulumi.RemoteAsset, pulumi.RemoteArchive)):
        return value.uri
    if isinstance(value, pulumi.AssetArchive):
        return {name: to_plain(item) for name, item in sorted(value.assets.items())}
    return value
