"""What the test suite's conformance harness costs (tests/conformance), in one fresh process.

Prints, in milliseconds:

* loading: each shared CRD folder parsed and compiled (once per test process), the built-in
  Kubernetes schemas, and the fast YAML reader against PyYAML on the three KubeRay CRD folders;
* checking: one object of each family, the first check (cold: validators and CEL programs
  compiled on the way) and the median of ``--repeat`` warm checks, with and without the
  recorder's content cache (what the guard pays per test for an object seen before).

The machine is shared; figures vary with load. Not a test: run
``python benchmarks/conformance_benchmark.py [--repeat 50]`` from the repository root.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conformance import recorder, registry
from tests.conformance.core_schema import CoreSchemas
from tests.conformance.crd_schema import load_crd_folder
from tests.conformance.shared_folders import (
    KUBERAY_RELEASES,
    SHARED_FOLDERS,
    KubeYamlLoader,
    load_yaml_documents,
)


def _ms(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _objects() -> dict[str, dict[str, Any]]:
    container = {"name": "ray-head", "image": "rayproject/ray:2.53.0"}
    return {
        "RayCluster (3 releases + validate_manifest)": {
            "apiVersion": "ray.io/v1",
            "kind": "RayCluster",
            "metadata": {"name": "demo", "namespace": "ml"},
            "spec": {
                "headGroupSpec": {
                    "rayStartParams": {},
                    "template": {"spec": {"containers": [container]}},
                },
                "workerGroupSpecs": [
                    {
                        "groupName": "gpu",
                        "replicas": 2,
                        "template": {"spec": {"containers": [{**container, "name": "w"}]}},
                    }
                ],
            },
        },
        "Kueue ClusterQueue (CEL)": {
            "apiVersion": "kueue.x-k8s.io/v1beta2",
            "kind": "ClusterQueue",
            "metadata": {"name": "team-a"},
            "spec": {
                "cohortName": "org",
                "namespaceSelector": {},
                "resourceGroups": [
                    {
                        "coveredResources": ["cpu"],
                        "flavors": [
                            {
                                "name": "default",
                                "resources": [{"name": "cpu", "nominalQuota": 96}],
                            }
                        ],
                    }
                ],
            },
        },
        "Gateway HTTPRoute (89 CEL rules)": {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "serve", "namespace": "ml"},
            "spec": {
                "parentRefs": [{"name": "gateway"}],
                "rules": [
                    {
                        "matches": [{"path": {"type": "PathPrefix", "value": "/llm"}}],
                        "backendRefs": [{"name": "llm-serve-svc", "port": 8000}],
                    }
                ],
            },
        },
        "StatefulSet (built-in)": {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "redis", "namespace": "ml"},
            "spec": {
                "serviceName": "redis",
                "selector": {"matchLabels": {"app": "redis"}},
                "template": {
                    "metadata": {"labels": {"app": "redis"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "redis",
                                "image": "redis:7",
                                "ports": [{"containerPort": 6379}],
                            }
                        ]
                    },
                },
            },
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    print("loading (once per test process)")
    kuberay_files = [p for r in KUBERAY_RELEASES for p in r.folder.crd_files()]
    fast = _ms(lambda: [load_yaml_documents(p) for p in kuberay_files])
    slow = _ms(
        lambda: [list(yaml.load_all(p.read_text(), Loader=KubeYamlLoader)) for p in kuberay_files]
    )
    print(f"  YAML of the KubeRay CRDs: {fast:8.1f} ms (PyYAML alone: {slow:.1f} ms)")
    for name, folder in SHARED_FOLDERS.items():
        if folder.available():
            print(f"  {name:24s} {_ms(lambda name=name: load_crd_folder(name)):8.1f} ms")
        else:
            print(f"  {name:24s}   absent")
    print(f"  {'built-in kinds':24s} {_ms(CoreSchemas.shared):8.1f} ms")

    print(f"checking one object: cold / warm median of {args.repeat} / cached by content")
    for label, manifest in _objects().items():
        cold = _ms(lambda manifest=manifest: registry.check_manifest(manifest))
        warm = statistics.median(
            _ms(lambda manifest=manifest: registry.check_manifest(manifest))
            for _ in range(args.repeat)
        )
        recorder.cached_verdict(manifest)
        cached = statistics.median(
            _ms(lambda manifest=manifest: recorder.cached_verdict(manifest))
            for _ in range(args.repeat)
        )
        print(f"  {label:44s} {cold:8.2f} / {warm:6.2f} / {cached:5.3f} ms")


if __name__ == "__main__":
    main()
