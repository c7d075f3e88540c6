"""The ``GpuNodePool`` component: a node pool described once, and realised one way.

- existing nodes: nothing is created; the description feeds worker groups, Kueue and policies;
- Karpenter: a ``karpenter.sh/v1`` NodePool (and ``karpenter.k8s.aws/v1`` EC2NodeClass);
- GKE: a ``pulumi_gcp.container.NodePool`` (``pip install 'pulumi-kuberay[gke]'``);
- EKS: a ``pulumi_aws.eks.NodeGroup`` (``pip install 'pulumi-kuberay[eks]'``).

The cloud SDKs are imported only for their realisation, so the base install needs neither.
See ``docs/gpus.md``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pulumi

from pulumi_kuberay.components.base import KubeRayComponent
from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.arguments import merge_arguments
from pulumi_kuberay.plans.node_pools import (
    GpuNodePoolArgs,
    NodePoolPlan,
    plan_node_pool,
    pool_record,
)

CLOUD_SDKS = {"gke": ("pulumi_gcp", "gke"), "eks": ("pulumi_aws", "eks")}
"""Realisation -> (module, pulumi-kuberay extra that installs it)."""


def cloud_sdk(realisation: str) -> ModuleType | None:
    """The cloud SDK a realisation needs (``None`` for existing nodes and Karpenter); raises
    :class:`ValidationError` naming the extra to install when it is missing."""
    if realisation not in CLOUD_SDKS:
        return None
    module, extra = CLOUD_SDKS[realisation]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ValidationError(
            f"realisation: a {realisation.upper()} pool needs {module.replace('_', '-')}; "
            f"install it with pip install 'pulumi-kuberay[{extra}]'"
        ) from None


class GpuNodePool(KubeRayComponent):
    """A node pool of GPU (or CPU) nodes::

        a100 = GpuNodePool("a100", accelerator=accelerators.NVIDIA_A100_80GB, gpus_per_node=8,
                           cpu_per_node=95, memory_per_node="1100Gi", max_nodes=4,
                           realisation=Karpenter(node_class=EC2NodeClassArgs(...)))
        WorkerGroup("gpu", node_pool=a100)   # placed on it, sized to fill a node

    The pool is a :class:`GpuNodePoolArgs` (positional) and/or its fields as keywords; ``name``
    defaults to the resource name. Bad input raises :class:`pulumi_kuberay.ValidationError`
    before anything is registered. A RayCluster, RayJob or RayService whose group names this
    component depends on it. It also satisfies the Kueue side's flavor source (``name``,
    :meth:`node_labels`, :meth:`node_taints`, :meth:`capacity`).

    Outputs: ``pool_name``, ``labels``, ``taints``, ``total_capacity`` and ``record`` (the
    pool as the policy pack reads it). Children: the Karpenter objects, the GKE node pool or the
    EKS node group (``resources``).
    """

    TYPE_NAME = "GpuNodePool"

    args: GpuNodePoolArgs
    """The pool's description."""
    plan: NodePoolPlan
    """What realising it creates."""
    warnings: tuple[str, ...]
    """What to know (logged as Pulumi warnings too)."""
    name: str
    """The pool's name (Karpenter NodePool, GKE pool, EKS node group, Kueue flavor)."""
    resources: list[pulumi.Resource]
    """The children realising the pool (none for existing nodes)."""
    pool_name: pulumi.Output[str]
    """The pool's name."""
    labels: pulumi.Output[dict[str, str]]
    """:meth:`node_labels` as an output."""
    taints: pulumi.Output[list[dict[str, Any]]]
    """:meth:`node_taints` as an output."""
    total_capacity: pulumi.Output[dict[str, str]]
    """:meth:`capacity` as an output."""
    record: pulumi.Output[dict[str, Any]]
    """The pool as the policy pack reads it (also the component's input)."""

    def __init__(
        self,
        resource_name: str,
        args: GpuNodePoolArgs | None = None,
        /,
        *,
        opts: pulumi.ResourceOptions | None = None,
        **fields: Any,
    ) -> None:
        subject = f"GpuNodePool {fields.get('name') or resource_name}"
        if "name" not in fields and (args is None or "name" not in args.model_fields_set):
            fields["name"] = resource_name
        pool = merge_arguments(GpuNodePoolArgs, args, fields, subject=subject)
        try:
            plan = plan_node_pool(pool)
            sdk = cloud_sdk(plan.realisation)
        except ValidationError as exc:
            raise ValidationError(exc.problems, subject=subject) from None
        record = pool_record(pool)
        # The record is an input too, so that policy packs see the pool during a preview.
        super().__init__(resource_name, opts, props={"record": record})

        self.args = pool
        self.plan = plan
        self.warnings = plan.warnings
        self.name = pool.name
        self.log_warnings(subject, plan.warnings)
        self.resources = self._realise(resource_name, plan, sdk)
        self.register(
            {
                "pool_name": pulumi.Output.from_input(pool.name),
                "labels": pulumi.Output.from_input(pool.node_labels()),
                "taints": pulumi.Output.from_input(pool.node_taints()),
                "total_capacity": pulumi.Output.from_input(pool.capacity()),
                "record": pulumi.Output.from_input(record),
            }
        )

    def _realise(
        self, resource_name: str, plan: NodePoolPlan, sdk: ModuleType | None
    ) -> list[pulumi.Resource]:
        created: list[pulumi.Resource] = []
        for obj in plan.objects:
            manifest = obj.to_manifest()
            created.append(
                self.create_object(
                    f"{resource_name}-{obj.KIND.lower()}", manifest, depends_on=created
                )
            )
        if plan.gke is not None and sdk is not None:
            options = pulumi.ResourceOptions(ignore_changes=list(plan.gke.ignore_changes))
            created.append(
                sdk.container.NodePool(
                    resource_name, **plan.gke.kwargs, opts=self.child_options(extra=options)
                )
            )
        if plan.eks is not None and sdk is not None:
            options = pulumi.ResourceOptions(ignore_changes=list(plan.eks.ignore_changes))
            created.append(
                sdk.eks.NodeGroup(
                    resource_name, **plan.eks.kwargs, opts=self.child_options(extra=options)
                )
            )
        return created

    def node_pool_args(self) -> GpuNodePoolArgs:
        """The pool's description (what ``WorkerGroup(node_pool=...)`` reads)."""
        return self.args

    def node_labels(self) -> dict[str, str]:
        """See :meth:`GpuNodePoolArgs.node_labels`."""
        return self.args.node_labels()

    def node_taints(self) -> list[dict[str, Any]]:
        """See :meth:`GpuNodePoolArgs.node_taints`."""
        return self.args.node_taints()

    def capacity(self) -> dict[str, str]:
        """See :meth:`GpuNodePoolArgs.capacity`."""
        return self.args.capacity()
