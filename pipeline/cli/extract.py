"""``corpus extract``: WARC files -> documents, on Spark (local by default)."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "extract",
        help="extract documents from WARC files (Spark)",
        description="Extract main text from HTTP 200 HTML responses in WARC/WARC.gz files.",
    )
    p.add_argument("--input", action="append", required=True, metavar="GLOB", help="input files; repeatable")
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--config", help="YAML config (default: built-in defaults)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config key")
    p.add_argument("--master", help="Spark master (default local[*])")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from jobs.extract_warc import execute

    overrides = list(args.set) + ([f"spark.master={args.master}"] if args.master else [])
    return execute(args.input, args.output, args.config, overrides)
