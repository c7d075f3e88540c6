"""``pulumi-kuberay lint``: the policy pack's rules over YAML, and the same rules under
``pulumi-kuberay preview`` (:func:`report_preview_findings`).

Exit status: 0 no mandatory violation; 1 a mandatory violation remains; 2 unreadable input or
configuration (a message names the file; nothing is written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pulumi_kuberay.cli import Command, Handler

if TYPE_CHECKING:
    from pulumi_kuberay.policy.engine import PolicyConfig
    from pulumi_kuberay.preview import PreviewResult

__all__ = [
    "COMMAND",
    "register",
    "report_preview_findings",
    "run",
]

FORMATS = ("table", "json", "sarif")


def register(parser: argparse.ArgumentParser) -> Handler:
    """Add ``lint``'s arguments to ``parser``; return its handler."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="YAML files, folders (every *.yaml/*.yml below) or - for standard input",
    )
    parser.add_argument(
        "--format", "-f", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="write the mechanical fixes back into the files (other documents are kept as is)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="policy configuration JSON, the format of pulumi's --policy-pack-config",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="print the rule catalogue and exit"
    )
    return run


def load_config(path: Path | None) -> PolicyConfig:
    from pulumi_kuberay.policy.engine import PolicyConfig

    if path is None:
        return PolicyConfig()
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of rule ids")
    try:
        return PolicyConfig.from_json(data)
    except ValueError as exc:
        raise ValueError("\n".join(f"{path}: {p}" for p in str(exc).splitlines())) from None


def _print_rules(out: TextIO) -> None:
    from pulumi_kuberay.policy.engine import describe_rules

    rules = describe_rules()
    width = max(len(rule["id"]) for rule in rules)
    for rule in rules:
        fix = " (fixable)" if rule["fixable"] else ""
        print(
            f"{rule['id']:<{width}}  {rule['severity']:<8}  {rule['enforcement']:<9}  "
            f"{rule['description']}{fix}",
            file=out,
        )


def run(args: argparse.Namespace, stdin: TextIO | None = None) -> int:
    """Lint the parsed ``args``; results to stdout, errors to stderr."""
    # Imported here so that `pulumi-kuberay --help` does not load the rules.
    from pulumi_kuberay.policy.adapters.lint_files import (
        STDIN,
        FixedDocument,
        InputError,
        apply_fixes,
        format_json,
        format_table,
        lint_sources,
        load_inputs,
    )
    from pulumi_kuberay.policy.adapters.sarif import format_sarif

    out = sys.stdout
    if args.list_rules:
        _print_rules(out)
        return 0
    if not args.paths:
        print("error: name at least one file, folder or - (stdin) to lint", file=sys.stderr)
        return 2
    if args.fix and STDIN in args.paths:
        print("error: --fix cannot write back to standard input; lint a file", file=sys.stderr)
        return 2
    try:
        config = load_config(args.config)
        sources = load_inputs(args.paths, stdin)
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except ValueError as exc:
        for problem in str(exc).splitlines():
            print(f"error: {problem}", file=sys.stderr)
        return 2

    fixed: list[FixedDocument] = []
    if args.fix:
        sources, fixed, writes = apply_fixes(sources, config)
        for path, text in writes.items():
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                print(f"error: {path}: cannot be written ({exc.strerror or exc})", file=sys.stderr)
                return 2
    report = lint_sources(sources, config)
    report.fixed = fixed
    if args.format == "json":
        out.write(format_json(report))
    elif args.format == "sarif":
        out.write(format_sarif(report))
        for item in fixed:
            print(f"fixed {item.source}: {item.object}: {', '.join(item.rules)}", file=sys.stderr)
    else:
        out.write(format_table(report))
    return report.exit_code


def report_preview_findings(
    result: PreviewResult, out: TextIO, config: PolicyConfig | None = None
) -> int:
    """The preview reporter: the policy pack's rules over the previewed Kubernetes objects.

    Values only a deploy knows are unknown and never flagged. A mandatory violation fails the
    preview (exit 1, nothing written), as it fails ``pulumi preview --policy-pack policies``.
    """
    from pulumi_kuberay.policy.engine import PolicyConfig, check_manifests
    from pulumi_kuberay.policy.manifest_reading import normalize
    from pulumi_kuberay.policy.model import is_ray_object
    from pulumi_kuberay.policy.node_pools import pool_record_manifest

    resources = [obj.resource for obj in result.objects()]
    manifests = [normalize(obj.manifest) for obj in result.objects()]
    # Node pool components are no Kubernetes objects, but the stack rules read their records.
    for resource in result.resources:
        record = pool_record_manifest(resource.type, resource.inputs)
        if record is not None:
            resources.append(resource)
            manifests.append(normalize(record))
    checked = sum(1 for manifest in manifests if is_ray_object(manifest))
    if not checked:
        return 0
    results = check_manifests(manifests, config or PolicyConfig())
    findings = [(res, f) for res, found in zip(resources, results, strict=True) for f in found]
    mandatory = sum(1 for _, finding in findings if finding.blocking)
    print(
        f"\nPolicies (kuberay-best-practices) over {checked} Ray object"
        f"{'' if checked == 1 else 's'}: {mandatory} mandatory, "
        f"{len(findings) - mandatory} advisory",
        file=out,
    )
    for resource, finding in findings:
        level = "MANDATORY" if finding.blocking else "advisory"
        print(
            f"    [{level}] {finding.rule_id} ({finding.severity.value}) "
            f"{resource.type} {resource.name}:",
            file=out,
        )
        print(f"        {finding.message}", file=out)
    if mandatory:
        print(
            "    Failing, as `pulumi preview --policy-pack policies` would: fix the mandatory "
            "violations (or lower their enforcement with --policy-config). No manifests written.",
            file=out,
        )
    return 1 if mandatory else 0


COMMAND = Command(
    name="lint",
    help="Check KubeRay YAML (RayCluster, RayJob, RayService) against the policy pack's rules.",
    register=register,
)
