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
    from pulumi_kuberay.builder import accelerators
    from pulumi_kuberay.builder.accelerators import (
        Accelerator,
        NodeLabelScheme,
        Placement,
        Toleration,
    )
    from pulumi_kuberay.builder.best_practices import BestPractices
    from pulumi_kuberay.builder.env import ConfigMapRef, SecretRef
    from pulumi_kuberay.builder.groups import (
        Autoscaling,
        GcsFaultTolerance,
        HeadGroup,
        WorkerGroup,
    )
    from pulumi_kuberay.builder.runtime_env import (
        PipOptions,
        RuntimeEnv,
        RuntimeEnvConfig,
        UvOptions,
    )
    from pulumi_kuberay.builder.serve_config import (
        GrpcOptions,
        HttpOptions,
        ServeApplication,
        ServeAutoscaling,
        ServeConfig,
        ServeDeployment,
    )
    from pulumi_kuberay.builder.service import IncrementalUpgrade
    from pulumi_kuberay.components.operator import KubeRayOperator
    from pulumi_kuberay.components.raycluster import RayCluster
    from pulumi_kuberay.components.rayjob import RayJob
    from pulumi_kuberay.components.rayservice import RayService
    from pulumi_kuberay.spec.capabilities import OperatorCapabilities
    from pulumi_kuberay.spec.operator_chart import OperatorValues
    from pulumi_kuberay.spec.rayjob import (
        DeletionCondition,
        DeletionPolicy,
        DeletionRule,
        DeletionStrategy,
    )

_LAZY: dict[str, str] = {
    "accelerators": "pulumi_kuberay.builder.accelerators",
    "Accelerator": "pulumi_kuberay.builder.accelerators",
    "NodeLabelScheme": "pulumi_kuberay.builder.accelerators",
    "Placement": "pulumi_kuberay.builder.accelerators",
    "Toleration": "pulumi_kuberay.builder.accelerators",
    "BestPractices": "pulumi_kuberay.builder.best_practices",
    "ConfigMapRef": "pulumi_kuberay.builder.env",
    "SecretRef": "pulumi_kuberay.builder.env",
    "Autoscaling": "pulumi_kuberay.builder.groups",
    "GcsFaultTolerance": "pulumi_kuberay.builder.groups",
    "HeadGroup": "pulumi_kuberay.builder.groups",
    "WorkerGroup": "pulumi_kuberay.builder.groups",
    "KubeRayOperator": "pulumi_kuberay.components.operator",
    "RayCluster": "pulumi_kuberay.components.raycluster",
    "RayJob": "pulumi_kuberay.components.rayjob",
    "RayService": "pulumi_kuberay.components.rayservice",
    "RuntimeEnv": "pulumi_kuberay.builder.runtime_env",
    "RuntimeEnvConfig": "pulumi_kuberay.builder.runtime_env",
    "PipOptions": "pulumi_kuberay.builder.runtime_env",
    "UvOptions": "pulumi_kuberay.builder.runtime_env",
    "ServeConfig": "pulumi_kuberay.builder.serve_config",
    "ServeApplication": "pulumi_kuberay.builder.serve_config",
    "ServeDeployment": "pulumi_kuberay.builder.serve_config",
    "ServeAutoscaling": "pulumi_kuberay.builder.serve_config",
    "HttpOptions": "pulumi_kuberay.builder.serve_config",
    "GrpcOptions": "pulumi_kuberay.builder.serve_config",
    "IncrementalUpgrade": "pulumi_kuberay.builder.service",
    "DeletionStrategy": "pulumi_kuberay.spec.rayjob",
    "DeletionRule": "pulumi_kuberay.spec.rayjob",
    "DeletionCondition": "pulumi_kuberay.spec.rayjob",
    "DeletionPolicy": "pulumi_kuberay.spec.rayjob",
    "OperatorCapabilities": "pulumi_kuberay.spec.capabilities",
    "OperatorValues": "pulumi_kuberay.spec.operator_chart",
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
