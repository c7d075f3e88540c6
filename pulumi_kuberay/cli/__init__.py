"""The ``pulumi-kuberay`` command line: one module per subcommand, listed in :mod:`.main`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NamedTuple

__all__ = ["Command", "Handler"]

Handler = Callable[[argparse.Namespace], int]
"""Runs a parsed subcommand; returns the process exit status."""


class Command(NamedTuple):
    """A subcommand: its name, a one-line help, and a function that adds its arguments to
    its (sub)parser and returns the handler that runs it."""

    name: str
    help: str
    register: Callable[[argparse.ArgumentParser], Handler]
