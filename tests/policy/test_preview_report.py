"""The policy findings under ``pulumi-kuberay preview`` (the preview command's reporter seam)."""

from __future__ import annotations

import io
from pathlib import Path

from pulumi_kuberay.cli import preview_command
from pulumi_kuberay.cli.lint_command import report_preview_findings
from pulumi_kuberay.preview import run_program
from tests.preview.conftest import RAY_APP, write_project

UNKNOWN_NAME_PROGRAM = """
import pulumi_kubernetes as k8s

namespace = k8s.core.v1.Namespace("ml")  # auto-named: its name is known only after deploy
container = {
    "name": "ray-head",
    "image": "rayproject/ray:2.53.0",
    "resources": {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"memory": "2Gi"}},
}
k8s.apiextensions.CustomResource(
    "cluster",
    api_version="ray.io/v1",
    kind="RayCluster",
    metadata={"name": namespace.metadata.name, "namespace": namespace.metadata.name},
    spec={
        "rayVersion": "2.53.0",
        "headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [container]}}},
    },
)
"""


def test_the_policy_reporter_is_registered() -> None:
    assert report_preview_findings in preview_command.REPORTERS


def test_findings_are_printed_and_mandatory_ones_fail_the_preview() -> None:
    result = run_program(RAY_APP, config={"workers": "7"})  # replicas 7 > maxReplicas 4
    out = io.StringIO()

    status = report_preview_findings(result, out)

    text = out.getvalue()
    assert status == 1
    assert "Policies (kuberay-best-practices) over 1 Ray object: 1 mandatory, " in text
    assert (
        "    [MANDATORY] operator-would-reject (critical) kubernetes:ray.io/v1:RayCluster cluster:\n"
        "        spec.workerGroupSpecs[0].replicas: 7 is above maxReplicas (4)"
    ) in text
    assert "Failing, as `pulumi preview --policy-pack policies` would" in text


def test_policy_config_can_make_a_rule_advisory() -> None:
    from pulumi_kuberay.policy.engine import PolicyConfig

    result = run_program(RAY_APP, config={"workers": "7"})
    config = PolicyConfig.from_json({"operator-would-reject": "advisory"})
    out = io.StringIO()

    assert report_preview_findings(result, out, config) == 0
    assert "[advisory] operator-would-reject (critical)" in out.getvalue()


def test_values_known_only_after_deploy_are_not_flagged(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", UNKNOWN_NAME_PROGRAM)
    result = run_program(project)
    out = io.StringIO()

    assert report_preview_findings(result, out) == 0
    assert "over 1 Ray object: 0 mandatory, 0 advisory" in out.getvalue()


def test_previews_without_ray_objects_print_nothing() -> None:
    from tests.preview.conftest import DEPLOY_TIME_VALUES

    out = io.StringIO()
    assert report_preview_findings(run_program(DEPLOY_TIME_VALUES), out) == 0
    assert out.getvalue() == ""
