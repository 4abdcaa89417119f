"""``corpus lm-cutoffs``: per-language perplexity percentiles from a sample of documents."""

from __future__ import annotations

import argparse
import itertools


def _models(args: argparse.Namespace) -> dict[str, str]:
    from pipeline.lm.scoring import models_in_dir

    models = models_in_dir(args.models) if args.models else {}
    for value in args.model:
        lang, sep, path = value.partition("=")
        if not sep:
            raise SystemExit(f"--model {value!r}: expected LANG=PATH")
        models[lang] = path
    if not models:
        raise SystemExit("give --models DIR or at least one --model LANG=PATH")
    return models


def add_sampling_arguments(p: argparse.ArgumentParser) -> None:
    """--sample, --max-files and --seed: how a cut-off command samples its input (here and quality-cutoffs)."""
    p.add_argument("--sample", type=int, default=5000, help="documents sampled per language (default 5000)")
    p.add_argument(
        "--max-files",
        type=int,
        metavar="N",
        help="read only N Parquet shards of each input directory, chosen at random (seeded): a large stage output",
    )
    p.add_argument("--seed", type=int, default=0)


def sampled_documents(args: argparse.Namespace):
    """The rows of every --input, reading at most --max-files shards of each directory."""
    from pipeline.lm.sources import iter_documents

    if args.max_files is not None and args.max_files < 1:
        raise SystemExit(f"--max-files must be >= 1, got {args.max_files}")
    return itertools.chain.from_iterable(
        iter_documents(p, max_files=args.max_files, seed=args.seed) for p in args.input
    )


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "lm-cutoffs",
        help="compute head/middle/tail perplexity cut-offs per language",
        description="Score a seeded sample of documents per language and write the perplexity percentiles "
        "that split head / middle / tail (cc_net's buckets) as JSON for the perplexity annotator.",
    )
    p.add_argument("--models", metavar="DIR", help="a train-lm output directory (every <lang>.binary in it)")
    p.add_argument("--model", action="append", default=[], metavar="LANG=PATH", help="one model; repeatable")
    p.add_argument(
        "--input",
        action="append",
        required=True,
        metavar="PATH",
        help="documents: a stage output directory, .parquet, .jsonl or .txt; repeatable",
    )
    p.add_argument("--lang", help="language of inputs that have no 'language' column (e.g. .txt)")
    p.add_argument("--out", required=True, metavar="FILE", help="cut-offs JSON to write")
    p.add_argument("--percentiles", type=float, nargs=2, default=[33.0, 66.0], metavar=("LOW", "HIGH"))
    add_sampling_arguments(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.lm.cutoffs import compute_cutoffs, write_cutoffs

    rows = sampled_documents(args)

    def docs():
        for row in rows:
            if args.lang and not row.get("language"):
                row = {**row, "language": args.lang}
            yield row

    result = compute_cutoffs(_models(args), docs(), tuple(args.percentiles), args.sample, args.seed)
    write_cutoffs(result, args.out)
    for lang, (low, high) in sorted(result["cutoffs"].items()):
        print(f"{lang}: head < {low} <= middle < {high} <= tail  (n={result['sample_sizes'][lang]})")
    for lang in sorted(set(result["sample_sizes"]) - set(result["cutoffs"])):
        print(f"{lang}: no documents scored; its documents will stay unbucketed")
    print(f"wrote {args.out}")
    return 0
