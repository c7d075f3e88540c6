"""Pulumi components and policies for running Ray on Kubernetes with the KubeRay operator.

``import pulumi_kuberay as kuberay`` gives the components and their argument types. Names are
loaded on first use, so ``pulumi_kuberay.spec`` (used by the linter) stays free of the Pulumi
Kubernetes SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi_kuberay.errors import ValidationError

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pulumi_kuberay.components.operator import KubeRayOperator
    from pulumi_kuberay.components.raycluster import RayCluster
    from pulumi_kuberay.components.rayjob import RayJob
    from pulumi_kuberay.components.rayservice import RayService
    from pulumi_kuberay.models.capabilities import OperatorCapabilities
    from pulumi_kuberay.models.operator_chart import OperatorValues
    from pulumi_kuberay.models.ray.rayjob import (
        DeletionCondition,
        DeletionPolicy,
        DeletionRule,
        DeletionStrategy,
    )
    from pulumi_kuberay.plans.cluster import accelerators
    from pulumi_kuberay.plans.cluster.accelerators import (
        Accelerator,
        NodeLabelScheme,
        Placement,
        Toleration,
    )
    from pulumi_kuberay.plans.cluster.args import (
        Autoscaling,
        GcsFaultTolerance,
        HeadGroup,
        WorkerGroup,
    )
    from pulumi_kuberay.plans.cluster.best_practices import BestPractices
    from pulumi_kuberay.plans.env import ConfigMapRef, SecretRef
    from pulumi_kuberay.plans.rayservice import IncrementalUpgrade
    from pulumi_kuberay.plans.runtime_env import (
        PipOptions,
        RuntimeEnv,
        RuntimeEnvConfig,
        UvOptions,
    )
    from pulumi_kuberay.plans.serve_config import (
        GrpcOptions,
        HttpOptions,
        ServeApplication,
        ServeAutoscaling,
        ServeConfig,
        ServeDeployment,
    )

_LAZY: dict[str, str] = {
    "accelerators": "pulumi_kuberay.plans.cluster.accelerators",
    "Accelerator": "pulumi_kuberay.plans.cluster.accelerators",
    "NodeLabelScheme": "pulumi_kuberay.plans.cluster.accelerators",
    "Placement": "pulumi_kuberay.plans.cluster.accelerators",
    "Toleration": "pulumi_kuberay.plans.cluster.accelerators",
    "BestPractices": "pulumi_kuberay.plans.cluster.best_practices",
    "ConfigMapRef": "pulumi_kuberay.plans.env",
    "SecretRef": "pulumi_kuberay.plans.env",
    "Autoscaling": "pulumi_kuberay.plans.cluster.args",
    "GcsFaultTolerance": "pulumi_kuberay.plans.cluster.args",
    "HeadGroup": "pulumi_kuberay.plans.cluster.args",
    "WorkerGroup": "pulumi_kuberay.plans.cluster.args",
    "KubeRayOperator": "pulumi_kuberay.components.operator",
    "RayCluster": "pulumi_kuberay.components.raycluster",
    "RayJob": "pulumi_kuberay.components.rayjob",
    "RayService": "pulumi_kuberay.components.rayservice",
    "RuntimeEnv": "pulumi_kuberay.plans.runtime_env",
    "RuntimeEnvConfig": "pulumi_kuberay.plans.runtime_env",
    "PipOptions": "pulumi_kuberay.plans.runtime_env",
    "UvOptions": "pulumi_kuberay.plans.runtime_env",
    "ServeConfig": "pulumi_kuberay.plans.serve_config",
    "ServeApplication": "pulumi_kuberay.plans.serve_config",
    "ServeDeployment": "pulumi_kuberay.plans.serve_config",
    "ServeAutoscaling": "pulumi_kuberay.plans.serve_config",
    "HttpOptions": "pulumi_kuberay.plans.serve_config",
    "GrpcOptions": "pulumi_kuberay.plans.serve_config",
    "IncrementalUpgrade": "pulumi_kuberay.plans.rayservice",
    "DeletionStrategy": "pulumi_kuberay.models.ray.rayjob",
    "DeletionRule": "pulumi_kuberay.models.ray.rayjob",
    "DeletionCondition": "pulumi_kuberay.models.ray.rayjob",
    "DeletionPolicy": "pulumi_kuberay.models.ray.rayjob",
    "OperatorCapabilities": "pulumi_kuberay.models.capabilities",
    "OperatorValues": "pulumi_kuberay.models.operator_chart",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'pulumi_kuberay' has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if name == "accelerators" else getattr(module, name)
    globals()[name] = value
    return value


__all__ = ["ValidationError", "__version__", *_LAZY]
