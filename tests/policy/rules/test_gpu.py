"""gpu-requests-equal-limits, gpu-tolerates-taint, gpu-node-selector,
hide-gpus-from-cpu-containers."""

from __future__ import annotations

import pytest

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.model import Rule
from pulumi_kuberay.policy.rules.gpu import (
    GPU_NODE_SELECTOR,
    GPU_REQUESTS_EQUAL_LIMITS,
    GPU_TOLERATES_TAINT,
    HIDE_GPUS_FROM_CPU_CONTAINERS,
)
from tests.policy.manifests import (
    CPU_RAY,
    DELETE,
    GPU_POD,
    GPU_RAY,
    HEAD_RAY,
    at,
    cluster_edit,
    good,
)
from tests.policy.rules.support import assert_fix, assert_flags, assert_passes

KINDS = ["RayCluster", "RayJob", "RayService"]
GPU_RULES = [
    GPU_REQUESTS_EQUAL_LIMITS,
    GPU_TOLERATES_TAINT,
    GPU_NODE_SELECTOR,
    HIDE_GPUS_FROM_CPU_CONTAINERS,
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rule", GPU_RULES, ids=lambda r: r.id)
def test_the_good_gpu_cluster_passes(rule: Rule, kind: str) -> None:
    assert_passes(rule, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_gpu_request_above_limit_is_flagged_and_fixed(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{GPU_RAY}.resources.limits[nvidia.com/gpu]": "2"})
    doc = cluster_edit(kind, doc, {f"{GPU_RAY}.resources.requests[nvidia.com/gpu]": "1"})

    assert_flags(
        GPU_REQUESTS_EQUAL_LIMITS,
        doc,
        at(kind, f"{GPU_RAY}.resources.limits[nvidia.com/gpu]"),
        "requests 1 nvidia.com/gpu but its limit is 2",
        "set both to '2'",
    )
    assert_fix(GPU_REQUESTS_EQUAL_LIMITS, doc)


def test_gpu_request_without_limit_is_flagged_and_fixed() -> None:
    doc = cluster_edit(
        "RayCluster", good(), {f"{GPU_RAY}.resources.limits[nvidia.com/gpu]": DELETE}
    )

    assert_flags(
        GPU_REQUESTS_EQUAL_LIMITS,
        doc,
        f"spec.{GPU_RAY}.resources.limits[nvidia.com/gpu]",
        "requests 1 nvidia.com/gpu without a limit",
        "set limits[nvidia.com/gpu]: '1'",
    )
    assert assert_fix(GPU_REQUESTS_EQUAL_LIMITS, doc) == good()


def test_gpu_limit_alone_is_fine() -> None:
    doc = cluster_edit(
        "RayCluster", good(), {f"{GPU_RAY}.resources.requests[nvidia.com/gpu]": DELETE}
    )
    assert_passes(GPU_REQUESTS_EQUAL_LIMITS, doc)


# --- gpu-tolerates-taint ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_gpu_group_without_toleration_is_flagged_and_fixed(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{GPU_POD}.tolerations": DELETE})

    assert_flags(
        GPU_TOLERATES_TAINT,
        doc,
        at(kind, f"{GPU_POD}.tolerations"),
        "worker group 'gpu' asks for nvidia.com/gpu but does not tolerate the nvidia.com/gpu taint",
        "add {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}",
    )
    assert assert_fix(GPU_TOLERATES_TAINT, doc) == good(kind)


def test_a_tolerate_everything_toleration_counts() -> None:
    doc = cluster_edit("RayCluster", good(), {f"{GPU_POD}.tolerations": [{"operator": "Exists"}]})
    assert_passes(GPU_TOLERATES_TAINT, doc)


def test_unknown_tolerations_are_not_flagged() -> None:
    doc = cluster_edit("RayCluster", good(), {f"{GPU_POD}.tolerations": UNKNOWN})
    assert_passes(GPU_TOLERATES_TAINT, doc)


# --- gpu-node-selector -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_gpu_group_without_selector_is_flagged(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{GPU_POD}.nodeSelector": DELETE})

    assert_flags(
        GPU_NODE_SELECTOR,
        doc,
        at(kind, f"{GPU_POD}.nodeSelector"),
        "worker group 'gpu' asks for nvidia.com/gpu but selects no node",
        "set a nodeSelector such as nvidia.com/gpu.product",
    )


def test_node_affinity_counts_as_selection() -> None:
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {}}}
    doc = cluster_edit(
        "RayCluster", good(), {f"{GPU_POD}.nodeSelector": DELETE, f"{GPU_POD}.affinity": affinity}
    )
    assert_passes(GPU_NODE_SELECTOR, doc)


# --- hide-gpus-from-cpu-containers -----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_cpu_container_in_a_gpu_cluster_without_void_is_flagged_and_fixed(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{CPU_RAY}.env": DELETE})

    assert_flags(
        HIDE_GPUS_FROM_CPU_CONTAINERS,
        doc,
        at(kind, f"{CPU_RAY}.env"),
        "the Ray container of worker group 'cpu' asks for no GPU",
        "set NVIDIA_VISIBLE_DEVICES=void",
    )
    assert assert_fix(HIDE_GPUS_FROM_CPU_CONTAINERS, doc) == good(kind)


def test_cpu_only_cluster_with_cpu_image_needs_nothing() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {"workerGroupSpecs[1]": DELETE, f"{CPU_RAY}.env": DELETE, f"{HEAD_RAY}.env": DELETE},
    )
    assert_passes(HIDE_GPUS_FROM_CPU_CONTAINERS, doc)


def test_gpu_image_without_gpu_is_flagged_even_in_a_cpu_only_cluster() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {
            "workerGroupSpecs[1]": DELETE,
            f"{HEAD_RAY}.env": DELETE,
            f"{HEAD_RAY}.image": "rayproject/ray:2.53.0-py311-cu121",
        },
    )
    assert_flags(HIDE_GPUS_FROM_CPU_CONTAINERS, doc, f"spec.{HEAD_RAY}.env", "the head group")


def test_unknown_env_is_not_flagged() -> None:
    doc = cluster_edit("RayCluster", good(), {f"{CPU_RAY}.env": UNKNOWN})
    assert_passes(HIDE_GPUS_FROM_CPU_CONTAINERS, doc)


def test_unknown_resources_do_not_make_a_gpu_group() -> None:
    # A CPU group whose resources are only known after deploy: no taint or selector demanded.
    doc = cluster_edit("RayCluster", good(), {f"{CPU_RAY}.resources": UNKNOWN})
    assert_passes(GPU_TOLERATES_TAINT, doc)
    assert_passes(GPU_NODE_SELECTOR, doc)


def test_hiding_gpus_waits_for_unknown_gpu_asks() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {f"{GPU_RAY}.resources": UNKNOWN, f"{CPU_RAY}.env": DELETE, f"{HEAD_RAY}.env": DELETE},
    )
    assert_passes(HIDE_GPUS_FROM_CPU_CONTAINERS, doc)
