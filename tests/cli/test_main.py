"""The pulumi-kuberay entry point: version, help, subcommand wiring."""

from __future__ import annotations

import pytest

from pulumi_kuberay import __version__
from pulumi_kuberay.cli.main import COMMANDS, build_parser, main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"pulumi-kuberay {__version__}\n"


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "preview" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy"]) == 2
    assert "invalid choice: 'deploy'" in capsys.readouterr().err


def test_every_listed_command_is_registered_with_its_help() -> None:
    help_text = build_parser().format_help()

    for command in COMMANDS:
        assert command.name in help_text
        assert command.help.split()[0] in help_text
