"""The CRD conformance check by example: what the API server would reject, prune or default.

https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting
https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conformance import shared_folders
from tests.conformance.crd_schema import (
    API_VERSION,
    RAY_KINDS,
    CrdSchemas,
    KubeYamlLoader,
    iter_sample_documents,
    require_shared_kuberay,
    shared_kuberay_available,
    to_json_schema,
)
from tests.conformance.shared_folders import KUBERAY_RELEASES

WORKER = "spec.workerGroupSpecs[0]"
WORKER_CONTAINER = f"{WORKER}.template.spec.containers[0]"


@pytest.fixture(scope="module")
def schemas() -> CrdSchemas:
    return CrdSchemas.shared()


def container(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "image": "rayproject/ray:2.53.0", **fields}


def ray_cluster(**worker_fields: Any) -> dict[str, Any]:
    """A minimal RayCluster with one worker group; ``worker_fields`` replace the group's."""
    worker = {
        "groupName": "workers",
        "replicas": 1,
        "template": {"spec": {"containers": [container("ray-worker")]}},
        **worker_fields,
    }
    return {
        "apiVersion": API_VERSION,
        "kind": "RayCluster",
        "metadata": {"name": "demo", "namespace": "ml"},
        "spec": {
            "headGroupSpec": {
                "rayStartParams": {"num-cpus": "0"},
                "template": {"spec": {"containers": [container("ray-head")]}},
            },
            "workerGroupSpecs": [worker],
        },
    }


def worker_container(manifest: dict[str, Any]) -> dict[str, Any]:
    worker: dict[str, Any] = manifest["spec"]["workerGroupSpecs"][0]
    return worker["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


# --- every KubeRay sample of every release is stored as sent by that release's CRDs ---------

KNOWN_SAMPLE_PROBLEMS: dict[tuple[str, str], list[str]] = {
    # The sample writes `metadata:` with no value under the worker template; the server drops
    # the null (harmless, and exactly what the check is for).
    ("1.7", "ray-service.high-throughput-gemma4.yaml#0"): [
        "spec.rayClusterConfig.workerGroupSpecs[0].template.metadata: null for a field that is "
        "not nullable; the API server would drop it"
    ],
}
"""Samples the API server would not store exactly as written, with what it would change."""


def _ray_samples() -> list[Any]:
    params: list[Any] = []
    for release in KUBERAY_RELEASES:
        if not shared_kuberay_available(release.minor):
            # One placeholder: the test skips it with the reason.
            params.append(pytest.param(release.minor, None, None, id=f"{release.minor}-absent"))
            continue
        samples = release.folder.path / "samples"
        params.extend(
            pytest.param(
                release.minor,
                f"{path.relative_to(samples)}#{index}",
                doc,
                id=f"{release.minor}/{path.relative_to(samples)}#{index}",
            )
            for kind in (*RAY_KINDS, "RayCronJob")
            for path, index, doc in iter_sample_documents(kind, release=release.minor)
        )
    return params


@pytest.mark.parametrize(("release", "name", "doc"), _ray_samples())
def test_kuberay_sample_conforms_to_its_release(
    release: str, name: str, doc: dict[str, Any]
) -> None:
    schemas = CrdSchemas.shared(release)
    assert schemas.problems(doc) == KNOWN_SAMPLE_PROBLEMS.get((release, name), []), name


def test_known_sample_problems_are_still_there() -> None:
    for release, name in KNOWN_SAMPLE_PROBLEMS:
        require_shared_kuberay(release)
        file, _, index = name.partition("#")
        [doc] = [
            doc
            for path, i, doc in iter_sample_documents(release=release)
            if path.name == file and i == int(index)
        ]
        assert CrdSchemas.shared(release).problems(doc), (release, name)


def test_samples_cover_every_kind_including_subfolders_and_multi_document_files() -> None:
    samples = require_shared_kuberay() / "samples"
    found = [(path, index, doc["kind"]) for path, index, doc in iter_sample_documents()]
    ray = {kind: [p for p, _, k in found if k == kind] for kind in RAY_KINDS}
    assert all(ray.values()), {kind: len(paths) for kind, paths in ray.items()}
    assert any(path.parent != samples for path, _, _ in found)
    # Multi-document files: a Ray object that is not the file's first document still counts.
    assert any(index > 0 for kind in RAY_KINDS for _, index, _ in iter_sample_documents(kind))
    assert {"ConfigMap", "Service"} <= {kind for _, _, kind in found}
    assert all(
        doc["apiVersion"].startswith("ray.io/") and doc["kind"] == "RayJob"
        for _, _, doc in iter_sample_documents("RayJob")
    )


def _object_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, dict):
        yield path
        for key, child in value.items():
            yield from _object_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _object_paths(child, (*path, index))


@pytest.mark.parametrize("kind", RAY_KINDS)
def test_a_stray_field_anywhere_in_the_largest_sample_is_noticed(
    schemas: CrdSchemas, kind: str
) -> None:
    # A nested object is wrong in every place: pruned where the schema has no such field,
    # a type error where the object is a map of strings or quantities.
    _, _, sample = max(
        iter_sample_documents(kind), key=lambda found: len(list(_object_paths(found[2])))
    )
    for path in _object_paths(sample):
        manifest = copy.deepcopy(sample)
        node: Any = manifest
        for part in path:
            node = node[part]
        node["zzzStray"] = {"nested": True}
        [problem] = schemas.problems(manifest)
        assert re.match(r"(\S*\.)?zzzStray: ", problem), (path, problem)


# --- the three steps of the API server -------------------------------------------------------


def test_minimal_cluster_conforms(schemas: CrdSchemas) -> None:
    assert schemas.problems(ray_cluster()) == []


def test_unknown_field_deep_in_a_pod_template_is_reported_with_its_path(
    schemas: CrdSchemas,
) -> None:
    manifest = ray_cluster()
    worker_container(manifest)["resourcez"] = {"limits": {"cpu": "1"}}  # typo of `resources`

    assert schemas.problems(manifest) == [
        f"{WORKER_CONTAINER}.resourcez: field not in the CRD schema; "
        "the API server would silently prune it"
    ]
    assert "resourcez" not in worker_container(schemas.as_stored(manifest))


def test_string_replicas_is_a_type_error(schemas: CrdSchemas) -> None:
    assert schemas.problems(ray_cluster(replicas="2")) == [
        f"{WORKER}.replicas: '2' is not of type 'integer'"
    ]


def test_worker_group_without_min_and_max_replicas_passes_because_of_defaults(
    schemas: CrdSchemas,
) -> None:
    manifest = ray_cluster()
    assert "minReplicas" not in manifest["spec"]["workerGroupSpecs"][0]

    # The CRD marks both required, so validating without defaulting first would reject it ...
    raw = jsonschema.Draft7Validator(to_json_schema(schemas.schema(API_VERSION, "RayCluster")))
    assert {e.message for e in raw.iter_errors(manifest)} == {
        "'minReplicas' is a required property",
        "'maxReplicas' is a required property",
    }
    # ... but the API server applies the defaults first, and stores this:
    assert schemas.problems(manifest) == []
    worker = schemas.as_stored(manifest)["spec"]["workerGroupSpecs"][0]
    assert (worker["minReplicas"], worker["maxReplicas"]) == (0, 2147483647)


def test_defaults_reach_into_lists_before_their_uniqueness_is_checked(
    schemas: CrdSchemas,
) -> None:
    # `ports` is a list-map keyed by (containerPort, protocol); protocol defaults to TCP.
    manifest = ray_cluster()
    worker_container(manifest)["ports"] = [
        {"containerPort": 6379},
        {"containerPort": 6379, "protocol": "TCP"},
    ]
    [problem] = schemas.problems(manifest)
    assert problem.startswith(f"{WORKER_CONTAINER}.ports[1]: duplicate key")

    worker_container(manifest)["ports"][1]["protocol"] = "UDP"
    assert schemas.problems(manifest) == []


def test_int_or_string_port_accepts_both(schemas: CrdSchemas) -> None:
    manifest = ray_cluster()
    probe: dict[str, Any] = {"httpGet": {"path": "/", "port": 52365}}
    worker_container(manifest)["readinessProbe"] = probe
    assert schemas.problems(manifest) == []

    probe["httpGet"]["port"] = "dashboard-agent"
    assert schemas.problems(manifest) == []

    probe["httpGet"]["port"] = True
    [problem] = schemas.problems(manifest)
    assert problem.startswith(f"{WORKER_CONTAINER}.readinessProbe.httpGet.port: True matches none")


def test_quantities_are_int_or_string_with_a_pattern(schemas: CrdSchemas) -> None:
    manifest = ray_cluster()
    worker_container(manifest)["resources"] = {"limits": {"cpu": 2, "memory": "8Gi"}}
    assert schemas.problems(manifest) == []

    worker_container(manifest)["resources"]["limits"]["memory"] = "8 GB"
    [problem] = schemas.problems(manifest)
    assert problem.startswith(f"{WORKER_CONTAINER}.resources.limits.memory: '8 GB' does not match")


def test_null_for_a_field_that_is_not_nullable_is_dropped(schemas: CrdSchemas) -> None:
    manifest = ray_cluster()
    manifest["spec"]["suspend"] = None
    assert schemas.problems(manifest) == [
        "spec.suspend: null for a field that is not nullable; the API server would drop it"
    ]


def test_int32_fields_must_fit(schemas: CrdSchemas) -> None:
    [problem] = schemas.problems(ray_cluster(maxReplicas=2**31))
    assert problem.startswith(f"{WORKER}.maxReplicas: 2147483648 does not fit int32")


def test_status_is_ignored_because_of_the_status_subresource(schemas: CrdSchemas) -> None:
    manifest = {**ray_cluster(), "status": {"state": "ready"}}
    assert schemas.problems(manifest) == [
        "status: the CRD enables the status subresource, so the API server ignores status "
        "sent with the object"
    ]


def test_cel_rules_of_the_crd_are_checked(schemas: CrdSchemas) -> None:
    job: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": "RayJob",
        "metadata": {"name": "job"},
        "spec": {
            "entrypoint": "python -c 'import ray; ray.init()'",
            "rayClusterSpec": ray_cluster()["spec"],
            "deletionStrategy": {"onSuccess": {"policy": "DeleteCluster"}},
        },
    }
    assert schemas.problems(job) == [
        "spec.deletionStrategy: deletionStrategy requires either BOTH onSuccess and onFailure, "
        "OR the deletionRules field (cannot be empty)"
    ]

    job["spec"]["deletionStrategy"]["onFailure"] = {"policy": "DeleteNone"}
    assert schemas.problems(job) == []


# --- what the CRD schema does not say: kind and metadata ------------------------------------


def test_unknown_kind_or_unserved_version_is_one_problem(schemas: CrdSchemas) -> None:
    manifest = {**ray_cluster(), "kind": "RayCronJob"}  # a CRD of 1.6 and later
    [problem] = schemas.problems(manifest)
    assert problem.startswith("<root>: no CRD schema for apiVersion='ray.io/v1' kind='RayCronJob'")

    manifest = {**ray_cluster(), "apiVersion": "ray.io/v1beta1"}
    assert schemas.problems(manifest) == [
        "<root>: apiVersion='ray.io/v1beta1' is not served by the RayCluster CRD "
        "(served: ray.io/v1, ray.io/v1alpha1); the API server rejects it"
    ]


def test_metadata_is_checked_as_object_meta(schemas: CrdSchemas) -> None:
    manifest = ray_cluster()
    manifest["metadata"] = {"name": "Demo_Cluster", "labelz": {"team": "ml"}}
    assert schemas.problems(manifest) == [
        "metadata.labelz: not an ObjectMeta field; the API server would drop it",
        "metadata.name: 'Demo_Cluster' is not a DNS-1123 subdomain "
        "(lowercase alphanumerics, '-' and '.', at most 253 characters)",
    ]

    manifest["metadata"] = {"labels": {"ray.io/team": "a b"}}
    assert schemas.problems(manifest) == [
        "metadata.name: name or generateName is required",
        "metadata.labels[\"ray.io/team\"]: 'a b' is not a valid label value "
        "(at most 63 alphanumerics, '-', '_' or '.', alphanumeric at both ends)",
    ]


def test_generate_name_is_enough_for_the_server_but_not_with_require_name(
    schemas: CrdSchemas,
) -> None:
    manifest = {**ray_cluster(), "metadata": {"generateName": "demo-"}}
    assert schemas.problems(manifest) == []
    [problem] = schemas.problems(manifest, require_name=True)
    assert problem.startswith("metadata.name: missing; a fixed name is required here")


def test_problems_never_modify_the_manifest(schemas: CrdSchemas) -> None:
    manifest = ray_cluster(replicas="2")
    worker_container(manifest)["foo"] = None
    before = copy.deepcopy(manifest)
    assert schemas.problems(manifest)
    assert schemas.as_stored(manifest) != manifest
    assert manifest == before


# --- what the real CRDs contain ---------------------------------------------------------------


def test_kuberay_crds_serve_v1_and_v1alpha1_and_leave_nothing_unchecked(
    schemas: CrdSchemas,
) -> None:
    assert schemas.kinds == sorted(
        (version, kind) for version in (API_VERSION, "ray.io/v1alpha1") for kind in RAY_KINDS
    )
    assert [schemas.version(API_VERSION, kind).storage for kind in RAY_KINDS] == [True] * 3
    # No preserve-unknown-fields anywhere in v1.5.2: every field of every object is checked.
    for kind in RAY_KINDS:
        assert "x-kubernetes-preserve-unknown-fields" not in json.dumps(
            schemas.schema(API_VERSION, kind)
        )
    # Every CEL rule is evaluated except the update-only ones (test_cel_rules pins them all).
    assert {rule.reason for rule in schemas.unchecked_cel_rules()} == {
        "transition rule (oldSelf): evaluated on update only"
    }


def test_translated_schemas_are_valid_draft7(schemas: CrdSchemas) -> None:
    for kind in RAY_KINDS:
        jsonschema.Draft7Validator.check_schema(to_json_schema(schemas.schema(API_VERSION, kind)))


# --- the extension keywords, on a small synthetic CRD (KubeRay's CRDs use none of them) ------

WIDGET_CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget"},
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
                                "properties": {
                                    "config": {
                                        "type": "object",
                                        "x-kubernetes-preserve-unknown-fields": True,
                                        "properties": {"size": {"type": "integer"}},
                                    },
                                    "template": {
                                        "type": "object",
                                        "x-kubernetes-embedded-resource": True,
                                        "properties": {"spec": {"type": "object"}},
                                    },
                                    "lastSeen": {
                                        "type": "string",
                                        "format": "date-time",
                                        "nullable": True,
                                    },
                                },
                            },
                        },
                    }
                },
            }
        ],
    },
}


def widget(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": spec,
    }


def test_anything_goes_below_preserve_unknown_fields_except_declared_properties() -> None:
    schemas = CrdSchemas([WIDGET_CRD])
    assert schemas.problems(widget(config={"anything": {"deep": [1, "two"]}, "size": 3})) == []
    assert schemas.problems(widget(config={"size": "big"})) == [
        "spec.config.size: 'big' is not of type 'integer'"
    ]
    assert schemas.problems(widget(colour="red")) == [
        "spec.colour: field not in the CRD schema; the API server would silently prune it"
    ]


def test_embedded_resource_keeps_api_version_kind_and_object_meta() -> None:
    schemas = CrdSchemas([WIDGET_CRD])
    template = {"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"app": "x"}}}
    assert schemas.problems(widget(template=template)) == []

    template["metadata"] = {"labelz": {}}
    assert schemas.problems(widget(template=template)) == [
        "spec.template.metadata.labelz: not an ObjectMeta field; the API server would drop it"
    ]


def test_nullable_keeps_null_and_date_time_is_checked() -> None:
    schemas = CrdSchemas([WIDGET_CRD])
    assert schemas.problems(widget(lastSeen=None)) == []
    assert schemas.problems(widget(lastSeen="2026-04-22T10:00:00Z")) == []
    assert schemas.problems(widget(lastSeen="yesterday")) == [
        "spec.lastSeen: 'yesterday' is not a 'date-time'"
    ]


# --- reading the shared folder ---------------------------------------------------------------


def test_yaml_keeps_timestamps_as_strings_like_the_api_server() -> None:
    doc = yaml.load("at: 2026-04-22T10:00:00Z\nn: 1\nok: true\n", Loader=KubeYamlLoader)
    assert doc == {"at": "2026-04-22T10:00:00Z", "n": 1, "ok": True}


def test_absent_shared_folder_skips_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shared_folders, "SHARED_ROOT", tmp_path / "shared")
    assert not shared_kuberay_available()
    with pytest.raises(pytest.skip.Exception, match=r"needs the KubeRay v1\.5\.2 CRDs"):
        require_shared_kuberay()
    with pytest.raises(pytest.skip.Exception, match=r"kuberay-1\.7 is absent"):
        CrdSchemas.shared("1.7")
    with pytest.raises(FileNotFoundError):
        next(iter_sample_documents())


# --- several served versions (Kueue v1beta1/v1beta2, Gateway API v1/v1beta1), on a toy CRD ---


def _gadget_version(name: str, field: str, **flags: Any) -> dict[str, Any]:
    return {
        "name": name,
        **flags,
        "schema": {
            "openAPIV3Schema": {
                "type": "object",
                "properties": {
                    "apiVersion": {"type": "string"},
                    "kind": {"type": "string"},
                    "metadata": {"type": "object"},
                    "spec": {"type": "object", "properties": {field: {"type": "string"}}},
                },
            }
        },
    }


GADGET_CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "spec": {
        "group": "example.com",
        "scope": "Cluster",
        "names": {"kind": "Gadget"},
        "versions": [
            _gadget_version("v1alpha1", "ancientName", served=False, storage=False),
            _gadget_version(
                "v1beta1",
                "oldName",
                served=True,
                storage=False,
                deprecated=True,
                deprecationWarning="example.com/v1beta1 Gadget is deprecated; use v1beta2",
            ),
            _gadget_version("v1beta2", "newName", served=True, storage=True),
        ],
    },
}


def gadget(version: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": f"example.com/{version}",
        "kind": "Gadget",
        "metadata": {"name": "g"},
        "spec": spec,
    }


def test_each_served_version_is_checked_against_its_own_schema() -> None:
    schemas = CrdSchemas([GADGET_CRD])
    assert schemas.kinds == [("example.com/v1beta1", "Gadget"), ("example.com/v1beta2", "Gadget")]
    assert schemas.problems(gadget("v1beta1", oldName="a")) == []
    assert schemas.problems(gadget("v1beta2", newName="a")) == []
    # A field of the other version is pruned: a v1beta2 manifest written with v1beta1 fields
    # (or the reverse) loses them.
    assert schemas.problems(gadget("v1beta1", newName="a")) == [
        "spec.newName: field not in the CRD schema; the API server would silently prune it"
    ]
    assert schemas.problems(gadget("v1beta2", oldName="a")) == [
        "spec.oldName: field not in the CRD schema; the API server would silently prune it"
    ]


def test_a_version_that_is_not_served_is_a_problem_and_deprecation_is_known() -> None:
    schemas = CrdSchemas([GADGET_CRD])
    assert schemas.problems(gadget("v1alpha1", ancientName="a")) == [
        "<root>: apiVersion='example.com/v1alpha1' is not served by the Gadget CRD "
        "(served: example.com/v1beta1, example.com/v1beta2); the API server rejects it"
    ]
    old = schemas.version("example.com/v1beta1", "Gadget")
    assert (old.deprecated, old.storage) == (True, False)
    assert old.deprecation_warning == "example.com/v1beta1 Gadget is deprecated; use v1beta2"
    assert schemas.version("example.com/v1beta2", "Gadget").storage


def test_namespace_on_a_cluster_scoped_kind_is_cleared() -> None:
    schemas = CrdSchemas([GADGET_CRD])
    manifest = {**gadget("v1beta2"), "metadata": {"name": "g", "namespace": "ml"}}
    assert schemas.problems(manifest) == [
        "metadata.namespace: Gadget is cluster-scoped; the API server clears the namespace"
    ]
    assert "namespace" not in schemas.as_stored(manifest)["metadata"]


def test_patterns_are_matched_as_go_matches_them() -> None:
    # Go's regexp (RE2) takes inline flags mid-pattern, as Kueue's CRDs write them; Python's
    # `re` would raise on this pattern.
    crd = copy.deepcopy(GADGET_CRD)
    spec = crd["spec"]["versions"][2]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    spec["properties"]["newName"]["pattern"] = "^(?i)[a-z]+$"
    schemas = CrdSchemas([crd])
    assert schemas.problems(gadget("v1beta2", newName="MixedCase")) == []
    assert schemas.problems(gadget("v1beta2", newName="no spaces")) == [
        "spec.newName: 'no spaces' does not match '^(?i)[a-z]+$'"
    ]
