"""The ergonomic layer: head and worker groups, accelerators and best practices that render
into the pure ``spec`` models."""

from pulumi_kuberay.builder import accelerators
from pulumi_kuberay.builder.accelerators import Accelerator, NodeLabelScheme, Placement, Toleration
from pulumi_kuberay.builder.best_practices import BestPractices
from pulumi_kuberay.builder.cluster import build_cluster_spec, build_raycluster
from pulumi_kuberay.builder.env import ConfigMapRef, SecretRef
from pulumi_kuberay.builder.groups import Autoscaling, GcsFaultTolerance, HeadGroup, WorkerGroup

__all__ = [
    "Accelerator",
    "Autoscaling",
    "BestPractices",
    "ConfigMapRef",
    "GcsFaultTolerance",
    "HeadGroup",
    "NodeLabelScheme",
    "Placement",
    "SecretRef",
    "Toleration",
    "WorkerGroup",
    "accelerators",
    "build_cluster_spec",
    "build_raycluster",
]
