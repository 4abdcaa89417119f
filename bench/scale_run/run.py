"""Scale run: the whole pipeline (``corpus run``: extract -> filter -> dedup) on N generated pages, on
this machine, recording time per stage, shuffle bytes, peak resident memory and output sizes.

Input: ``pipeline.sample.generate_sample(pages=N, seed)`` (7 languages incl. zh/ja, planted exact and
near duplicates, spam, PII, non-HTML payloads, redirects, errors, wrong charsets); the same generator
the tests and the other benchmarks use. The pipeline runs in this process exactly as ``corpus run``
does (``jobs.run_pipeline.run_all``), on ``local[2]`` with the driver JVM capped (``--memory``).

    .venv/bin/python bench/scale_run/run.py --pages 100000 --workdir /tmp/scale
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "dedup_scale"))

from run import MemorySampler, shuffle_bytes  # noqa: E402  (bench/dedup_scale/run.py)


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default="/tmp/bench-scale-run")
    parser.add_argument("--memory", default="4g", help="driver (= executor, local mode) JVM heap")
    parser.add_argument("--recipe", default="fineweb")
    parser.add_argument("--extract-set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    work = Path(args.workdir)
    sample = work / f"sample-{args.pages}-{args.seed}"
    t0 = time.perf_counter()
    if not (sample / "summary.json").exists():
        from pipeline.sample import generate_sample

        generate_sample(sample, pages=args.pages, seed=args.seed, pages_per_file=1000)
    gen_s = time.perf_counter() - t0

    from jobs import run_pipeline
    from pipeline.engines.spark import get_session

    out = work / f"out-{args.pages}-{args.seed}"
    sampler = MemorySampler()
    sampler.start()
    spark = get_session(
        master="local[2]",
        app_name="scale-run",
        ui=True,
        driver_memory=args.memory,
        extra_conf={"spark.ui.port": "4078"},
    )
    started = time.perf_counter()
    results = run_pipeline.run_all(
        spark, [str(sample / "warc" / "*.warc.gz")], str(out), args.recipe, [], args.extract_set, []
    )
    total = time.perf_counter() - started
    shuffle = shuffle_bytes(spark)
    spark.stop()
    sampler.stop = True
    sampler.join()
    warc_bytes = du(sample / "warc")
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "pages": args.pages,
        "seed": args.seed,
        "records_in_warcs": None,
        "warc_mb": round(warc_bytes / 2**20, 1),
        "generate_s": round(gen_s, 1),
        "memory_cap": args.memory,
        "cpus": os.cpu_count(),
        "total_s": round(total, 1),
        "shuffle_write_mb_all_stages": round(shuffle / 2**20, 1),
        "stages": {},
        "peak_rss_mb": {
            "jvm": sampler.peak_jvm >> 20,
            "python_workers": sampler.peak_workers >> 20,
            "all_processes": sampler.peak_total >> 20,
        },
    }
    for r in results:
        s = r.stats
        report["stages"][r.name] = {
            "seconds": round(r.seconds, 1),
            "reused": r.reused,
            "rows_in": s.get("rows"),
            "kept": s.get("kept"),
            "removed": s.get("removed"),
            "accounting_ok": s.get("accounting_ok"),
            "output_mb": round(du(Path(r.output)) / 2**20, 1),
            "removed_by_reason": s.get("removed_by_reason"),
        }
    report["records_in_warcs"] = report["stages"]["extract"]["rows_in"]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
