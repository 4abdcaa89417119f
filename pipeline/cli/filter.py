"""``corpus filter``: apply a recipe (language ID, rule filters, PII ...) to documents, on Spark."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "filter",
        help="annotate and filter documents with a recipe (Spark)",
        description="Apply a recipe to a stage output directory or to JSONL files.",
    )
    p.add_argument(
        "--input",
        action="append",
        required=True,
        metavar="DIR|JSONL",
        help='a published stage output, or JSONL globs ({"id","text","url"?} per line)',
    )
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--recipe", default="fineweb", help="built-in recipe name or YAML path (default fineweb)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a step parameter (STEP.PARAM=VALUE) or a recipe key",
    )
    p.add_argument("--master", help="Spark master (default local[*])")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from jobs.filter import execute

    return execute(args.input, args.output, args.recipe, args.set, {"master": args.master})
