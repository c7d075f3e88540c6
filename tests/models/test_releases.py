"""Every field of KubeRay 1.5, 1.6 and 1.7 is modelled, each declaring the release that added it,
and every sample of every release parses, round-trips and validates for its release."""

from __future__ import annotations

import functools
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from pulumi_kuberay.models.field_requirements import Requires
from pulumi_kuberay.models.ray.raycluster import RayClusterSpec
from pulumi_kuberay.models.ray.raycronjob import RayCronJob, RayCronJobSpec
from pulumi_kuberay.models.ray.rayjob import RayJobSpec
from pulumi_kuberay.models.ray.rayservice import RayServiceSpec
from pulumi_kuberay.spec import parse_manifest, validate_manifest
from pulumi_kuberay.versions import parse_version
from tests.conformance.crd_schema import CrdSchemas
from tests.releases import (
    RELEASES,
    Release,
    all_release_samples,
    crd_spec_schema,
    ray_samples,
    require_release,
)

SPECS: dict[str, type[BaseModel]] = {
    "RayCluster": RayClusterSpec,
    "RayJob": RayJobSpec,
    "RayService": RayServiceSpec,
    "RayCronJob": RayCronJobSpec,
}


def _nested_model(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    """The model a field holds and whether it is a list of them (``None`` for other types)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found[0], found[1] or origin is list
    return None


def _in_release(requires: Requires | None, release: Release) -> bool:
    since = requires.since if requires else None
    return since is None or parse_version(since) <= parse_version(release.version)


def _model_vs_crd(
    model: type[BaseModel], schema: dict[str, Any], at: str, release: Release
) -> list[str]:
    """Differences between a model's fields (those of ``release``) and a CRD object schema."""
    properties = schema.get("properties") or {}
    differences = []
    fields = {info.alias or name: info for name, info in model.model_fields.items()}
    for alias, info in fields.items():
        requires = next((m for m in info.metadata if isinstance(m, Requires)), None)
        if not _in_release(requires, release):
            if alias in properties:
                differences.append(f"{at}.{alias}: in the {release} CRD but marked newer")
            continue
        if alias not in properties:
            differences.append(f"{at}.{alias}: modelled, not in the {release} CRD")
            continue
        nested = _nested_model(info.annotation)
        if nested is not None:
            child, is_list = nested
            child_schema = properties[alias]["items"] if is_list else properties[alias]
            differences += _model_vs_crd(child, child_schema, f"{at}.{alias}", release)
    differences += [
        f"{at}.{name}: in the {release} CRD, not modelled"
        for name in properties
        if name not in fields
    ]
    return differences


@pytest.mark.parametrize("release", RELEASES, ids=str)
@pytest.mark.parametrize("kind", sorted(SPECS))
def test_the_models_hold_exactly_the_crd_fields_of_each_release(
    release: Release, kind: str
) -> None:
    require_release(release)
    schema = crd_spec_schema(release, kind)
    if schema is None:
        assert kind == "RayCronJob"
        assert release.version.startswith("1.5")
        assert RayCronJob.REQUIRES is not None
        assert RayCronJob.REQUIRES.since == "1.6.0"
        return
    assert _model_vs_crd(SPECS[kind], schema, "spec", release) == []


@pytest.mark.parametrize("release", RELEASES, ids=str)
def test_every_release_has_samples(release: Release) -> None:
    require_release(release)
    assert len(list(ray_samples(release))) >= 60


@functools.cache
def release_crds(release: Release) -> CrdSchemas:
    """The conformance checker loaded with ``release``'s own CRDs (RayCronJob included)."""
    return CrdSchemas.from_files(sorted(release.crds.glob("ray.io_*.yaml")))


# The suite-wide guard checks emitted manifests against the 1.5 CRDs; these samples are checked
# against their own release's CRDs below instead.
@pytest.mark.allow_nonconforming_manifests
@pytest.mark.parametrize(("release", "doc"), all_release_samples())
def test_every_sample_of_every_release_parses_round_trips_and_passes_its_crd(
    release: Release, doc: dict[str, Any]
) -> None:
    out = parse_manifest(doc).to_manifest()
    assert out == doc
    # One 1.7 sample writes `metadata: null` in a pod template; the API server drops the null,
    # which changes nothing (the harness lists it because it changes the stored bytes).
    problems = [p for p in release_crds(release).problems(out) if "null for a field" not in p]
    assert problems == []


@pytest.mark.parametrize(("release", "doc"), all_release_samples())
def test_every_sample_validates_for_its_release_with_its_gates_on(
    release: Release, doc: dict[str, Any]
) -> None:
    assert (
        validate_manifest(
            doc, operator_version=release.version, feature_gates=release.all_gates_on()
        )
        == []
    )
