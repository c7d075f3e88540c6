"""Fixtures for spec tests: a minimal valid RayCluster manifest to vary."""

from __future__ import annotations

import copy
from typing import Any

import pytest

MINIMAL_RAYCLUSTER: dict[str, Any] = {
    "apiVersion": "ray.io/v1",
    "kind": "RayCluster",
    "metadata": {"name": "demo", "namespace": "ray"},
    "spec": {
        "rayVersion": "2.53.0",
        "headGroupSpec": {
            "rayStartParams": {"dashboard-host": "0.0.0.0"},
            "template": {
                "spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.53.0"}]}
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
                        "containers": [{"name": "ray-worker", "image": "rayproject/ray:2.53.0"}]
                    }
                },
            }
        ],
    },
}


@pytest.fixture
def raycluster() -> dict[str, Any]:
    """A fresh copy of a small RayCluster the operator accepts; tests mutate it."""
    return copy.deepcopy(MINIMAL_RAYCLUSTER)
