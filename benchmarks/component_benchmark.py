"""What the library's own work costs next to the Pulumi SDK's, under Pulumi's mock runtime.

For N = 100 and 400 it times, side by side in one run:

* library: N ``RayCluster`` components (two worker groups, autoscaling: every shortcut at work:
  plan, models, operator rules, the component base);
* by hand: the same resource graph written directly, a ``ComponentResource`` with one
  ``CustomResource`` child carrying the identical spec (taken from the library's manifests, so
  both send the same objects).

Each measurement is a whole program run in a fresh event loop with fresh mocks, the minimum of
``--repeat`` runs (the machine is shared; the minimum is the least disturbed). The ratio is
library / by hand; the target is at most 1.15. Not a test: run
``python benchmarks/component_benchmark.py [--repeat 5] [--sizes 100 400]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

import pulumi_kuberay as kuberay


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        return (f"{args.name}-id" if args.custom else None), dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def cluster(index: int) -> kuberay.RayCluster:
    """One realistic RayCluster component."""
    return kuberay.RayCluster(
        f"cluster-{index}",
        namespace="ray",
        labels={"team": "ml"},
        head=kuberay.HeadGroup(cpu=2, memory="8Gi"),
        worker_groups=[
            kuberay.WorkerGroup("cpu", replicas=1, max_replicas=8, cpu=4, memory="16Gi"),
            kuberay.WorkerGroup(
                "gpu",
                replicas=0,
                max_replicas=4,
                cpu=8,
                memory="64Gi",
                gpus=1,
                accelerator=kuberay.accelerators.NVIDIA_L4,
            ),
        ],
        autoscaling=kuberay.Autoscaling(idle_timeout_seconds=60),
    )


class HandWritten(pulumi.ComponentResource):
    """The same graph without the library: a component and its custom resource."""

    def __init__(self, name: str, manifest: dict[str, Any]) -> None:
        super().__init__("bench:index:RayCluster", name, None, None)
        self.custom_resource = k8s.apiextensions.CustomResource(
            name,
            api_version=manifest["apiVersion"],
            kind=manifest["kind"],
            metadata=manifest["metadata"],
            spec=manifest["spec"],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"name": pulumi.Output.from_input(manifest["metadata"]["name"])})


def _run(program: Callable[[], list[pulumi.Resource]]) -> float:
    """Seconds to run ``program`` and let the engine finish every registration."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    pulumi.runtime.set_mocks(_Mocks(), project="bench", stack="bench", preview=False)
    gc.collect()
    start = time.perf_counter()

    @pulumi.runtime.test  # type: ignore[misc]
    def body() -> pulumi.Output[Any]:
        resources = program()
        return pulumi.Output.all(*[r.urn for r in resources])

    body()
    elapsed = time.perf_counter() - start
    loop.close()
    return elapsed


def measure(size: int, repeat: int) -> tuple[float, float]:
    """(library seconds, by-hand seconds) for ``size`` clusters, minimum of ``repeat`` runs."""
    manifests: list[dict[str, Any]] = []

    def library() -> list[pulumi.Resource]:
        made = [cluster(i) for i in range(size)]
        if not manifests:
            manifests.extend(c.manifest for c in made)
        return list(made)

    def by_hand() -> list[pulumi.Resource]:
        return [HandWritten(m["metadata"]["name"], m) for m in manifests]

    _run(library)  # warm-up: imports, pydantic schemas, the manifests for by_hand
    lib_times, hand_times = [], []
    for _ in range(repeat):
        # Interleaved, so a noisy moment on the machine hits both sides alike.
        lib_times.append(_run(library))
        hand_times.append(_run(by_hand))
    return min(lib_times), min(hand_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400])
    args = parser.parse_args()
    print(f"{'N':>5} {'library s':>10} {'by hand s':>10} {'ratio':>6} {'per cluster ms':>15}")
    for size in args.sizes:
        library, hand = measure(size, args.repeat)
        per = (library - hand) / size * 1000
        print(f"{size:>5} {library:>10.3f} {hand:>10.3f} {library / hand:>6.2f} {per:>15.2f}")
    print("ratio = library / by hand (target <= 1.15); per cluster = the library's own cost")


if __name__ == "__main__":
    main()
