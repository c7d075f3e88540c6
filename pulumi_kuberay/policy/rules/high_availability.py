"""RayService high availability: GCS fault tolerance on the serving cluster.

https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-high-availability.html
"""

from __future__ import annotations

from collections.abc import Iterator

from pulumi_kuberay.models.ray.validation.raycluster import FT_ENABLED_ANNOTATION
from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.model import Manifest, Rule, Settings, Severity, Violation
from pulumi_kuberay.policy.ray_objects import cluster_specs, object_annotations
from pulumi_kuberay.policy.rules import docs


def check_rayservice_gcs_ft(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    ft_annotation = object_annotations(manifest).get(FT_ENABLED_ANNOTATION)
    if ft_annotation is UNKNOWN or str(ft_annotation).lower() == "true":
        return
    for cluster in cluster_specs(manifest):
        if cluster.spec.get("gcsFaultToleranceOptions") is None:
            yield Violation(
                f"{cluster.path}.gcsFaultToleranceOptions",
                "is not set, so a head pod failure restarts the whole cluster and Serve stops "
                "answering until it is back; set gcsFaultToleranceOptions.redisAddress (an "
                "external Redis) with the password from a Secret",
            )


RAYSERVICE_GCS_FAULT_TOLERANCE = Rule(
    id="rayservice-gcs-fault-tolerance",
    severity=Severity.MEDIUM,
    description="RayServices enable GCS fault tolerance (external Redis) for high availability",
    reason=(
        "Without GCS fault tolerance the GCS lives only in the head pod: when the head fails, "
        "every worker and Serve replica is lost. With an external Redis, workers keep serving "
        "while the head restarts."
    ),
    url=docs.RAYSERVICE_HA,
    check=check_rayservice_gcs_ft,
    kinds=frozenset({"RayService"}),
)

RULES = (RAYSERVICE_GCS_FAULT_TOLERANCE,)
