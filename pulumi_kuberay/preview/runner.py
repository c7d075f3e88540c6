"""Run a Pulumi Python program under mocks, as ``pulumi preview`` would, and record its graph.

This mirrors the Python language host: configure the runtime, then inside a fresh event loop
``run_in_stack(lambda: runpy.run_path(program, run_name="__main__"))``, which runs the module,
waits until every resource registration and output has settled, and re-raises the program's
error. The mocks are installed with ``pulumi.runtime.set_mocks(..., preview=True)`` before the
program runs (https://www.pulumi.com/docs/iac/concepts/testing/unit/).

Each run gets its own thread, event loop and empty ``contextvars`` context, because the SDK
keeps its state (settings, root stack, config) in context variables: a fresh context is a
fresh runtime, so runs can repeat in one process and can start from code that already has a
running event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import logging
import re
import runpy
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime
from pulumi.runtime import config as runtime_config
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.stack import massage, run_in_stack

from pulumi_kuberay.models.unknown import UNKNOWN
from pulumi_kuberay.preview.errors import PreviewError
from pulumi_kuberay.preview.isolation import isolated_program
from pulumi_kuberay.preview.mocks import PreviewMocks, RecordingMonitor
from pulumi_kuberay.preview.model import Diagnostic, PreviewResult
from pulumi_kuberay.preview.project import Project, StackConfig, load_project, load_stack_config
from pulumi_kuberay.preview.wire_values import to_plain

__all__ = ["run_program"]

# cwd, sys.path and sys.modules are process-wide: one program at a time.
_RUN_LOCK = threading.Lock()


def run_program(
    project_dir: Path, *, stack: str = "dev", config: Mapping[str, str] | None = None
) -> PreviewResult:
    """Preview the Pulumi Python project in ``project_dir`` offline and return its resource graph.

    ``config`` overrides the stack's config (``key`` or ``namespace:key`` -> value). Raises
    :class:`~pulumi_kuberay.preview.ProjectError` if the directory is not a runnable Python
    project, and :class:`~pulumi_kuberay.preview.PreviewError` if the program fails (raises,
    in its body or inside an ``apply``, or logs an error), with the program's own message.
    """
    project = load_project(Path(project_dir))
    stack = stack.rsplit("/", 1)[-1]  # "org/project/stack" names the same Pulumi.<stack>.yaml
    stack_config = load_stack_config(project, stack, config)
    with _RUN_LOCK, isolated_program(project.program_dir):
        return _in_fresh_thread(project, stack, stack_config)


def _in_fresh_thread(project: Project, stack: str, stack_config: StackConfig) -> PreviewResult:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = contextvars.Context().run(_run, project, stack, stack_config)
        except BaseException as exc:  # handed back to the calling thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name=f"pulumi-kuberay-preview-{project.name}")
    defaults = _settings_defaults()
    try:
        thread.start()
        thread.join()
    finally:
        _restore_settings_defaults(defaults)
    if "error" in outcome:
        error: BaseException = outcome["error"]
        converted = _as_preview_error(error)
        if converted is error:
            raise error
        raise converted from error
    result: PreviewResult = outcome["result"]
    return result


# The SDK's settings are ``ContextProperty`` descriptors whose fallback for contexts that never
# set them (new threads, for one) becomes the first value set while the current one is None,
# in any context. Without putting the fallbacks back, every thread started after a preview would
# see its mock monitor. Best effort: a no-op if the SDK changes how it stores them.
_DEFAULT_ATTRIBUTE = "_ContextProperty__default"


def _settings_defaults() -> list[tuple[Any, Any]]:
    return [
        (prop, getattr(prop, _DEFAULT_ATTRIBUTE))
        for prop in vars(runtime_settings.Settings).values()
        if hasattr(prop, _DEFAULT_ATTRIBUTE)
    ]


def _restore_settings_defaults(defaults: list[tuple[Any, Any]]) -> None:
    for prop, value in defaults:
        setattr(prop, _DEFAULT_ATTRIBUTE, value)


def _run(project: Project, stack: str, stack_config: StackConfig) -> PreviewResult:
    loop = asyncio.new_event_loop()
    # One worker keeps the mock monitor seeing registrations in program order, so the tree and
    # the file list are stable from run to run.
    loop.set_default_executor(
        concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pulumi-mock")
    )
    # A failed registration leaves futures nobody awaits; their "exception was never retrieved"
    # reports would repeat the error that run_program already raises.
    loop.set_exception_handler(lambda _loop, _context: None)
    asyncio.set_event_loop(loop)
    diagnostics = _DiagnosticLog()
    monitor = RecordingMonitor(PreviewMocks(preview=True))
    try:
        pulumi.runtime.set_mocks(
            monitor.mocks,
            project=project.name,
            stack=stack,
            preview=True,
            logger=diagnostics.logger,
            monitor=monitor,
        )
        _reset_runtime_state(project, stack_config)
        exports = loop.run_until_complete(_run_and_collect_exports(project.program))
    finally:
        _close(loop)
    errors = [d.message for d in diagnostics.records if d.severity == "error"]
    if errors:
        raise PreviewError(errors[0] if len(errors) == 1 else "\n".join(errors))
    return PreviewResult(
        project=project.name,
        stack=stack,
        resources=list(monitor.recorded),
        stack_outputs=exports,
        diagnostics=list(diagnostics.records),
        invokes=list(monitor.invoked),
    )


def _reset_runtime_state(project: Project, stack_config: StackConfig) -> None:
    """Give this context its own copies of the runtime state ``set_mocks`` leaves shared.

    ``MockSettings`` does not create the outputs set and lock, and the SDK's context variables
    fall back to process-wide defaults, so without this a run would see the last run's leftovers.
    ``set_mocks`` also registers a root stack at once; ``run_in_stack`` must create its own (as
    the language host does), so the root is cleared first.
    """
    settings = runtime_settings.SETTINGS
    settings.outputs = set()
    settings.lock = threading.Lock()
    settings.root_directory = str(project.directory)
    settings.package_refs = {}
    settings.base_providers_by_ref = {}
    runtime_settings.ROOT.set(None)
    runtime_config.CONFIG.set(_OfflineConfig(stack_config))
    runtime_config._SECRET_KEYS.set(set(stack_config.encrypted))


async def _run_and_collect_exports(program: Path) -> dict[str, Any]:
    def execute() -> None:
        runpy.run_path(str(program), run_name="__main__")

    await run_in_stack(execute)
    root = pulumi.runtime.get_root_resource()
    outputs: dict[str, Any] = getattr(root, "outputs", {})
    exports = {}
    for name, value in outputs.items():
        output = pulumi.Output.from_input(massage(value, []))
        resolved = await output.future(with_unknowns=True)
        known = await output.is_known()
        exports[name] = UNKNOWN if not known and resolved is None else to_plain(resolved)
    return exports


def _close(loop: asyncio.AbstractEventLoop) -> None:
    try:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


class _OfflineConfig(dict[str, str]):
    """The config map the SDK reads (``pulumi.Config``), refusing encrypted values.

    ``secure:`` values need the stack's secrets provider to decrypt, which an offline run does
    not have. Failing only when the program actually reads one keeps unrelated secrets harmless.
    """

    def __init__(self, stack_config: StackConfig) -> None:
        super().__init__(stack_config.values)
        self._encrypted = stack_config.encrypted

    def __contains__(self, key: object) -> bool:
        return key in self._encrypted or super().__contains__(key)

    def __getitem__(self, key: str) -> str:
        if key in self._encrypted:
            raise PreviewError(
                f"config {key!r} is encrypted (secure:) and cannot be decrypted offline; "
                f"pass a value with --config {key}=VALUE (or the config= argument)"
            )
        return super().__getitem__(key)


class _DiagnosticLog:
    """Collects what the program logs through ``pulumi.log`` (the mock engine's logger)."""

    def __init__(self) -> None:
        self.records: list[Diagnostic] = []
        # A private logger: not registered globally, so nothing leaks to the root logger.
        self.logger = logging.Logger("pulumi-kuberay-preview", level=logging.INFO)
        self.logger.addHandler(_ListHandler(self.records))


class _ListHandler(logging.Handler):
    _SEVERITY = {logging.INFO: "info", logging.WARNING: "warning", logging.ERROR: "error"}

    def __init__(self, records: list[Diagnostic]) -> None:
        super().__init__(level=logging.INFO)
        self._records = records

    def emit(self, record: logging.LogRecord) -> None:
        severity = self._SEVERITY.get(record.levelno, record.levelname.lower())
        self._records.append(Diagnostic(severity=severity, message=record.getMessage()))


def _as_preview_error(exc: BaseException) -> BaseException:
    if isinstance(exc, PreviewError):
        return exc
    if isinstance(exc, SystemExit):
        return PreviewError(f"the program exited (sys.exit) with status {exc.code}")
    if not isinstance(exc, Exception):
        return exc  # KeyboardInterrupt and friends keep their meaning
    return PreviewError(short_message(exc))


# The SDK wraps errors raised while preparing a resource's inputs (for example in an ``apply``
# feeding an input) as "While processing resource: 'name', type: 'token'\nValueError has risen:
# While processing input: ...\nValueError has risen: <message>", and loses the chained cause
# on the way out (``raise exn from exn``), so the text is all there is to go on.
_RISEN = re.compile(r"\n(?:ValueError|AssertionError) has risen: ")
_RESOURCE_HEADER = re.compile(
    r"While processing resource: '(?P<name>[^']*)', type:? '(?P<type>[^']*)'"
)


def short_message(exc: BaseException) -> str:
    """The one message a person needs from a program failure, without a traceback.

    Input-processing wrappers become ``name (type token): <original message>``. The program's
    own exceptions (``ValidationError``, a ``ResourceError(message, resource)``) and
    ``ValueError`` give their message; other built-in ones, whose message alone says little
    (``KeyError: 'x'``), keep their type name.
    """
    text = str(exc)
    header = _RESOURCE_HEADER.match(text)
    if header and _RISEN.search(text):
        innermost = _RISEN.split(text)[-1]
        return f"{header['name']} ({header['type']}): {innermost}"
    if len(exc.args) > 1 and isinstance(exc.args[0], str):
        text = exc.args[0]  # e.g. ResourceError(message, resource)
    builtin = type(exc).__module__ == "builtins" and not isinstance(exc, ValueError)
    if text and not builtin:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
