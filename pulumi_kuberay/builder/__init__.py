"""The ergonomic layer: head and worker groups, accelerators and best practices that render
into the pure ``spec`` models."""

from pulumi_kuberay.builder import accelerators
from pulumi_kuberay.builder.accelerators import Accelerator, NodeLabelScheme, Placement, Toleration
from pulumi_kuberay.builder.best_practices import BestPractices
from pulumi_kuberay.builder.cluster import build_cluster_spec, build_raycluster
from pulumi_kuberay.builder.env import ConfigMapRef, SecretRef
from pulumi_kuberay.builder.groups import Autoscaling, GcsFaultTolerance, HeadGroup, WorkerGroup
from pulumi_kuberay.builder.job import BuiltRayJob, JobCluster, build_rayjob
from pulumi_kuberay.builder.runtime_env import PipOptions, RuntimeEnv, RuntimeEnvConfig, UvOptions
from pulumi_kuberay.builder.serve_config import (
    GrpcOptions,
    HttpOptions,
    ServeApplication,
    ServeAutoscaling,
    ServeConfig,
    ServeDeployment,
)
from pulumi_kuberay.builder.service import (
    BuiltRayService,
    IncrementalUpgrade,
    ServiceCluster,
    build_rayservice,
)

__all__ = [
    "Accelerator",
    "Autoscaling",
    "BestPractices",
    "BuiltRayJob",
    "BuiltRayService",
    "ConfigMapRef",
    "GcsFaultTolerance",
    "GrpcOptions",
    "HeadGroup",
    "HttpOptions",
    "IncrementalUpgrade",
    "JobCluster",
    "NodeLabelScheme",
    "PipOptions",
    "Placement",
    "RuntimeEnv",
    "RuntimeEnvConfig",
    "SecretRef",
    "ServeApplication",
    "ServeAutoscaling",
    "ServeConfig",
    "ServeDeployment",
    "ServiceCluster",
    "Toleration",
    "UvOptions",
    "WorkerGroup",
    "accelerators",
    "build_cluster_spec",
    "build_raycluster",
    "build_rayjob",
    "build_rayservice",
]
