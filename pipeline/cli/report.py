"""``corpus report PATH -o report.html``: one self-contained HTML page (pyarrow only, no Spark)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="write an HTML report with plots and removed documents (no Spark)",
        description="Removal funnel by stage and reason, length and score histograms per "
        "language, language mix, perplexity buckets, duplicate cluster sizes, "
        "and a browser of removed documents per reason. No network needed.",
    )
    p.add_argument("path", help="a stage output directory or a run directory holding several")
    p.add_argument("-o", "--output", default="report.html", help="HTML file to write (default report.html)")
    p.add_argument("--per-reason", type=int, default=20, help="removed documents kept per reason (default 20)")
    p.add_argument("--max-chars", type=int, default=2000, help="characters of text kept per document")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    try:
        out = write_report(args.path, args.output, args.per_reason, args.max_chars)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0
