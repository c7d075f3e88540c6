"""The registry by example: every kind the library will emit has a schema, picked by version.

Each folder of ``../shared`` is read in place; a test whose folder is absent skips saying which.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import registry, shared_folders
from tests.conformance.registry import (
    assert_conforms,
    check_manifest,
    conformance_problems,
    ray_release_problems,
    schemas_for,
    wants_aws_build,
)
from tests.conformance.shared_folders import KUBERAY_RELEASES, iter_sample_documents

PRUNED = "field not in the CRD schema; the API server would silently prune it"


def meta(name: str, namespace: str | None = None) -> dict[str, Any]:
    return {"name": name, **({"namespace": namespace} if namespace else {})}


# --- Kueue: v1beta1 and v1beta2 are both served, with different fields --------------------------


def cluster_queue(version: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": f"kueue.x-k8s.io/{version}",
        "kind": "ClusterQueue",
        "metadata": meta("team-a"),
        "spec": {
            "namespaceSelector": {},
            "resourceGroups": [
                {
                    "coveredResources": ["cpu", "nvidia.com/gpu"],
                    "flavors": [
                        {
                            "name": "a100",
                            "resources": [
                                {"name": "cpu", "nominalQuota": 96},
                                {"name": "nvidia.com/gpu", "nominalQuota": 8},
                            ],
                        }
                    ],
                }
            ],
            **spec,
        },
    }


def test_kueue_kinds_are_checked_in_the_version_they_name() -> None:
    v1beta2 = schemas_for("kueue.x-k8s.io/v1beta2", "ClusterQueue")
    v1beta1 = schemas_for("kueue.x-k8s.io/v1beta1", "ClusterQueue")
    assert v1beta2.problems(cluster_queue("v1beta2", cohortName="org")) == []
    assert v1beta1.problems(cluster_queue("v1beta1", cohort="org")) == []
    # v1beta2 renamed cohort to cohortName: the old name would be pruned.
    assert v1beta2.problems(cluster_queue("v1beta2", cohort="org")) == [f"spec.cohort: {PRUNED}"]
    assert "Kueue v0.19.2" in v1beta2.source


def test_kueue_cel_rules_run_on_the_real_crd() -> None:
    manifest = cluster_queue("v1beta2")
    resources = manifest["spec"]["resourceGroups"][0]["flavors"][0]["resources"]
    resources[0]["borrowingLimit"] = 10  # without a cohort
    assert conformance_problems(manifest) == [
        "spec: borrowingLimit must be nil when cohort is empty"
    ]
    manifest["spec"]["cohortName"] = "org"
    assert conformance_problems(manifest) == []


def test_cluster_scoped_kueue_kinds_lose_a_namespace() -> None:
    manifest = cluster_queue("v1beta2")
    manifest["metadata"]["namespace"] = "ml"
    assert conformance_problems(manifest) == [
        "metadata.namespace: ClusterQueue is cluster-scoped; the API server clears the namespace"
    ]


def test_an_unserved_version_of_a_known_kind_is_reported() -> None:
    assert conformance_problems(
        {**cluster_queue("v1beta2"), "apiVersion": "kueue.x-k8s.io/v1"}
    ) == [
        "<root>: apiVersion='kueue.x-k8s.io/v1' is not served by the ClusterQueue CRD (served: "
        "kueue.x-k8s.io/v1beta1, kueue.x-k8s.io/v1beta2); the API server rejects it"
    ]


# --- Gateway API, cert-manager, Prometheus operator --------------------------------------------


def http_route(version: str, filters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": f"gateway.networking.k8s.io/{version}",
        "kind": "HTTPRoute",
        "metadata": meta("serve", "ml"),
        "spec": {
            "parentRefs": [{"name": "gateway"}],
            "rules": [
                {
                    "matches": [{"path": {"type": "PathPrefix", "value": "/llm"}}],
                    "filters": filters,
                    "backendRefs": [{"name": "llm-serve-svc", "port": 8000}],
                }
            ],
        },
    }


@pytest.mark.parametrize("version", ["v1", "v1beta1"])
def test_gateway_routes_in_both_served_versions(version: str) -> None:
    rewrite = {
        "type": "URLRewrite",
        "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}},
    }
    assert_conforms(http_route(version, [rewrite]))
    [problem] = conformance_problems(http_route(version, [{"type": "URLRewrite"}]))
    assert (
        problem
        == "spec.rules[0].filters[0]: filter.urlRewrite must be specified for URLRewrite filter.type"
    )


def test_cert_manager_and_prometheus_kinds() -> None:
    issuer = {
        "apiVersion": "cert-manager.io/v1",
        "kind": "ClusterIssuer",
        "metadata": meta("ray-ca"),
        "spec": {"ca": {"secretName": "ray-ca"}},
    }
    certificate = {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": meta("ray-head", "ml"),
        "spec": {
            "secretName": "ray-head-tls",
            "dnsNames": ["ray-head.ml.svc"],
            "issuerRef": {"name": "ray-ca", "kind": "ClusterIssuer", "group": "cert-manager.io"},
            "duration": "2160h",
        },
    }
    monitor = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": meta("ray", "ml"),
        "spec": {
            "selector": {"matchLabels": {"ray.io/is-ray-node": "yes"}},
            "podMetricsEndpoints": [{"port": "metrics", "interval": "30s"}],
        },
    }
    for manifest in (issuer, certificate, monitor):
        assert_conforms(manifest)
    monitor["spec"]["podMetricsEndpoints"][0]["intervall"] = "30s"
    assert conformance_problems(monitor) == [f"spec.podMetricsEndpoints[0].intervall: {PRUNED}"]


# --- Karpenter: the core build, or the AWS build (explicitly, or by its EC2NodeClass) ----------


def node_pool(
    labels: dict[str, str], node_class_group: str = "karpenter.k8s.aws"
) -> dict[str, Any]:
    return {
        "apiVersion": "karpenter.sh/v1",
        "kind": "NodePool",
        "metadata": meta("gpu"),
        "spec": {
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "nodeClassRef": {
                        "group": node_class_group,
                        "kind": "EC2NodeClass",
                        "name": "gpu",
                    },
                    "requirements": [
                        {
                            "key": "karpenter.k8s.aws/instance-family",
                            "operator": "In",
                            "values": ["p4d"],
                        }
                    ],
                    "taints": [{"key": "nvidia.com/gpu", "effect": "NoSchedule"}],
                },
            },
            "limits": {"nvidia.com/gpu": 16},
        },
    }


def test_karpenter_aws_build_is_picked_explicitly_or_by_the_node_class() -> None:
    restricted = {"karpenter.k8s.aws/made-up": "x"}
    message = 'spec.template.metadata.labels: label domain "karpenter.k8s.aws" is restricted'
    # The core build does not know AWS's label domain ...
    assert schemas_for("karpenter.sh/v1", "NodePool").problems(node_pool(restricted)) == []
    # ... the AWS build (what the AWS chart installs) does:
    aws = schemas_for("karpenter.sh/v1", "NodePool", variant="aws")
    assert aws.problems(node_pool(restricted)) == [message]
    assert "AWS build" in aws.source
    # A NodePool whose nodeClassRef is an EC2NodeClass is checked against the AWS build.
    assert wants_aws_build(node_pool({}))
    assert conformance_problems(node_pool(restricted)) == [message]
    generic = node_pool(restricted, node_class_group="karpenter.example.com")
    assert not wants_aws_build(generic)
    assert conformance_problems(generic) == []
    with pytest.raises(ValueError, match="unknown variant 'gcp'"):
        schemas_for("karpenter.sh/v1", "NodePool", variant="gcp")


def test_ec2_node_class() -> None:
    node_class = {
        "apiVersion": "karpenter.k8s.aws/v1",
        "kind": "EC2NodeClass",
        "metadata": meta("gpu"),
        "spec": {
            "role": "KarpenterNodeRole-ml",
            "amiSelectorTerms": [{"alias": "al2023@latest"}],
            "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "ml"}}],
            "securityGroupSelectorTerms": [{"tags": {"karpenter.sh/discovery": "ml"}}],
        },
    }
    assert_conforms(node_class)
    node_class["spec"]["amiSelectorTerms"][0]["id"] = "ami-123"
    assert conformance_problems(node_class) == [
        f"spec.amiSelectorTerms: '{field}' is mutually exclusive, cannot be set with a "
        "combination of other fields in amiSelectorTerms"
        for field in ("id", "alias")
    ]


# --- ray.io: the promise of validate_manifest, release by release -----------------------------


def ray_cluster(**spec: Any) -> dict[str, Any]:
    container = {"name": "ray-head", "image": "rayproject/ray:2.53.0"}
    return {
        "apiVersion": "ray.io/v1",
        "kind": "RayCluster",
        "metadata": meta("demo", "ml"),
        "spec": {
            "headGroupSpec": {
                "rayStartParams": {},
                "template": {"spec": {"containers": [container]}},
            },
            **spec,
        },
    }


def require_all_releases() -> None:
    for release in KUBERAY_RELEASES:
        shared_folders.require_shared_folder(release.folder.name)


def test_a_manifest_every_release_stores_keeps_the_promise() -> None:
    require_all_releases()
    verdicts = registry.release_verdicts(ray_cluster())
    assert [(v.release.minor, v.operator_accepts, v.stored_problems) for v in verdicts] == [
        ("1.5", True, ()),
        ("1.6", True, ()),
        ("1.7", True, ()),
    ]
    assert ray_release_problems(ray_cluster()) == []


def test_a_typo_no_release_stores_is_reported_once_for_all() -> None:
    require_all_releases()
    assert ray_release_problems(ray_cluster(headGroupSpecc={})) == [
        f"spec.headGroupSpecc: {PRUNED} [no KubeRay release stores it as sent; this one in "
        "every release]"
    ]


def test_a_field_of_a_newer_release_is_fine_while_validate_manifest_rejects_it_for_older() -> None:
    require_all_releases()
    manifest = ray_cluster(upgradeStrategy={"type": "Recreate"})  # new in KubeRay 1.6
    verdicts = {v.release.minor: v for v in registry.release_verdicts(manifest)}
    assert verdicts["1.5"].stored_problems == (f"spec.upgradeStrategy: {PRUNED}",)
    assert not verdicts["1.5"].operator_accepts  # so the 1.5 CRD's pruning breaks no promise
    assert verdicts["1.6"].stored_problems == verdicts["1.7"].stored_problems == ()
    assert ray_release_problems(manifest) == []


def test_validate_manifest_accepting_what_a_release_would_prune_breaks_the_promise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require_all_releases()
    monkeypatch.setattr(registry, "validate_manifest", lambda doc, operator_version: [])
    manifest = ray_cluster(upgradeStrategy={"type": "Recreate"})
    assert ray_release_problems(manifest) == [
        f"spec.upgradeStrategy: {PRUNED} [validate_manifest(operator_version='1.5.1') accepts "
        "it, but the KubeRay 1.5 (v1.5.2) CRD would not store it as sent]"
    ]


def test_a_release_can_be_named() -> None:
    manifest = ray_cluster(upgradeStrategy={"type": "Recreate"})
    assert conformance_problems(manifest, release="1.6") == []
    assert conformance_problems(manifest, release="1.5") == [f"spec.upgradeStrategy: {PRUNED}"]
    with pytest.raises(
        AssertionError, match=r"(?s)RayCluster 'demo' would not be stored.*upgradeStrategy"
    ):
        assert_conforms(manifest, release="1.5")


def test_ray_cron_jobs_of_the_samples_keep_the_promise() -> None:
    found = []
    for release in ("1.6", "1.7"):
        shared_folders.require_shared_kuberay(release)
        found += [doc for _, _, doc in iter_sample_documents("RayCronJob", release=release)]
    assert found
    for doc in found:
        assert check_manifest(doc).problems == ()
        assert schemas_for("ray.io/v1", "RayCronJob", release="1.7").problems(doc) == []


# --- everything else in the samples: built-in kinds and Gateway API ---------------------------

WITHOUT_SCHEMA = {
    ("scheduling.run.ai/v2", "Queue"),
    ("scheduling.volcano.sh/v1beta1", "Queue"),
    ("metallb.io/v1beta1", "IPAddressPool"),
    ("metallb.io/v1beta1", "L2Advertisement"),
    ("extensions.agents.x-k8s.io/v1beta1", "SandboxTemplate"),
    ("extensions.agents.x-k8s.io/v1beta1", "SandboxWarmPool"),
}
"""Kinds in the KubeRay samples whose CRDs are not in ../shared (the library emits none)."""


def _other_sample_documents() -> list[Any]:
    params = []
    for release in KUBERAY_RELEASES:
        if not shared_folders.shared_kuberay_available(release.minor):
            continue
        samples = release.folder.path / "samples"
        params += [
            pytest.param(doc, id=f"{release.minor}/{path.relative_to(samples)}#{index}")
            for path, index, doc in iter_sample_documents(release=release.minor)
            if not str(doc.get("apiVersion", "")).startswith("ray.io/")
        ]
    return params or [pytest.param(None, id="shared-kuberay-absent")]


@pytest.mark.parametrize("doc", _other_sample_documents())
def test_every_other_sample_document_conforms(doc: dict[str, Any] | None) -> None:
    if doc is None:
        shared_folders.require_shared_kuberay()
    verdict = check_manifest(doc)
    if (doc["apiVersion"], doc["kind"]) in WITHOUT_SCHEMA:
        [problem] = verdict.problems
        assert problem.startswith("<root>: no schema for apiVersion=")
    else:
        assert verdict.problems == ()


# --- the helpers ------------------------------------------------------------------------------


def test_assert_conforms_lists_every_problem() -> None:
    manifest = cluster_queue("v1beta2", cohort="org", stopPolicy="Sometimes")
    with pytest.raises(AssertionError) as failure:
        assert_conforms(manifest)
    assert str(failure.value).splitlines() == [
        "ClusterQueue 'team-a' would not be stored as sent:",
        f"  - spec.cohort: {PRUNED}",
        "  - spec.stopPolicy: 'Sometimes' is not one of ['None', 'Hold', 'HoldAndDrain']",
        "  - <root>: the CEL validation rules were not run because the object has type or enum "
        "errors; fix those and check again",
    ]


def test_schemas_for_knows_what_it_is_for() -> None:
    queue = schemas_for("kueue.x-k8s.io/v1beta2", "ClusterQueue")
    assert queue.schema["properties"]["spec"]["type"] == "object"
    assert queue.problems(cluster_queue("v1beta1")) == [
        "<root>: apiVersion='kueue.x-k8s.io/v1beta1' kind='ClusterQueue', but this is the "
        "schema of kueue.x-k8s.io/v1beta2 ClusterQueue"
    ]
    stored = schemas_for("apps/v1", "StatefulSet").as_stored(
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta("s"), "spec": {}, "x": 1}
    )
    assert "x" not in stored
    with pytest.raises(LookupError, match=r"no schema for apiVersion='example\.com/v1'"):
        schemas_for("example.com/v1", "Widget")
    with pytest.raises(LookupError, match=r"Kueue v0\.19\.2 defines no Widget"):
        schemas_for("kueue.x-k8s.io/v1beta2", "Widget")


def test_absent_folders_skip_per_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shared_folders, "SHARED_ROOT", tmp_path)
    with pytest.raises(
        pytest.skip.Exception, match=r"crds/kueue-v0\.19\.2 is absent .*Kueue v0\.19\.2"
    ):
        schemas_for("kueue.x-k8s.io/v1beta2", "ClusterQueue")
    with pytest.raises(pytest.skip.Exception, match=r"kuberay-1\.7 is absent"):
        conformance_problems(ray_cluster(), release="1.7")
    assert check_manifest(ray_cluster()).skipped is not None
    # Built-in kinds need no shared folder.
    assert (
        conformance_problems({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("c")}) == []
    )


def test_require_shared_fixture(require_shared: Any) -> None:
    assert require_shared("gateway-api") == shared_folders.SHARED_ROOT / "crds/gateway-api-v1.6.1"
    with pytest.raises(KeyError, match="no shared folder 'kueue-v9'"):
        require_shared("kueue-v9")


def test_checks_never_modify_the_manifest() -> None:
    manifest = cluster_queue("v1beta2", cohort="org")
    before = copy.deepcopy(manifest)
    assert conformance_problems(manifest)
    assert manifest == before
