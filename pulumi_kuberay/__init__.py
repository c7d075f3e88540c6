"""Pulumi components and policies for running Ray on Kubernetes with the KubeRay operator.

``import pulumi_kuberay as kuberay`` gives the components and their argument objects. Names are
loaded on first use, so the pure layers (``pulumi_kuberay.spec``, used by the linter) stay free
of the Pulumi SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.versions import LIBRARY_VERSION

__version__ = LIBRARY_VERSION

if TYPE_CHECKING:
    from pulumi_kuberay.components.cert_manager import CertManager
    from pulumi_kuberay.components.certificate_authority import RayCertificateAuthority
    from pulumi_kuberay.components.kueue.install import Kueue
    from pulumi_kuberay.components.kueue.queues import (
        AdmissionCheck,
        ClusterQueue,
        Cohort,
        LocalQueue,
        ResourceFlavor,
        WorkloadPriorityClass,
    )
    from pulumi_kuberay.components.node_pool import GpuNodePool
    from pulumi_kuberay.components.operator import KubeRayOperator
    from pulumi_kuberay.components.raycluster import RayCluster
    from pulumi_kuberay.components.rayjob import RayJob
    from pulumi_kuberay.components.rayservice import RayService
    from pulumi_kuberay.models.capabilities import OperatorCapabilities
    from pulumi_kuberay.models.cert_manager.chart_values import CertManagerValues
    from pulumi_kuberay.models.kueue.capabilities import KueueCapabilities
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
        NodeRequirement,
        Placement,
        Toleration,
    )
    from pulumi_kuberay.plans.cluster.args import (
        Autoscaling,
        ClusterArgs,
        FaultToleranceSource,
        GcsFaultTolerance,
        HeadGroup,
        NodePoolSource,
        RayClusterArgs,
        WorkerGroup,
    )
    from pulumi_kuberay.plans.cluster.best_practices import BestPractices
    from pulumi_kuberay.plans.env import ConfigMapRef, SecretRef
    from pulumi_kuberay.plans.kueue.admission import QueueTarget
    from pulumi_kuberay.plans.kueue.args import (
        AdmissionCheckArgs,
        ClusterQueueArgs,
        CohortArgs,
        FlavorQuotas,
        KueueFlavorSource,
        LocalQueueArgs,
        Quota,
        ResourceFlavorArgs,
        ResourceGroup,
        WorkloadPriorityClassArgs,
    )
    from pulumi_kuberay.plans.kueue.install import KueueArgs
    from pulumi_kuberay.plans.node_pools import (
        DaemonSetReserve,
        EC2NodeClassArgs,
        EksNodeGroup,
        ExistingNodes,
        GkeNodePool,
        GpuNodePoolArgs,
        Karpenter,
        Mig,
        NodeTaint,
        TimeSlicing,
    )
    from pulumi_kuberay.plans.operator.args import OperatorArgs
    from pulumi_kuberay.plans.rayjob import JobArgs
    from pulumi_kuberay.plans.rayservice import IncrementalUpgrade, ServiceArgs
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
    from pulumi_kuberay.plans.tls.args import IssuerRef, TlsArgs, TlsIssuerSource
    from pulumi_kuberay.plans.tls.authority import CertificateAuthorityArgs, ClientCertificate
    from pulumi_kuberay.plans.tls.cert_manager_install import CertManagerArgs

_ACCELERATORS = "pulumi_kuberay.plans.cluster.accelerators"
_CLUSTER = "pulumi_kuberay.plans.cluster.args"
_RUNTIME_ENV = "pulumi_kuberay.plans.runtime_env"
_SERVE = "pulumi_kuberay.plans.serve_config"
_RAYJOB_MODEL = "pulumi_kuberay.models.ray.rayjob"
_KUEUE_QUEUES = "pulumi_kuberay.components.kueue.queues"
_KUEUE_ARGS = "pulumi_kuberay.plans.kueue.args"
_NODE_POOLS = "pulumi_kuberay.plans.node_pools"
_TLS = "pulumi_kuberay.plans.tls.args"
_AUTHORITY = "pulumi_kuberay.plans.tls.authority"

_LAZY: dict[str, str] = {
    # Components
    "KubeRayOperator": "pulumi_kuberay.components.operator",
    "RayCluster": "pulumi_kuberay.components.raycluster",
    "RayJob": "pulumi_kuberay.components.rayjob",
    "RayService": "pulumi_kuberay.components.rayservice",
    "Kueue": "pulumi_kuberay.components.kueue.install",
    "ResourceFlavor": _KUEUE_QUEUES,
    "ClusterQueue": _KUEUE_QUEUES,
    "Cohort": _KUEUE_QUEUES,
    "LocalQueue": _KUEUE_QUEUES,
    "WorkloadPriorityClass": _KUEUE_QUEUES,
    "AdmissionCheck": _KUEUE_QUEUES,
    "GpuNodePool": "pulumi_kuberay.components.node_pool",
    "CertManager": "pulumi_kuberay.components.cert_manager",
    "RayCertificateAuthority": "pulumi_kuberay.components.certificate_authority",
    # Argument objects
    "ClusterArgs": _CLUSTER,
    "RayClusterArgs": _CLUSTER,
    "HeadGroup": _CLUSTER,
    "WorkerGroup": _CLUSTER,
    "Autoscaling": _CLUSTER,
    "GcsFaultTolerance": _CLUSTER,
    "FaultToleranceSource": _CLUSTER,
    "NodePoolSource": _CLUSTER,
    "GpuNodePoolArgs": _NODE_POOLS,
    "ExistingNodes": _NODE_POOLS,
    "Karpenter": _NODE_POOLS,
    "EC2NodeClassArgs": _NODE_POOLS,
    "GkeNodePool": _NODE_POOLS,
    "EksNodeGroup": _NODE_POOLS,
    "Mig": _NODE_POOLS,
    "TimeSlicing": _NODE_POOLS,
    "DaemonSetReserve": _NODE_POOLS,
    "NodeTaint": _NODE_POOLS,
    "BestPractices": "pulumi_kuberay.plans.cluster.best_practices",
    "JobArgs": "pulumi_kuberay.plans.rayjob",
    "ServiceArgs": "pulumi_kuberay.plans.rayservice",
    "IncrementalUpgrade": "pulumi_kuberay.plans.rayservice",
    "OperatorArgs": "pulumi_kuberay.plans.operator.args",
    "KueueArgs": "pulumi_kuberay.plans.kueue.install",
    "ResourceFlavorArgs": _KUEUE_ARGS,
    "ClusterQueueArgs": _KUEUE_ARGS,
    "CohortArgs": _KUEUE_ARGS,
    "LocalQueueArgs": _KUEUE_ARGS,
    "WorkloadPriorityClassArgs": _KUEUE_ARGS,
    "AdmissionCheckArgs": _KUEUE_ARGS,
    "ResourceGroup": _KUEUE_ARGS,
    "FlavorQuotas": _KUEUE_ARGS,
    "Quota": _KUEUE_ARGS,
    "KueueFlavorSource": _KUEUE_ARGS,
    "QueueTarget": "pulumi_kuberay.plans.kueue.admission",
    "SecretRef": "pulumi_kuberay.plans.env",
    "ConfigMapRef": "pulumi_kuberay.plans.env",
    "accelerators": _ACCELERATORS,
    "Accelerator": _ACCELERATORS,
    "NodeLabelScheme": _ACCELERATORS,
    "Placement": _ACCELERATORS,
    "NodeRequirement": _ACCELERATORS,
    "Toleration": _ACCELERATORS,
    "RuntimeEnv": _RUNTIME_ENV,
    "RuntimeEnvConfig": _RUNTIME_ENV,
    "PipOptions": _RUNTIME_ENV,
    "UvOptions": _RUNTIME_ENV,
    "ServeConfig": _SERVE,
    "ServeApplication": _SERVE,
    "ServeDeployment": _SERVE,
    "ServeAutoscaling": _SERVE,
    "HttpOptions": _SERVE,
    "GrpcOptions": _SERVE,
    "TlsArgs": _TLS,
    "IssuerRef": _TLS,
    "TlsIssuerSource": _TLS,
    "CertificateAuthorityArgs": _AUTHORITY,
    "ClientCertificate": _AUTHORITY,
    "CertManagerArgs": "pulumi_kuberay.plans.tls.cert_manager_install",
    "CertManagerValues": "pulumi_kuberay.models.cert_manager.chart_values",
    # Models users pass through
    "DeletionStrategy": _RAYJOB_MODEL,
    "DeletionRule": _RAYJOB_MODEL,
    "DeletionCondition": _RAYJOB_MODEL,
    "DeletionPolicy": _RAYJOB_MODEL,
    "OperatorCapabilities": "pulumi_kuberay.models.capabilities",
    "KueueCapabilities": "pulumi_kuberay.models.kueue.capabilities",
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
