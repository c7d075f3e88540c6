"""The typed Serve config rendered to serveConfigV2."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from pulumi_kuberay import ValidationError
from pulumi_kuberay.plans.runtime_env import RuntimeEnv
from pulumi_kuberay.plans.serve_config import (
    GrpcOptions,
    HttpOptions,
    ServeApplication,
    ServeAutoscaling,
    ServeConfig,
    ServeDeployment,
    render_serve_config,
)


def fruit_app(**kwargs: Any) -> ServeApplication:
    return ServeApplication(
        "fruit_app",
        "fruit.deployment_graph",
        route_prefix=kwargs.pop("route_prefix", "/fruit"),
        **kwargs,
    )


def test_the_kuberay_sample_config_renders_in_serves_vocabulary() -> None:
    config = ServeConfig(
        applications=[
            fruit_app(
                runtime_env=RuntimeEnv(working_dir="https://github.com/ray-project/test_dag/a.zip"),
                deployments=[
                    ServeDeployment(
                        name="MangoStand",
                        user_config={"price": 3},
                        ray_actor_options={"num_cpus": 0.1},
                        autoscaling_config=ServeAutoscaling(min_replicas=1, max_replicas=3),
                        max_ongoing_requests=100,
                    ),
                    ServeDeployment(name="FruitMarket", num_replicas=2),
                ],
            )
        ],
        http_options=HttpOptions(request_timeout_s=30),
        grpc_options=GrpcOptions(port=9000, grpc_servicer_functions=["a.b.add_servicer"]),
        proxy_location="EveryNode",
    )
    assert yaml.safe_load(config.to_yaml()) == {
        "applications": [
            {
                "name": "fruit_app",
                "import_path": "fruit.deployment_graph",
                "route_prefix": "/fruit",
                "runtime_env": {"working_dir": "https://github.com/ray-project/test_dag/a.zip"},
                "deployments": [
                    {
                        "name": "MangoStand",
                        "autoscaling_config": {"min_replicas": 1, "max_replicas": 3},
                        "ray_actor_options": {"num_cpus": 0.1},
                        "max_ongoing_requests": 100,
                        "user_config": {"price": 3},
                    },
                    {"name": "FruitMarket", "num_replicas": 2},
                ],
            }
        ],
        "http_options": {"request_timeout_s": 30.0},
        "grpc_options": {"port": 9000, "grpc_servicer_functions": ["a.b.add_servicer"]},
        "proxy_location": "EveryNode",
    }
    assert config.to_yaml().startswith("applications:\n- name: fruit_app\n  import_path:")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ServeConfig(applications=[]), "needs at least one application"),
        (
            lambda: ServeConfig(applications=[fruit_app(), fruit_app(route_prefix="/b")]),
            "application name 'fruit_app' is used twice",
        ),
        (
            lambda: ServeConfig(
                applications=[fruit_app(), ServeApplication("b", "b:app", route_prefix="/fruit")]
            ),
            "route_prefix '/fruit' is used twice",
        ),
        (lambda: fruit_app(route_prefix="fruit"), "route_prefix must start with '/'"),
        (
            lambda: ServeDeployment(
                name="d", num_replicas=2, autoscaling_config={"max_replicas": 3}
            ),
            "num_replicas and autoscaling_config are alternatives",
        ),
        (lambda: ServeAutoscaling(min_replicas=4, max_replicas=2), "greater than max_replicas"),
        (lambda: ServeDeployment(name="d", num_replica=2), "did you mean .num_replicas."),
    ],
)
def test_what_ray_serve_refuses_is_refused_here(build: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build()


def test_num_replicas_auto_goes_with_autoscaling() -> None:
    deployment = ServeDeployment(
        name="d", num_replicas="auto", autoscaling_config={"target_ongoing_requests": 5}
    )
    assert deployment.to_dict() == {
        "name": "d",
        "num_replicas": "auto",
        "autoscaling_config": {"target_ongoing_requests": 5},
    }


def test_raw_text_is_kept_and_mappings_are_dumped() -> None:
    raw = "applications:\n  - name: a\n    import_path: a:app\n"
    assert render_serve_config(raw) == raw
    assert yaml.safe_load(render_serve_config({"applications": [{"name": "a", "target": 1}]})) == {
        "applications": [{"name": "a", "target": 1}]
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("applications: [\n", "serve_config: not valid YAML"),
        ("name: a\n", "must be a YAML mapping with an applications list"),
        ({"http_options": {}}, "needs an applications list"),
    ],
)
def test_configs_the_operator_could_never_serve_fail_early(config: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_serve_config(config)
