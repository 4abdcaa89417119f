"""``corpus stats PATH``: what each stage kept and removed, and why (pyarrow only, no Spark)."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.cli.stats_languages import (
    add_skew_arguments,
    format_by_language,
    format_flags,
    format_language_funnel,
    skew_rule,
)
from pipeline.config import ConfigError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "stats",
        help="summarise stage outputs (no Spark)",
        description="Per stage: documents, characters, languages, sources, removals by step "
        "and reason, score quantiles, PII counts, duplicate cluster sizes.",
    )
    p.add_argument("path", help="a stage output directory or a run directory holding several")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--by-language",
        action="store_true",
        help="only the table of kept documents per language and stage, and the flagged steps",
    )
    add_skew_arguments(p)
    p.set_defaults(handler=handle)


def _top(counts: dict[str, int], status: str = "kept", n: int = 12) -> str:
    items = [(k.rsplit("/", 1)[0], v) for k, v in counts.items() if k.endswith(f"/{status}")]
    return ", ".join(f"{k}={v}" for k, v in sorted(items, key=lambda kv: -kv[1])[:n]) or "-"


def format_text(report: dict) -> str:
    lines = ["stage      in         kept       removed"]
    for f in report["funnel"]:
        lines.append(f"{f['stage']:<10} {f['in']:<10} {f['kept']:<10} {f['removed']}")
    lines += ["", *format_flags(report)]
    for name, s in report["stages"].items():
        if "rows" not in s:  # token shards, not documents
            lines += [
                "",
                f"== {name}  ({s['path']})",
                f"token shards: {s.get('n_docs', 0)} documents, {s.get('n_tokens', 0)} tokens, "
                f"sources: {', '.join(sorted(s.get('sources', {}))) or '-'}",
            ]
            continue
        lines += [
            "",
            f"== {name}  ({s['path']}){'' if s.get('published') else '  [NOT PUBLISHED: scanned files]'}",
            f"documents: {s.get('rows', 0)}  kept: {s.get('kept', 0)}  removed: {s.get('removed', 0)}  "
            f"kept characters: {s.get('kept_chars', 0)}  accounting: {'ok' if s.get('accounting_ok') else 'MISMATCH'}",
            f"kept by language: {_top(s.get('by_language', {}))}",
            f"kept by source:   {_top(s.get('by_source', {}))}",
            *format_language_funnel(s.get("language_funnel", {})),
        ]
        reasons = sorted(s.get("removed_by_reason", {}).items(), key=lambda kv: -kv[1])
        if reasons:
            lines.append("removed by step/reason:")
            lines += [f"  {k:<45} {v}" for k, v in reasons]
        for col, groups in s.get("quantiles", {}).items():
            q = groups.get("all/kept")
            if q:
                lines.append(f"{col} (kept) quantiles: " + " ".join(f"{k}={v:g}" for k, v in q.items()))
        pii = {k: v for k, v in s.get("pii", {}).items() if v["detections"]}
        if pii:
            lines.append("PII redacted (type: redactions in documents; in kept documents):")
            lines += [
                f"  {k:<6} {v['detections']} in {v['documents']}; kept {v['kept_detections']}" for k, v in pii.items()
            ]
        sizes = s.get("histograms", {}).get("dup_cluster_size", {})
        if sizes:
            lines.append(
                "duplicate cluster sizes (documents): "
                + ", ".join(f"{k}:{v}" for k, v in sorted(sizes.items(), key=lambda kv: int(kv[0])))
            )
        bad = {f: v["outcome"] for f, v in s.get("input_files", {}).items() if v.get("outcome") != "ok"}
        if bad:
            lines.append(f"input files with problems: {len(bad)}")
            lines += [f"  {o:<9} {f}" for f, o in sorted(bad.items())]
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> int:
    from pipeline.inspect import collect

    try:
        rule = skew_rule(args)
        report = collect(args.path, rule)
    except ConfigError as exc:
        print(f"corpus stats: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not report["stages"]:
        print(f"no stage outputs under {args.path}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(format_by_language(report) if args.by_language else format_text(report))
    return 0
