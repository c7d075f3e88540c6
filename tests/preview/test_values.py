"""to_plain and the UNKNOWN marker: what the mocks hand over, as plain JSON-shaped values."""

from __future__ import annotations

import copy
import pickle

import pulumi
from pulumi.output import UNKNOWN as PULUMI_UNKNOWN
from pulumi.runtime import rpc

from pulumi_kuberay.preview import UNKNOWN, Unknown, is_unknown, unknown_paths
from pulumi_kuberay.preview.wire_values import to_plain


def test_pulumi_unknowns_become_the_marker() -> None:
    assert to_plain({"a": PULUMI_UNKNOWN, "b": [rpc.UNKNOWN]}) == {"a": UNKNOWN, "b": [UNKNOWN]}


def test_secrets_are_unwrapped() -> None:
    assert to_plain({"password": rpc.wrap_rpc_secret("s3cret")}) == {"password": "s3cret"}


def test_integral_floats_become_ints() -> None:
    assert to_plain({"replicas": 2.0, "ratio": 0.5, "on": True}) == {
        "replicas": 2,
        "ratio": 0.5,
        "on": True,
    }
    assert type(to_plain(2.0)) is int


def test_string_assets_become_their_text() -> None:
    assert to_plain(pulumi.StringAsset("hello")) == "hello"


def test_the_marker_is_one_object_that_survives_copies() -> None:
    assert Unknown() is UNKNOWN
    assert copy.deepcopy({"x": UNKNOWN})["x"] is UNKNOWN
    assert pickle.loads(pickle.dumps(UNKNOWN)) is UNKNOWN
    assert is_unknown(UNKNOWN)
    assert not is_unknown(None)


def test_unknown_paths_name_each_unknown_value() -> None:
    value = {"metadata": {"name": UNKNOWN}, "spec": {"ports": [{"port": 80}, {"port": UNKNOWN}]}}

    assert list(unknown_paths(value)) == ["metadata.name", "spec.ports[1].port"]
