"""``pulumi up`` that ends when KubeRay says the object is ready (pulumi-kubernetes >= 4.18).

https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/managing-resources-with-server-side-apply/
and the ``pulumi.com/waitFor`` annotation:
https://www.pulumi.com/registry/packages/kubernetes/api-docs/apiextensions/customresource/
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pulumi_kuberay.errors import ValidationError

WAIT_FOR = "pulumi.com/waitFor"
TIMEOUT_SECONDS = "pulumi.com/timeoutSeconds"

RAYCLUSTER_READY = "jsonpath={.status.state}=ready"
"""RayCluster ``status.state`` turns ``ready`` once the head and all workers are running."""


def wait_for_annotations(expressions: str | Sequence[str], timeout_seconds: int) -> dict[str, str]:
    """The annotations that make Pulumi wait for ``expressions`` (all must hold) up to
    ``timeout_seconds``. Only a live cluster exercises the wait itself."""
    if timeout_seconds <= 0:
        raise ValidationError(
            f"ready_timeout_seconds: must be positive, got {timeout_seconds}; give the longest "
            "pulumi up may wait, in seconds"
        )
    value = expressions if isinstance(expressions, str) else json.dumps(list(expressions))
    return {WAIT_FOR: value, TIMEOUT_SECONDS: str(timeout_seconds)}


RAYJOB_COMPLETE = "jsonpath={.status.jobDeploymentStatus}=Complete"
"""``jobDeploymentStatus`` turns ``Complete`` once the job has finished and been cleaned up as
asked. A failed job never gets there, so ``pulumi up`` fails at the timeout."""

RAYSERVICE_READY = "condition=Ready"
"""The RayService ``Ready`` condition: Serve applications are running and the serve Service
has endpoints."""
