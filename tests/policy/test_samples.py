"""``lint`` over every KubeRay sample: no crash, a finding summary, and no mandatory violation
for the samples the operator accepts."""

from __future__ import annotations

from collections import Counter

import pytest

from pulumi_kuberay.policy.adapters.lint_files import lint_sources, load_inputs
from pulumi_kuberay.policy.engine import PolicyConfig
from pulumi_kuberay.spec import validate_manifest
from tests.conformance.crd_schema import require_shared_kuberay


def test_lint_over_every_sample(capsys: pytest.CaptureFixture[str]) -> None:
    samples = require_shared_kuberay() / "samples"

    report = lint_sources(load_inputs([str(samples)]), PolicyConfig())

    crashed = [f for f in report.findings if "could not check this object" in f.message]
    assert crashed == []
    assert len(report.objects) > 50

    accepted_but_blocked = [
        (obj.source.name, str(obj.object), f.message)
        for obj in report.objects
        if validate_manifest(obj.document.data) == []
        for f in obj.findings
        if f.blocking
    ]
    assert accepted_but_blocked == []

    by_rule = Counter(f.rule_id for f in report.findings)
    clean = sum(1 for obj in report.objects if not obj.findings)
    with capsys.disabled():
        print(
            f"\nlint over {len(report.sources)} sample files: {len(report.objects)} Ray objects, "
            f"{clean} without findings, {len(report.blocking)} mandatory violations"
        )
        for rule_id, count in by_rule.most_common():
            print(f"    {count:4}  {rule_id}")


def test_fix_over_every_sample_changes_only_what_the_fixes_change() -> None:
    from pulumi_kuberay.policy.adapters.lint_files import apply_fixes
    from pulumi_kuberay.policy.engine import fix_manifest

    samples = require_shared_kuberay() / "samples"
    sources = load_inputs([str(samples)])

    fixed_sources, fixed, writes = apply_fixes(sources, PolicyConfig())

    assert fixed  # the samples set CPU limits, leave the head schedulable, ...
    for before, after in zip(sources, fixed_sources, strict=True):
        expected = [
            fix_manifest(d.data)[0] if isinstance(d.data, dict) else d.data
            for d in before.documents
        ]
        assert [d.data for d in after.documents] == expected, before.name
        assert (before.path in writes) == (after.text != before.text)
    # Re-linting the fixed text finds nothing a fix could still change.
    report = lint_sources(fixed_sources, PolicyConfig())
    assert [f for f in report.findings if f.fixable] == []
