"""SARIF 2.1.0 output for code-scanning UIs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from pulumi_kuberay.policy import ALL_RULES
from pulumi_kuberay.policy.adapters.lint_files import lint_sources, load_inputs
from pulumi_kuberay.policy.adapters.sarif import format_sarif, to_sarif
from pulumi_kuberay.policy.engine import PolicyConfig
from tests.policy.manifests import DELETE, edit_paths, good


def sarif_for(tmp_path: Path, *docs: Any) -> dict[str, Any]:
    folder = tmp_path / "k8s"
    folder.mkdir()
    (folder / "c.yaml").write_text(yaml.safe_dump_all(docs, sort_keys=False))
    report = lint_sources(load_inputs([str(folder)]), PolicyConfig())
    return to_sarif(report, base=tmp_path)


def test_the_run_describes_the_tool_and_every_rule(tmp_path: Path) -> None:
    sarif = sarif_for(tmp_path, good())
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]

    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    assert run["tool"]["driver"]["name"] == "pulumi-kuberay"
    assert [r["id"] for r in rules] == [rule.id for rule in ALL_RULES]
    assert run["results"] == []
    by_id = {r["id"]: r for r in rules}
    assert by_id["operator-would-reject"]["defaultConfiguration"]["level"] == "error"
    assert by_id["single-image"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["single-image"]["helpUri"].startswith("https://docs.ray.io/")
    assert by_id["no-plaintext-secrets"]["properties"]["security-severity"] == "8.0"
    assert "security-severity" not in by_id["single-image"]["properties"]


def test_results_point_at_file_and_line(tmp_path: Path) -> None:
    doc = edit_paths(
        good(),
        {
            "spec.workerGroupSpecs[0].replicas": 9,
            "spec.headGroupSpec.rayStartParams.num-cpus": DELETE,
        },
    )
    sarif = sarif_for(tmp_path, doc)
    [run] = sarif["runs"]
    text = (tmp_path / "k8s" / "c.yaml").read_text().splitlines()

    mandatory, advisory = run["results"]

    assert mandatory["ruleId"] == "operator-would-reject"
    assert mandatory["level"] == "error"
    assert run["tool"]["driver"]["rules"][mandatory["ruleIndex"]]["id"] == "operator-would-reject"
    location = mandatory["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "k8s/c.yaml", "uriBaseId": "%SRCROOT%"}
    assert text[location["region"]["startLine"] - 1].strip() == "replicas: 9"
    assert mandatory["message"]["text"].startswith(
        "RayCluster ml/demo: spec.workerGroupSpecs[0].replicas: 9 is above maxReplicas (4)"
    )
    assert advisory["level"] == "warning"
    assert advisory["properties"] == {"enforcement": "advisory", "fixable": True}
    assert (
        mandatory["partialFingerprints"]["kuberayFinding/v1"]
        != (advisory["partialFingerprints"]["kuberayFinding/v1"])
    )


def test_format_sarif_is_json(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(good()))
    report = lint_sources(load_inputs([str(tmp_path)]), PolicyConfig())
    assert json.loads(format_sarif(report, tmp_path))["runs"][0]["results"] == []
