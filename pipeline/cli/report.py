"""``corpus report PATH -o report.html``: one self-contained HTML page (pyarrow only, no Spark)."""

from __future__ import annotations

import argparse
import sys

from pipeline.cli.stats_languages import add_skew_arguments, skew_rule
from pipeline.config import ConfigError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="write an HTML report with plots and removed documents (no Spark)",
        description="Removal funnel by stage and reason, the funnel per language with flagged steps, length and score histograms per "
        "language, language mix, perplexity buckets, duplicate cluster sizes, "
        "and a browser of removed documents per reason. No network needed.",
    )
    p.add_argument("path", help="a stage output directory or a run directory holding several")
    p.add_argument("-o", "--output", default="report.html", help="HTML file to write (default report.html)")
    p.add_argument("--per-reason", type=int, default=20, help="removed documents kept per reason (default 20)")
    p.add_argument("--max-chars", type=int, default=2000, help="characters of text kept per document")
    add_skew_arguments(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    try:
        out = write_report(args.path, args.output, args.per_reason, args.max_chars, skew_rule(args))
    except ConfigError as exc:
        print(f"corpus report: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0
