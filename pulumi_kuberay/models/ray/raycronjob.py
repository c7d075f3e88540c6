"""The RayCronJob custom resource (``ray.io/v1``, new in KubeRay 1.6) as pydantic models.

Field for field the ``RayCronJobSpec`` of
https://github.com/ray-project/kuberay/blob/v1.7.0/ray-operator/apis/ray/v1/raycronjob_types.go:
a RayJob template and a standard five-field cron schedule; the operator creates one RayJob per
tick. Its controller runs only with the ``RayCronJob`` feature gate (alpha, off by default in 1.6
and 1.7). There is no concurrency policy, no starting deadline and no history limit at any
release. Faithful like the other models: nothing is defaulted and no operator rule is applied
here (see ``validation.raycronjob``).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Final, Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.field_requirements import Requires
from pulumi_kuberay.models.ray.rayjob import RayJobSpec
from pulumi_kuberay.models.ray.resource import CustomResourceModel

CRONJOB_GATE: Final = "RayCronJob"
"""The feature gate that starts the RayCronJob controller."""

CRONJOB_NAME_LABEL: Final = "ray.io/cronjob-name"
"""The label the operator puts on every RayJob it creates, naming the RayCronJob."""


class RayCronJobSpec(CrdModel):
    """``RayCronJob.spec``: the RayJob to create (``jobTemplate``, a whole ``RayJob.spec``), when
    (``schedule``, five cron fields or a descriptor such as ``@hourly``), in which time zone
    (``timeZone``, 1.7; the operator's local zone when unset) and whether to pause (``suspend``)."""

    job_template: RayJobSpec
    schedule: str
    suspend: bool | None = None
    time_zone: Annotated[str | None, Requires(since="1.7.0")] = None


class RayCronJob(CustomResourceModel):
    """A whole RayCronJob object (KubeRay >= 1.6, feature gate ``RayCronJob``).

    https://github.com/ray-project/kuberay/blob/v1.7.0/ray-operator/config/samples/ray-cronjob.sample.yaml
    """

    KIND: ClassVar[str] = "RayCronJob"
    REQUIRES: ClassVar[Requires | None] = Requires(
        since="1.6.0", gate=CRONJOB_GATE, gate_use="the RayCronJob controller"
    )
    MAX_NAME_LENGTH: ClassVar[int] = 36
    """KubeRay 1.7 limit (47 minus the ``-<unix minutes>`` suffix of the RayJobs it creates)."""

    kind: Literal["RayCronJob"] = Field(default="RayCronJob")
    spec: RayCronJobSpec
