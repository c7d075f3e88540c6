"""Manifests for the policy tests: objects that pass every rule, and small edits of them.

``good_raycluster()`` and friends follow every best practice (and the operator accepts them);
each rule test breaks exactly one thing with :func:`edit` and checks the finding.
"""

from __future__ import annotations

import copy
from typing import Any

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.paths import segments

Manifest = dict[str, Any]


def ray_container(name: str, image: str, cpu: str, memory: str, **extra: Any) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": name,
        "image": image,
        "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory}},
    }
    container.update(extra)
    return container


def cluster_spec() -> dict[str, Any]:
    """A CPU group and an A100 group, done right."""
    hide_gpus = [{"name": "NVIDIA_VISIBLE_DEVICES", "value": "void"}]
    return {
        "rayVersion": "2.53.0",
        "headGroupSpec": {
            "rayStartParams": {"num-cpus": "0", "dashboard-host": "0.0.0.0"},
            "template": {
                "spec": {
                    "containers": [
                        ray_container(
                            "ray-head", "rayproject/ray:2.53.0", "2", "8Gi", env=hide_gpus
                        )
                    ]
                }
            },
        },
        "workerGroupSpecs": [
            {
                "groupName": "cpu",
                "replicas": 1,
                "minReplicas": 0,
                "maxReplicas": 4,
                "rayStartParams": {},
                "template": {
                    "spec": {
                        "containers": [
                            ray_container(
                                "ray-worker", "rayproject/ray:2.53.0", "4", "16Gi", env=hide_gpus
                            )
                        ]
                    }
                },
            },
            {
                "groupName": "gpu",
                "replicas": 1,
                "minReplicas": 0,
                "maxReplicas": 2,
                "rayStartParams": {},
                "template": {
                    "spec": {
                        "containers": [
                            {
                                "name": "ray-worker",
                                "image": "rayproject/ray:2.53.0-gpu",
                                "resources": {
                                    "requests": {
                                        "cpu": "8",
                                        "memory": "32Gi",
                                        "nvidia.com/gpu": "1",
                                    },
                                    "limits": {"memory": "32Gi", "nvidia.com/gpu": "1"},
                                },
                            }
                        ],
                        "tolerations": [
                            {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
                        ],
                        "nodeSelector": {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"},
                    }
                },
            },
        ],
    }


def good_raycluster() -> Manifest:
    return {
        "apiVersion": "ray.io/v1",
        "kind": "RayCluster",
        "metadata": {"name": "demo", "namespace": "ml"},
        "spec": cluster_spec(),
    }


def good_rayjob() -> Manifest:
    return {
        "apiVersion": "ray.io/v1",
        "kind": "RayJob",
        "metadata": {"name": "train", "namespace": "ml"},
        "spec": {
            "entrypoint": "python train.py",
            "activeDeadlineSeconds": 3600,
            "shutdownAfterJobFinishes": True,
            "ttlSecondsAfterFinished": 300,
            "rayClusterSpec": cluster_spec(),
        },
    }


def good_rayservice() -> Manifest:
    spec = cluster_spec()
    spec["gcsFaultToleranceOptions"] = {
        "redisAddress": "redis:6379",
        "redisPassword": {"valueFrom": {"secretKeyRef": {"name": "redis", "key": "password"}}},
    }
    return {
        "apiVersion": "ray.io/v1",
        "kind": "RayService",
        "metadata": {"name": "serve", "namespace": "ml"},
        "spec": {
            "serveConfigV2": (
                "applications:\n  - name: app\n    import_path: app:deployment\n"
                "    runtime_env:\n      env_vars:\n        LOG_LEVEL: info\n"
            ),
            "rayClusterConfig": spec,
        },
    }


GOOD = {"RayCluster": good_raycluster, "RayJob": good_rayjob, "RayService": good_rayservice}

CLUSTER_AT = {
    "RayCluster": "spec",
    "RayJob": "spec.rayClusterSpec",
    "RayService": "spec.rayClusterConfig",
}
"""Where each kind keeps its cluster spec, for building paths in expectations."""

HEAD = "headGroupSpec"
HEAD_POD = "headGroupSpec.template.spec"
HEAD_RAY = "headGroupSpec.template.spec.containers[0]"
CPU_POD = "workerGroupSpecs[0].template.spec"
CPU_RAY = "workerGroupSpecs[0].template.spec.containers[0]"
GPU_POD = "workerGroupSpecs[1].template.spec"
GPU_RAY = "workerGroupSpecs[1].template.spec.containers[0]"


def good(kind: str = "RayCluster") -> Manifest:
    return GOOD[kind]()


DELETE = object()
"""Pass as an edit value to remove the field."""


def edit(manifest: Manifest, **changes: Any) -> Manifest:
    """A copy with fields set (or removed with :data:`DELETE`); keys are paths with ``__`` for
    dots, e.g. ``edit(doc, spec__rayVersion="2.9.0")``. See :func:`edit_paths` for any path."""
    return edit_paths(manifest, {key.replace("__", "."): value for key, value in changes.items()})


def edit_paths(manifest: Manifest, changes: dict[str, Any]) -> Manifest:
    """A copy with each ``path -> value`` applied (``DELETE`` removes, an index one past the end
    appends); missing mappings on the way are created."""
    doc = copy.deepcopy(manifest)
    for path, value in changes.items():
        steps = list(segments(path))
        node: Any = doc
        for step in steps[:-1]:
            node = node[step] if isinstance(step, int) else node.setdefault(step, {})
        last = steps[-1]
        if value is DELETE:
            if isinstance(last, int):
                del node[last]
            else:
                node.pop(last, None)
        elif isinstance(last, int) and last == len(node):
            node.append(value)
        else:
            node[last] = value
    return doc


def at(kind: str, relative: str) -> str:
    """The full path of ``relative`` inside ``kind``'s cluster spec."""
    return f"{CLUSTER_AT[kind]}.{relative}"


def cluster_edit(kind: str, manifest: Manifest, changes: dict[str, Any]) -> Manifest:
    """``edit_paths`` with paths relative to the cluster spec of ``kind``."""
    return edit_paths(manifest, {at(kind, path): value for path, value in changes.items()})


__all__ = [
    "CLUSTER_AT",
    "CPU_POD",
    "CPU_RAY",
    "DELETE",
    "GPU_POD",
    "GPU_RAY",
    "HEAD",
    "HEAD_POD",
    "HEAD_RAY",
    "UNKNOWN",
    "at",
    "cluster_edit",
    "edit",
    "edit_paths",
    "good",
]
