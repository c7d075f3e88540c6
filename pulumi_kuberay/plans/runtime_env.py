"""Ray runtime environments, typed and rendered to YAML.

A runtime environment (``runtimeEnvYAML`` of a RayJob, ``runtime_env`` of a Serve application)
is stored in the custom resource as text, so everything in it is readable by anyone who can
read the resource. Credentials therefore go into the Ray containers' env as
``valueFrom.secretKeyRef`` (:func:`pulumi_kuberay.plans.env.secret_container_env`), which Ray
workers and the job driver inherit. https://docs.ray.io/en/latest/ray-core/handling-dependencies.html#runtime-environments
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import model_validator

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.plans.arguments import ArgumentModel
from pulumi_kuberay.plans.env import SecretEnv

EnvVarValue = str | int | float | bool


class _Options(ArgumentModel):
    """A part of a runtime environment: Ray's own names."""


class PipOptions(_Options):
    """``pip`` as a mapping: packages plus pip's own settings."""

    packages: list[str]
    """``pip.packages``: requirement specifiers, as in a requirements file."""
    pip_check: bool | None = None
    """``pip.pip_check``: run ``pip check`` after installing. Default: unset (Ray's false)."""
    pip_version: str | None = None
    """``pip.pip_version``: the pip to install with (``==23.3``). Default: unset."""


class UvOptions(_Options):
    """``uv`` as a mapping (Ray >= 2.40): packages plus uv's own settings."""

    packages: list[str]
    """``uv.packages``: requirement specifiers."""
    uv_version: str | None = None
    """``uv.uv_version``: the uv to install with. Default: unset."""
    uv_check: bool | None = None
    """``uv.uv_check``: check the environment after installing. Default: unset."""
    uv_pip_install_options: list[str] | None = None
    """``uv.uv_pip_install_options``: extra ``uv pip install`` flags. Default: unset."""


class RuntimeEnvConfig(_Options):
    """``config``: how Ray sets the environment up."""

    setup_timeout_seconds: int | None = None
    """``config.setup_timeout_seconds``: how long Ray may take to set the env up. Default: unset
    (600)."""
    eager_install: bool | None = None
    """``config.eager_install``: install when the job starts, not on first use. Default: unset
    (true)."""


class RuntimeEnv(_Options):
    """A Ray runtime environment: ``RuntimeEnv(pip=["torch==2.5.0"], working_dir="https://...")``.

    ``pip``, ``uv`` and ``conda`` are alternatives (Ray refuses more than one). ``env_vars``
    values are rendered as strings; never put credentials here, use ``secret_env`` of the
    RayJob/RayService instead. ``extra`` holds any other runtime-env field (``image_uri``,
    ``py_executable``, plugins) as written.
    https://docs.ray.io/en/latest/ray-core/api/doc/ray.runtime_env.RuntimeEnv.html
    """

    pip: list[str] | str | PipOptions | None = None
    """``pip``: packages (a list, a requirements file path, or :class:`PipOptions`). Default: unset.
    """
    uv: list[str] | str | UvOptions | None = None
    """``uv``: packages installed with uv (Ray >= 2.40). Default: unset."""
    conda: str | dict[str, Any] | None = None
    """``conda``: an environment name, an environment.yaml path or its mapping. Default: unset."""
    env_vars: dict[str, EnvVarValue] | None = None
    """``env_vars``: plain settings for every Ray worker (rendered as strings); never credentials.
    Default: unset."""
    working_dir: str | None = None
    """``working_dir``: a URI (zip/git archive, s3://, gs://) unpacked as the job's working
    directory. Default: unset."""
    py_modules: list[str] | None = None
    """``py_modules``: URIs of Python modules to make importable. Default: unset."""
    excludes: list[str] | None = None
    """``excludes``: gitignore-style patterns left out of ``working_dir``. Default: unset."""
    config: RuntimeEnvConfig | None = None
    """``config``: how Ray sets the environment up (:class:`RuntimeEnvConfig`). Default: unset."""
    extra: dict[str, Any] | None = None
    """Any other runtime-env field (``image_uri``, ``py_executable``, plugins), written as given.
    Default: none."""

    @model_validator(mode="after")
    def _one_package_manager(self) -> RuntimeEnv:
        chosen = [name for name in ("pip", "uv", "conda") if getattr(self, name) is not None]
        if len(chosen) > 1:
            raise ValueError(
                f"runtime_env: {' and '.join(chosen)} are alternatives and Ray refuses more than "
                "one; keep one of them"
            )
        clash = set(self.extra or {}) & set(type(self).model_fields)
        if clash:
            raise ValueError(
                f"runtime_env.extra: {', '.join(sorted(clash))} has a typed argument; pass it "
                "there instead"
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        """The runtime env as Ray reads it (only what was set)."""
        rendered = self.model_dump(exclude_none=True, exclude={"extra"})
        if self.env_vars is not None:
            rendered["env_vars"] = {k: _env_string(v) for k, v in self.env_vars.items()}
        return {**rendered, **(self.extra or {})}

    def to_yaml(self) -> str:
        """The runtime env as YAML text, for ``runtimeEnvYAML``."""
        return dump_yaml(self.to_dict())


RuntimeEnvArg = RuntimeEnv | Mapping[str, Any] | str
"""A typed :class:`RuntimeEnv`, a plain mapping, or raw YAML text used as written."""


def _env_string(value: EnvVarValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def dump_yaml(value: Any) -> str:
    """Block-style YAML in the order given, as people write it."""
    return yaml.safe_dump(value, sort_keys=False, default_flow_style=False, allow_unicode=True)


def runtime_env_dict(env: RuntimeEnvArg, field: str) -> dict[str, Any]:
    """The runtime env as a mapping (raw YAML text is parsed). Raises ``ValidationError``."""
    if isinstance(env, RuntimeEnv):
        return env.to_dict()
    if isinstance(env, str):
        try:
            parsed = yaml.safe_load(env)
        except yaml.YAMLError as exc:
            raise ValidationError(
                f"{field}: not valid YAML ({' '.join(str(exc).split())})"
            ) from None
        if parsed is None:
            return {}
        if not isinstance(parsed, dict):
            raise ValidationError(f"{field}: must be a YAML mapping, got a {type(parsed).__name__}")
        return parsed
    if not isinstance(env, Mapping):
        raise ValidationError(f"{field}: expected a RuntimeEnv, a mapping or YAML text")
    return copy.deepcopy(dict(env))


def render_runtime_env_yaml(env: RuntimeEnvArg | None, field: str = "runtime_env") -> str | None:
    """``runtimeEnvYAML`` text: raw text is kept as written, anything else is dumped."""
    if env is None:
        return None
    if isinstance(env, str):
        runtime_env_dict(env, field)  # fail early on text the operator would reject
        return env
    return dump_yaml(runtime_env_dict(env, field))


def env_var_conflicts(env: RuntimeEnvArg | None, secret_env: SecretEnv | None) -> list[str]:
    """Variables both in a runtime env's ``env_vars`` and in ``secret_env``: Ray applies the
    runtime env last, so its literal would silently replace the Secret's value."""
    if env is None or not secret_env:
        return []
    env_vars = runtime_env_dict(env, "runtime_env").get("env_vars") or {}
    return [
        f"runtime_env.env_vars.{name}: also given in secret_env; Ray would use the literal from "
        "the runtime env instead of the Secret, so remove it from env_vars"
        for name in secret_env
        if name in env_vars
    ]
