"""``pulumi-kuberay preview``: the tree, manifests with --out, and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

import pytest

from pulumi_kuberay import __version__
from pulumi_kuberay.cli.main import main
from pulumi_kuberay.preview import PreviewResult, read_manifests
from tests.preview.conftest import DEPLOY_TIME_VALUES, FAILING, RAY_APP, REMOTE_COMPONENTS


def test_prints_the_resource_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(RAY_APP)]) == 0

    out = capsys.readouterr().out
    assert "Previewing ray-app (stack dev) offline" in out
    assert "└─ fixture:index:RayApp                app" in out
    assert "   └─ kubernetes:ray.io/v1:RayCluster  cluster" in out
    assert "4 resources, 3 Kubernetes objects" in out
    assert "cluster_id: !unknown 'known after deploy'" in out


def test_out_writes_and_lists_the_manifests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "manifests"

    assert main(["preview", str(RAY_APP), "--out", str(out_dir)]) == 0

    out = capsys.readouterr().out
    assert f"Wrote 3 manifests to {out_dir}:" in out
    for name in ("_--namespace--ml", "ml--configmap--ray-settings", "ml--raycluster--demo"):
        assert f"    {out_dir / name}.yaml" in out
    [config_map] = read_manifests(out_dir / "ml--configmap--ray-settings.yaml")
    assert config_map["data"] == {"workers": "2"}


def test_stack_and_config_options(tmp_path: Path) -> None:
    out_dir = tmp_path / "prod"

    status = main(
        ["preview", str(RAY_APP), "--stack", "prod", "-c", "workers=3", "--out", str(out_dir)]
    )

    assert status == 0
    assert (out_dir / "ml-prod--configmap--ray-settings.yaml").exists()
    [config_map] = read_manifests(out_dir / "ml-prod--configmap--ray-settings.yaml")
    assert config_map["data"] == {"workers": "3"}


def test_a_mandatory_policy_violation_fails_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"

    status = main(["preview", str(RAY_APP), "-c", "workers=7", "--out", str(out_dir)])

    assert status == 1
    assert not out_dir.exists()
    assert "[MANDATORY] operator-would-reject" in capsys.readouterr().out


def test_policy_config_sets_enforcement_for_the_preview(tmp_path: Path) -> None:
    config = tmp_path / "policy.json"
    config.write_text('{"operator-would-reject": "advisory"}')
    args = ["preview", str(RAY_APP), "-c", "workers=7", "--policy-config", str(config)]

    assert main(args) == 0
    assert main([*args[:-1], str(tmp_path / "missing.json")]) == 2


def test_lists_values_known_only_after_deploy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(DEPLOY_TIME_VALUES)]) == 0

    out = capsys.readouterr().out
    assert "Known only after deploy (tagged !unknown in manifests):" in out
    assert "    kubernetes:core/v1:ConfigMap auto-named: metadata.name" in out
    assert (
        "    kubernetes:core/v1:ConfigMap facts: "
        "data.greeting, data.namespace-id, data.namespace-uid, data.sibling-name"
    ) in out


def test_lists_what_has_no_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(REMOTE_COMPONENTS)]) == 0

    out = capsys.readouterr().out
    assert "No manifests for (their objects are not visible offline):" in out
    assert "    kubernetes:helm.sh/v4:Chart kuberay-operator: objects rendered by" in out


def test_a_failing_program_exits_1_with_its_message_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "manifests"

    status = main(["preview", str(FAILING), "--out", str(out_dir)])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.err == (
        "error: RayCluster 'demo': workerGroupSpecs[0].replicas 9 > maxReplicas 4\n"
    )
    assert captured.out == ""
    assert not out_dir.exists()
    assert list(tmp_path.iterdir()) == []


def test_traceback_option_shows_where_it_failed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(FAILING), "--traceback"]) == 1

    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "__main__.py" in err


def test_not_a_project_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path} is not a Pulumi project: no Pulumi.yaml found\n"
    )

    assert main(["preview", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_refuses_to_replace_a_foreign_out_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")

    assert main(["preview", str(RAY_APP), "--out", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_malformed_config_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(RAY_APP), "--config", "workers"]) == 2
    assert "expected KEY=VALUE" in capsys.readouterr().err


def test_reporters_see_the_result_and_can_block_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The seam a policy check plugs into: it prints findings and may fail the command.
    from pulumi_kuberay.cli import preview_command

    def no_configmaps(result: PreviewResult, out: TextIO) -> int:
        found = [m for m in result.kubernetes_objects() if m["kind"] == "ConfigMap"]
        for manifest in found:
            print(f"policy: ConfigMap {manifest['metadata']['name']} is not allowed", file=out)
        return 1 if found else 0

    monkeypatch.setattr(preview_command, "REPORTERS", [no_configmaps])
    out_dir = tmp_path / "manifests"

    assert main(["preview", str(RAY_APP), "--out", str(out_dir)]) == 1
    assert "policy: ConfigMap ray-settings is not allowed" in capsys.readouterr().out
    assert not out_dir.exists()

    assert main(["preview", str(REMOTE_COMPONENTS), "--out", str(out_dir)]) == 0
    assert out_dir.exists()


@pytest.mark.slow
def test_console_script_end_to_end(tmp_path: Path) -> None:
    out_dir = tmp_path / "manifests"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-m", "pulumi_kuberay.cli.main"]

    version = subprocess.run([*command, "--version"], capture_output=True, text=True, env=env)
    preview = subprocess.run(
        [*command, "preview", str(RAY_APP), "--out", str(out_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    failing = subprocess.run(
        [*command, "preview", str(FAILING)], capture_output=True, text=True, env=env, timeout=120
    )

    assert (version.returncode, version.stdout.strip()) == (0, f"pulumi-kuberay {__version__}")
    assert preview.returncode == 0, preview.stderr
    assert "4 resources, 3 Kubernetes objects" in preview.stdout
    assert sorted(p.name for p in out_dir.glob("*.yaml")) == [
        "_--namespace--ml.yaml",
        "ml--configmap--ray-settings.yaml",
        "ml--raycluster--demo.yaml",
    ]
    assert failing.returncode == 1
    assert failing.stderr.startswith("error: RayCluster 'demo'")
