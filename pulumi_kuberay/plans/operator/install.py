"""Decisions and rendering for an operator install: chart version, image tag, layered values,
capabilities. Pure: the ``KubeRayOperator`` component only calls :func:`plan_operator_install`
and creates resources from the plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_kuberay.errors import ValidationError
from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.merging import deep_merge
from pulumi_kuberay.models.operator_chart.rules import (
    check_operator_values,
    feature_gate_entries,
    leaves,
    lookup,
    plain_str_list,
)
from pulumi_kuberay.models.operator_chart.values import OperatorValues
from pulumi_kuberay.plans.operator.advice import Advice, operator_values_advice
from pulumi_kuberay.plans.operator.args import OperatorArgs
from pulumi_kuberay.versions import (
    DEFAULT_OPERATOR_VERSION,
    OLDEST_SUPPORTED_OPERATOR_VERSION,
    parse_version,
)


def decide_chart_version(version: str | None) -> str:
    """The chart version to install: ``version`` without a leading ``v``, else the default."""
    chosen = (version or DEFAULT_OPERATOR_VERSION).strip()
    chosen = chosen[1:] if chosen[:1] in ("v", "V") else chosen
    try:
        parse_version(chosen)
    except ValueError:
        raise ValidationError(
            f"version: {version!r} is not a chart version (expected MAJOR.MINOR.PATCH such as "
            f"{DEFAULT_OPERATOR_VERSION})"
        ) from None
    if parse_version(chosen) < parse_version(OLDEST_SUPPORTED_OPERATOR_VERSION):
        raise ValidationError(
            f"version: KubeRay {chosen} is older than {OLDEST_SUPPORTED_OPERATOR_VERSION}, the "
            f"oldest release this library supports; use version={DEFAULT_OPERATOR_VERSION!r} or "
            "another supported release"
        )
    return chosen


def decide_image_tag(chart_version: str) -> str:
    """The operator image tag for a chart version: the chart's own convention, ``v<version>``."""
    return f"v{chart_version}"


def decide_operator_version(chart_version: str, values: Mapping[str, Any]) -> str:
    """The operator release that will run: the image tag's version when it is one, else the
    chart's. Feature gates and batch schedulers are checked against the binary that parses them.
    """
    tag = lookup(values, "image", "tag")
    if isinstance(tag, str):
        try:
            parse_version(tag)
        except ValueError:
            return chart_version
        return tag.strip().lstrip("vV")
    return chart_version


def ergonomic_values(args: OperatorArgs) -> list[tuple[str, dict[str, Any]]]:
    """Each shortcut argument that was given, as (argument name, chart values it stands for).

    ``feature_gates`` renders only the gates named: the chart's list is replaced (Helm replaces
    lists), and gates not named keep the operator release's defaults, as with the chart's list.
    """
    pieces: list[tuple[str, dict[str, Any]]] = []
    if args.feature_gates is not None:
        gates = [{"name": name, "enabled": on} for name, on in args.feature_gates.items()]
        pieces.append(("feature_gates", {"featureGates": gates}))
    if args.watch_namespaces is not None:
        pieces.append(("watch_namespaces", {"watchNamespace": list(args.watch_namespaces)}))
    if args.single_namespace:
        pieces.append(("single_namespace", {"singleNamespaceInstall": True}))
    if args.batch_scheduler is not None:
        pieces.append(("batch_scheduler", {"batchScheduler": {"name": args.batch_scheduler}}))
    if args.leader_election is not None:
        pieces.append(("leader_election", {"leaderElectionEnabled": args.leader_election}))
    if args.reconcile_concurrency is not None:
        concurrency = {"reconcileConcurrency": args.reconcile_concurrency}
        pieces.append(("reconcile_concurrency", concurrency))
    if args.resources is not None:
        pieces.append(("resources", {"resources": dict(args.resources)}))
    if isinstance(args.metrics, bool):
        pieces.append(("metrics", {"metrics": {"enabled": args.metrics}}))
    elif args.metrics is not None:
        pieces.append(("metrics", {"metrics": dict(args.metrics)}))
    return pieces


def value_conflicts(
    typed: Mapping[str, Any], pieces: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[str]:
    """Keys set both by a shortcut argument and by ``values``, to different values."""
    typed_leaves = dict(leaves(typed))
    problems = []
    for argument, piece in pieces:
        for path, value in leaves(piece):
            if path in typed_leaves and typed_leaves[path] != value:
                problems.append(
                    f"{'.'.join(path)}: set to {value!r} by {argument}= and to "
                    f"{typed_leaves[path]!r} by values; set it in one place"
                )
    return problems


def render_operator_values(
    *,
    chart_version: str,
    values: OperatorValues | Mapping[str, Any] | None = None,
    shortcuts: Sequence[tuple[str, Mapping[str, Any]]] = (),
    raw_values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The values given to the chart, layered like Helm: the image tag for ``chart_version``,
    then the typed ``values``, then the ``shortcuts`` (from :func:`ergonomic_values`), then
    ``raw_values``, the unchecked escape hatch, merged last.

    Raises :class:`pulumi_kuberay.ValidationError` listing every problem.
    """
    typed = (
        values if isinstance(values, OperatorValues) else OperatorValues.from_values(values or {})
    )
    typed_dump = typed.to_values()
    pieces = list(shortcuts)
    problems = value_conflicts(typed_dump, pieces)
    layered = deep_merge({"image": {"tag": decide_image_tag(chart_version)}}, typed_dump)
    for _, piece in pieces:
        layered = deep_merge(layered, piece)
    try:
        OperatorValues.from_values(layered)
    except ValidationError as exc:
        problems += exc.problems
    final = deep_merge(layered, raw_values or {})
    operator_version = decide_operator_version(chart_version, final)
    problems += check_operator_values(final, operator_version=operator_version)
    problems = list(dict.fromkeys(problems))
    if problems:
        raise ValidationError(problems)
    return final


def operator_capabilities(
    values: Mapping[str, Any], *, operator_version: str, operator_namespace: str | None
) -> OperatorCapabilities:
    """What an operator installed with ``values`` can do, as validation of custom resources needs.

    Watched namespaces follow the chart: ``watchNamespace`` when non-empty; else, with
    ``singleNamespaceInstall``, the operator's own namespace (``None``, meaning unchecked, when
    that namespace is not a plain string); else ``None`` for every namespace. The batch
    scheduler is ``batchScheduler.name`` (``enabled: true`` means volcano; ``default`` means none).
    """
    watched = plain_str_list(lookup(values, "watchNamespace"))
    watch_namespaces: list[str] | None
    if watched:
        watch_namespaces = watched
    elif lookup(values, "singleNamespaceInstall") is True and operator_namespace:
        watch_namespaces = [operator_namespace]
    else:
        watch_namespaces = None
    name = lookup(values, "batchScheduler", "name")
    scheduler: str | None = None
    if isinstance(name, str) and name and name != "default":
        scheduler = name
    elif lookup(values, "batchScheduler", "enabled") is True:
        scheduler = "volcano"
    return OperatorCapabilities(
        version=operator_version,
        feature_gates=dict(feature_gate_entries(values) or []),
        watch_namespaces=watch_namespaces,
        batch_scheduler=scheduler,
    )


@dataclass(frozen=True)
class OperatorInstallPlan:
    """Everything the ``KubeRayOperator`` component needs, decided before any resource exists."""

    chart_version: str
    operator_version: str
    values: dict[str, Any]
    capabilities: OperatorCapabilities
    advice: list[Advice] = field(default_factory=list)


def plan_operator_install(
    args: OperatorArgs, *, operator_namespace: str | None = None
) -> OperatorInstallPlan:
    """Decide chart version, values, capabilities and advice for an operator install.

    ``operator_namespace`` is the namespace the chart goes to when it is a plain string
    (``None`` when it is only known at deploy time). Raises
    :class:`pulumi_kuberay.ValidationError` listing every problem.
    """
    chart_version = decide_chart_version(args.version)
    rendered = render_operator_values(
        chart_version=chart_version,
        values=args.values,
        shortcuts=ergonomic_values(args),
        raw_values=args.raw_values,
    )
    operator_version = decide_operator_version(chart_version, rendered)
    return OperatorInstallPlan(
        chart_version=chart_version,
        operator_version=operator_version,
        values=rendered,
        capabilities=operator_capabilities(
            rendered, operator_version=operator_version, operator_namespace=operator_namespace
        ),
        advice=operator_values_advice(
            rendered, chart_version=chart_version, operator_namespace=operator_namespace
        ),
    )
