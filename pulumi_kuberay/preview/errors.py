"""Errors raised by the offline preview engine."""

from __future__ import annotations


class PreviewError(Exception):
    """The program could not be previewed: it raised, logged an error, or wrote nothing.

    The message is short and meant for people (the program's own exception message, not a
    traceback); the original exception, if any, is chained as ``__cause__``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProjectError(PreviewError):
    """The directory is not a runnable Pulumi Python project, or its stack config is unusable.

    Raised before any program code runs, so it says nothing about the program itself.
    """


class OutputDirError(PreviewError):
    """The directory for manifests cannot be (re)placed: it holds files we did not write."""
