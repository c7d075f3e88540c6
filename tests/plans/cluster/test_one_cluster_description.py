"""One ClusterArgs, three kinds: what a cluster field renders is the same in a RayCluster's
``spec``, a RayJob's ``rayClusterSpec`` and a RayService's ``rayClusterConfig``.

The test walks every field ``ClusterArgs`` declares (a new field must get an example value
below, or the first test fails), so a field added there is shown reaching all three kinds.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_kuberay.plans.cluster import accelerators
from pulumi_kuberay.plans.cluster.args import (
    Autoscaling,
    ClusterArgs,
    GcsFaultTolerance,
    HeadGroup,
    RayClusterArgs,
    WorkerGroup,
)
from pulumi_kuberay.plans.cluster.best_practices import BestPractices
from pulumi_kuberay.plans.env import SecretRef
from pulumi_kuberay.plans.ray_object import ObjectArgs
from pulumi_kuberay.plans.raycluster import plan_raycluster
from pulumi_kuberay.plans.rayjob import JobArgs, plan_rayjob
from pulumi_kuberay.plans.rayservice import ServiceArgs, plan_rayservice
from pulumi_kuberay.plans.tls.args import IssuerRef, TlsArgs
from pulumi_kuberay.spec import OperatorCapabilities

CAPS = OperatorCapabilities()
SERVE = {"applications": [{"name": "app", "import_path": "app:deployment"}]}

# A value for every field of ClusterArgs that differs from its default.
NON_DEFAULT: dict[str, Any] = {
    "head": HeadGroup(cpu=2, memory="8Gi", service_type="NodePort"),
    "worker_groups": [
        WorkerGroup("gpu", replicas=1, max_replicas=3, gpus=1, accelerator=accelerators.NVIDIA_L4)
    ],
    "image": "rayproject/ray:2.53.0-py311",
    "ray_version": "2.52.0",
    "autoscaling": Autoscaling(idle_timeout_seconds=30),
    "fault_tolerance": GcsFaultTolerance(
        redis_address="redis:6379", redis_password=SecretRef("redis", "password")
    ),
    "auth_token": True,
    "tls": TlsArgs(issuer=IssuerRef("ray-ca"), service_account="ray-tls"),
    "head_service_annotations": {"team": "ml"},
    "pod_labels": {"cost-center": "ml"},
    "best_practices": BestPractices(cpu_limits=True),
    "overrides": {"headGroupSpec": {"enableIngress": False}},
}


def cluster_specs(cluster: ClusterArgs) -> dict[str, dict[str, Any]]:
    """The cluster spec each kind embeds for the same ClusterArgs."""
    raycluster = plan_raycluster(ObjectArgs("c"), RayClusterArgs(**cluster.given()), CAPS)
    rayjob = plan_rayjob(ObjectArgs("j"), JobArgs(entrypoint="python x.py", cluster=cluster), CAPS)
    rayservice = plan_rayservice(
        ObjectArgs("s"), ServiceArgs(serve_config=SERVE, cluster=cluster), CAPS
    )
    return {
        "RayCluster spec": raycluster.manifest["spec"],
        "RayJob rayClusterSpec": rayjob.manifest["spec"]["rayClusterSpec"],
        "RayService rayClusterConfig": rayservice.manifest["spec"]["rayClusterConfig"],
    }


def test_every_cluster_field_has_a_non_default_example() -> None:
    # A new ClusterArgs field must be given an example here, so the next test covers it.
    assert set(NON_DEFAULT) == set(ClusterArgs.model_fields)


@pytest.mark.parametrize("field", sorted(ClusterArgs.model_fields))
def test_a_cluster_field_renders_the_same_in_all_three_kinds(field: str) -> None:
    base = ClusterArgs(worker_groups=[WorkerGroup("cpu", cpu=1)])
    changed = ClusterArgs(**{**base.given(), field: NON_DEFAULT[field]})
    before, after = cluster_specs(base), cluster_specs(changed)
    assert after["RayCluster spec"] != before["RayCluster spec"], f"{field} changes nothing"
    assert after["RayCluster spec"] == after["RayJob rayClusterSpec"]
    assert after["RayCluster spec"] == after["RayService rayClusterConfig"]
