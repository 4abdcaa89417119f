"""The per-language part of ``corpus stats`` (and ``corpus report``): funnel tables, flags, options.

The numbers come from ``pipeline.funnel`` (counted from the written columns); this module only
formats them and turns the ``--skew-*`` options into a :class:`~pipeline.funnel.SkewRule`.
"""

from __future__ import annotations

import argparse
from typing import Any

from pipeline.config import ConfigError
from pipeline.funnel import NO_LANGUAGE, SkewRule, describe_flag

_DEFAULT = SkewRule()


def add_skew_arguments(p: argparse.ArgumentParser) -> None:
    """Options of the flag rule (defaults in ``pipeline.funnel.SkewRule``)."""
    p.add_argument(
        "--skew-ratio",
        type=float,
        default=_DEFAULT.min_ratio,
        help=f"flag a step whose removal rate for one language is >= this multiple of its rate for the "
        f"other languages (default {_DEFAULT.min_ratio:g})",
    )
    p.add_argument(
        "--skew-points",
        type=float,
        default=_DEFAULT.min_points,
        help=f"... and >= this many percentage points above it (default {_DEFAULT.min_points:g})",
    )
    p.add_argument(
        "--skew-min-docs",
        type=int,
        default=_DEFAULT.min_docs,
        help=f"... counting only languages with >= this many documents reaching the step (default {_DEFAULT.min_docs})",
    )
    p.add_argument(
        "--skew-min-removed",
        type=int,
        default=_DEFAULT.min_removed,
        help=f"... and >= this many of them removed (default {_DEFAULT.min_removed})",
    )
    p.add_argument(
        "--sweep-rate",
        type=float,
        default=_DEFAULT.max_rate,
        help=f"also flag a step that removes >= this share of one language (default {_DEFAULT.max_rate:g})",
    )


def skew_rule(args: argparse.Namespace) -> SkewRule:
    """The rule from the options; a bad value is a ConfigError naming the option."""
    checks = [
        ("--skew-ratio", args.skew_ratio, args.skew_ratio >= 1, "a number >= 1"),
        ("--skew-points", args.skew_points, 0 <= args.skew_points <= 100, "a number in [0, 100]"),
        ("--skew-min-docs", args.skew_min_docs, args.skew_min_docs >= 1, "an integer >= 1"),
        ("--skew-min-removed", args.skew_min_removed, args.skew_min_removed >= 1, "an integer >= 1"),
        ("--sweep-rate", args.sweep_rate, 0 < args.sweep_rate <= 1, "a number in (0, 1]"),
    ]
    for name, value, ok, valid in checks:
        if not ok:
            raise ConfigError(f"{name}={value}: must be {valid}")
    return SkewRule(args.skew_ratio, args.skew_points, args.skew_min_docs, args.skew_min_removed, args.sweep_rate)


def format_flags(report: dict[str, Any]) -> list[str]:
    flags = report.get("language_flags", [])
    if not flags:
        return ["language skew: no step flagged"]
    return [
        f"LANGUAGE SKEW: {len(flags)} step(s) remove one language far more than the others, or nearly all of it"
    ] + [f"  {describe_flag(f)}" for f in flags]


def format_language_funnel(funnel: dict[str, Any]) -> list[str]:
    """Per language: in / kept / removed and removals by step/reason (a stage's section)."""
    languages = funnel.get("languages", {})
    if not languages:
        return []
    lines = ["per language:     in       kept     removed  removed by step/reason"]
    for lang, row in languages.items():
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(row["removed_by_reason"].items(), key=lambda kv: -kv[1]))
        label = "(none)" if lang == NO_LANGUAGE else lang
        lines.append(f"  {label:<14} {row['in']:<8} {row['kept']:<8} {row['removed']:<8} {reasons or '-'}")
    return lines


def format_by_language(report: dict[str, Any]) -> str:
    """Kept documents per language (rows) and stage (columns), then the flagged steps."""
    stages = [n for n, s in report["stages"].items() if s.get("language_funnel", {}).get("languages")]
    langs: list[str] = []
    for name in reversed(stages):  # languages of the latest stages first, as they matter most
        langs += [lang for lang in report["stages"][name]["language_funnel"]["languages"] if lang not in langs]
    langs = [lang for lang in langs if lang != NO_LANGUAGE] + ([NO_LANGUAGE] if NO_LANGUAGE in langs else [])
    width = max([10] + [len(s) + 2 for s in stages])
    lines = [
        "kept documents per language and stage (kept/in; (none): not language-identified yet)",
        "language".ljust(12) + "".join(s.rjust(width) for s in stages),
    ]
    for lang in langs:
        cells = []
        for name in stages:
            row = report["stages"][name]["language_funnel"]["languages"].get(lang)
            cells.append((f"{row['kept']}/{row['in']}" if row else "-").rjust(width))
        lines.append(("(none)" if lang == NO_LANGUAGE else lang).ljust(12) + "".join(cells))
    return "\n".join(lines + ["", *format_flags(report)])
