"""The plan of a ``RayCluster``: its :class:`RayClusterArgs` rendered and checked.

https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/raycluster-quick-start.html
"""

from __future__ import annotations

from dataclasses import replace

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.raycluster import RayCluster
from pulumi_kuberay.plans.cluster.args import RayClusterArgs
from pulumi_kuberay.plans.cluster.cluster_spec import cluster_warnings, plan_cluster_spec
from pulumi_kuberay.plans.kueue.admission import (
    decide_queued_suspend,
    finish_queued,
    plan_queueing,
    queued_cluster_spec,
)
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
    """The validated RayCluster for ``args`` on an operator with ``caps``; with ``queue=``,
    labelled and suspended for Kueue and checked with Kueue's rules and its queue's quota.

    Raises :class:`pulumi_kuberay.ValidationError` naming the cluster and every problem.
    """
    with problems_of(subject_of(RayCluster, obj)):
        spec = plan_cluster_spec(args, caps=caps, namespace=obj.namespace)
        queueing = plan_queueing(
            "RayCluster",
            args,
            autoscaling=spec.enable_in_tree_autoscaling is True,
            namespace=obj.namespace,
            managed_by=args.managed_by,
        )
        suspend = decide_queued_suspend(args.suspend, queueing)
    managed_by = queueing.managed_by if queueing is not None else args.managed_by
    if suspend is not None or managed_by is not None:
        spec = spec.model_copy(
            update={
                name: value
                for name, value in (("suspend", suspend), ("managed_by", managed_by))
                if value is not None
            }
        )
    if queueing is not None:
        spec = queued_cluster_spec(spec, queueing, suspend=True)
        obj = replace(
            obj,
            labels={**obj.labels, **queueing.labels},
            annotations={**obj.annotations, **queueing.annotations},
        )
    plan = finish_ray_object(
        RayCluster,
        obj,
        spec,
        caps,
        ready_when=RAYCLUSTER_READY,
        argument_warnings=cluster_warnings(args),
    )
    return finish_queued(plan, queueing)
