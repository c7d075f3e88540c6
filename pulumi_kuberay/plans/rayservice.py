"""Building a RayService: a Serve config, the cluster that serves it, high availability and
upgrades; checked with the operator's rules before anything exists.

- https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-high-availability.html
- https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from pulumi_kuberay.components.pulumi_inputs import deep_merge, to_plain
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.rayservice import (
    INCREMENTAL_UPGRADE,
    INITIALIZING_TIMEOUT_ANNOTATION,
    RayService,
)
from pulumi_kuberay.models.ray.validation.rayservice import rayservice_warnings
from pulumi_kuberay.plans.ray_object import validated_resource
from pulumi_kuberay.plans.rayjob import JobCluster, job_cluster_spec
from pulumi_kuberay.plans.runtime_env import SecretEnv, secret_container_env
from pulumi_kuberay.plans.serve_config import ServeConfigArg, render_serve_config

UpgradeType = Literal["NewCluster", "NewClusterWithIncrementalUpgrade", "None"]

ServiceCluster = JobCluster
"""The cluster a RayService runs on: the same shortcuts as the RayCluster component."""


class IncrementalUpgrade(BaseModel):
    """Move traffic to a new cluster in steps through a Gateway API route (KubeRay >= 1.5,
    ``RayServiceIncrementalUpgrade`` gate, autoscaling on).

    https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    gateway_class_name: str
    """The GatewayClass of your Gateway API controller (e.g. ``istio``)."""
    step_size_percent: int
    """Share of traffic moved at each step."""
    interval_seconds: int
    """Seconds between steps."""
    max_surge_percent: int | None = None
    """Extra capacity the new cluster may add beyond the old one's (KubeRay default 100)."""

    def to_dict(self) -> dict[str, Any]:
        rendered = {
            "gatewayClassName": self.gateway_class_name,
            "stepSizePercent": self.step_size_percent,
            "intervalSeconds": self.interval_seconds,
        }
        if self.max_surge_percent is not None:
            rendered["maxSurgePercent"] = self.max_surge_percent
        return rendered


@dataclass(frozen=True)
class BuiltRayService:
    """A validated RayService model and the warnings to show (things the operator accepts)."""

    model: RayService
    warnings: tuple[str, ...] = ()


def decide_upgrade_strategy(
    upgrade_type: UpgradeType | None, incremental: IncrementalUpgrade | None
) -> dict[str, Any] | None:
    """``upgradeStrategy``: ``incremental_upgrade`` implies its type; otherwise the type given,
    or unset (KubeRay's default, NewCluster)."""
    if incremental is None:
        return {"type": upgrade_type} if upgrade_type is not None else None
    if upgrade_type not in (None, INCREMENTAL_UPGRADE):
        raise ValueError(
            f"upgrade_type: {upgrade_type!r} contradicts incremental_upgrade, which is the "
            f"{INCREMENTAL_UPGRADE} strategy; remove one of them"
        )
    return {"type": INCREMENTAL_UPGRADE, "clusterUpgradeOptions": incremental.to_dict()}


def initializing_timeout_annotation(timeout: str | int | None) -> dict[str, str]:
    """``ray.io/initializing-timeout``: seconds (an int) or a Go duration such as ``"15m"``."""
    if timeout is None:
        return {}
    return {INITIALIZING_TIMEOUT_ANNOTATION: str(timeout)}


def build_rayservice(
    name: str,
    *,
    serve_config: ServeConfigArg,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    capabilities: OperatorCapabilities | None = None,
    cluster: ServiceCluster | None = None,
    secret_env: SecretEnv | None = None,
    env_from_secrets: Sequence[str] | None = None,
    upgrade_type: UpgradeType | None = None,
    incremental_upgrade: IncrementalUpgrade | None = None,
    initializing_timeout: str | int | None = None,
    ray_cluster_deletion_delay_seconds: int | None = None,
    exclude_head_pod_from_serve_svc: bool | None = None,
    serve_service: Any = None,
    spec_overrides: Mapping[str, Any] | None = None,
) -> BuiltRayService:
    """A validated RayService and its warnings. See :class:`pulumi_kuberay.RayService` for the
    arguments. Raises :class:`ValidationError` with every problem found."""
    subject = f"RayService {name}"
    try:
        env, env_from = secret_container_env(secret_env, env_from_secrets)
        serve_config_v2 = render_serve_config(serve_config)
        upgrade_strategy = decide_upgrade_strategy(upgrade_type, incremental_upgrade)
        service = to_plain(serve_service, "serve_service")
    except ValueError as exc:
        raise ValidationError(str(exc), subject=subject) from None
    cluster_spec = job_cluster_spec(
        cluster or ServiceCluster(), env, env_from, at="spec.rayClusterConfig", subject=subject
    )
    spec: dict[str, Any] = {
        "serveConfigV2": serve_config_v2,
        "rayClusterConfig": cluster_spec.to_dict(),
        "upgradeStrategy": upgrade_strategy,
        "rayClusterDeletionDelaySeconds": ray_cluster_deletion_delay_seconds,
        "excludeHeadPodFromServeSvc": exclude_head_pod_from_serve_svc,
        "serveService": service,
    }
    spec = {key: value for key, value in spec.items() if value is not None}
    if spec_overrides:
        spec = deep_merge(spec, to_plain(dict(spec_overrides), "spec_overrides"))

    all_annotations = {
        **(annotations or {}),
        **initializing_timeout_annotation(initializing_timeout),
    }
    model = validated_resource(
        RayService,
        name,
        spec,
        namespace=namespace,
        labels=labels,
        annotations=all_annotations,
        capabilities=capabilities,
    )
    return BuiltRayService(model, tuple(rayservice_warnings(model)))
