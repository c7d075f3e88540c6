"""``pulumi-kuberay lint``: the policy catalogue over YAML files, folders and stdin.

Each file is parsed once, keeping the YAML node tree so that findings point at a line and
``--fix`` can rewrite only the documents it changes (comments and other documents stay as
written). Input that cannot be read fails the whole run before anything is written.
"""

from __future__ import annotations

import gc
import json
import shutil
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from pulumi_kuberay.policy.engine import PolicyConfig, check_manifests, fix_manifest
from pulumi_kuberay.policy.model import Finding, Manifest, ObjectRef, is_ray_object
from pulumi_kuberay.policy.paths import segments

__all__ = [
    "STDIN",
    "Document",
    "FixedDocument",
    "InputError",
    "LintReport",
    "Source",
    "apply_fixes",
    "format_json",
    "format_table",
    "lint_sources",
    "load_inputs",
    "parse_source",
]

STDIN = "-"
YAML_SUFFIXES = (".yaml", ".yml")

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KubeYamlLoader(_Base):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader (C-accelerated when available) without timestamp resolution:
    Kubernetes (sigs.k8s.io/yaml) keeps ``2024-01-01T00:00:00Z`` a string."""


KubeYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class InputError(Exception):
    """Input that cannot be linted: a missing path, unreadable bytes, invalid YAML."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass
class Document:
    """One YAML document of a source: its data and where it is in the text."""

    index: int
    data: Any
    node: yaml.Node

    @property
    def line(self) -> int:
        """1-based line where the document's content starts."""
        return int(self.node.start_mark.line) + 1

    @property
    def manifest(self) -> Manifest | None:
        return self.data if isinstance(self.data, dict) else None

    def line_of(self, path: str) -> int:
        """The line of the deepest node ``path`` reaches (the document's line if none)."""
        node = self.node
        for step in segments(path):
            found = _child(node, step)
            if found is None:
                break
            node = found
        return int(node.start_mark.line) + 1


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None


@dataclass
class Source:
    """A file (or stdin) and its documents."""

    name: str
    path: Path | None
    text: str
    documents: list[Document]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector. Lint keeps every document's node tree (for lines and
    ``--fix``); those trees are large and acyclic, so refcounting frees them, but with the
    collector running each collection walks them all and linting takes 2-3x longer."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def parse_source(name: str, text: str, path: Path | None = None) -> Source:
    """Parse every document of ``text``; :class:`InputError` names the file and line."""
    with gc_paused():
        return _parse(name, text, path)


def _parse(name: str, text: str, path: Path | None) -> Source:
    loader = KubeYamlLoader(text)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            documents.append(Document(len(documents), loader.construct_document(node), node))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError([f"{name}{where}: not valid YAML ({problem})"]) from None
    finally:
        loader.dispose()
    return Source(name, path, text, documents)


def _expand(argument: str) -> Iterator[Path]:
    path = Path(argument)
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    else:
        yield path


def load_inputs(arguments: Sequence[str], stdin: TextIO | None = None) -> list[Source]:
    """Files, folders (every ``*.yaml``/``*.yml`` below, recursively) and ``-`` for stdin.

    Reads everything first and raises one :class:`InputError` listing every problem, so that
    nothing is checked (or written) when any input is unreadable.
    """
    sources: list[Source] = []
    problems: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            try:
                sources.append(parse_source("<stdin>", (stdin or sys.stdin).read()))
            except InputError as exc:
                problems += exc.problems
            continue
        if not Path(argument).exists():
            problems.append(f"{argument}: no such file or directory")
            continue
        for path in _expand(argument):
            try:
                text = path.read_text(encoding="utf-8")
                sources.append(parse_source(str(path), text, path))
            except UnicodeDecodeError:
                problems.append(f"{path}: not UTF-8 text")
            except OSError as exc:
                problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
            except InputError as exc:
                problems += exc.problems
    if problems:
        raise InputError(problems)
    return sources


@dataclass
class LintedObject:
    """A Ray object of a source, with its findings."""

    source: Source
    document: Document
    findings: list[Finding]

    @property
    def object(self) -> ObjectRef:
        return ObjectRef.of(self.document.data)


@dataclass
class FixedDocument:
    source: str
    document: int
    object: ObjectRef
    rules: list[str]


@dataclass
class LintReport:
    """What a lint run found, per Ray object (in input order)."""

    sources: list[Source]
    objects: list[LintedObject]
    fixed: list[FixedDocument] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [finding for obj in self.objects for finding in obj.findings]

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def exit_code(self) -> int:
        """0 when no mandatory violation remains, 1 otherwise."""
        return 1 if self.blocking else 0


def lint_sources(sources: Sequence[Source], config: PolicyConfig) -> LintReport:
    """Check every Ray object of ``sources``; the stack rule sees all inputs at once."""
    with gc_paused():
        return _lint(sources, config)


def _lint(sources: Sequence[Source], config: PolicyConfig) -> LintReport:
    entries = [
        (source, document)
        for source in sources
        for document in source.documents
        if document.manifest is not None
    ]
    results = check_manifests([document.data for _, document in entries], config)
    objects = [
        LintedObject(source, document, findings)
        for (source, document), findings in zip(entries, results, strict=True)
        if is_ray_object(document.data) or findings
    ]
    return LintReport(list(sources), objects)


# --- --fix ---------------------------------------------------------------------------------


class _FixDumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, multi-line strings as ``|`` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FixDumper.add_representer(str, _represent_str)


def dump_document(data: Any) -> str:
    return yaml.dump(data, Dumper=_FixDumper, sort_keys=False, allow_unicode=True, width=4096)


def _content_end(text: str, node: yaml.Node) -> int:
    """Where a document's content ends: after the line of its last value (so trailing comments
    and blank lines before the next document stay where they are)."""
    leaf = node
    while isinstance(leaf, (yaml.MappingNode, yaml.SequenceNode)) and leaf.value:
        last = leaf.value[-1]
        leaf = last[1] if isinstance(leaf, yaml.MappingNode) else last
    end = int(leaf.end_mark.index)
    if end > 0 and text[end - 1] == "\n":
        return end
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def rewrite(source: Source, replacements: Mapping[int, Any]) -> str:
    """``source``'s text with the given documents replaced, everything else kept verbatim."""
    text = source.text
    for document in sorted(source.documents, key=lambda d: -d.node.start_mark.index):
        if document.index not in replacements:
            continue
        start = int(document.node.start_mark.index)
        end = _content_end(text, document.node)
        text = text[:start] + dump_document(replacements[document.index]) + text[end:]
    expected = [replacements.get(d.index, d.data) for d in source.documents]
    if [d.data for d in parse_source(source.name, text).documents] != expected:
        # The surgical edit did not round-trip (an unusual layout): write every document anew.
        text = "---\n".join(dump_document(data) for data in expected)
    return text


def apply_fixes(
    sources: Sequence[Source], config: PolicyConfig
) -> tuple[list[Source], list[FixedDocument], dict[Path, str]]:
    """Every source with the remediations applied (re-parsed), what was fixed, and the new text
    of each file that changed (for the caller to write)."""
    fixed_sources: list[Source] = []
    fixed: list[FixedDocument] = []
    writes: dict[Path, str] = {}
    for source in sources:
        replacements: dict[int, Any] = {}
        for document in source.documents:
            manifest = document.manifest
            if manifest is None or not is_ray_object(manifest):
                continue
            new, rules = fix_manifest(manifest, config)
            if rules:
                replacements[document.index] = new
                fixed.append(
                    FixedDocument(source.name, document.index, ObjectRef.of(manifest), rules)
                )
        if not replacements:
            fixed_sources.append(source)
            continue
        text = rewrite(source, replacements)
        fixed_sources.append(parse_source(source.name, text, source.path))
        if source.path is not None:
            writes[source.path] = text
    return fixed_sources, fixed, writes


# --- output --------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: LintReport) -> str:
    findings = report.findings
    mandatory = len(report.blocking)
    fixable = sum(1 for f in findings if f.fixable)
    files = len({obj.source.name for obj in report.objects})
    parts = [
        f"{_plural(len(report.objects), 'Ray object')} in {_plural(files, 'file')}",
        f"{_plural(mandatory, 'mandatory violation')}",
        f"{_plural(len(findings) - mandatory, 'advisory finding')}",
    ]
    line = ", ".join(parts)
    if fixable:
        line += f" ({fixable} fixable with --fix)"
    return line


def format_table(report: LintReport, width: int | None = None) -> str:
    """Findings grouped by file and object, one row per finding, then a summary line."""
    width = width or max(80, shutil.get_terminal_size((100, 24)).columns)
    lines: list[str] = []
    if report.fixed:
        lines.append("Fixed:")
        for item in report.fixed:
            lines.append(f"  {item.source}: {item.object}: {', '.join(item.rules)}")
        lines.append("")
    current = None
    for obj in report.objects:
        if not obj.findings:
            continue
        if obj.source.name != current:
            if current is not None:
                lines.append("")
            current = obj.source.name
            lines.append(current)
        lines.append(
            f"  {obj.object}  (document {obj.document.index + 1}, line {obj.document.line})"
        )
        for finding in obj.findings:
            level = "MANDATORY" if finding.blocking else finding.enforcement.value
            fix = "  (fixable)" if finding.fixable else ""
            lines.append(
                f"    line {obj.document.line_of(finding.path):<5} {level:<9}  "
                f"{finding.severity.value:<8}  {finding.rule_id}{fix}"
            )
            lines += textwrap.wrap(
                finding.message,
                width=width,
                initial_indent=" " * 6,
                subsequent_indent=" " * 8,
                break_long_words=False,
                break_on_hyphens=False,
            )
    if lines and lines[-1] != "":
        lines.append("")
    if not report.findings:
        lines.append(f"No findings. {summary_line(report)}.")
    else:
        lines.append(summary_line(report) + ".")
    return "\n".join(lines) + "\n"


def finding_records(report: LintReport) -> Iterator[dict[str, Any]]:
    for obj in report.objects:
        for finding in obj.findings:
            yield {
                "file": obj.source.name,
                "document": obj.document.index,
                "line": obj.document.line_of(finding.path),
                **finding.to_dict(),
            }


def format_json(report: LintReport) -> str:
    data = {
        "findings": list(finding_records(report)),
        "fixed": [
            {
                "file": item.source,
                "document": item.document,
                "object": str(item.object),
                "rules": item.rules,
            }
            for item in report.fixed
        ],
        "summary": {
            "files": len(report.sources),
            "objects": len(report.objects),
            "mandatory": len(report.blocking),
            "advisory": len(report.findings) - len(report.blocking),
            "fixable": sum(1 for f in report.findings if f.fixable),
        },
    }
    return json.dumps(data, indent=2) + "\n"


def lint_texts(texts: Iterable[tuple[str, str]], config: PolicyConfig) -> LintReport:
    """Lint in-memory YAML texts (``(name, text)`` pairs), e.g. for tests and the benchmark."""
    return lint_sources([parse_source(name, text) for name, text in texts], config)
