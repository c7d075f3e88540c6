"""How fast ``pulumi-kuberay lint`` is next to merely parsing the same YAML.

Generates a corpus of RayCluster manifests (varied: 1-4 worker groups, GPU groups, a share
with the usual mistakes), writes it as one multi-document YAML text, and times

* parse: ``yaml.load_all`` with the C safe loader (the floor: what any YAML tool pays),
* parse for lint: the same loader keeping the node tree (for line numbers and ``--fix``),
* rules: every rule of the catalogue over the parsed manifests,
* lint: parse for lint + rules, what ``pulumi-kuberay lint`` does per file.

Run: ``python benchmarks/lint_benchmark.py [--count 2000] [--repeat 3]``. Not a test.
"""

from __future__ import annotations

import argparse
import copy
import random
import time
from collections.abc import Callable
from typing import Any

import yaml

from pulumi_kuberay.policy.adapters.lint_files import lint_sources, parse_source
from pulumi_kuberay.policy.engine import PolicyConfig

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _container(name: str, image: str, cpu: str, memory: str, gpus: int = 0) -> dict[str, Any]:
    requests: dict[str, Any] = {"cpu": cpu, "memory": memory}
    limits: dict[str, Any] = {"memory": memory}
    if gpus:
        requests["nvidia.com/gpu"] = limits["nvidia.com/gpu"] = str(gpus)
    return {
        "name": name,
        "image": image,
        "ports": [
            {"containerPort": 6379, "name": "gcs"},
            {"containerPort": 8265, "name": "dashboard"},
        ],
        "resources": {"requests": requests, "limits": limits},
        "env": [{"name": "RAY_LOG_LEVEL", "value": "info"}],
        "volumeMounts": [{"mountPath": "/tmp/ray", "name": "ray-logs"}],
    }


def make_cluster(index: int, rng: random.Random) -> dict[str, Any]:
    """One RayCluster; about a third carry typical mistakes (numbers in rayStartParams, a CPU
    limit, a missing toleration, replicas above max)."""
    image = "rayproject/ray:2.53.0"
    workers = []
    for group in range(rng.randint(1, 4)):
        gpus = 1 if group == 0 and rng.random() < 0.4 else 0
        pod: dict[str, Any] = {
            "containers": [
                _container("ray-worker", f"{image}-gpu" if gpus else image, "8", "32Gi", gpus)
            ],
            "volumes": [{"name": "ray-logs", "emptyDir": {}}],
        }
        if gpus:
            pod["tolerations"] = [{"key": "nvidia.com/gpu", "operator": "Exists"}]
            pod["nodeSelector"] = {"nvidia.com/gpu.product": "A100"}
        workers.append(
            {
                "groupName": f"group-{group}",
                "replicas": 1,
                "minReplicas": 0,
                "maxReplicas": 8,
                "rayStartParams": {},
                "template": {"spec": pod},
            }
        )
    head_pod = {
        "containers": [_container("ray-head", image, "4", "16Gi")],
        "volumes": [{"name": "ray-logs", "emptyDir": {}}],
    }
    cluster: dict[str, Any] = {
        "apiVersion": "ray.io/v1",
        "kind": "RayCluster",
        "metadata": {"name": f"cluster-{index}", "namespace": "ml", "labels": {"team": "a"}},
        "spec": {
            "rayVersion": "2.53.0",
            "enableInTreeAutoscaling": True,
            "headGroupSpec": {
                "rayStartParams": {"num-cpus": "0", "dashboard-host": "0.0.0.0"},
                "template": {"spec": head_pod},
            },
            "workerGroupSpecs": workers,
        },
    }
    if index % 3 == 0:
        broken = copy.deepcopy(cluster)
        spec = broken["spec"]
        spec["headGroupSpec"]["rayStartParams"]["num-cpus"] = 0
        spec["workerGroupSpecs"][0]["template"]["spec"]["containers"][0]["resources"]["limits"][
            "cpu"
        ] = "8"
        spec["workerGroupSpecs"][0]["template"]["spec"].pop("tolerations", None)
        spec["workerGroupSpecs"][-1]["replicas"] = 12
        return broken
    return cluster


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result  # freeing the parsed documents is not part of the measurement
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="RayCluster manifests (>= 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best kept")
    args = parser.parse_args()

    rng = random.Random(42)
    manifests = [make_cluster(i, rng) for i in range(args.count)]
    text = yaml.safe_dump_all(manifests, sort_keys=False)
    config = PolicyConfig()
    source = parse_source("corpus.yaml", text)
    report = lint_sources([source], config)  # warm-up (imports, compiled patterns)

    parse = best_of(args.repeat, lambda: list(yaml.load_all(text, Loader=_Loader)))
    parse_for_lint = best_of(args.repeat, lambda: parse_source("corpus.yaml", text))
    rules = best_of(args.repeat, lambda: lint_sources([source], config))
    lint = best_of(args.repeat, lambda: lint_sources([parse_source("corpus.yaml", text)], config))

    n = len(manifests)
    print(f"{n} RayCluster manifests, {len(text) / 1e6:.1f} MB of YAML, best of {args.repeat}")
    print(f"  {len(report.findings)} findings, {len(report.blocking)} mandatory")
    for label, seconds in (
        ("parse (yaml.load_all, C loader)", parse),
        ("parse for lint (keeps nodes)", parse_for_lint),
        ("rules only", rules),
        ("lint (parse + rules)", lint),
    ):
        print(f"  {label:<34} {seconds:7.3f} s  {n / seconds:9.0f} manifests/s")
    print(f"  rules cost {rules / parse:.2f}x the plain parse")


if __name__ == "__main__":
    main()
