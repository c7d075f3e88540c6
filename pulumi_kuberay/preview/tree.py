"""Print the recorded resource graph the way ``pulumi preview`` lays it out: a tree of type
and name, children under their parent, the stack at the root.
See https://www.pulumi.com/docs/iac/cli/commands/pulumi_preview/.
"""

from __future__ import annotations

from collections import defaultdict

from pulumi_kuberay.preview.kubernetes import ResourceRole
from pulumi_kuberay.preview.model import PreviewResource, PreviewResult

__all__ = ["render_tree", "summary_line"]

_NOTES = {
    ResourceRole.RENDERED_AT_DEPLOY: "objects rendered by the provider at deploy, not shown",
    ResourceRole.KUBERNETES_PATCH: "patch, not written",
    ResourceRole.READ: "read, not written",
}


def render_tree(result: PreviewResult) -> str:
    """The resource tree plus a summary line (``N resources, M Kubernetes objects``)."""
    known_urns = {r.urn for r in result.resources}
    children: dict[str, list[PreviewResource]] = defaultdict(list)
    for resource in result.resources:
        # A parent that is not a recorded resource is the stack (or something outside the run).
        parent = resource.parent_urn if resource.parent_urn in known_urns else result.stack_urn
        children[parent].append(resource)

    rows: list[tuple[str, str, str]] = [
        ("pulumi:pulumi:Stack", f"{result.project}-{result.stack}", "")
    ]

    def walk(parent_urn: str, indent: str) -> None:
        siblings = children.get(parent_urn, [])
        for index, resource in enumerate(siblings):
            last = index == len(siblings) - 1
            branch = "└─ " if last else "├─ "
            rows.append((indent + branch + resource.type, resource.name, _note(resource)))
            walk(resource.urn, indent + ("   " if last else "│  "))

    walk(result.stack_urn, "")
    type_width = max(len(row[0]) for row in rows) + 2
    name_width = max(len(row[1]) for row in rows) + 2
    lines = [
        f"{'Type':<{type_width}}{'Name':<{name_width}}Info".rstrip(),
        *(
            f"{type_:<{type_width}}{name:<{name_width}}{note}".rstrip()
            for type_, name, note in rows
        ),
        "",
        summary_line(result),
    ]
    return "\n".join(lines) + "\n"


def summary_line(result: PreviewResult) -> str:
    """``N resources, M Kubernetes objects`` (the implicit stack resource is not counted)."""
    resources = len(result.resources)
    objects = len(result.objects())
    return (
        f"{resources} resource{'' if resources == 1 else 's'}, "
        f"{objects} Kubernetes object{'' if objects == 1 else 's'}"
    )


def _note(resource: PreviewResource) -> str:
    note = _NOTES.get(resource.role, "")
    if resource.transforms:
        note = "; ".join(filter(None, [note, "transforms not run offline"]))
    return f"({note})" if note else ""
