"""The plan of a ``RayCluster``: its :class:`RayClusterArgs` rendered and checked.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/raycluster-quick-start.html
"""

from __future__ import annotations

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.raycluster import RayCluster
from pulumi_kuberay.plans.cluster.args import RayClusterArgs
from pulumi_kuberay.plans.cluster.cluster_spec import plan_cluster_spec
from pulumi_kuberay.plans.ray_object import (
    ObjectArgs,
    RayObjectPlan,
    finish_ray_object,
    problems_of,
    subject_of,
)
from pulumi_kuberay.plans.readiness import RAYCLUSTER_READY


def plan_raycluster(
    obj: ObjectArgs, args: RayClusterArgs, caps: OperatorCapabilities
) -> RayObjectPlan[RayCluster]:
    """The validated RayCluster for ``args`` on an operator with ``caps``.

    Raises :class:`pulumi_kuberay.ValidationError` naming the cluster and every problem.
    """
    with problems_of(subject_of(RayCluster, obj)):
        spec = plan_cluster_spec(args)
    if args.suspend is not None or args.managed_by is not None:
        spec = spec.model_copy(
            update={
                name: value
                for name, value in (("suspend", args.suspend), ("managed_by", args.managed_by))
                if value is not None
            }
        )
    return finish_ray_object(RayCluster, obj, spec, caps, ready_when=RAYCLUSTER_READY)
