"""Throughput of the sample crawl generator: `python bench/make_sample/run.py --pages 100000`.

Writes into a temporary directory (deleted afterwards unless --keep DIR is given) and prints pages/s,
output sizes and peak resident memory (ru_maxrss), which stays flat as --pages grows (streamed output).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.sample import generate_sample


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--pages-per-file", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", help="write here and keep the output")
    args = parser.parse_args()
    out = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="make-sample-bench-"))
    try:
        summary = generate_sample(out, args.pages, seed=args.seed, pages_per_file=args.pages_per_file)
        result = {
            "pages": args.pages, "elapsed_s": summary["elapsed_s"], "pages_per_s": summary["pages_per_s"],
            "warc_files": len(summary["warc_files"]), "warc_mb": _size_mb(out / "warc"),
            "ground_truth_mb": _size_mb(out / "ground_truth.jsonl"), "reference_mb": _size_mb(out / "reference"),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "python": platform.python_version(), "cpu": platform.processor() or platform.machine(),
        }  # fmt: skip
        print(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
