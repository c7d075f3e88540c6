"""``pulumi-kuberay preview``: run a Pulumi project offline, print its resource tree, and
optionally write its Kubernetes objects as YAML.

Exit status: 0 success; 1 the program failed (or a reporter found a blocking problem);
2 usage problems (not a Pulumi project, an output directory we may not replace).
"""

from __future__ import annotations

import argparse
import functools
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pulumi_kuberay.cli import Command, Handler, lint_command

if TYPE_CHECKING:
    from pulumi_kuberay.preview import PreviewResult

__all__ = ["COMMAND", "REPORTERS", "Reporter", "register", "run"]

Reporter = Callable[["PreviewResult", TextIO], int]
"""Looks at a successful preview and prints what it finds; returns 0, or an exit status that
fails the command (and keeps manifests from being written)."""

REPORTERS: list[Reporter] = [lint_command.report_preview_findings]
"""Reporters every ``preview`` runs, in order, after the tree is printed. This is the seam for
the policy check: appending its reporter here prints policy findings under the tree."""


def register(parser: argparse.ArgumentParser) -> Handler:
    """Add ``preview``'s arguments to ``parser``; return its handler."""
    parser.add_argument(
        "project_dir",
        nargs="?",
        default=Path("."),
        type=Path,
        metavar="PROJECT_DIR",
        help="directory holding Pulumi.yaml (default: the current directory)",
    )
    parser.add_argument(
        "--stack", "-s", default="dev", help="stack whose Pulumi.<stack>.yaml config to use"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write one YAML file per Kubernetes object into DIR (replaced as a whole)",
    )
    parser.add_argument(
        "--config",
        "-c",
        action="append",
        default=[],
        type=_config_pair,
        metavar="KEY=VALUE",
        help="set or override a config value (KEY or namespace:KEY); repeatable",
    )
    parser.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="policy configuration JSON for the policy check, as pulumi's --policy-pack-config",
    )
    parser.add_argument(
        "--traceback", action="store_true", help="on failure, also print the program's traceback"
    )
    return run


def run(args: argparse.Namespace, reporters: Sequence[Reporter] | None = None) -> int:
    """Run the preview the parsed ``args`` describe; print to stdout, errors to stderr."""
    # Imported here: Pulumi takes a moment to import, and other commands do not need it.
    from pulumi_kuberay.preview import (
        OutputDirError,
        PreviewError,
        ProjectError,
        render_tree,
        run_program,
        write_manifests,
    )

    out = sys.stdout
    if reporters is None:
        try:
            policy_config = lint_command.load_config(getattr(args, "policy_config", None))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        # The policy reporter is the one that takes options; others see only the result.
        reporters = [
            functools.partial(reporter, config=policy_config)
            if reporter is lint_command.report_preview_findings
            else reporter
            for reporter in REPORTERS
        ]
    try:
        result = run_program(args.project_dir, stack=args.stack, config=dict(args.config))
    except ProjectError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except PreviewError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if args.traceback and exc.__cause__ is not None:
            traceback.print_exception(exc.__cause__, file=sys.stderr)
        return 1

    for diagnostic in result.diagnostics:
        print(f"{diagnostic.severity}: {diagnostic.message}", file=sys.stderr)
    print(f"Previewing {result.project} (stack {result.stack}) offline, under Pulumi mocks\n")
    out.write(render_tree(result))
    _print_outputs(result, out)
    _print_unknowns(result, out)
    _print_not_rendered(result, out)

    status = 0
    for reporter in reporters:
        status = max(status, reporter(result, out))
    if status:
        return status

    if args.out is not None:
        try:
            paths = write_manifests(result, args.out)
        except OutputDirError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 2
        print(f"\nWrote {len(paths)} manifest{'' if len(paths) == 1 else 's'} to {args.out}:")
        for path in paths:
            print(f"    {path}")
    return 0


def _print_outputs(result: PreviewResult, out: TextIO) -> None:
    from pulumi_kuberay.preview.manifests import format_value

    if not result.stack_outputs:
        return
    print("\nOutputs:", file=out)
    for name, value in result.stack_outputs.items():
        print(f"    {name}: {format_value(value)}", file=out)


def _print_unknowns(result: PreviewResult, out: TextIO) -> None:
    from pulumi_kuberay.preview import UNKNOWN_TAG

    unknown = [(obj, obj.unknown_paths) for obj in result.objects() if obj.unknown_paths]
    if not unknown:
        return
    print(f"\nKnown only after deploy (tagged {UNKNOWN_TAG} in manifests):", file=out)
    for obj, paths in unknown:
        print(f"    {obj.resource.type} {obj.resource.name}: {', '.join(paths)}", file=out)


def _print_not_rendered(result: PreviewResult, out: TextIO) -> None:
    skipped = result.not_rendered()
    if not skipped:
        return
    print("\nNo manifests for (their objects are not visible offline):", file=out)
    for resource in skipped:
        print(f"    {resource.type} {resource.name}: {resource.role.value}", file=out)


def _config_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


COMMAND = Command(
    name="preview",
    help="Run a Pulumi program offline under mocks: resource tree and Kubernetes manifests.",
    register=register,
)
