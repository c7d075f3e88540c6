"""gpu-pool-selector: a GPU group whose node selection none of the stack's node pools has."""

from __future__ import annotations

from typing import Any

from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.node_pools import (
    EC2NodeClassArgs,
    GpuNodePoolArgs,
    Karpenter,
    plan_node_pool,
    pool_record,
)
from pulumi_kuberay.policy.engine import check_manifests
from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.node_pools import (
    GPU_POOL_SELECTOR,
    pool_record_manifest,
    stack_pools,
    unmatched_gpu_groups,
)
from tests.policy.manifests import GPU_POD, edit_paths, good

A100 = GpuNodePoolArgs(
    name="a100", accelerator=accelerators.NVIDIA_A100_80GB, gpus_per_node=8, cpu_per_node=95,
    memory_per_node="1100Gi", max_nodes=4,
)  # fmt: skip
NODE_CLASS = EC2NodeClassArgs(role="r", subnet_ids=["subnet-0a1"], security_group_ids=["sg-0b2"])


def record(pool: GpuNodePoolArgs) -> dict[str, Any]:
    manifest = pool_record_manifest("kuberay:index:GpuNodePool", {"record": pool_record(pool)})
    assert manifest is not None
    return manifest


def selecting(selector: dict[str, str] | None = None, affinity: Any = None) -> dict[str, Any]:
    changes: dict[str, Any] = {f"spec.{GPU_POD}.nodeSelector": selector or {}}
    if affinity is not None:
        changes[f"spec.{GPU_POD}.affinity"] = affinity
    return edit_paths(good(), changes)


def required(key: str, operator: str, *values: str) -> dict[str, Any]:
    expression: dict[str, Any] = {"key": key, "operator": operator}
    if values:
        expression["values"] = list(values)
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [expression]}]
    }}}  # fmt: skip


def found(manifests: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(index, v.message) for index, v in unmatched_gpu_groups(manifests)]


def test_the_guide_placeholder_matches_no_real_pool() -> None:
    manifests = [record(A100), selecting({"nvidia.com/gpu.product": "A100"})]
    assert found(manifests) == [
        (
            1,
            "spec.workerGroupSpecs[1].template.spec.nodeSelector: worker group 'gpu' selects "
            "nodes that none of the stack's node pools has (GpuNodePool (existing) 'a100' "
            "(nvidia.com/gpu.product in ['NVIDIA-A100-80GB-PCIe', 'NVIDIA-A100-SXM4-80GB'])), so "
            "its pods stay Pending unless such nodes exist elsewhere; put the group on a pool "
            "(WorkerGroup(node_pool=...)) or select the labels the pool's nodes carry",
        )
    ]


def test_real_values_and_affinities_match() -> None:
    assert (
        found([record(A100), selecting({"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"})]) == []
    )
    affinity = required("nvidia.com/gpu.product", "In", "NVIDIA-A100-80GB-PCIe", "other")
    assert found([record(A100), selecting(affinity=affinity)]) == []
    # Existing nodes may carry labels the description does not list.
    assert found([record(A100), selecting({"example.com/rack": "r1"})]) == []
    # Every node of the pool carries the product label: DoesNotExist rules it out.
    assert (
        len(
            found(
                [
                    record(A100),
                    selecting(affinity=required("nvidia.com/gpu.product", "DoesNotExist")),
                ]
            )
        )
        == 1
    )
    assert (
        found([record(A100), selecting(affinity=required("nvidia.com/gpu.product", "Exists"))])
        == []
    )


def test_a_stack_without_pools_gets_no_finding() -> None:
    assert found([selecting({"nvidia.com/gpu.product": "A100"})]) == []


def test_karpenter_nodepools_count_as_pools_with_their_labels() -> None:
    pool = A100.model_copy(
        update={"realisation": Karpenter(node_class=NODE_CLASS), "labels": {"team": "ml"}}
    )
    manifests = [o.to_manifest() for o in plan_node_pool(pool).objects]
    assert [p.name for p in stack_pools(manifests)] == ["a100"]
    assert found([*manifests, selecting({"karpenter.sh/nodepool": "a100", "team": "ml"})]) == []
    assert found([*manifests, selecting({"karpenter.k8s.aws/instance-gpu-name": "a100"})]) == []
    # Instance types the requirements leave open may be any value; custom labels may not.
    assert (
        found([*manifests, selecting({"node.kubernetes.io/instance-type": "p4de.24xlarge"})]) == []
    )
    assert len(found([*manifests, selecting({"team": "infra"})])) == 1
    assert len(found([*manifests, selecting({"karpenter.k8s.aws/instance-gpu-name": "h100"})])) == 1


def test_unknown_selectors_and_cpu_groups_are_not_flagged() -> None:
    assert found([record(A100), selecting({"nvidia.com/gpu.product": UNKNOWN})]) == []
    cpu_only = edit_paths(
        good(), {"spec.workerGroupSpecs[0].template.spec.nodeSelector": {"x": "y"}}
    )
    assert found([record(A100), cpu_only]) == []


def test_the_engine_reports_it_as_an_advisory_stack_finding() -> None:
    results = check_manifests([record(A100), selecting({"nvidia.com/gpu.product": "A100"})])
    (finding,) = [f for f in results[1] if f.rule_id == GPU_POOL_SELECTOR.id]
    assert finding.enforcement.value == "advisory"
    assert results[0] == []


def test_the_pulumi_pack_reads_pool_components_in_stack_analysis() -> None:
    from pulumi.runtime import proto
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    from pulumi_kuberay.policy.adapters.pulumi_pack import (
        PACK_ENFORCEMENT,
        PACK_NAME,
        build_policies,
    )
    from tests.policy.analyzer import diagnostics, stack_request, struct

    servicer = _PolicyAnalyzerServicer(PACK_NAME, "0.0.1", build_policies(), PACK_ENFORCEMENT)
    request = stack_request([selecting({"nvidia.com/gpu.product": "A100"})])
    pool = proto.AnalyzerResource(
        type="kuberay:index:GpuNodePool",
        properties=struct({"record": pool_record(A100)}),
        urn="urn:pulumi:dev::p::kuberay:index:GpuNodePool::a100",
        name="a100",
        options=proto.AnalyzerResourceOptions(),
    )
    request.resources.append(pool)
    policies = [d["policy"] for d in diagnostics(servicer.AnalyzeStack(request, None))]
    assert policies.count(GPU_POOL_SELECTOR.id) == 1


BAD_SELECTOR_PROGRAM = """
import pulumi_kuberay as kuberay

pool = kuberay.GpuNodePool(
    "a100", accelerator=kuberay.accelerators.NVIDIA_A100, gpus_per_node=8, cpu_per_node=95,
    memory_per_node="1100Gi", max_nodes=2,
)
kuberay.RayCluster(
    "c", namespace="ml",
    worker_groups=[
        kuberay.WorkerGroup("on-pool", node_pool=pool),
        kuberay.WorkerGroup("by-hand", gpus=1, cpu=8, memory="64Gi",
                            node_selector={"nvidia.com/gpu.product": "A100"}),
    ],
)
"""


def test_the_offline_preview_reports_it(tmp_path: Any) -> None:
    import io

    from pulumi_kuberay.cli.lint_command import report_preview_findings
    from pulumi_kuberay.preview import run_program
    from tests.preview.conftest import write_project

    result = run_program(write_project(tmp_path / "p", BAD_SELECTOR_PROGRAM))
    out = io.StringIO()
    report_preview_findings(result, out)
    text = out.getvalue()
    assert text.count("gpu-pool-selector") == 1
    assert "worker group 'by-hand' selects nodes that none of the stack's node pools has" in text
