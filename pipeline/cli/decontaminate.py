"""``corpus decontaminate``: remove or flag documents sharing long n-grams with evaluation sets (Spark)."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "decontaminate",
        help="remove or flag documents overlapping evaluation sets (Spark)",
        description="Documents sharing a 13-word n-gram (20 characters for zh/ja) with an evaluation file "
        "(plain text: one passage a line; JSONL: the 'text' field) are removed with reason "
        "eval_overlap:<set>, or only flagged (decontam.mode=flag).",
    )
    p.add_argument("--input", required=True, metavar="DIR", help="a published stage output (e.g. dedup)")
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--eval-set", action="append", default=[], metavar="[NAME=]PATH", help="repeatable")
    p.add_argument("--config", help="YAML config")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="e.g. decontam.word_ngram=13, decontam.mode=flag, decontam.min_ngrams=2",
    )
    p.add_argument("--master", help="Spark master (default local[*])")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from jobs.decontaminate import eval_set_overrides, execute

    overrides = eval_set_overrides(args.eval_set) + list(args.set)
    overrides += [f"master={args.master}"] if args.master else []
    return execute(args.input, args.output, args.config, overrides)
