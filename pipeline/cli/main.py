"""The ``corpus`` command: one subcommand per stage or tool, each registered by its own module."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

# Each module exposes register(subparsers); the handler is stored as the parser's `handler` default.
SUBCOMMAND_MODULES = (
    "pipeline.cli.make_sample",
    "pipeline.cli.extract",
    "pipeline.cli.filter",
    "pipeline.cli.dedup",
    "pipeline.cli.decontaminate",
    "pipeline.cli.run",
    "pipeline.cli.recipes",
    "pipeline.cli.train_lm",
    "pipeline.cli.lm_cutoffs",
    "pipeline.cli.train_quality",
    "pipeline.cli.quality_cutoffs",
    "pipeline.cli.train",
    "pipeline.cli.stats",
    "pipeline.cli.report",
    "pipeline.cli.jvm_archive",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corpus", description="Turn web crawls into clean pretraining corpora.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
