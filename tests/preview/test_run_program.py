"""run_program: a Pulumi program run offline under mocks, and the graph it registers.

https://www.pulumi.com/docs/iac/concepts/testing/unit/
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from pathlib import Path

import pytest

from pulumi_kuberay.preview import (
    UNKNOWN,
    PreviewError,
    ProjectError,
    ResourceRole,
    run_program,
)
from tests.preview.conftest import (
    DEPLOY_TIME_VALUES,
    FAILING,
    PROJECTS,
    RAY_APP,
    REMOTE_COMPONENTS,
    write_project,
)

# --- the resource graph -------------------------------------------------------------------


def test_records_every_resource_with_its_type_and_parent() -> None:
    result = run_program(RAY_APP)

    assert (result.project, result.stack) == ("ray-app", "dev")
    assert [(r.type, r.name) for r in result.resources] == [
        ("kubernetes:core/v1:Namespace", "ml"),
        ("fixture:index:RayApp", "app"),
        ("kubernetes:core/v1:ConfigMap", "settings"),
        ("kubernetes:ray.io/v1:RayCluster", "cluster"),
    ]
    app = result.resource("app")
    assert not app.custom
    assert app.role is ResourceRole.COMPONENT
    assert result.resource("ml").parent_urn == result.stack_urn
    assert app.parent_urn == result.stack_urn
    assert [r.name for r in result.children(app.urn)] == ["settings", "cluster"]


def test_records_dependencies_from_inputs_and_depends_on() -> None:
    result = run_program(RAY_APP)

    namespace, settings = result.resource("ml"), result.resource("settings")
    cluster = result.resource("cluster")
    assert namespace.urn in settings.dependencies  # its namespace input is ns.metadata.name
    assert settings.urn in cluster.dependencies  # depends_on=[settings]


def test_kubernetes_objects_are_the_inputs_in_manifest_shape() -> None:
    result = run_program(RAY_APP)

    objects = list(result.kubernetes_objects())
    assert [(o["kind"], o["metadata"]["name"]) for o in objects] == [
        ("Namespace", "ml"),
        ("ConfigMap", "ray-settings"),
        ("RayCluster", "demo"),
    ]
    config_map = objects[1]
    assert config_map == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "ray-settings", "namespace": "ml"},
        "data": {"workers": "2"},
    }
    ray_cluster = objects[2]
    assert list(ray_cluster) == ["apiVersion", "kind", "metadata", "spec"]
    assert ray_cluster["apiVersion"] == "ray.io/v1"
    # Numbers travel as protobuf floats; manifests get ints back (Kubernetes rejects 2.0).
    assert ray_cluster["spec"]["workerGroupSpecs"][0]["replicas"] == 2
    assert type(ray_cluster["spec"]["workerGroupSpecs"][0]["replicas"]) is int


def test_stack_outputs_are_resolved() -> None:
    result = run_program(RAY_APP)

    assert result.stack_outputs == {"namespace": "ml", "cluster_id": UNKNOWN}


# --- config -------------------------------------------------------------------------------


def test_stack_config_file_reaches_pulumi_config() -> None:
    # Pulumi.dev.yaml: "ray-app:namespace: ml" and the unqualified "workers: 2".
    dev = run_program(RAY_APP)
    prod = run_program(RAY_APP, stack="prod")

    assert dev.resource("ml").inputs["metadata"] == {"name": "ml"}
    assert dev.resource("settings").inputs["data"] == {"workers": "2"}
    assert prod.resource("ml").inputs["metadata"] == {"name": "ml-prod"}
    assert prod.resource("settings").inputs["data"] == {"workers": "3"}
    assert prod.stack_urn.startswith("urn:pulumi:prod::ray-app::")


def test_config_argument_overrides_the_stack_file() -> None:
    result = run_program(RAY_APP, config={"workers": "5", "ray-app:namespace": "other"})

    assert result.resource("settings").inputs["data"] == {"workers": "5"}
    assert result.resource("ml").inputs["metadata"] == {"name": "other"}


def test_structured_config_and_project_defaults(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "cfg",
        """
        import pulumi
        config = pulumi.Config()
        pulumi.export("region", config.get("region"))
        pulumi.export("limits", config.get_object("limits"))
        pulumi.export("debug", config.get_bool("debug"))
        """,
        project_file="""
        name: cfg
        runtime: python
        config:
          region:
            type: string
            default: eu-west
        """,
        files={"Pulumi.dev.yaml": "config:\n  cfg:limits: {cpu: 2, gpus: [0, 1]}\n  debug: true\n"},
    )

    assert run_program(project).stack_outputs == {
        "region": "eu-west",
        "limits": {"cpu": 2, "gpus": [0, 1]},
        "debug": True,
    }


def test_encrypted_config_fails_only_when_the_program_reads_it(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "secrets",
        """
        import pulumi
        config = pulumi.Config()
        if config.get_bool("use_password"):
            pulumi.export("password", config.require_secret("password"))
        """,
        project_file="name: secrets\nruntime: python\n",
        files={"Pulumi.dev.yaml": "config:\n  secrets:password:\n    secure: v1:AAAA\n"},
    )

    assert run_program(project).stack_outputs == {}
    with pytest.raises(PreviewError, match="'secrets:password' is encrypted"):
        run_program(project, config={"use_password": "true"})
    supplied = run_program(project, config={"use_password": "true", "password": "s3cret"})
    assert supplied.stack_outputs == {"password": "s3cret"}


# --- values only a deploy knows -----------------------------------------------------------


def test_values_known_only_after_deploy_are_unknown_never_invented() -> None:
    result = run_program(DEPLOY_TIME_VALUES)

    facts = result.resource("facts").inputs["data"]
    assert facts == {
        "namespace": "ml",  # a known input of another resource stays known
        "namespace-id": UNKNOWN,
        "namespace-uid": UNKNOWN,  # set by the API server
        "sibling-name": UNKNOWN,  # auto-named by the provider
        "greeting": UNKNOWN,
    }
    assert result.stack_outputs == {
        "namespace": "ml",
        "namespace_id": UNKNOWN,
        "sibling": {"name": UNKNOWN, "replicas": 2},
    }


def test_an_object_without_a_name_gets_an_unknown_name_in_its_manifest() -> None:
    result = run_program(DEPLOY_TIME_VALUES)

    auto_named = next(o for o in result.objects() if o.resource.name == "auto-named")
    assert auto_named.resource.inputs["metadata"] == {"namespace": "ml"}  # what the program sent
    assert auto_named.manifest["metadata"] == {"namespace": "ml", "name": UNKNOWN}
    assert auto_named.unknown_paths == ["metadata.name"]


# --- what mocks cannot render --------------------------------------------------------------


def test_remote_components_are_one_resource_each_and_not_kubernetes_objects() -> None:
    result = run_program(REMOTE_COMPONENTS)

    chart = result.resource("kuberay-operator", "kubernetes:helm.sh/v4:Chart")
    group = result.resource("extras", "kubernetes:yaml/v2:ConfigGroup")
    for component in (chart, group):
        assert component.remote
        assert component.role is ResourceRole.RENDERED_AT_DEPLOY
        assert result.children(component.urn) == []
    assert chart.inputs["chart"] == "kuberay-operator"
    assert chart.inputs["version"] == "1.5.1"
    assert [o["kind"] for o in result.kubernetes_objects()] == ["Namespace"]
    assert [r.name for r in result.not_rendered()] == ["kuberay-operator", "extras"]


# --- failures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("validation", "RayCluster 'demo': workerGroupSpecs[0].replicas 9 > maxReplicas 4"),
        ("resource", "the namespace already exists"),
        ("apply", "settings (kubernetes:core/v1:ConfigMap): namespace 'ml' is reserved"),
        ("log", "refusing to deploy on Fridays"),
    ],
)
def test_a_failing_program_raises_a_preview_error_with_its_own_message(
    mode: str, message: str
) -> None:
    with pytest.raises(PreviewError) as raised:
        run_program(FAILING, config={"mode": mode})

    assert raised.value.message.startswith(message)
    assert "Traceback" not in raised.value.message


def test_the_original_exception_is_chained_for_debugging() -> None:
    with pytest.raises(PreviewError) as raised:
        run_program(FAILING)  # Pulumi.dev.yaml: mode validation

    assert type(raised.value.__cause__).__name__ == "ValidationError"
    assert isinstance(raised.value.__cause__, ValueError)


def test_builtin_errors_keep_their_type_name(tmp_path: Path) -> None:
    project = write_project(tmp_path / "keyerror", "settings = {}\nsettings['replicas']\n")

    with pytest.raises(PreviewError, match=r"^KeyError: 'replicas'$"):
        run_program(project)


# --- repeated and nested runs ---------------------------------------------------------------


def test_runs_repeat_in_one_process_without_leftovers() -> None:
    first = run_program(RAY_APP)
    with pytest.raises(PreviewError):
        run_program(FAILING)
    second = run_program(RAY_APP)

    assert second.resources == first.resources
    assert second.stack_outputs == first.stack_outputs


def test_projects_with_same_named_modules_do_not_clash() -> None:
    # Both programs "import helpers"; each must get its own.
    names = [
        run_program(PROJECTS / project).resource("ns").inputs["metadata"]["name"]
        for project in ("module_a", "module_b", "module_a")
    ]

    assert names == ["from-module-a", "from-module-b", "from-module-a"]


def test_a_module_the_caller_already_loaded_from_the_program_dir_is_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Like previewing the repository's root project, whose directory holds pulumi_kuberay.
    project = write_project(
        tmp_path / "shared",
        "import registry\nregistry.CALLS.append('ran')\n",
        files={"registry.py": "CALLS = []\n"},
    )
    monkeypatch.syspath_prepend(str(project))
    registry = importlib.import_module("registry")
    try:
        run_program(project)

        assert registry.CALLS == ["ran"]
        assert sys.modules["registry"] is registry
    finally:
        del sys.modules["registry"]


def test_process_state_is_restored(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "state",
        "import sys\nimport local_mod\nsys.path.append('/somewhere')\n",
        files={"local_mod.py": "X = 1\n"},
    )
    path, cwd = list(sys.path), os.getcwd()

    run_program(project)

    assert (sys.path, os.getcwd()) == (path, cwd)
    assert "local_mod" not in sys.modules


def test_leaves_no_pulumi_settings_behind_for_other_threads() -> None:
    import threading

    from pulumi.runtime import settings

    def monitor_seen_by_a_new_thread() -> object:
        seen: list[object] = []
        thread = threading.Thread(target=lambda: seen.append(settings.SETTINGS.monitor))
        thread.start()
        thread.join()
        return seen[0]

    before = monitor_seen_by_a_new_thread()
    run_program(RAY_APP)

    assert monitor_seen_by_a_new_thread() is before


def test_can_be_called_from_code_already_running_an_event_loop() -> None:
    async def caller() -> list[str]:
        return [r.name for r in run_program(RAY_APP).resources]

    # Not asyncio.run(): it would leave this thread without an event loop for later tests.
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(caller()) == ["ml", "app", "settings", "cluster"]
    finally:
        loop.close()


# --- what is a runnable project -----------------------------------------------------------


def test_main_may_name_a_program_directory(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "with-main",
        "raise SystemExit('the root __main__.py must not run')\n",
        project_file="name: with-main\nruntime:\n  name: python\nmain: src/\n",
        files={"src/__main__.py": "import pulumi\npulumi.export('ran', 'src')\n"},
    )

    assert run_program(project).stack_outputs == {"ran": "src"}


@pytest.mark.parametrize(
    ("project_file", "message"),
    [
        (None, "no Pulumi.yaml found"),
        ("name: app\nruntime: nodejs\n", "runtime is 'nodejs'"),
        ("runtime: python\n", "'name' is missing"),
        ("name: app\nruntime: python\nmain: missing.py\n", "not found"),
        ("name: [unclosed\n", "cannot read"),
    ],
)
def test_directories_that_are_not_runnable_projects_raise_project_error(
    tmp_path: Path, project_file: str | None, message: str
) -> None:
    if project_file is not None:
        (tmp_path / "Pulumi.yaml").write_text(project_file)

    with pytest.raises(ProjectError, match=message):
        run_program(tmp_path)


def test_a_missing_directory_raises_project_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        run_program(tmp_path / "nope")
