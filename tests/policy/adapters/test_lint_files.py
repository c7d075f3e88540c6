"""``pulumi-kuberay lint``: inputs, output formats, --fix, exit codes; and the preview reporter."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_kuberay.cli.main import main
from pulumi_kuberay.policy.adapters.lint_files import (
    InputError,
    apply_fixes,
    lint_sources,
    load_inputs,
    parse_source,
)
from pulumi_kuberay.policy.engine import PolicyConfig
from tests.policy.manifests import CPU_RAY, DELETE, edit_paths, good


def dump(*docs: Any) -> str:
    return yaml.safe_dump_all(docs, sort_keys=False)


def bad_cluster() -> dict[str, Any]:
    """Two findings: replicas above max (mandatory) and a head running workloads (advisory)."""
    return edit_paths(
        good(),
        {
            "spec.workerGroupSpecs[0].replicas": 9,
            "spec.headGroupSpec.rayStartParams.num-cpus": DELETE,
        },
    )


CONFIG_MAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["lint", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- inputs ----------------------------------------------------------------------------------


def test_folders_are_searched_recursively_for_yaml(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "cluster.yaml").write_text(dump(good()))
    (tmp_path / "job.yml").write_text(dump(good("RayJob")))
    (tmp_path / "notes.txt").write_text("not yaml: [")

    sources = load_inputs([str(tmp_path)])

    assert [Path(s.name).name for s in sources] == ["cluster.yaml", "job.yml"]


def test_multi_document_files_and_other_kinds(tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_text(dump(CONFIG_MAP, bad_cluster(), None, good("RayService")))

    report = lint_sources(load_inputs([str(path)]), PolicyConfig())

    assert [(o.document.index, str(o.object)) for o in report.objects] == [
        (1, "RayCluster ml/demo"),
        (3, "RayService ml/serve"),
    ]
    assert [f.rule_id for f in report.findings] == [
        "operator-would-reject",
        "head-runs-no-workloads",
        "unresolved-references",  # the RayService's Redis password Secret is not in the inputs
    ]


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(dump(bad_cluster())))

    status, out, _ = run_cli(capsys, "-")

    assert status == 1
    assert out.startswith("<stdin>\n  RayCluster ml/demo  (document 1, line 1)\n")


def test_the_stack_rule_sees_objects_in_other_files(tmp_path: Path) -> None:
    (tmp_path / "service.yaml").write_text(dump(good("RayService")))
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "redis", "namespace": "ml"},
    }
    (tmp_path / "secret.yaml").write_text(dump(secret))

    report = lint_sources(load_inputs([str(tmp_path)]), PolicyConfig())

    assert report.findings == []


def test_findings_point_at_the_line_of_the_field() -> None:
    text = dump(CONFIG_MAP, bad_cluster())
    report = lint_sources([parse_source("x.yaml", text)], PolicyConfig())
    [obj] = report.objects
    finding = report.findings[0]

    line = text.splitlines()[obj.document.line_of(finding.path) - 1]

    assert finding.path == "spec.workerGroupSpecs[0].replicas"
    assert line.strip() == "replicas: 9"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("a: [b\n", "x.yaml:2: not valid YAML"),
        (b"\xff\xfe", "x.yaml: not UTF-8 text"),
    ],
)
def test_unreadable_input_is_named(tmp_path: Path, content: str | bytes, problem: str) -> None:
    path = tmp_path / "x.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)

    with pytest.raises(InputError) as raised:
        load_inputs([str(path)])

    assert raised.value.problems[0].startswith(f"{tmp_path}/{problem}")


def test_unreadable_input_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixable = tmp_path / "a.yaml"
    fixable.write_text(dump(bad_cluster()))
    before = fixable.read_text()
    (tmp_path / "b.yaml").write_text("kind: [")

    status, out, err = run_cli(capsys, "--fix", str(tmp_path), str(tmp_path / "missing.yaml"))

    assert status == 2
    assert out == ""
    assert f"error: {tmp_path}/b.yaml:2: not valid YAML" in err
    assert f"error: {tmp_path}/missing.yaml: no such file or directory" in err
    assert fixable.read_text() == before


# --- output ----------------------------------------------------------------------------------


def test_table_groups_findings_by_file_and_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(dump(CONFIG_MAP, bad_cluster()))

    status, out, _ = run_cli(capsys, str(path))

    assert status == 1
    replicas_line = path.read_text().splitlines().index("    replicas: 9") + 1
    lines = out.splitlines()
    assert lines[0] == str(path)
    assert lines[1] == "  RayCluster ml/demo  (document 2, line 6)"
    assert lines[2].split() == [
        "line",
        str(replicas_line),
        "MANDATORY",
        "critical",
        "operator-would-reject",
    ]
    assert lines[3].startswith("      spec.workerGroupSpecs[0].replicas: 9 is above maxReplicas")
    assert "head-runs-no-workloads  (fixable)" in out
    assert lines[-1] == (
        "1 Ray object in 1 file, 1 mandatory violation, 1 advisory finding (1 fixable with --fix)."
    )


def test_clean_input_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(dump(good(), good("RayJob")))

    status, out, _ = run_cli(capsys, str(path))

    assert status == 0
    assert (
        out
        == "No findings. 2 Ray objects in 1 file, 0 mandatory violations, 0 advisory findings.\n"
    )


def test_advisory_findings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(dump(edit_paths(good(), {"spec.headGroupSpec.rayStartParams": {}})))
    assert run_cli(capsys, str(path))[0] == 0


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(dump(bad_cluster()))

    status, out, _ = run_cli(capsys, "--format", "json", str(path))
    data = json.loads(out)

    assert status == 1
    assert data["summary"] == {
        "files": 1,
        "objects": 1,
        "mandatory": 1,
        "advisory": 1,
        "fixable": 1,
    }
    first = data["findings"][0]
    assert first["file"] == str(path)
    assert first["rule"] == "operator-would-reject"
    assert first["enforcement"] == "mandatory"
    assert first["object"] == {"kind": "RayCluster", "namespace": "ml", "name": "demo"}
    assert first["line"] == path.read_text().splitlines().index("    replicas: 9") + 1


def test_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(dump(bad_cluster()))
    config = tmp_path / "policy.json"
    config.write_text(
        json.dumps({"operator-would-reject": "advisory", "head-runs-no-workloads": "disabled"})
    )

    status, out, _ = run_cli(capsys, "--config", str(config), str(path))

    assert status == 0
    assert "head-runs-no-workloads" not in out
    assert "1 advisory finding" in out


def test_bad_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(dump(good()))
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"single-image": "loud"}))

    status, _, err = run_cli(capsys, "--config", str(config), str(path))

    assert status == 2
    assert f"error: {config}: single-image: 'loud' is not an enforcement level" in err


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "--list-rules")
    assert status == 0
    assert out.splitlines()[0].split()[:3] == ["operator-would-reject", "critical", "mandatory"]


def test_no_paths_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_cli(capsys)
    assert status == 2
    assert "name at least one file" in err


# --- --fix -----------------------------------------------------------------------------------

FILE_WITH_COMMENTS = """\
# Objects for the ml namespace.
apiVersion: v1
kind: ConfigMap  # untouched
metadata:
  name: settings
---
# The cluster: rewritten by --fix.
{cluster}
# trailing comment, kept
---
{job}
"""


def test_fix_rewrites_only_the_fixed_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster = edit_paths(good(), {f"spec.{CPU_RAY}.env": DELETE})
    job_text = yaml.safe_dump(good("RayJob"), sort_keys=False)
    path = tmp_path / "all.yaml"
    path.write_text(
        FILE_WITH_COMMENTS.format(
            cluster=yaml.safe_dump(cluster, sort_keys=False).strip(), job=job_text.strip()
        )
    )

    status, out, _ = run_cli(capsys, "--fix", str(path))

    text = path.read_text()
    assert status == 0
    assert out.startswith(f"Fixed:\n  {path}: RayCluster ml/demo: hide-gpus-from-cpu-containers\n")
    assert text.startswith(
        "# Objects for the ml namespace.\napiVersion: v1\nkind: ConfigMap  # untouched\n"
    )
    assert "# The cluster: rewritten by --fix.\n" in text
    assert "# trailing comment, kept\n---\n" in text
    assert text.endswith(job_text)
    docs = list(yaml.safe_load_all(text))
    assert docs[1] == good()
    assert docs[2] == good("RayJob")


def test_fix_then_reports_what_remains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(dump(bad_cluster()))

    status, out, _ = run_cli(capsys, "--fix", str(path))

    assert status == 1  # replicas above max needs a human
    assert "Fixed:" in out
    assert "head-runs-no-workloads" in out.split("Fixed:")[1].splitlines()[1]
    assert "operator-would-reject" in out
    params = yaml.safe_load(path.read_text())["spec"]["headGroupSpec"]["rayStartParams"]
    assert params == {"dashboard-host": "0.0.0.0", "num-cpus": "0"}


def test_fix_keeps_multi_line_strings_readable() -> None:
    job = edit_paths(good("RayJob"), {"spec.ttlSecondsAfterFinished": DELETE})
    job["spec"]["entrypoint"] = "python -c '\nimport ray\nray.init()\n'"
    source = parse_source("job.yaml", dump(job))

    [fixed], _, _ = apply_fixes([source], PolicyConfig())

    assert "entrypoint: |-\n    python -c '\n    import ray\n" in fixed.text
    assert fixed.documents[0].data["spec"]["ttlSecondsAfterFinished"] == 300


def test_fix_refuses_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_cli(capsys, "--fix", "-")
    assert status == 2
    assert "--fix cannot write back to standard input" in err


def test_files_without_fixes_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("# as written\n" + dump(good()))
    _, fixed, writes = apply_fixes(load_inputs([str(path)]), PolicyConfig())
    assert fixed == []
    assert writes == {}


# --- the console script ----------------------------------------------------------------------


@pytest.mark.slow
def test_console_script_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(dump(bad_cluster()))

    done = subprocess.run(
        [sys.executable, "-m", "pulumi_kuberay.cli.main", "lint", "--format", "sarif", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["runs"][0]["results"][0]["ruleId"] == "operator-would-reject"


IMPORT_PROBE = textwrap.dedent(
    """
    import sys
    from pulumi_kuberay.policy.adapters.lint_files import lint_texts
    from pulumi_kuberay.policy.engine import PolicyConfig
    lint_texts([("x", "apiVersion: ray.io/v1\\nkind: RayCluster\\n")], PolicyConfig())
    print(" ".join(sorted(m for m in {modules!r} if m in sys.modules)))
    """
)


def _imported_by_lint(*modules: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE.format(modules=modules)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.split()


@pytest.mark.slow
def test_lint_imports_no_pulumi_sdk() -> None:
    # pulumi_kuberay.spec (and so the policy package) is import-light by design.
    assert _imported_by_lint("pulumi", "pulumi_policy", "pulumi_kubernetes", "grpc") == []
