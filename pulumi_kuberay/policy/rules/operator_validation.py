"""What the KubeRay operator (or the API server) would reject: the spec layer's validation.

This rule adds no check of its own. It runs :func:`pulumi_kuberay.spec.validate_manifest`
(KubeRay 1.5 ``validation.go`` and the webhook) and turns each problem into a finding, so a
failed deploy shows up at ``pulumi preview`` and in ``lint``.
https://github.com/ray-project/kuberay/blob/v1.5.1/ray-operator/controllers/ray/utils/validation.go
"""

from __future__ import annotations

from collections.abc import Iterator

from pulumi_kuberay.policy.manifest_reading import has_unknowns, unknown_paths, without_unknowns
from pulumi_kuberay.policy.model import (
    Enforcement,
    Manifest,
    Rule,
    Setting,
    Settings,
    Severity,
    Violation,
)
from pulumi_kuberay.policy.paths import message_path, related
from pulumi_kuberay.policy.rules import docs
from pulumi_kuberay.policy.rules.start_params import non_string_start_params, quote_start_params
from pulumi_kuberay.spec import validate_manifest
from pulumi_kuberay.versions import DEFAULT_OPERATOR_VERSION


def check_operator_would_accept(manifest: Manifest, settings: Settings) -> Iterator[Violation]:
    # Non-string rayStartParams are ray-start-params-strings' findings (with a fix); validate
    # the quoted form so that the operator's other rules still run.
    quoted_paths = {path for path, _, _ in non_string_start_params(manifest)}
    subject = quote_start_params(manifest, settings) if quoted_paths else manifest
    unknown: list[str] = []
    if has_unknowns(subject):
        unknown = list(unknown_paths(subject))
        subject = without_unknowns(subject)
    version = settings["operatorVersion"] or None
    gates = settings["featureGates"] or None
    for problem in validate_manifest(subject, version, gates):
        path = message_path(problem)
        # A problem about a value only a deploy knows is no problem yet.
        if path and any(related(path, u) for u in unknown):
            continue
        text = problem[len(path) + 2 :] if path else problem
        yield Violation(path, text)


OPERATOR_WOULD_REJECT = Rule(
    id="operator-would-reject",
    severity=Severity.CRITICAL,
    description="The KubeRay operator (or the API server) would accept the object",
    reason=(
        "Runs the operator's own validation (KubeRay 1.5 validation.go and webhook, the CRD's "
        "types and enums, unknown fields the API server would silently drop) so that a deploy "
        "that would fail, or a field that would be dropped, fails the preview instead."
    ),
    url=docs.KUBERAY_VALIDATION,
    check=check_operator_would_accept,
    enforcement=Enforcement.MANDATORY,
    settings=(
        Setting(
            "operatorVersion",
            DEFAULT_OPERATOR_VERSION,
            {"type": "string"},
            "KubeRay operator release to validate against",
        ),
        Setting(
            "featureGates",
            {},
            {"type": "object", "additionalProperties": {"type": "boolean"}},
            "Feature gates changed from the release's defaults, e.g. "
            '{"RayJobDeletionPolicy": true}',
        ),
    ),
)

RULES = (OPERATOR_WOULD_REJECT,)
