"""Stack tests run each Pulumi project under the offline preview engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_kuberay.preview import PreviewResult, run_program

REPO_ROOT = Path(__file__).resolve().parents[2]
STACKS = REPO_ROOT / "stacks"


@pytest.fixture
def preview_stack() -> type[StackRunner]:
    return StackRunner


class StackRunner:
    """Runs a project directory (relative to the repo root) and returns its preview."""

    @staticmethod
    def run(relative: str, **config: str) -> PreviewResult:
        return run_program(REPO_ROOT / relative, stack="dev", config=config or None)
