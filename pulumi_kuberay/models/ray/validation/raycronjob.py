"""The operator's RayCronJob rules (KubeRay 1.6 and 1.7 ``ValidateRayCronJobSpec``).

https://github.com/ray-project/kuberay/blob/v1.7.0/ray-operator/controllers/ray/utils/validation.go
The job template is checked as the operator checks it: as the spec of a RayJob with no metadata
(so no name rules and no annotations: annotation-based GCS fault tolerance never applies).
"""

from __future__ import annotations

import re

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.field_requirements import object_requirement_problems
from pulumi_kuberay.models.ray.raycronjob import RayCronJob
from pulumi_kuberay.models.ray.validation.rayjob import job_spec_problems
from pulumi_kuberay.models.ray.validation.scope import watched_namespace_problems

JOB_TEMPLATE_AT = "spec.jobTemplate"
# A RayJob rule names RayJob fields as "spec.<field>"; inside a RayCronJob the same field is
# "spec.jobTemplate.<field>". Paths inside pod templates ("template.spec.") are left alone.
_RAYJOB_SPEC_PATH = re.compile(r"(?<![\w.])spec\.")


def as_job_template_problem(problem: str) -> str:
    """A RayJob spec problem re-pathed under ``spec.jobTemplate``."""
    return _RAYJOB_SPEC_PATH.sub(f"{JOB_TEMPLATE_AT}.", problem)


def raycronjob_problems(cron: RayCronJob, caps: OperatorCapabilities) -> list[str]:
    """Every reason the operator would reject this RayCronJob object (or never act on it)."""
    problems = watched_namespace_problems("RayCronJob", cron.metadata.namespace, caps)
    problems += object_requirement_problems(cron, caps)
    problems += [
        as_job_template_problem(problem)
        for problem in job_spec_problems(cron.spec.job_template, {}, caps)
    ]
    return problems
