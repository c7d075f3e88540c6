"""A griffe extension for the API reference: the code's docstrings use Sphinx roles
(``:class:`~pulumi_kuberay.ClusterArgs```); Markdown shows them as inline code instead."""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj):`~?([^`]+)`")


def _plain(match: re.Match[str]) -> str:
    target = match.group(1)
    return f"`{target.rsplit('.', 1)[-1]}`"


class RestRoles(griffe.Extension):
    """Rewrite Sphinx cross-reference roles into Markdown code spans."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_plain, obj.docstring.value)
