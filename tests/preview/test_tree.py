"""render_tree: the resource graph laid out like ``pulumi preview`` prints it."""

from __future__ import annotations

from pulumi_kuberay.preview import render_tree, run_program, summary_line
from tests.preview.conftest import RAY_APP, REMOTE_COMPONENTS


def test_children_are_drawn_under_their_parent() -> None:
    assert render_tree(run_program(RAY_APP)) == (
        "Type                                   Name         Info\n"
        "pulumi:pulumi:Stack                    ray-app-dev\n"
        "├─ kubernetes:core/v1:Namespace        ml\n"
        "└─ fixture:index:RayApp                app\n"
        "   ├─ kubernetes:core/v1:ConfigMap     settings\n"
        "   └─ kubernetes:ray.io/v1:RayCluster  cluster\n"
        "\n"
        "4 resources, 3 Kubernetes objects\n"
    )


def test_resources_whose_objects_are_not_visible_offline_say_so() -> None:
    tree = render_tree(run_program(REMOTE_COMPONENTS))

    chart_line = next(line for line in tree.splitlines() if "helm.sh/v4:Chart" in line)
    assert "kuberay-operator" in chart_line
    assert "(objects rendered by the provider at deploy, not shown)" in chart_line
    assert tree.endswith("3 resources, 1 Kubernetes object\n")


def test_summary_line_counts_resources_and_objects() -> None:
    assert summary_line(run_program(RAY_APP)) == "4 resources, 3 Kubernetes objects"
