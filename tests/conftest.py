"""Shared fixtures: Pulumi mocks that record resources, and the CRD conformance guard.

Every object any test emits through ``to_manifest()`` is checked the way the API server would
store it: ray.io kinds against every KubeRay release's CRDs, the other custom resources against
``../shared/crds``, built-in kinds against the Kubernetes schema (see
``tests/conformance/recorder.py`` and ``tests/conformance/README.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest
from pulumi.runtime.mocks import MockMonitor

from tests.conformance.recorder import (
    emitted_manifest_guard,
    install_manifest_recorder,
    register_markers,
)
from tests.conformance.shared_folders import require_shared_fixture

install_manifest_recorder()
emitted_manifests_conform = pytest.fixture(autouse=True)(emitted_manifest_guard)
require_shared = pytest.fixture(require_shared_fixture)


def pytest_configure(config: pytest.Config) -> None:
    register_markers(config)


@dataclass(frozen=True)
class Registration:
    """What the engine was told about one resource: its parent and dependencies (URNs)."""

    urn: str
    type: str
    name: str
    parent: str
    dependencies: tuple[str, ...]
    custom: bool


class RecordingMonitor(MockMonitor):
    """The mock monitor, also keeping each registration's parent and dependencies, which
    ``Mocks.new_resource`` does not see."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        response = super().RegisterResource(request)
        self.registrations.append(
            Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent,
                dependencies=tuple(request.dependencies),
                custom=bool(request.custom),
            )
        )
        return response


class RecordingMocks(pulumi.runtime.Mocks):
    """Pulumi mocks that keep every registered resource (components included) for asserts.

    https://www.pulumi.com/docs/iac/concepts/testing/unit/
    """

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []
        self.monitor = RecordingMonitor(self)

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        return (f"{args.name}-id" if args.custom else None), dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None

    def of_type(self, typ: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.resources if r.typ == typ]

    def one(self, typ: str) -> pulumi.runtime.MockResourceArgs:
        found = self.of_type(typ)
        assert len(found) == 1, f"expected one {typ}, got {[r.name for r in found]}"
        return found[0]

    def registration(self, typ: str, name: str) -> Registration:
        """The registration of resource ``name`` of type ``typ``."""
        for item in self.monitor.registrations:
            if item.type == typ and item.name == name:
                return item
        raise AssertionError(f"no {typ} named {name!r} was registered")


@pytest.fixture
def pulumi_mocks() -> RecordingMocks:
    """Fresh mocks (not preview: outputs resolve) for one test."""
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(
        mocks, project="test-project", stack="test", preview=False, monitor=mocks.monitor
    )
    return mocks


def run_pulumi(program: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    """Run ``program`` in the mock runtime, wait for every registration, and return the
    resolved values of the Outputs it returned (by key)."""
    resolved: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[misc]
    def body() -> Any:
        outputs = program() or {}
        return pulumi.Output.all(**outputs).apply(resolved.update)

    body()
    return resolved
