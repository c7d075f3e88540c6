"""The RayService custom resource (``ray.io/v1``, KubeRay 1.5 to 1.7) as pydantic models.

Field for field the ``RayServiceSpec`` of
https://github.com/ray-project/kuberay/blob/v1.7.0/ray-operator/apis/ray/v1/rayservice_types.go
(guides: https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
and https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-incremental-upgrade.html).
Faithful: nothing is defaulted and no operator rule is applied here (see ``validation.rayservice``).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Final, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.field_requirements import Requires
from pulumi_kuberay.models.kubernetes.core_types import Service
from pulumi_kuberay.models.ray.raycluster import ManagedBy, RayClusterSpec
from pulumi_kuberay.models.ray.resource import CustomResourceModel

NEW_CLUSTER: Final = "NewCluster"
INCREMENTAL_UPGRADE: Final = "NewClusterWithIncrementalUpgrade"
NO_UPGRADE: Final = "None"
UPGRADE_TYPES: Final = (NEW_CLUSTER, INCREMENTAL_UPGRADE, NO_UPGRADE)
"""The upgrade types KubeRay 1.5 accepts. The CRD does not enumerate them; the operator
rejects others (``validate_manifest``)."""

INITIALIZING_TIMEOUT_ANNOTATION: Final = "ray.io/initializing-timeout"
"""How long a new cluster may take to start serving before the operator gives up on it."""

SERVE_PORT: Final = 8000


class ClusterUpgradeOptions(CrdModel):
    """Incremental upgrade settings: traffic moves to the new cluster in steps through a
    Gateway API route. The CRD requires all but ``maxSurgePercent``."""

    max_surge_percent: int | None = None
    step_size_percent: int
    interval_seconds: int
    gateway_class_name: str


class RayServiceUpgradeStrategy(CrdModel):
    """How the operator rolls out a changed cluster spec."""

    type: str | None = None
    cluster_upgrade_options: Annotated[ClusterUpgradeOptions | None, Requires(since="1.5.0")] = None


class RayServiceSpec(CrdModel):
    """``RayService.spec``."""

    ray_cluster_deletion_delay_seconds: int | None = None
    service_unhealthy_second_threshold: int | None = None
    """Deprecated: the operator no longer acts on it."""
    deployment_unhealthy_second_threshold: int | None = None
    """Deprecated: the operator no longer acts on it."""
    serve_service: Service | None = None
    upgrade_strategy: RayServiceUpgradeStrategy | None = None
    serve_config_v2: str | None = None
    ray_cluster_config: RayClusterSpec
    exclude_head_pod_from_serve_svc: bool | None = None
    managed_by: Annotated[ManagedBy | None, Requires(since="1.6.0")] = None
    """``kueue.x-k8s.io/multikueue`` leaves the RayService to Kueue (MultiKueue)."""
    suspend: Annotated[bool | None, Requires(since="1.7.0")] = None
    """``true`` deletes every resource the RayService owns; ``false`` recreates them."""


class RayService(CustomResourceModel):
    """A whole RayService object.

    https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
    """

    KIND: ClassVar[str] = "RayService"
    MAX_NAME_LENGTH: ClassVar[int] = 47

    kind: Literal["RayService"] = Field(default="RayService")
    spec: RayServiceSpec
