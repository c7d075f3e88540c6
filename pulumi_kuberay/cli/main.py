"""``pulumi-kuberay``: entry point of the console script (``pulumi-kuberay = ...main:main``).

Subcommands live in their own modules and are listed once in :data:`COMMANDS`; adding one is
one line there. Command modules import heavy dependencies (Pulumi, policies) only when they
run, so ``--version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pulumi_kuberay.cli import Command, lint_command, preview_command
from pulumi_kuberay.versions import LIBRARY_VERSION

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: list[Command] = [
    preview_command.COMMAND,
    lint_command.COMMAND,
]


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every command of :data:`COMMANDS` registered."""
    parser = argparse.ArgumentParser(
        prog="pulumi-kuberay",
        description="Ray on Kubernetes with KubeRay: offline previews and checks.",
    )
    parser.add_argument("--version", action="version", version=f"pulumi-kuberay {LIBRARY_VERSION}")
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        sub = subcommands.add_parser(command.name, help=command.help, description=command.help)
        sub.set_defaults(handler=command.register(sub))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (argparse's own exits included)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # --version, --help and usage errors: report their status rather than exiting, so
        # callers (and tests) get an int like for every other outcome.
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    status: int = handler(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
