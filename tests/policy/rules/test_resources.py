"""ray-container-resources, memory-requests-equal-limits, cpu-requests-without-limits."""

from __future__ import annotations

import pytest

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.rules.resources import (
    CPU_REQUESTS_WITHOUT_LIMITS,
    MEMORY_REQUESTS_EQUAL_LIMITS,
    RAY_CONTAINER_RESOURCES,
)
from tests.policy.manifests import CPU_RAY, DELETE, HEAD_RAY, at, cluster_edit, good
from tests.policy.rules.support import assert_fix, assert_flags, assert_passes, violations

KINDS = ["RayCluster", "RayJob", "RayService"]


@pytest.mark.parametrize("kind", KINDS)
def test_ray_containers_with_cpu_and_memory_pass(kind: str) -> None:
    assert_passes(RAY_CONTAINER_RESOURCES, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_ray_container_without_resources_is_flagged(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{CPU_RAY}.resources": DELETE})

    assert_flags(
        RAY_CONTAINER_RESOURCES,
        doc,
        at(kind, f"{CPU_RAY}.resources"),
        "the Ray container of worker group 'cpu' sets no cpu and memory",
        "set requests.cpu",
    )


def test_missing_memory_alone_is_named() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {f"{HEAD_RAY}.resources.requests.memory": DELETE, f"{HEAD_RAY}.resources.limits": DELETE},
    )
    assert_flags(
        RAY_CONTAINER_RESOURCES,
        doc,
        f"spec.{HEAD_RAY}.resources",
        "the head group sets no memory",
        "set requests.memory (and a memory limit equal to the request)",
    )


def test_unknown_resources_are_not_flagged() -> None:
    doc = cluster_edit("RayCluster", good(), {f"{CPU_RAY}.resources": UNKNOWN})
    assert_passes(RAY_CONTAINER_RESOURCES, doc)
    assert_passes(MEMORY_REQUESTS_EQUAL_LIMITS, doc)
    assert_passes(CPU_REQUESTS_WITHOUT_LIMITS, doc)


# --- memory-requests-equal-limits ------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_equal_memory_request_and_limit_pass(kind: str) -> None:
    assert_passes(MEMORY_REQUESTS_EQUAL_LIMITS, good(kind))


def test_equal_quantities_in_other_units_pass() -> None:
    doc = cluster_edit("RayCluster", good(), {f"{CPU_RAY}.resources.requests.memory": "16384Mi"})
    assert_passes(MEMORY_REQUESTS_EQUAL_LIMITS, doc)


@pytest.mark.parametrize("kind", KINDS)
def test_memory_request_below_limit_is_flagged_and_fixed(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{CPU_RAY}.resources.requests.memory": "8Gi"})

    assert_flags(
        MEMORY_REQUESTS_EQUAL_LIMITS,
        doc,
        at(kind, f"{CPU_RAY}.resources.requests.memory"),
        "requests 8Gi of memory but its limit is 16Gi",
        "set requests.memory: 16Gi",
    )
    fixed = assert_fix(MEMORY_REQUESTS_EQUAL_LIMITS, doc)
    assert fixed == good(kind)


def test_memory_request_without_limit_is_flagged_and_fixed() -> None:
    doc = cluster_edit("RayCluster", good(), {f"{HEAD_RAY}.resources.limits": DELETE})

    assert_flags(
        MEMORY_REQUESTS_EQUAL_LIMITS,
        doc,
        f"spec.{HEAD_RAY}.resources.limits.memory",
        "requests 8Gi of memory but sets no limit",
        "set limits.memory: 8Gi",
    )
    fixed = assert_fix(MEMORY_REQUESTS_EQUAL_LIMITS, doc)
    assert fixed["spec"]["headGroupSpec"]["template"]["spec"]["containers"][0]["resources"] == {
        "requests": {"cpu": "2", "memory": "8Gi"},
        "limits": {"memory": "8Gi"},
    }


def test_a_limit_without_request_is_fine() -> None:
    # Kubernetes defaults the request to the limit.
    doc = cluster_edit("RayCluster", good(), {f"{HEAD_RAY}.resources.requests.memory": DELETE})
    assert_passes(MEMORY_REQUESTS_EQUAL_LIMITS, doc)


# --- cpu-requests-without-limits -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_cpu_request_without_limit_passes(kind: str) -> None:
    assert_passes(CPU_REQUESTS_WITHOUT_LIMITS, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_cpu_limit_equal_to_request_is_flagged_and_moved(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{CPU_RAY}.resources.limits.cpu": "4"})

    violation = assert_flags(
        CPU_REQUESTS_WITHOUT_LIMITS,
        doc,
        at(kind, f"{CPU_RAY}.resources.limits.cpu"),
        "sets a CPU limit (4)",
        "keep requests.cpu and remove the limit",
    )
    assert violation.fixable
    assert assert_fix(CPU_REQUESTS_WITHOUT_LIMITS, doc) == good(kind)


def test_cpu_limit_without_request_becomes_the_request() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {f"{HEAD_RAY}.resources.requests.cpu": DELETE, f"{HEAD_RAY}.resources.limits.cpu": "2"},
    )

    assert_flags(
        CPU_REQUESTS_WITHOUT_LIMITS, doc, f"spec.{HEAD_RAY}.resources.limits.cpu", "but no request"
    )
    fixed = assert_fix(CPU_REQUESTS_WITHOUT_LIMITS, doc)
    assert fixed["spec"]["headGroupSpec"]["template"]["spec"]["containers"][0]["resources"] == {
        "requests": {"memory": "8Gi", "cpu": "2"},
        "limits": {"memory": "8Gi"},
    }


def test_cpu_limit_above_request_is_flagged_but_not_fixed() -> None:
    # Removing it would change Ray's CPU count (KubeRay uses the limit when set).
    doc = cluster_edit("RayCluster", good(), {f"{CPU_RAY}.resources.limits.cpu": "8"})

    [violation] = violations(CPU_REQUESTS_WITHOUT_LIMITS, doc)
    assert not violation.fixable
    assert "Ray's CPU count then becomes the request, 4, not 8" in violation.message
    assert CPU_REQUESTS_WITHOUT_LIMITS.remediate is not None
    assert CPU_REQUESTS_WITHOUT_LIMITS.remediate(doc, {}) == doc
