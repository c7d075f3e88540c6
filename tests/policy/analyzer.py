"""Speaking the Pulumi Analyzer protocol: requests as the engine builds them, and reading the
responses. Shared by the in-process servicer tests and the gRPC test.

Properties travel as a protobuf ``Struct``: every number becomes a float, unknown values are
the engine's sentinel string, secrets are wrapped in a signature object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import proto

UNKNOWN_SENTINEL: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SECRET_SIG: Final = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}

LEVELS: Final = {
    "advisory": proto.ADVISORY,
    "mandatory": proto.MANDATORY,
    "remediate": proto.REMEDIATE,
    "disabled": proto.DISABLED,
}
LEVEL_NAMES: Final = {value: name for name, value in LEVELS.items()}


def secret(value: Any) -> dict[str, Any]:
    """A value as the engine marks a secret on the wire."""
    return {**SECRET_SIG, "value": value}


def struct(data: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(dict(data))
    return message


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::proj::{type_}::{name}"


def custom_resource_props(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """``apiextensions.CustomResource`` inputs: apiVersion, kind, metadata, spec."""
    return {
        key: manifest[key] for key in ("apiVersion", "kind", "metadata", "spec") if key in manifest
    }


def type_token(manifest: Mapping[str, Any]) -> str:
    api_version = str(manifest["apiVersion"])
    group = api_version if "/" in api_version else f"core/{api_version}"
    return f"kubernetes:{group}:{manifest['kind']}"


def analyze_request(manifest: Mapping[str, Any], name: str = "res") -> proto.AnalyzeRequest:
    token = type_token(manifest)
    return proto.AnalyzeRequest(
        type=token,
        properties=struct(custom_resource_props(manifest)),
        urn=urn(token, name),
        name=name,
        options=proto.AnalyzerResourceOptions(),
    )


def stack_request(manifests: Sequence[Mapping[str, Any]]) -> proto.AnalyzeStackRequest:
    resources = []
    for index, manifest in enumerate(manifests):
        token = type_token(manifest)
        resources.append(
            proto.AnalyzerResource(
                type=token,
                properties=struct(custom_resource_props(manifest)),
                urn=urn(token, f"r{index}"),
                name=f"r{index}",
                options=proto.AnalyzerResourceOptions(),
            )
        )
    return proto.AnalyzeStackRequest(resources=resources)


def configure_request(config: Mapping[str, Any]) -> proto.ConfigureAnalyzerRequest:
    """``--policy-pack-config`` JSON as the engine sends it: every policy with a level (the
    engine fills in the pack's levels) and its properties."""
    policy_config = {}
    for name, value in config.items():
        level = value if isinstance(value, str) else value.get("enforcementLevel", "advisory")
        properties = (
            {}
            if isinstance(value, str)
            else {k: v for k, v in value.items() if k != "enforcementLevel"}
        )
        policy_config[name] = proto.PolicyConfig(
            enforcementLevel=LEVELS[level], properties=struct(properties)
        )
    return proto.ConfigureAnalyzerRequest(policyConfig=policy_config)


def diagnostics(response: Any) -> list[dict[str, Any]]:
    return [
        {
            "policy": d.policyName,
            "level": LEVEL_NAMES[d.enforcementLevel],
            "message": d.message,
            "urn": d.urn,
        }
        for d in response.diagnostics
    ]


def remediations(response: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(r.policyName, json_format.MessageToDict(r.properties)) for r in response.remediations]
