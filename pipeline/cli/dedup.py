"""``corpus dedup``: exact, URL, line-level, MinHash-LSH and passage dedup, on Spark."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "dedup",
        help="remove duplicates (Spark)",
        description="Exact, URL, line-level, MinHash-LSH near-duplicate and (opt-in) passage-level removal.",
    )
    p.add_argument(
        "--input",
        action="append",
        required=True,
        metavar="DIR|JSONL|PARQUET",
        help="a published stage output (e.g. filter), or JSONL / Parquet globs from another tool",
    )
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--config", help="YAML config")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="e.g. dedup.threshold=0.7, dedup.word_ngram=5, methods=[exact,minhash,passages]",
    )
    p.add_argument("--master", help="Spark master (default local[*])")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from jobs.dedup import execute

    overrides = list(args.set) + ([f"master={args.master}"] if args.master else [])
    return execute(args.input, args.output, args.config, overrides)
