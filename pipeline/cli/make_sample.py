"""`corpus make-sample`: write a synthetic crawl (WARC.gz), its ground truth and reference texts."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "make-sample",
        help="write a synthetic WARC crawl with exact ground truth",
        description="Writes DIR/warc/*.warc.gz, DIR/ground_truth.jsonl, DIR/summary.json and DIR/reference/<lang>.txt.",
    )
    parser.add_argument("--pages", type=int, required=True, help="number of captured pages (response records)")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=0, help="random seed; same seed and pages give identical bytes")
    parser.add_argument("--pages-per-file", type=int, default=1000, help="captures per WARC file (default 1000)")
    parser.add_argument(
        "--reference-docs",
        type=int,
        help="clean articles per language in reference/ (default: pages / 20, at least 20); model filters "
        "set per-language thresholds on a held-out part of them, so give a few hundred when training on it",
    )
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from pipeline.sample import generate_sample  # deferred: faker loads only when this command runs

    if args.reference_docs is not None and args.reference_docs < 1:
        print(f"corpus make-sample: --reference-docs must be at least 1, got {args.reference_docs}")
        return 2
    summary = generate_sample(
        args.out, args.pages, seed=args.seed, pages_per_file=args.pages_per_file, reference_docs=args.reference_docs
    )
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"wrote {args.pages} pages in {summary['elapsed_s']} s ({summary['pages_per_s']} pages/s) to {args.out}")
    return 0
