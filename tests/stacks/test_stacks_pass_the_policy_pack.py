"""Tier 5: every stack, previewed offline, goes through the real policy pack as the Pulumi engine
would send it (each resource to Analyze, the whole stack to AnalyzeStack): no mandatory violation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi_policy.policy import _PolicyAnalyzerServicer

from pulumi_kuberay.policy.adapters.pulumi_pack import PACK_ENFORCEMENT, PACK_NAME, build_policies
from pulumi_kuberay.preview import PreviewResult, is_unknown, run_program
from tests.policy.analyzer import UNKNOWN_SENTINEL, diagnostics, struct
from tests.stacks.conftest import REPO_ROOT, STACKS

PROJECTS: list[tuple[Path, dict[str, str] | None]] = [
    (REPO_ROOT, None),
    (STACKS / "gpu-cluster", None),
    (STACKS / "training-job", None),
    (STACKS / "training-job", {"wandbApiKey": "not-a-real-key"}),
    (STACKS / "training-job", {"kueueQueue": "user-queue"}),
    (STACKS / "kueue-training", None),
    (STACKS / "serving", None),
    (STACKS / "serving", {"redisAddress": "redis.serving.svc.cluster.local:6379"}),
]


def engine_properties(value: Any) -> Any:
    """Inputs as the engine sends them at preview: unknowns become the unknown sentinel."""
    if is_unknown(value):
        return UNKNOWN_SENTINEL
    if isinstance(value, dict):
        return {k: engine_properties(v) for k, v in value.items()}
    if isinstance(value, list):
        return [engine_properties(v) for v in value]
    return value


def analyzer_resources(result: PreviewResult) -> list[Any]:
    from pulumi.runtime import proto

    return [
        proto.AnalyzerResource(
            type=r.type,
            properties=struct(engine_properties(r.inputs)),
            urn=r.urn,
            name=r.name,
            options=proto.AnalyzerResourceOptions(),
        )
        for r in result.resources
        # The engine sends every resource; the pack reads Kubernetes objects and pool records.
        if (r.custom and r.type.startswith("kubernetes:")) or r.type == "kuberay:index:GpuNodePool"
    ]


@pytest.mark.parametrize(
    ("project", "config"),
    PROJECTS,
    ids=[f"{p.relative_to(REPO_ROOT)}-{sorted(c or {})}" for p, c in PROJECTS],
)
def test_no_mandatory_violation(project: Path, config: dict[str, str] | None) -> None:
    from pulumi.runtime import proto

    servicer = _PolicyAnalyzerServicer(PACK_NAME, "0.0.1", build_policies(), PACK_ENFORCEMENT)
    result = run_program(project, config=config)
    resources = analyzer_resources(result)
    assert any(r.type.startswith("kubernetes:ray.io/v1:") for r in resources)

    found = []
    for resource in resources:
        request = proto.AnalyzeRequest(
            type=resource.type,
            properties=resource.properties,
            urn=resource.urn,
            name=resource.name,
            options=resource.options,
        )
        found += diagnostics(servicer.Analyze(request, None))
    found += diagnostics(
        servicer.AnalyzeStack(proto.AnalyzeStackRequest(resources=resources), None)
    )

    mandatory = [d for d in found if d["level"] == "mandatory"]
    assert mandatory == []
    print(f"{project.name}: {len(found)} advisory finding(s)", *(d["policy"] for d in found))
