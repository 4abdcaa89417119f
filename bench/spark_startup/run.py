"""Spark start-up with and without the JVM class archive and the quick JIT, side by side in one run.

What ``get_session`` does by default when it starts a local JVM: map the class archive ``corpus
jvm-archive`` built (``CORPUS_JVM_ARCHIVE=off`` turns it off) and compile with the JVM's quick compiler
only (``CORPUS_JVM_JIT=full`` turns that off). Each round starts fresh processes for every variant in
turn (the order rotates between rounds, so drift in the machine's load falls on every variant):

1. a probe that starts a session as ``corpus`` does and times its first jobs (an SQL job, a Python
   job, an Arrow job), each the first of its kind in that JVM;
2. ``corpus run`` on the given WARC files (default: a generated crawl of 60 pages), wall time of the
   command, with any ``--extract-set`` / ``--dedup-set`` given.

    .venv/bin/corpus jvm-archive          # make setup does this
    .venv/bin/python bench/spark_startup/run.py --rounds 3
    .venv/bin/python bench/spark_startup/run.py --rounds 3 --warcs '/tmp/real_pages/warc/*.warc.gz'
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

VARIANTS = {
    "default": {},
    "no_quick_jit": {"CORPUS_JVM_JIT": "full"},
    "no_archive": {"CORPUS_JVM_ARCHIVE": "off"},
    "neither": {"CORPUS_JVM_ARCHIVE": "off", "CORPUS_JVM_JIT": "full"},
}

PROBE = """
import json, sys, time
t0 = time.perf_counter()
from pipeline.engines.spark import get_session
from pipeline.engines import jvm_archive
spark = get_session(master="local[2]", own_process_group=True)
t1 = time.perf_counter()
spark.range(1000).selectExpr("id % 7 AS k").groupBy("k").count().collect()
t2 = time.perf_counter()
spark.sparkContext.parallelize(range(4), 2).map(lambda x: x + 1).collect()
t3 = time.perf_counter()
spark.range(1000).mapInArrow(lambda batches: batches, "id long").count()
t4 = time.perf_counter()
options = spark.sparkContext.getConf().get("spark.driver.defaultJavaOptions", "")
print(json.dumps({"session": t1 - t0, "first_sql_job": t2 - t1, "first_python_job": t3 - t2,
                  "first_arrow_job": t4 - t3, "total": t4 - t0, "driver_options": options}))
"""


def env_for(variant: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SPARK_LOCAL_IP="127.0.0.1")
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    for key in ("CORPUS_JVM_ARCHIVE", "CORPUS_JVM_JIT"):
        env.pop(key, None)
    env.update(VARIANTS[variant])
    return env


def probe(variant: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env_for(variant), cwd=ROOT, check=True
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    options = result.pop("driver_options")
    want_archive = "CORPUS_JVM_ARCHIVE" not in VARIANTS[variant]
    want_jit = "CORPUS_JVM_JIT" not in VARIANTS[variant]
    if ("SharedArchiveFile" in options) != want_archive or ("TieredStopAtLevel" in options) != want_jit:
        raise SystemExit(f"variant {variant}: the driver got {options!r}; is there an archive (corpus jvm-archive)?")
    return result


def corpus_run(variant: str, warcs: str, out: Path, args) -> float:
    cmd = [str(Path(sys.executable).parent / "corpus"), "run", "--input", warcs, "--output", str(out)]
    cmd += ["--recipe", args.recipe, "--master", "local[2]"]
    for item in args.extract_set:
        cmd += ["--extract-set", item]
    for item in args.dedup_set:
        cmd += ["--dedup-set", item]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env_for(variant), cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"corpus run failed:\n{proc.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, of {list(VARIANTS)}")
    parser.add_argument("--warcs", metavar="GLOB", help="WARC files for the `corpus run` part")
    parser.add_argument("--pages", type=int, default=60, help="generated crawl size when --warcs is not given")
    parser.add_argument("--recipe", default="fineweb")
    parser.add_argument("--extract-set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--dedup-set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--skip-run", action="store_true", help="only the session probe")
    args = parser.parse_args()
    variants = args.variants.split(",")

    from pipeline.engines import jvm_archive

    found = jvm_archive.current()
    if not found:
        raise SystemExit("no usable archive: run `.venv/bin/corpus jvm-archive` first")
    rows = {v: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="bench-spark-startup-") as tmp:
        warcs = args.warcs
        if not warcs and not args.skip_run:
            from pipeline.sample import generate_sample

            generate_sample(Path(tmp) / "sample", pages=args.pages, seed=3, pages_per_file=30)
            warcs = str(Path(tmp) / "sample" / "warc" / "*.warc.gz")
        for r in range(args.rounds):
            for variant in variants[r % len(variants) :] + variants[: r % len(variants)]:
                row = probe(variant)
                if not args.skip_run:
                    row["corpus_run"] = corpus_run(variant, warcs, Path(tmp) / f"run-{r}-{variant}", args)
                rows[variant].append(row)
                line = " ".join(f"{k}={v:.2f}" for k, v in row.items())
                print(f"round {r + 1} {variant:<13} {line}", file=sys.stderr)
    keys = list(rows[variants[0]][0])
    median = {v: {k: round(statistics.median(r[k] for r in rows[v]), 2) for k in keys} for v in variants}
    base = "neither" if "neither" in variants else variants[-1]
    report = {
        "archive": str(found[0]),
        "archive_mb": round(found[1]["archive"][0] / 1e6),
        "shared_classes": found[1]["shared_classes"],
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "corpus_run": None
        if args.skip_run
        else {"input": warcs, "recipe": args.recipe, "extract_set": args.extract_set, "dedup_set": args.dedup_set},
        "median_s": median,
        f"speedup_vs_{base}": {v: {k: round(median[base][k] / median[v][k], 2) for k in keys} for v in variants},
        "all_s": rows,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
