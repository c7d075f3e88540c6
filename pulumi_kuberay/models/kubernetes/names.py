"""Kubernetes name and label syntax, as ``k8s.io/apimachinery/pkg/util/validation`` checks it.

https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
"""

from __future__ import annotations

import re

_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")


def dns1035_label_problems(name: str) -> list[str]:
    """Why ``name`` is not a DNS-1035 label (lowercase, starts with a letter, <= 63)."""
    problems = []
    if len(name) > 63:
        problems.append("must be no more than 63 characters")
    if not _DNS1035.match(name):
        problems.append(
            "must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character (e.g. 'my-name')"
        )
    return problems


def dns1123_subdomain_problems(name: str) -> list[str]:
    """Why ``name`` is not a DNS-1123 subdomain (lowercase, '-' and '.', <= 253), the syntax of
    most object names."""
    if len(name) > 253:
        return ["must be no more than 253 characters"]
    if not _DNS1123_SUBDOMAIN.match(name):
        return [
            "must consist of lower case alphanumeric characters, '-' or '.', and must start and "
            "end with an alphanumeric character (e.g. 'team-a')"
        ]
    return []


def qualified_name_problems(key: str) -> list[str]:
    """Why ``key`` is not a qualified name (``[prefix/]name``), as label keys must be."""
    prefix, _, name = key.rpartition("/")
    problems = []
    if "/" in key and not prefix:
        problems.append("prefix part must be non-empty")
    if prefix and (len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        problems.append("prefix part must be a lowercase DNS-1123 subdomain (e.g. 'example.com')")
    if not name:
        problems.append("name part must be non-empty")
    elif len(name) > 63:
        problems.append("name part must be no more than 63 characters")
    elif not _QUALIFIED_NAME.match(name):
        problems.append(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
            "and end with an alphanumeric character"
        )
    return problems


def label_value_problems(value: str) -> list[str]:
    """Why ``value`` is not a valid label value (empty, or a qualified-name-like <= 63)."""
    if value == "":
        return []
    problems = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _QUALIFIED_NAME.match(value):
        problems.append(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character"
        )
    return problems


def resource_name_problems(kind: str, name: str | None, max_length: int) -> list[str]:
    """The operator's metadata check: a DNS-1035 label no longer than ``max_length``.

    KubeRay derives Service and Pod names from the object name, hence limits below 63
    (53 for RayCluster, 47 for RayJob and RayService).
    """
    if not name:
        return [f"metadata.name: a {kind} needs a name; set metadata.name"]
    problems = []
    if len(name) > max_length:
        problems.append(
            f"metadata.name: {kind} name {name!r} is {len(name)} characters; KubeRay allows at "
            f"most {max_length} because it derives Service and Pod names from it; shorten it"
        )
    problems += [
        f"metadata.name: {kind} name {name!r} is not a valid DNS-1035 label: {p}"
        for p in dns1035_label_problems(name)
        if not (p.startswith("must be no more") and len(name) > max_length)
    ]
    return problems
