"""Thin Pulumi ComponentResources over the pure ``spec`` layer."""

from pulumi_kuberay.components.operator import KubeRayOperator
from pulumi_kuberay.components.raycluster import RayCluster

__all__ = ["KubeRayOperator", "RayCluster"]
