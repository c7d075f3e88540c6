"""Built-in kinds by example: what the API server would reject, drop or default.

The schemas are Kubernetes' own (kubernetes-validate's strict files for
``core_schema.KUBERNETES_VERSION``); https://kubernetes.io/docs/reference/kubernetes-api/
"""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest

from tests.conformance.core_schema import KUBERNETES_VERSION, CoreSchemas

UNKNOWN = (
    f"field not in the Kubernetes {KUBERNETES_VERSION} schema; the API server drops it (with a "
    "warning) or, under strict field validation, rejects the object"
)
CONTAINER = "spec.template.spec.containers[0]"


@pytest.fixture(scope="module")
def core() -> CoreSchemas:
    return CoreSchemas.shared()


def statefulset(**container: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "redis", "namespace": "ml", "labels": {"app": "redis"}},
        "spec": {
            "serviceName": "redis",
            "replicas": 1,
            "selector": {"matchLabels": {"app": "redis"}},
            "template": {
                "metadata": {"labels": {"app": "redis"}},
                "spec": {
                    "containers": [
                        {
                            "name": "redis",
                            "image": "redis:7.4",
                            "ports": [{"containerPort": 6379, "name": "redis"}],
                            "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}},
                            **container,
                        }
                    ]
                },
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "10Gi"}},
                    },
                }
            ],
        },
    }


def secret(**data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "redis-password", "namespace": "ml"},
        "type": "Opaque",
        "data": data,
    }


def test_a_realistic_statefulset_conforms(core: CoreSchemas) -> None:
    assert core.problems(statefulset()) == []


@pytest.mark.parametrize(
    "manifest",
    [
        secret(password=base64.b64encode(b"hunter2").decode()),
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}},
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "redis", "namespace": "ml"},
            "spec": {"clusterIP": "None", "selector": {"app": "redis"}, "ports": [{"port": 6379}]},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "redis-from-ray"},
            "spec": {
                "podSelector": {"matchLabels": {"app": "redis"}},
                "policyTypes": ["Ingress"],
                "ingress": [
                    {
                        "from": [{"podSelector": {"matchLabels": {"ray.io/is-ray-node": "yes"}}}],
                        "ports": [{"port": 6379, "protocol": "TCP"}],
                    }
                ],
            },
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "head"},
            "spec": {
                "maxUnavailable": 0,
                "selector": {"matchLabels": {"ray.io/node-type": "head"}},
            },
        },
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ml"}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "ray"}},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "ray"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "ray"},
            "subjects": [{"kind": "ServiceAccount", "name": "ray"}],
        },
    ],
    ids=lambda manifest: manifest["kind"],
)
def test_everyday_kinds_conform(core: CoreSchemas, manifest: dict[str, Any]) -> None:
    assert core.problems(manifest) == []


def test_unknown_fields_are_named_one_by_one(core: CoreSchemas) -> None:
    manifest = statefulset(resourcez={}, imagePullPolicyy="Always")
    manifest["spec"]["serviceNme"] = "redis"
    assert core.problems(manifest) == [
        f"{CONTAINER}.resourcez: {UNKNOWN}",
        f"{CONTAINER}.imagePullPolicyy: {UNKNOWN}",
        f"spec.serviceNme: {UNKNOWN}",
    ]
    assert "resourcez" not in core.as_stored(manifest)["spec"]["template"]["spec"]["containers"][0]


def test_types_and_required_fields(core: CoreSchemas) -> None:
    manifest = statefulset()
    manifest["spec"]["replicas"] = "1"
    del manifest["spec"]["template"]["spec"]["containers"][0]["name"]
    assert core.problems(manifest) == [
        "spec.replicas: '1' is not of type 'integer'",
        f"{CONTAINER}: 'name' is a required property",
    ]


def test_int32_fields_must_fit(core: CoreSchemas) -> None:
    manifest = statefulset()
    manifest["spec"]["replicas"] = 2**31
    assert core.problems(manifest) == [
        "spec.replicas: 2147483648 does not fit int32; the API server cannot decode it into its "
        "Go field and rejects the object"
    ]


def test_ports_are_keyed_by_port_and_protocol_which_defaults_to_tcp(core: CoreSchemas) -> None:
    manifest = statefulset(
        ports=[{"containerPort": 6379}, {"containerPort": 6379, "protocol": "TCP"}]
    )
    [problem] = core.problems(manifest)
    assert problem.startswith(
        f'{CONTAINER}.ports[1]: duplicate key {{"containerPort": 6379, "protocol": "TCP"}} '
        f"(same as {CONTAINER}.ports[0])"
    )
    manifest = statefulset(
        ports=[{"containerPort": 6379}, {"containerPort": 6379, "protocol": "UDP"}]
    )
    assert core.problems(manifest) == []
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "redis"},
        "spec": {
            "ports": [{"port": 6379, "name": "a"}, {"port": 6379, "name": "b", "protocol": "TCP"}]
        },
    }
    [problem] = core.problems(service)
    assert problem.startswith("spec.ports[1]: duplicate key")


def test_quantities_are_checked(core: CoreSchemas) -> None:
    manifest = statefulset(resources={"limits": {"memory": "8 GB", "cpu": 0.5}})
    assert core.problems(manifest) == [
        f"{CONTAINER}.resources.limits.memory: '8 GB' does not match the Kubernetes quantity "
        "syntax (e.g. 500m, 2, 1.5, 8Gi, 1e3)"
    ]


def test_null_is_stored_as_unset(core: CoreSchemas) -> None:
    manifest = statefulset()
    manifest["spec"]["replicas"] = None
    assert core.problems(manifest) == [
        "spec.replicas: null; the API server decodes it as unset and stores no value"
    ]


def test_secret_data_must_be_base64_and_is_never_shown(core: CoreSchemas) -> None:
    assert core.problems(secret(password="aHVudGVyMg==\n")) == []  # line breaks are skipped
    problems = core.problems(secret(password="hunter2!"))
    assert problems == [
        "data.password: the value (not shown: secret data) fails the schema's 'format' check"
    ]
    assert "hunter2" not in "".join(problems)
    manifest = {**secret(), "stringData": {"password": 42}}
    assert core.problems(manifest) == [
        "stringData.password: the value (not shown: secret data) fails the schema's 'type' check"
    ]


def test_metadata_of_objects_and_pod_templates_is_object_meta(core: CoreSchemas) -> None:
    manifest = statefulset()
    manifest["metadata"]["name"] = "Redis"
    manifest["spec"]["template"]["metadata"] = {"labels": {"app": "a b"}, "labelz": {}}
    assert core.problems(manifest) == [
        "spec.template.metadata.labelz: not an ObjectMeta field; the API server would drop it",
        "metadata.name: 'Redis' is not a DNS-1123 subdomain (lowercase alphanumerics, '-' and "
        "'.', at most 253 characters)",
        "spec.template.metadata.labels.app: 'a b' is not a valid label value (at most 63 "
        "alphanumerics, '-', '_' or '.', alphanumeric at both ends)",
    ]


def test_status_is_reset_and_cluster_scoped_kinds_lose_their_namespace(core: CoreSchemas) -> None:
    assert core.problems({**statefulset(), "status": {"replicas": 1}}) == [
        "status: the API server resets status on create; the kind's controller writes it"
    ]
    assert core.problems(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ml", "namespace": "x"}}
    ) == ["metadata.namespace: Namespace is cluster-scoped; the API server clears the namespace"]


def test_free_form_fields_stay_free_form(core: CoreSchemas) -> None:
    # ControllerRevision.data is a RawExtension: any JSON object.
    revision = {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": "r"},
        "revision": 1,
        "data": {"anything": {"goes": [1, "two"]}},
    }
    assert core.problems(revision) == []


def test_kind_or_version_kubernetes_does_not_serve(core: CoreSchemas) -> None:
    assert not core.knows("kueue.x-k8s.io/v1beta2", "ClusterQueue")
    assert not core.knows("apps/v1beta1", "Deployment")
    assert core.knows("batch/v1", "Job")
    assert core.knows("networking.k8s.io/v1", "Ingress")
    assert core.problems({"apiVersion": "extensions/v1beta1", "kind": "Ingress"}) == [
        "<root>: apiVersion='extensions/v1beta1' kind='Ingress' is not a built-in kind of "
        f"Kubernetes {KUBERNETES_VERSION}"
    ]


def test_checks_never_modify_the_manifest(core: CoreSchemas) -> None:
    manifest = statefulset(resourcez={}, ports=[{"containerPort": 1}])
    before = copy.deepcopy(manifest)
    assert core.problems(manifest)
    assert core.as_stored(manifest)["spec"]["template"]["spec"]["containers"][0]["ports"] == [
        {"containerPort": 1, "protocol": "TCP"}
    ]
    assert manifest == before
