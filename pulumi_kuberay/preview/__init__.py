"""Offline ``pulumi preview`` for Python programs: the resource graph and its Kubernetes objects.

Runs a Pulumi project under the SDK's mocks (no CLI, no cluster), records every resource the
program registers, and turns the Kubernetes ones back into manifests for review, policy checks
and ``lint``. Values that only exist after a real deploy are :data:`UNKNOWN`, never invented.
See https://www.pulumi.com/docs/iac/concepts/testing/unit/.

>>> result = run_program(Path("stacks/dev"))          # doctest: +SKIP
>>> print(render_tree(result))                        # doctest: +SKIP
>>> write_manifests(result, Path("out/dev"))          # doctest: +SKIP
"""

from pulumi_kuberay.models.unknown import UNKNOWN, Unknown, is_unknown, unknown_paths
from pulumi_kuberay.preview.errors import OutputDirError, PreviewError, ProjectError
from pulumi_kuberay.preview.kubernetes import ResourceRole
from pulumi_kuberay.preview.manifests import (
    UNKNOWN_TAG,
    dump_manifest,
    manifest_file_names,
    read_manifests,
    write_manifests,
)
from pulumi_kuberay.preview.model import (
    Diagnostic,
    KubernetesObject,
    PreviewResource,
    PreviewResult,
)
from pulumi_kuberay.preview.runner import run_program
from pulumi_kuberay.preview.tree import render_tree, summary_line

__all__ = [
    "UNKNOWN",
    "UNKNOWN_TAG",
    "Diagnostic",
    "KubernetesObject",
    "OutputDirError",
    "PreviewError",
    "PreviewResource",
    "PreviewResult",
    "ProjectError",
    "ResourceRole",
    "Unknown",
    "dump_manifest",
    "is_unknown",
    "manifest_file_names",
    "read_manifests",
    "render_tree",
    "run_program",
    "summary_line",
    "unknown_paths",
    "write_manifests",
]
