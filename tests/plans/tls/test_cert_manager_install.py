"""The cert-manager chart install: version pinned, CRDs managed by the chart, values layered."""

from __future__ import annotations

import pytest

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.cert_manager.chart_values import CertManagerValues, PrometheusValues
from pulumi_kuberay.plans.tls.cert_manager_install import (
    CertManagerArgs,
    decide_cert_manager_version,
    plan_cert_manager_install,
)


def test_defaults_pin_the_version_and_manage_the_crds() -> None:
    plan = plan_cert_manager_install(CertManagerArgs(), namespace="cert-manager")
    assert plan.chart_version == "v1.21.1"
    assert plan.values == {"crds": {"enabled": True, "keep": True}}
    assert plan.cluster_resource_namespace == "cert-manager"


def test_crds_managed_elsewhere() -> None:
    plan = plan_cert_manager_install(CertManagerArgs(manage_crds=False), namespace="cert-manager")
    assert plan.values == {"crds": {"enabled": False}}


def test_values_are_layered_and_raw_values_win() -> None:
    args = CertManagerArgs(
        values=CertManagerValues(replica_count=2, cluster_resource_namespace="pki"),
        raw_values={"replicaCount": 3, "webhook": {"hostNetwork": True}},
    )
    plan = plan_cert_manager_install(args, namespace="cert-manager")
    assert plan.values["replicaCount"] == 3
    assert plan.values["webhook"] == {"hostNetwork": True}
    assert plan.cluster_resource_namespace == "pki"


def test_a_misspelt_value_is_an_error() -> None:
    with pytest.raises(ValidationError, match="clusterResourceNamespac"):
        plan_cert_manager_install(
            CertManagerArgs(values={"clusterResourceNamespac": "x"}), namespace=None
        )


def test_what_the_chart_refuses() -> None:
    both = CertManagerValues(
        prometheus=PrometheusValues.model_validate(
            {"servicemonitor": {"enabled": True}, "podmonitor": {"enabled": True}}
        )
    )
    with pytest.raises(ValidationError, match="not both"):
        plan_cert_manager_install(CertManagerArgs(values=both), namespace=None)
    with pytest.raises(ValidationError, match="at least 1"):
        plan_cert_manager_install(CertManagerArgs(values={"replicaCount": 0}), namespace=None)


def test_manual_approval_is_advised_about() -> None:
    plan = plan_cert_manager_install(
        CertManagerArgs(values={"disableAutoApproval": True}), namespace=None
    )
    assert "stay pending until a policy approves" in plan.advice[0]


@pytest.mark.parametrize(
    ("given", "chosen"), [("v1.21.1", "v1.21.1"), ("1.20.3", "v1.20.3"), ("V1.19.0", "v1.19.0")]
)
def test_versions_carry_jetstacks_v(given: str, chosen: str) -> None:
    assert decide_cert_manager_version(given) == chosen


def test_old_or_odd_versions_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"first chart with crds\.enabled"):
        decide_cert_manager_version("v1.14.0")
    with pytest.raises(ValidationError, match="not a cert-manager version"):
        decide_cert_manager_version("latest")
