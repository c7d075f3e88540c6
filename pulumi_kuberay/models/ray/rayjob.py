"""The RayJob custom resource (``ray.io/v1``, KubeRay 1.5 to 1.7) as pydantic models.

Field for field the ``RayJobSpec`` of
https://github.com/ray-project/kuberay/blob/v1.7.0/ray-operator/apis/ray/v1/rayjob_types.go
(guide: https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html).
Faithful like the RayCluster models: nothing is defaulted and no operator rule is applied here
(see ``validation.rayjob``).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Final, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.field_requirements import Requires
from pulumi_kuberay.models.kubernetes.core_types import PodTemplate
from pulumi_kuberay.models.ray.raycluster import ManagedBy, RayClusterSpec
from pulumi_kuberay.models.ray.resource import CustomResourceModel

DeletionPolicyType = Literal["DeleteCluster", "DeleteWorkers", "DeleteSelf", "DeleteNone"]
JobStatus = Literal["SUCCEEDED", "FAILED"]
JobDeploymentStatus = Literal["Failed"]
DELETION_GATE: Final = "RayJobDeletionPolicy"

K8S_JOB_MODE: Final = "K8sJobMode"
HTTP_MODE: Final = "HTTPMode"
INTERACTIVE_MODE: Final = "InteractiveMode"
SIDECAR_MODE: Final = "SidecarMode"
SUBMISSION_MODES: Final = (K8S_JOB_MODE, HTTP_MODE, INTERACTIVE_MODE, SIDECAR_MODE)
"""The modes KubeRay 1.5 knows. The CRD does not enumerate them, so an unknown mode is an
operator-rule problem (``validate_manifest``), not a parse error."""

CLUSTER_SELECTOR_KEY: Final = "ray.io/cluster"
"""The ``clusterSelector`` key naming the existing RayCluster a job runs on."""


class DeletionPolicy(CrdModel):
    """Legacy ``onSuccess``/``onFailure`` form: what to delete when the job ends."""

    policy: DeletionPolicyType | None = None


class DeletionCondition(CrdModel):
    """When a deletion rule fires: the job's terminal status (``jobStatus``) or, from KubeRay
    1.6, the RayJob's deployment status (``jobDeploymentStatus: Failed``, e.g. a failed
    submission), and a delay. Exactly one of the two from 1.6; ``jobStatus`` is required before."""

    job_status: Annotated[JobStatus | None, Requires(required_before="1.6.0")] = None
    job_deployment_status: Annotated[JobDeploymentStatus | None, Requires(since="1.6.0")] = None
    ttl_seconds: int | None = None


class DeletionRule(CrdModel):
    """One rule of the ``deletionRules`` form (KubeRay >= 1.5)."""

    policy: DeletionPolicyType
    condition: DeletionCondition


class DeletionStrategy(CrdModel):
    """What the operator deletes after the job ends (``RayJobDeletionPolicy`` feature gate).

    Either both ``onSuccess`` and ``onFailure`` (legacy), or ``deletionRules``.
    https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
    """

    on_success: DeletionPolicy | None = None
    on_failure: DeletionPolicy | None = None
    deletion_rules: Annotated[list[DeletionRule] | None, Requires(since="1.5.0")] = None


class SubmitterConfig(CrdModel):
    """Settings of the submitter Kubernetes Job (K8sJobMode)."""

    backoff_limit: int | None = None


class RayJobSpec(CrdModel):
    """``RayJob.spec``."""

    active_deadline_seconds: int | None = None
    backoff_limit: int | None = None
    ray_cluster_spec: RayClusterSpec | None = None
    submitter_pod_template: PodTemplate | None = None
    metadata: dict[str, str] | None = None
    cluster_selector: dict[str, str] | None = None
    submitter_config: SubmitterConfig | None = None
    managed_by: ManagedBy | None = None
    deletion_strategy: Annotated[
        DeletionStrategy | None, Requires(since="1.3.0", gate=DELETION_GATE)
    ] = None
    entrypoint: str | None = None
    # The CRD spells it with an upper-case acronym, which the camelCase generator cannot guess.
    runtime_env_yaml: str | None = Field(default=None, alias="runtimeEnvYAML")
    job_id: str | None = None
    submission_mode: str | None = None
    entrypoint_resources: str | None = None
    # int before float keeps ``2`` a ``2`` (not ``2.0``), so manifests round-trip unchanged.
    entrypoint_num_cpus: int | float | None = None
    entrypoint_num_gpus: int | float | None = None
    ttl_seconds_after_finished: int | None = None
    shutdown_after_job_finishes: bool | None = None
    suspend: bool | None = None
    pre_running_deadline_seconds: Annotated[int | None, Requires(since="1.6.0")] = None
    """Seconds from the start for the job to reach Running before it is marked Failed."""


class RayJob(CustomResourceModel):
    """A whole RayJob object.

    https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayjob-quick-start.html
    """

    KIND: ClassVar[str] = "RayJob"
    MAX_NAME_LENGTH: ClassVar[int] = 47

    kind: Literal["RayJob"] = Field(default="RayJob")
    spec: RayJobSpec
