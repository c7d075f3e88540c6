"""Fields that need a minimum KubeRay operator release.

An older operator's CRD does not define these fields, so the API server prunes them and the
feature silently does nothing. Release notes: https://github.com/ray-project/kuberay/releases
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.raycluster import RayClusterSpec, WorkerGroupSpec


@dataclass(frozen=True)
class VersionedField:
    """A field path, the release that introduced it, and how to tell it is used."""

    path: str
    since: str
    used: Callable[[RayClusterSpec], bool]


def _any_group(check: Callable[[WorkerGroupSpec], bool]) -> Callable[[RayClusterSpec], bool]:
    return lambda spec: any(check(g) for g in spec.worker_group_specs or [])


CLUSTER_FIELDS: tuple[VersionedField, ...] = (
    VersionedField("authOptions", "1.5.0", lambda s: s.auth_options is not None),
    VersionedField("headGroupSpec.labels", "1.5.0", lambda s: s.head_group_spec.labels is not None),
    VersionedField(
        "headGroupSpec.resources", "1.5.0", lambda s: s.head_group_spec.resources is not None
    ),
    VersionedField(
        "workerGroupSpecs[].labels", "1.5.0", _any_group(lambda g: g.labels is not None)
    ),
    VersionedField(
        "workerGroupSpecs[].resources", "1.5.0", _any_group(lambda g: g.resources is not None)
    ),
    VersionedField(
        "autoscalerOptions.version",
        "1.4.0",
        lambda s: s.autoscaler_options is not None and s.autoscaler_options.version is not None,
    ),
    VersionedField(
        "workerGroupSpecs[].idleTimeoutSeconds",
        "1.4.0",
        _any_group(lambda g: g.idle_timeout_seconds is not None),
    ),
)


def field_version_problems(spec: RayClusterSpec, caps: OperatorCapabilities, at: str) -> list[str]:
    """Fields ``spec`` uses that the operator release in ``caps`` does not know."""
    return [
        f"{at}.{field.path}: needs KubeRay operator >= {field.since} (this operator is "
        f"{caps.version}; an older CRD silently drops the field); upgrade the operator or "
        "remove the field"
        for field in CLUSTER_FIELDS
        if field.used(spec) and not caps.at_least(field.since)
    ]
