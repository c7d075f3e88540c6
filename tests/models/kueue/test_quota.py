"""Kueue's quota arithmetic with the numbers: what a ClusterQueue can ever give, and whether a
workload fits it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pulumi_kuberay.models.kueue.quota import (
    AdmissionOptions,
    QuotaTree,
    admission_verdict,
    ceiling,
    format_amount,
    selector_mismatches,
    untolerated_taints,
)
from pulumi_kuberay.models.kueue.workloads import PodSet

GPU = "nvidia.com/gpu"


def quota(name: str, nominal: Any, bl: Any = None, ll: Any = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "nominalQuota": nominal}
    if bl is not None:
        entry["borrowingLimit"] = bl
    if ll is not None:
        entry["lendingLimit"] = ll
    return entry


def cluster_queue(
    name: str, cohort: str | None, *flavors: tuple[str, list[dict[str, Any]]], **spec: Any
) -> dict[str, Any]:
    covered = [r["name"] for r in flavors[0][1]]
    body: dict[str, Any] = {
        "resourceGroups": [
            {
                "coveredResources": covered,
                "flavors": [{"name": f, "resources": r} for f, r in flavors],
            }
        ],
        **spec,
    }
    if cohort:
        body["cohortName"] = cohort
    return {"kind": "ClusterQueue", "metadata": {"name": name}, "spec": body}


def cohort(
    name: str, parent: str | None = None, *flavors: tuple[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if parent:
        spec["parentName"] = parent
    if flavors:
        covered = [r["name"] for r in flavors[0][1]]
        spec["resourceGroups"] = [
            {
                "coveredResources": covered,
                "flavors": [{"name": f, "resources": r} for f, r in flavors],
            }
        ]
    return {"kind": "Cohort", "metadata": {"name": name}, "spec": spec}


def potential(tree: QuotaTree, queue: str, fr: tuple[str, str] = ("a100", GPU)) -> Decimal:
    node = tree.cluster_queue(queue)
    assert node is not None
    return tree.potential(node, fr)


def gpu_pods(count: int, gpus: int = 1, *, max_count: int | None = None, **pod: Any) -> PodSet:
    return PodSet(
        "gpu",
        "spec.workerGroupSpecs[0].template",
        count,
        max_count or count,
        {GPU: Decimal(gpus), "cpu": Decimal(8)},
        pod,
    )


def test_a_queue_without_cohort_gives_its_nominal_quota() -> None:
    tree = QuotaTree.of([cluster_queue("solo", None, ("a100", [quota(GPU, 8)]))])
    assert potential(tree, "solo") == 8


def test_flat_cohort_pools_every_queues_quota() -> None:
    tree = QuotaTree.of(
        [
            cluster_queue("a", "ml", ("a100", [quota(GPU, 16)])),
            cluster_queue("b", "ml", ("a100", [quota(GPU, 8)])),
        ]
    )
    assert potential(tree, "a") == 24
    assert potential(tree, "b") == 24


def test_borrowing_limit_caps_what_a_queue_borrows() -> None:
    tree = QuotaTree.of(
        [
            cluster_queue("a", "ml", ("a100", [quota(GPU, 16, bl=4)])),
            cluster_queue("b", "ml", ("a100", [quota(GPU, 8)])),
        ]
    )
    assert potential(tree, "a") == 20  # 16 + at most 4 borrowed
    assert potential(tree, "b") == 24


def test_lending_limit_keeps_part_of_the_quota_out_of_the_cohort() -> None:
    tree = QuotaTree.of(
        [
            cluster_queue("a", "ml", ("a100", [quota(GPU, 16)])),
            cluster_queue("b", "ml", ("a100", [quota(GPU, 8, ll=2)])),
        ]
    )
    # b lends only 2 of its 8: a gets 16 + 2; b keeps 6 for itself and can borrow a's 16.
    assert potential(tree, "a") == 18
    assert potential(tree, "b") == 24


def test_hierarchical_cohorts_add_the_cohorts_own_quota() -> None:
    tree = QuotaTree.of(
        [
            cohort("org", None, ("a100", [quota(GPU, 4)])),
            cohort("research", "org"),
            cluster_queue("a", "research", ("a100", [quota(GPU, 8)])),
            cluster_queue("b", "org", ("a100", [quota(GPU, 2, ll=0)])),
        ]
    )
    # org: 4 of its own + research's 8 + nothing from b (lends 0) = 12.
    assert potential(tree, "a") == 12
    assert potential(tree, "b") == 14  # its 2, kept, plus the 12 pooled in org
    assert tree.members("org") == ["a", "b"]


def test_an_incomplete_cohort_is_bounded_only_by_the_borrowing_limit() -> None:
    tree = QuotaTree.of(
        [
            cluster_queue(
                "a",
                "ml",
                (
                    "a100",
                    [quota(GPU, 8, bl=4)],
                ),
            )
        ]
    )
    node = tree.cluster_queue("a")
    assert node is not None
    assert ceiling(tree, node, ("a100", GPU), cohort_complete=False) == 12
    unbounded = QuotaTree.of([cluster_queue("a", "ml", ("a100", [quota(GPU, 8)]))])
    other = unbounded.cluster_queue("a")
    assert other is not None
    assert ceiling(unbounded, other, ("a100", GPU), cohort_complete=False) is None


def test_a_workload_within_the_borrowable_quota_fits() -> None:
    tree = QuotaTree.of(
        [
            cluster_queue("a", "ml", ("a100", [quota("cpu", 256), quota(GPU, 8)])),
            cluster_queue("b", "ml", ("a100", [quota("cpu", 256), quota(GPU, 8)])),
        ]
    )
    verdict = admission_verdict([gpu_pods(16)], "a", tree, {})
    assert verdict.problems == []
    assert verdict.warnings == []


def test_a_workload_beyond_nominal_plus_borrowing_is_never_admitted_with_the_numbers() -> None:
    tree = QuotaTree.of(
        [
            cluster_queue("a", "ml", ("a100", [quota("cpu", 256), quota(GPU, 8, bl=4)])),
            cluster_queue("b", "ml", ("a100", [quota("cpu", 256), quota(GPU, 8)])),
        ]
    )
    verdict = admission_verdict([gpu_pods(7, 2)], "a", tree, {}, subject="RayJob train")
    assert verdict.problems == [
        "spec.workerGroupSpecs[0].template: pod set 'gpu' of RayJob train needs cpu 56, "
        "nvidia.com/gpu 14 (7 pods x cpu 8, nvidia.com/gpu 2) but no flavor of ClusterQueue 'a' "
        "(cohort 'ml', with b) can ever give that: 'a100' gives at most nvidia.com/gpu 12 "
        "(nominal 8 + 4 borrowable); it can never be admitted; lower the pods' requests or count, "
        "or raise the quota (nominalQuota, or borrowing within the cohort)"
    ]


def test_elastic_jobs_are_checked_at_max_replicas() -> None:
    tree = QuotaTree.of([cluster_queue("a", None, ("a100", [quota("cpu", 256), quota(GPU, 8)]))])
    pods = [gpu_pods(4, max_count=10)]
    assert admission_verdict(pods, "a", tree, {}).problems == []
    problems = admission_verdict(pods, "a", tree, {}, at_max=True).problems
    assert len(problems) == 1
    assert "(10 pods at maxReplicas x cpu 8, nvidia.com/gpu 1)" in problems[0]


def test_pod_sets_share_a_flavor_in_order_and_spill_to_the_next() -> None:
    tree = QuotaTree.of(
        [cluster_queue("a", None, ("small", [quota("cpu", 10)]), ("big", [quota("cpu", 100)]))]
    )
    head = PodSet("head", "h", 1, 1, {"cpu": Decimal(8)})
    workers = PodSet("w", "w", 4, 4, {"cpu": Decimal(20)})
    assert admission_verdict([head, workers], "a", tree, {}).problems == []
    too_big = PodSet("w", "w", 6, 6, {"cpu": Decimal(20)})
    [problem] = admission_verdict([head, too_big], "a", tree, {}).problems
    assert "needs cpu 120 (6 pods x cpu 20)" in problem
    assert "'small' gives at most cpu 10 (nominal 10; 8 taken by earlier pod sets)" in problem
    assert "'big' gives at most cpu 100 (nominal 100)" in problem


def test_earlier_pod_sets_use_up_the_flavor() -> None:
    tree = QuotaTree.of([cluster_queue("a", None, ("only", [quota("cpu", 10)]))])
    first = PodSet("head", "h", 1, 1, {"cpu": Decimal(6)})
    second = PodSet("w", "w", 1, 1, {"cpu": Decimal(6)})
    [problem] = admission_verdict([first, second], "a", tree, {}).problems
    assert "6 taken by earlier pod sets" in problem


def test_a_resource_the_queue_does_not_cover_is_an_error_unless_ignored() -> None:
    tree = QuotaTree.of([cluster_queue("a", None, ("cpu", [quota("cpu", 64)]))])
    pod = PodSet("head", "h", 1, 1, {"cpu": Decimal(1), "memory": Decimal(2**30)})
    [problem] = admission_verdict([pod], "a", tree, {}, subject="RayCluster c").problems
    assert problem.startswith(
        "RayCluster c requests memory (pod sets head), which ClusterQueue 'a' (in no cohort) does "
        "not cover (it covers cpu)"
    )
    ignored = AdmissionOptions(quota_check_strategy="IgnoreUndeclared")
    assert admission_verdict([pod], "a", tree, {}, options=ignored).problems == []
    excluded = AdmissionOptions(exclude_resource_prefixes=("memory",))
    assert admission_verdict([pod], "a", tree, {}, options=excluded).problems == []


def test_zero_requests_and_the_pods_resource() -> None:
    tree = QuotaTree.of([cluster_queue("a", None, ("f", [quota("cpu", 64), quota("pods", 3)]))])
    pod = PodSet("w", "w", 4, 4, {"cpu": Decimal(1), GPU: Decimal(0)})
    [problem] = admission_verdict([pod], "a", tree, {}).problems
    assert "needs cpu 4, pods 4" in problem
    assert "'f' gives at most pods 3 (nominal 3)" in problem


A100 = {
    "kind": "ResourceFlavor",
    "metadata": {"name": "a100"},
    "spec": {
        "nodeLabels": {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"},
        "nodeTaints": [{"key": GPU, "value": "present", "effect": "NoSchedule"}],
    },
}


def test_taints_rule_out_flavors_for_pods_that_do_not_tolerate_them() -> None:
    assert untolerated_taints({}, A100) == ["nvidia.com/gpu=present:NoSchedule"]
    tolerating = {"tolerations": [{"key": GPU, "operator": "Exists", "effect": "NoSchedule"}]}
    assert untolerated_taints(tolerating, A100) == []


def test_selectors_are_compared_only_on_the_flavors_label_keys() -> None:
    assert selector_mismatches({"nodeSelector": {"pool": "x"}}, A100) == []
    wrong = {"nodeSelector": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}}
    assert selector_mismatches(wrong, A100) == [
        "nodeSelector nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 "
        "(flavor: nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB)"
    ]
    affinity = {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {
                                    "key": "nvidia.com/gpu.product",
                                    "operator": "In",
                                    "values": ["NVIDIA-H100-80GB-HBM3"],
                                }
                            ]
                        }
                    ]
                }
            }
        }
    }
    assert selector_mismatches(affinity, A100) == ["required node affinity"]


def test_a_pod_set_no_flavor_matches_is_a_warning() -> None:
    tree = QuotaTree.of([cluster_queue("a", None, ("a100", [quota("cpu", 64), quota(GPU, 8)]))])
    verdict = admission_verdict([gpu_pods(1)], "a", tree, {"a100": A100})
    assert verdict.problems == []
    [warning] = verdict.warnings
    assert "matches no flavor of ClusterQueue 'a'" in warning
    assert "'a100' (taint nvidia.com/gpu=present:NoSchedule not tolerated)" in warning


def test_try_next_flavor_prefers_a_flavor_that_fits_without_borrowing() -> None:
    tree = QuotaTree.of(
        [
            cluster_queue(
                "a",
                "ml",
                ("spot", [quota("cpu", 2)]),
                ("on-demand", [quota("cpu", 8)]),
                flavorFungibility={"whenCanBorrow": "TryNextFlavor"},
            ),
            cluster_queue(
                "b", "ml", ("spot", [quota("cpu", 10)]), ("on-demand", [quota("cpu", 0)])
            ),
        ]
    )
    first = PodSet("head", "h", 1, 1, {"cpu": Decimal(4)})  # on-demand (spot would borrow)
    second = PodSet("w", "w", 1, 1, {"cpu": Decimal(10)})  # spot: 2 + 10 borrowed
    assert admission_verdict([first, second], "a", tree, {}).problems == []


def test_amounts_read_like_quantities() -> None:
    assert format_amount("memory", Decimal(64 * 2**30)) == "64Gi"
    assert format_amount("memory", Decimal(1536 * 2**20)) == "1536Mi"
    assert format_amount("cpu", Decimal("0.5")) == "0.5"
    assert format_amount(GPU, Decimal(16)) == "16"
