"""A typed Ray Serve config, rendered to a RayService's ``serveConfigV2``.

Field names are Ray Serve's own (``import_path``, ``num_replicas``, ...), so the Serve docs read
directly: https://docs.ray.io/en/latest/serve/production-guide/config.html and
https://docs.ray.io/en/latest/cluster/kubernetes/getting-started/rayservice-quick-start.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import yaml
from pydantic import BaseModel, field_validator, model_validator

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.runtime_env import RuntimeEnv, dump_yaml


class _ServeModel(ArgumentModel):
    """A part of a Serve config: Ray Serve's own names."""

    def to_dict(self) -> dict[str, Any]:
        """Only what was set, nested typed parts rendered too."""
        rendered: dict[str, Any] = _render(self)
        return rendered


def _render(value: Any) -> Any:
    if isinstance(value, RuntimeEnv):
        return value.to_dict()
    if isinstance(value, BaseModel):
        return {
            name: _render(getattr(value, name))
            for name in type(value).model_fields
            if getattr(value, name) is not None
        }
    if isinstance(value, list):
        return [_render(item) for item in value]
    if isinstance(value, dict):
        return {key: _render(item) for key, item in value.items()}
    return value


class ServeAutoscaling(_ServeModel):
    """``autoscaling_config`` of a deployment: replicas follow ongoing requests.

    https://docs.ray.io/en/latest/serve/autoscaling-guide.html
    """

    min_replicas: int | None = None
    """``min_replicas``. Default: unset (Serve's 1)."""
    max_replicas: int | None = None
    """``max_replicas``. Default: unset (Serve's 1)."""
    initial_replicas: int | None = None
    """``initial_replicas`` at deploy time. Default: unset (``min_replicas``)."""
    target_ongoing_requests: float | None = None
    """``target_ongoing_requests`` per replica that the autoscaler aims at. Default: unset (2)."""
    upscale_delay_s: float | None = None
    """``upscale_delay_s`` before adding replicas. Default: unset (30)."""
    downscale_delay_s: float | None = None
    """``downscale_delay_s`` before removing replicas. Default: unset (600)."""
    upscaling_factor: float | None = None
    """``upscaling_factor``: multiplier on each scale-up decision. Default: unset (1)."""
    downscaling_factor: float | None = None
    """``downscaling_factor``: multiplier on each scale-down decision. Default: unset (1)."""
    metrics_interval_s: float | None = None
    """``metrics_interval_s``: how often replicas report load. Default: unset (10)."""
    look_back_period_s: float | None = None
    """``look_back_period_s``: the window load is averaged over. Default: unset (30)."""

    @model_validator(mode="after")
    def _bounds(self) -> ServeAutoscaling:
        low, high = self.min_replicas, self.max_replicas
        if low is not None and high is not None and low > high:
            raise ValueError(f"min_replicas ({low}) is greater than max_replicas ({high})")
        return self


class ServeDeployment(_ServeModel):
    """Overrides for one deployment of an application (matched by ``name``)."""

    name: str
    """``name``: the deployment (class or function name) to override."""
    num_replicas: int | Literal["auto"] | None = None
    """``num_replicas``: a fixed count, or ``'auto'`` for Serve's autoscaling defaults. Default:
    unset."""
    autoscaling_config: ServeAutoscaling | dict[str, Any] | None = None
    """``autoscaling_config`` (:class:`ServeAutoscaling`). Default: unset."""
    ray_actor_options: dict[str, Any] | None = None
    """``ray_actor_options``: each replica's ``num_cpus``, ``num_gpus``, ``memory``, ``resources``,
    runtime env. Default: unset."""
    max_ongoing_requests: int | None = None
    """``max_ongoing_requests`` per replica. Default: unset (5)."""
    max_queued_requests: int | None = None
    """``max_queued_requests`` before callers get errors. Default: unset (no limit)."""
    max_replicas_per_node: int | None = None
    """``max_replicas_per_node``: spread replicas over nodes (1 for HA). Default: unset."""
    user_config: dict[str, Any] | None = None
    """``user_config`` passed to ``reconfigure()`` without a restart. Default: unset."""
    placement_group_bundles: list[dict[str, float]] | None = None
    """``placement_group_bundles`` reserved per replica. Default: unset."""
    placement_group_strategy: str | None = None
    """``placement_group_strategy`` (PACK, SPREAD, STRICT_PACK, STRICT_SPREAD). Default: unset
    (PACK)."""
    graceful_shutdown_wait_loop_s: float | None = None
    """``graceful_shutdown_wait_loop_s``. Default: unset (2)."""
    graceful_shutdown_timeout_s: float | None = None
    """``graceful_shutdown_timeout_s`` before a replica is killed. Default: unset (20)."""
    health_check_period_s: float | None = None
    """``health_check_period_s``. Default: unset (10)."""
    health_check_timeout_s: float | None = None
    """``health_check_timeout_s``. Default: unset (30)."""
    logging_config: dict[str, Any] | None = None
    """``logging_config`` of the deployment. Default: unset."""

    @model_validator(mode="after")
    def _replicas_or_autoscaling(self) -> ServeDeployment:
        if isinstance(self.num_replicas, int) and self.autoscaling_config is not None:
            raise ValueError(
                f"deployment {self.name!r}: num_replicas and autoscaling_config are alternatives "
                "(Ray Serve refuses both); keep one, or use num_replicas='auto'"
            )
        return self


class ServeApplication(_ServeModel):
    """One Serve application: ``ServeApplication("fruit", "fruit.deployment_graph", ...)``."""

    name: str
    """``name``: unique within the config."""
    import_path: str
    """``import_path``: ``module:attribute`` of the bound application."""
    route_prefix: str | None = None
    """``route_prefix`` (must start with ``/``). Default: unset (``/``)."""
    runtime_env: RuntimeEnv | dict[str, Any] | None = None
    """``runtime_env`` of the application (:class:`RuntimeEnv` or a mapping). Default: unset."""
    args: dict[str, Any] | None = None
    """``args`` passed to the application builder. Default: unset."""
    deployments: list[ServeDeployment] | None = None
    """``deployments``: per-deployment overrides. Default: unset."""
    logging_config: dict[str, Any] | None = None
    """``logging_config`` of the application. Default: unset."""

    def __init__(
        self, name: str | None = None, import_path: str | None = None, /, **data: Any
    ) -> None:
        if name is not None:
            data["name"] = name
        if import_path is not None:
            data["import_path"] = import_path
        super().__init__(**data)

    @field_validator("route_prefix")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError(f"route_prefix must start with '/', got {value!r}")
        return value


class HttpOptions(_ServeModel):
    """``http_options`` of the Serve proxies. KubeRay's Serve Service targets the head's
    ``serve`` port (8000), so change ``port`` only together with that container port."""

    host: str | None = None
    """``http_options.host``. Default: unset (0.0.0.0 on KubeRay)."""
    port: int | None = None
    """``http_options.port``. Default: unset (8000)."""
    request_timeout_s: float | None = None
    """``http_options.request_timeout_s``. Default: unset (no timeout)."""
    keep_alive_timeout_s: float | None = None
    """``http_options.keep_alive_timeout_s``. Default: unset (5)."""


class GrpcOptions(_ServeModel):
    """``grpc_options``: a gRPC proxy port and the servicer functions it serves."""

    port: int | None = None
    """``grpc_options.port``. Default: unset (9000)."""
    grpc_servicer_functions: list[str] | None = None
    """``grpc_options.grpc_servicer_functions``: import paths of the servicers' add functions.
    Default: unset."""


class ServeConfig(_ServeModel):
    """A multi-application Serve config (``serveConfigV2``).

    https://docs.ray.io/en/latest/serve/production-guide/config.html
    """

    applications: list[ServeApplication]
    """``applications``: at least one, with distinct names and route prefixes."""
    http_options: HttpOptions | None = None
    """``http_options`` of the proxies (:class:`HttpOptions`). Default: unset."""
    grpc_options: GrpcOptions | None = None
    """``grpc_options`` (:class:`GrpcOptions`). Default: unset."""
    proxy_location: Literal["Disabled", "HeadOnly", "EveryNode"] | None = None
    """``proxy_location``: Disabled, HeadOnly or EveryNode. Default: unset (EveryNode)."""
    target_capacity: float | None = None
    """``target_capacity`` in percent, for gradual rollouts. Default: unset (100)."""
    logging_config: dict[str, Any] | None = None
    """``logging_config`` of Serve. Default: unset."""

    @model_validator(mode="after")
    def _distinct_applications(self) -> ServeConfig:
        if not self.applications:
            raise ValueError("applications: needs at least one application")
        problems = []
        names = [app.name for app in self.applications]
        problems += [f"application name {n!r} is used twice" for n in _repeated(names)]
        prefixes = [app.route_prefix for app in self.applications if app.route_prefix]
        problems += [f"route_prefix {p!r} is used twice" for p in _repeated(prefixes)]
        if problems:
            raise ValueError("; ".join(problems) + " (Ray Serve refuses the config)")
        return self

    def to_yaml(self) -> str:
        """The config as YAML text, for ``serveConfigV2``."""
        return dump_yaml(self.to_dict())


def _repeated(values: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


ServeConfigArg = ServeConfig | Mapping[str, Any] | str
"""A typed :class:`ServeConfig`, a plain mapping, or raw YAML text used as written."""


def render_serve_config(config: ServeConfigArg, field: str = "serve_config") -> str:
    """``serveConfigV2`` text. Raw text is kept as written and a mapping is dumped as given (the
    escape hatches for Serve fields the typed model lacks); both must hold an ``applications``
    list, because the operator would otherwise retry the config forever without serving.
    Raises ``ValidationError``."""
    if isinstance(config, ServeConfig):
        return config.to_yaml()
    if isinstance(config, str):
        try:
            parsed = yaml.safe_load(config)
        except yaml.YAMLError as exc:
            raise ValidationError(
                f"{field}: not valid YAML ({' '.join(str(exc).split())})"
            ) from None
        if not isinstance(parsed, dict) or not parsed.get("applications"):
            raise ValidationError(
                f"{field}: must be a YAML mapping with an applications list (Serve's "
                "multi-application config)"
            )
        return config
    if not isinstance(config, Mapping):
        raise ValidationError(f"{field}: expected a ServeConfig, a mapping or YAML text")
    plain = dict(config)
    if not plain.get("applications"):
        raise ValidationError(
            f"{field}: needs an applications list (Serve's multi-application config)"
        )
    return dump_yaml(plain)
