"""The one exception type users catch: every rule violation the library detects."""

from __future__ import annotations

from collections.abc import Iterable


class ValidationError(ValueError):
    """A manifest or component argument that KubeRay (or Kubernetes) would reject.

    ``problems`` holds one message per violation; each names the field, what is wrong and the
    fix. It subclasses :class:`ValueError` so plain ``except ValueError`` keeps working.
    """

    def __init__(self, problems: str | Iterable[str], *, subject: str | None = None) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.subject = subject
        head = f"{subject}: " if subject else ""
        if len(self.problems) == 1:
            message = head + self.problems[0]
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{head}{len(self.problems)} problems:\n{listed}"
        super().__init__(message)
