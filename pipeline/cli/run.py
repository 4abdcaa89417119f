"""``corpus run``: the whole pipeline in order on Spark, reusing stages that are up to date."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "run",
        help="run every stage in order (Spark), resumable",
        description="extract -> filter (recipe) -> dedup (-> decontaminate with --eval-set), each into "
        "OUTPUT/<stage>. A stage whose "
        "published output matches its config and inputs is reused.",
    )
    p.add_argument("--input", action="append", required=True, metavar="GLOB", help="WARC files; repeatable")
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--recipe", default="fineweb")
    p.add_argument("--set", action="append", default=[], metavar="STEP.PARAM=VALUE", help="recipe override")
    p.add_argument("--extract-set", action="append", default=[], metavar="KEY=VALUE", help="extract config override")
    p.add_argument("--dedup-set", action="append", default=[], metavar="KEY=VALUE", help="dedup config override")
    p.add_argument(
        "--eval-set",
        action="append",
        default=[],
        metavar="[NAME=]PATH",
        help="evaluation file (text or JSONL): adds the decontaminate stage after dedup; repeatable",
    )
    p.add_argument("--decontam-set", action="append", default=[], metavar="KEY=VALUE", help="e.g. decontam.mode=flag")
    p.add_argument("--master", help="Spark master (default local[*])")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from jobs.decontaminate import eval_set_overrides
    from jobs.run_pipeline import execute

    decontam = eval_set_overrides(args.eval_set) + list(args.decontam_set)
    return execute(
        args.input, args.output, args.recipe, args.set, args.extract_set, args.dedup_set, args.master, decontam
    )
