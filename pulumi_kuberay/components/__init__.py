"""Thin Pulumi ComponentResources over the pure ``spec`` layer."""

from pulumi_kuberay.components.operator import KubeRayOperator
from pulumi_kuberay.components.raycluster import RayCluster
from pulumi_kuberay.components.rayjob import RayJob
from pulumi_kuberay.components.rayservice import RayService

__all__ = ["KubeRayOperator", "RayCluster", "RayJob", "RayService"]
