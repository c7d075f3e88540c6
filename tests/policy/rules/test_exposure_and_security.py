"""dashboard-exposed-without-auth and no-privileged-containers."""

from __future__ import annotations

import pytest

from pulumi_kuberay.policy.manifest_reading import UNKNOWN
from pulumi_kuberay.policy.rules.exposure import DASHBOARD_EXPOSED_WITHOUT_AUTH
from pulumi_kuberay.policy.rules.security import NO_PRIVILEGED_CONTAINERS
from tests.policy.manifests import CPU_RAY, HEAD_RAY, at, cluster_edit, edit, good
from tests.policy.rules.support import assert_flags, assert_passes, violations

KINDS = ["RayCluster", "RayJob", "RayService"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_cluster_ip_head_passes(kind: str) -> None:
    assert_passes(DASHBOARD_EXPOSED_WITHOUT_AUTH, good(kind))


@pytest.mark.parametrize(
    ("field", "value", "how"),
    [
        ("headGroupSpec.serviceType", "LoadBalancer", "through serviceType LoadBalancer"),
        ("headGroupSpec.serviceType", "NodePort", "through serviceType NodePort"),
        ("headGroupSpec.headService", {"spec": {"type": "LoadBalancer"}}, "a LoadBalancer head"),
        ("headGroupSpec.enableIngress", True, "through an Ingress"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_an_exposed_head_without_auth_is_flagged(
    kind: str, field: str, value: object, how: str
) -> None:
    doc = cluster_edit(kind, good(kind), {field: value})

    [violation] = violations(DASHBOARD_EXPOSED_WITHOUT_AUTH, doc)

    assert violation.path.startswith(at(kind, field))
    assert how in violation.message
    assert "set authOptions.mode: token" in violation.message


def test_an_exposed_head_with_token_auth_passes() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {"headGroupSpec.serviceType": "LoadBalancer", "authOptions": {"mode": "token"}},
    )
    assert_passes(DASHBOARD_EXPOSED_WITHOUT_AUTH, doc)


def test_unknown_auth_mode_is_not_flagged() -> None:
    doc = cluster_edit(
        "RayCluster",
        good(),
        {"headGroupSpec.serviceType": "LoadBalancer", "authOptions": {"mode": UNKNOWN}},
    )
    assert_passes(DASHBOARD_EXPOSED_WITHOUT_AUTH, doc)


# --- no-privileged-containers ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_unprivileged_pods_pass(kind: str) -> None:
    assert_passes(NO_PRIVILEGED_CONTAINERS, good(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_a_privileged_container_is_flagged(kind: str) -> None:
    doc = cluster_edit(kind, good(kind), {f"{CPU_RAY}.securityContext": {"privileged": True}})

    assert_flags(
        NO_PRIVILEGED_CONTAINERS,
        doc,
        at(kind, f"{CPU_RAY}.securityContext.privileged"),
        "the Ray container of worker group 'cpu' runs privileged",
        "remove privileged",
    )


def test_privilege_escalation_in_init_and_autoscaler_containers() -> None:
    init = {
        "name": "setup",
        "image": "busybox:1.36",
        "securityContext": {"allowPrivilegeEscalation": True},
    }
    doc = cluster_edit(
        "RayCluster",
        good(),
        {
            "headGroupSpec.template.spec.initContainers": [init],
            "autoscalerOptions": {"securityContext": {"privileged": True}},
        },
    )

    messages = [v.message for v in NO_PRIVILEGED_CONTAINERS.check(doc, {})]

    assert messages == [
        "spec.headGroupSpec.template.spec.initContainers[0].securityContext."
        "allowPrivilegeEscalation: container 'setup' of the head group allows privilege "
        "escalation (setuid binaries can gain root); set allowPrivilegeEscalation: false",
        "spec.autoscalerOptions.securityContext.privileged: the autoscaler runs privileged (root "
        "on the node, every device); Ray needs no privileges; remove privileged, or grant the one "
        "capability a tool needs (e.g. SYS_PTRACE for py-spy)",
    ]


def test_capabilities_are_not_privileged() -> None:
    context = {"capabilities": {"add": ["SYS_PTRACE"]}, "allowPrivilegeEscalation": False}
    doc = cluster_edit("RayCluster", good(), {f"{HEAD_RAY}.securityContext": context})
    assert_passes(NO_PRIVILEGED_CONTAINERS, doc)


def test_rayjob_submitter_is_checked() -> None:
    submitter = {
        "spec": {
            "containers": [
                {
                    "name": "s",
                    "image": "rayproject/ray:2.53.0",
                    "securityContext": {"privileged": True},
                }
            ]
        }
    }
    doc = edit(good("RayJob"), spec__submitterPodTemplate=submitter)
    assert_flags(
        NO_PRIVILEGED_CONTAINERS,
        doc,
        "spec.submitterPodTemplate.spec.containers[0].securityContext.privileged",
        "the submitter runs privileged",
    )
