"""Where the Ray cluster is in each kind, and its groups, pods and containers.

A RayCluster's cluster spec is ``spec``; a RayJob embeds one at ``spec.rayClusterSpec`` and a
RayService at ``spec.rayClusterConfig``. Every best-practice rule over clusters goes through
:func:`cluster_specs`, so it works on all three kinds.
https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/config.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_kuberay.policy.manifest_reading import UNKNOWN, Unknown, items, lookup, mapping, text

CLUSTER_SPEC_PATHS: Final[Mapping[str, tuple[str, ...]]] = {
    "RayCluster": ("spec",),
    "RayJob": ("spec", "rayClusterSpec"),
    "RayService": ("spec", "rayClusterConfig"),
}
"""Where each kind keeps its cluster spec."""

GPU_RESOURCES: Final = ("nvidia.com/gpu", "amd.com/gpu")
"""Extended resources Ray counts as GPUs (NVIDIA and AMD device plugins)."""


@dataclass(frozen=True)
class ClusterSpec:
    """A cluster spec inside a manifest, and the path it sits at."""

    path: str
    spec: Mapping[str, Any]


@dataclass(frozen=True)
class Group:
    """The head group or one worker group of a cluster spec."""

    path: str
    name: str
    is_head: bool
    spec: Mapping[str, Any]

    @property
    def label(self) -> str:
        return "the head group" if self.is_head else f"worker group {self.name!r}"

    @property
    def template(self) -> Mapping[str, Any]:
        return mapping(self.spec.get("template"))

    @property
    def pod_spec(self) -> Mapping[str, Any]:
        return mapping(self.template.get("spec"))

    @property
    def pod_spec_path(self) -> str:
        return f"{self.path}.template.spec"


@dataclass(frozen=True)
class Container:
    """A container of a group's pod template; ``index`` 0 of ``containers`` runs Ray."""

    path: str
    group: Group
    spec: Mapping[str, Any]
    init: bool = False

    @property
    def is_ray(self) -> bool:
        return not self.init and self.path.endswith("containers[0]")

    @property
    def label(self) -> str:
        name = text(self.spec.get("name"))
        what = "the Ray container" if self.is_ray else f"container {name or '?'!r}"
        return f"{what} of {self.group.label}"


def cluster_specs(manifest: Mapping[str, Any]) -> Iterator[ClusterSpec]:
    """The cluster spec of a RayCluster, RayJob or RayService (none when absent or unknown)."""
    steps = CLUSTER_SPEC_PATHS.get(str(manifest.get("kind")))
    if steps is None:
        return
    node: Any = manifest
    for step in steps:
        node = node.get(step) if isinstance(node, Mapping) else None
    if isinstance(node, Mapping):
        yield ClusterSpec(".".join(steps), node)


def groups(cluster: ClusterSpec) -> Iterator[Group]:
    """The head group, then every worker group, of ``cluster``."""
    head = cluster.spec.get("headGroupSpec")
    if isinstance(head, Mapping):
        yield Group(f"{cluster.path}.headGroupSpec", "head", True, head)
    for index, group in enumerate(items(cluster.spec.get("workerGroupSpecs"))):
        if isinstance(group, Mapping):
            name = text(group.get("groupName")) or f"#{index}"
            yield Group(f"{cluster.path}.workerGroupSpecs[{index}]", name, False, group)


def worker_groups(cluster: ClusterSpec) -> list[Group]:
    return [group for group in groups(cluster) if not group.is_head]


def containers(group: Group, *, init: bool = False) -> Iterator[Container]:
    """The containers (and with ``init``, also the init containers) of ``group``'s pods."""
    fields = ("containers", "initContainers") if init else ("containers",)
    for field in fields:
        for index, spec in enumerate(items(group.pod_spec.get(field))):
            if isinstance(spec, Mapping):
                path = f"{group.pod_spec_path}.{field}[{index}]"
                yield Container(path, group, spec, init=field == "initContainers")


def ray_container(group: Group) -> Container | None:
    """``containers[0]``: KubeRay always runs Ray in the first container."""
    first = lookup(group.pod_spec, "containers", 0)
    if not isinstance(first, Mapping):
        return None
    return Container(f"{group.pod_spec_path}.containers[0]", group, first)


def ray_containers(cluster: ClusterSpec) -> Iterator[Container]:
    for group in groups(cluster):
        container = ray_container(group)
        if container is not None:
            yield container


def resource_value(container: Container, kind: str, resource: str) -> Any:
    """``resources.<kind>.<resource>`` of a container: ``None`` when absent, UNKNOWN when not
    known yet."""
    return lookup(container.spec, "resources", kind, resource)


def gpu_resources(container: Container) -> list[str]:
    """The GPU resources the container asks for (a non-zero limit or request)."""
    found = []
    for resource in GPU_RESOURCES:
        for kind in ("limits", "requests"):
            value = resource_value(container, kind, resource)
            if value is not None and value is not UNKNOWN and str(value) not in ("0", ""):
                found.append(resource)
                break
    return found


def gpus_unknown(container: Container) -> bool:
    """Whether the container's GPU ask is not known yet (its resources are unknown)."""
    return any(
        resource_value(container, kind, resource) is UNKNOWN
        for resource in GPU_RESOURCES
        for kind in ("limits", "requests")
    )


def env_names(container: Container) -> set[str] | Unknown:
    """The names of the container's env vars, or UNKNOWN when the list is not known yet."""
    env = container.spec.get("env")
    if env is UNKNOWN:
        return Unknown()  # the singleton; spelled so because mypy narrows ``UNKNOWN`` to Any
    names: set[str] = set()
    for item in items(env):
        name = lookup(item, "name")
        if name is UNKNOWN:
            return Unknown()
        if isinstance(name, str):
            names.add(name)
    return names


def metadata(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping(manifest.get("metadata"))


def object_labels(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping(metadata(manifest).get("labels"))


def object_annotations(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping(metadata(manifest).get("annotations"))
