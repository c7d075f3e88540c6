"""CEL rules by example: evaluated with cel-python as the API server would, gaps pinned.

https://kubernetes.io/docs/reference/using-api/cel/
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.conformance import cel_rules
from tests.conformance.cel_rules import (
    cel_find,
    cel_find_all,
    cel_split,
    escape_property,
    evaluate,
    is_checkable,
    is_transition_rule,
    missing_functions,
)
from tests.conformance.crd_schema import CrdSchemas, load_crd_folder
from tests.conformance.shared_folders import SHARED_FOLDERS, require_shared_folder


def rule(text: str, message: str | None = None) -> dict[str, str]:
    return {"rule": text, **({"message": message} if message else {})}


POOL_CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"kind": "Pool"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "apiVersion": {"type": "string"},
                            "kind": {"type": "string"},
                            "metadata": {"type": "object"},
                            "spec": {
                                "type": "object",
                                "x-kubernetes-validations": [
                                    rule("self.min <= self.max", "min must not exceed max"),
                                    rule("self.mode == oldSelf.mode", "mode is immutable"),
                                    rule("has(self.weight) ? self.weight > 0.5 : true"),
                                ],
                                "properties": {
                                    "min": {"type": "integer", "default": 0},
                                    "max": {"type": "integer"},
                                    "weight": {"type": "number"},
                                    "mode": {"type": "string", "enum": ["a", "b"]},
                                    "namespace": {
                                        "type": "string",
                                        "x-kubernetes-validations": [
                                            rule("self != 'kube-system'", "not kube-system")
                                        ],
                                    },
                                    "selector": {
                                        "type": "object",
                                        "x-kubernetes-validations": [
                                            rule(
                                                "has(self.__namespace__) || has(self.team__dash__id)"
                                            )
                                        ],
                                        "properties": {
                                            "namespace": {"type": "string"},
                                            "team-id": {"type": "string"},
                                        },
                                    },
                                    "labels": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                        "x-kubernetes-validations": [
                                            rule(
                                                "self.all(k, k.split('/')[0].size() < 10)",
                                                "label prefixes are short",
                                            )
                                        ],
                                    },
                                    "alias": {
                                        "type": "string",
                                        "x-kubernetes-validations": [
                                            rule(
                                                "self.find('^[^@]+') in ['al2', 'al2023']",
                                                "unknown family",
                                            )
                                        ],
                                    },
                                    "size": {
                                        "type": "string",
                                        "x-kubernetes-validations": [
                                            rule("quantity(self).isGreaterThan(quantity('1Gi'))")
                                        ],
                                    },
                                    "nodeLabels": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                    },
                                    "topology": {
                                        "type": "string",
                                        "x-kubernetes-validations": [rule("self.size() > 0")],
                                    },
                                },
                            },
                        },
                        "x-kubernetes-validations": [
                            rule(
                                "!has(self.spec.topology) || self.spec.nodeLabels.size() >= 1",
                                "a topology needs nodeLabels",
                            )
                        ],
                    }
                },
            }
        ],
    },
}


def pool(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Pool", "metadata": {"name": "p"}, "spec": spec}


@pytest.fixture(scope="module")
def schemas() -> CrdSchemas:
    return CrdSchemas([POOL_CRD])


def test_rules_see_the_defaulted_object_and_report_their_message(schemas: CrdSchemas) -> None:
    assert schemas.problems(pool(max=3)) == []  # min defaults to 0
    assert schemas.problems(pool(min=4, max=3)) == ["spec: min must not exceed max"]


def test_transition_rules_are_skipped_on_create(schemas: CrdSchemas) -> None:
    assert is_transition_rule("self.mode == oldSelf.mode")
    assert not is_transition_rule("self.oldSelfish == 1")
    assert schemas.problems(pool(max=1, mode="b")) == []


def test_numbers_are_typed_by_the_schema(schemas: CrdSchemas) -> None:
    # `weight` is a number: the integer 1 reaches CEL as the double 1.0, as on the server.
    assert schemas.problems(pool(max=1, weight=1)) == []
    assert schemas.problems(pool(max=1, weight=0.25)) == [
        "spec: has(self.weight) ? self.weight > 0.5 : true"
    ]


def test_properties_named_like_keywords_or_with_dashes_are_escaped(schemas: CrdSchemas) -> None:
    assert escape_property("namespace") == "__namespace__"
    assert escape_property("team-id") == "team__dash__id"
    assert escape_property("a.b/c__d") == "a__dot__b__slash__c__underscores__d"
    assert escape_property("9lives") is None
    assert schemas.problems(pool(max=1, selector={"namespace": "ml"})) == []
    assert schemas.problems(pool(max=1, selector={"team-id": "a"})) == []
    assert schemas.problems(pool(max=1, selector={})) == [
        "spec.selector: has(self.__namespace__) || has(self.team__dash__id)"
    ]
    assert schemas.problems(pool(max=1, namespace="kube-system")) == [
        "spec.namespace: not kube-system"
    ]


def test_map_keys_are_iterated_and_library_functions_work(schemas: CrdSchemas) -> None:
    assert schemas.problems(pool(max=1, labels={"ray.io/x": "1", "plain": "2"})) == []
    assert schemas.problems(pool(max=1, labels={"very.long.prefix.example/x": "1"})) == [
        "spec.labels: label prefixes are short"
    ]
    assert schemas.problems(pool(max=1, alias="al2023@latest")) == []
    assert schemas.problems(pool(max=1, alias="bottlerocket@v1")) == ["spec.alias: unknown family"]


def test_a_rule_that_fails_to_evaluate_rejects_the_object(schemas: CrdSchemas) -> None:
    # `nodeLabels` is unset, so `self.spec.nodeLabels` is an error: the server rejects.
    [problem] = schemas.problems(pool(max=1, topology="rack"))
    assert problem.startswith(
        "<root>: CEL rule '!has(self.spec.topology) || self.spec.nodeLabels.size() >= 1' "
        "fails to evaluate (no such member"
    )
    assert schemas.problems(pool(max=1, topology="rack", nodeLabels={"a": "b"})) == []


def test_type_errors_stop_the_cel_rules_as_on_the_server(schemas: CrdSchemas) -> None:
    assert schemas.problems(pool(min="4", max=3)) == [
        "spec.min: '4' is not of type 'integer'",
        "<root>: the CEL validation rules were not run because the object has type or enum "
        "errors; fix those and check again",
    ]


def test_a_rule_calling_a_missing_function_is_listed_not_guessed(schemas: CrdSchemas) -> None:
    text = "quantity(self).isGreaterThan(quantity('1Gi'))"
    assert missing_functions(text) == {"quantity", "isGreaterThan"}
    assert not is_checkable(text)
    assert schemas.problems(pool(max=1, size="1Mi")) == []  # not evaluated ...
    [unchecked] = [r for r in schemas.unchecked_cel_rules() if r.path == "spec.size"]
    assert (
        unchecked.reason == "calls isGreaterThan, quantity, which the harness lacks"
    )  # ... listed


def test_library_functions_follow_cel_go() -> None:
    assert [str(x) for x in cel_split("a/b/c", "/")] == ["a", "b", "c"]
    assert [str(x) for x in cel_split("a/b/c", "/", 2)] == ["a", "b/c"]
    assert list(cel_split("a/b", "/", 0)) == []
    assert [str(x) for x in cel_split("abc", "")] == ["a", "b", "c"]
    assert str(cel_find("al2@latest", "^[^@]+")) == "al2"
    assert str(cel_find("@latest", "^[^@]+")) == ""
    assert [str(x) for x in cel_find_all("a1b22c333", "[0-9]+")] == ["1", "22", "333"]
    assert [str(x) for x in cel_find_all("a1b22c333", "[0-9]+", 2)] == ["1", "22"]
    verdict = evaluate("self.find('(') == ''", "x", {"type": "string"})
    assert verdict.error is not None
    assert "invalid regular expression" in verdict.error


def test_standard_macros_and_functions_are_available() -> None:
    schema = {
        "type": "array",
        "items": {"type": "object", "properties": {"n": {"type": "integer"}}},
    }
    value = [{"n": 1}, {"n": 2}]
    for text, holds in [
        ("self.all(x, x.n > 0)", True),
        ("self.exists_one(x, x.n == 2)", True),
        ("self.filter(x, x.n > 1).size() == 1", True),
        ("self.map(x, x.n).exists(n, n == 3)", False),
        ("size(self) == 2 && self[0].n == 1", True),
        ("duration('1h30m') == duration('90m')", True),
        ("'abc'.matches('^a') && 'abc'.startsWith('ab') && 'abc'.contains('c')", True),
    ]:
        assert evaluate(text, value, schema).holds is holds, text
    assert {"has", "all", "exists_one", "split", "find", "int"} <= cel_rules.SUPPORTED_FUNCTIONS


# --- the shared CRDs: every rule is evaluated except these, exactly ----------------------------

TRANSITION = "transition rule (oldSelf): evaluated on update only"

UNCHECKED_BY_FOLDER: dict[str, Counter[tuple[str, str, str]]] = {
    "kuberay-1.5": Counter(
        {
            ("ray.io/v1", "RayCluster", "spec.managedBy"): 1,
            ("ray.io/v1", "RayJob", "spec.managedBy"): 1,
            ("ray.io/v1", "RayJob", "spec.rayClusterSpec.managedBy"): 1,
            ("ray.io/v1", "RayService", "spec.rayClusterConfig.managedBy"): 1,
        }
    ),
    "kuberay-1.6": Counter(
        {
            ("ray.io/v1", "RayCluster", "spec.managedBy"): 1,
            ("ray.io/v1", "RayCronJob", "spec.jobTemplate.managedBy"): 1,
            ("ray.io/v1", "RayCronJob", "spec.jobTemplate.rayClusterSpec.managedBy"): 1,
            ("ray.io/v1", "RayJob", "spec.managedBy"): 1,
            ("ray.io/v1", "RayJob", "spec.rayClusterSpec.managedBy"): 1,
            ("ray.io/v1", "RayService", "spec.managedBy"): 1,
            ("ray.io/v1", "RayService", "spec.rayClusterConfig.managedBy"): 1,
        }
    ),
    "kuberay-1.7": Counter(
        {
            ("ray.io/v1", "RayCluster", "spec.gcsFaultToleranceOptions.backend"): 1,
            ("ray.io/v1", "RayCluster", "spec.managedBy"): 1,
            ("ray.io/v1", "RayCronJob", "spec.jobTemplate.managedBy"): 1,
            (
                "ray.io/v1",
                "RayCronJob",
                "spec.jobTemplate.rayClusterSpec.gcsFaultToleranceOptions.backend",
            ): 1,
            ("ray.io/v1", "RayCronJob", "spec.jobTemplate.rayClusterSpec.managedBy"): 1,
            ("ray.io/v1", "RayJob", "spec.managedBy"): 1,
            ("ray.io/v1", "RayJob", "spec.rayClusterSpec.gcsFaultToleranceOptions.backend"): 1,
            ("ray.io/v1", "RayJob", "spec.rayClusterSpec.managedBy"): 1,
            ("ray.io/v1", "RayService", "spec.managedBy"): 1,
            (
                "ray.io/v1",
                "RayService",
                "spec.rayClusterConfig.gcsFaultToleranceOptions.backend",
            ): 1,
            ("ray.io/v1", "RayService", "spec.rayClusterConfig.managedBy"): 1,
        }
    ),
    "kueue": Counter(
        {
            **{
                (f"kueue.x-k8s.io/{version}", kind, path): count
                for version in ("v1beta1", "v1beta2")
                for kind, path, count in [
                    ("AdmissionCheck", "spec.controllerName", 1),
                    ("LocalQueue", "spec.clusterQueue", 1),
                    ("ResourceFlavor", "spec", 3),
                    ("Topology", "spec.levels", 1),
                    ("Workload", "status", 1),
                ]
            },
            ("kueue.x-k8s.io/v1beta1", "Workload", "<root>"): 4,
            ("kueue.x-k8s.io/v1beta2", "Workload", "<root>"): 6,
        }
    ),
    "cert-manager": Counter(),
    "prometheus-operator": Counter(),
    "karpenter": Counter(
        {
            ("karpenter.sh/v1", "NodeClaim", "spec"): 1,
            ("karpenter.sh/v1", "NodePool", "spec"): 1,
            ("karpenter.sh/v1", "NodePool", "spec.template.spec.nodeClassRef"): 2,
        }
    ),
    "karpenter-aws": Counter(),
    "karpenter-aws-variant": Counter(
        {
            ("karpenter.sh/v1", "NodeClaim", "spec"): 1,
            ("karpenter.sh/v1", "NodePool", "spec"): 1,
            ("karpenter.sh/v1", "NodePool", "spec.template.spec.nodeClassRef"): 2,
        }
    ),
    "gateway-api": Counter(
        {
            ("gateway.networking.k8s.io/v1", "GatewayClass", "spec.controllerName"): 1,
            ("gateway.networking.k8s.io/v1beta1", "GatewayClass", "spec.controllerName"): 1,
        }
    ),
}
"""Per shared folder: where the CEL rules a create-time check does not evaluate sit. All are
transition rules today; a CRD bump that adds a rule calling a function the harness lacks (or
a new update-only rule) shows up here."""


def test_every_folder_is_pinned() -> None:
    assert set(UNCHECKED_BY_FOLDER) == set(SHARED_FOLDERS)


@pytest.mark.parametrize("folder", sorted(UNCHECKED_BY_FOLDER))
def test_exactly_these_cel_rules_are_not_evaluated(folder: str) -> None:
    require_shared_folder(folder)
    unchecked = load_crd_folder(folder).unchecked_cel_rules()
    assert {rule.reason for rule in unchecked} <= {TRANSITION}, [
        (rule.kind, rule.path, rule.reason) for rule in unchecked if rule.reason != TRANSITION
    ]
    assert (
        Counter((r.api_version, r.kind, r.path) for r in unchecked) == (UNCHECKED_BY_FOLDER[folder])
    )
