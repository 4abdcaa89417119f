"""One dedup method through the real Spark stage functions, in its own process, for time and memory.

The parent writes the documents once as schema-v1 Parquet; each run is a fresh ``python spark_side.py``
process with its own Spark (``local[2]``, driver memory 2 GB), so that the peak resident memory of the
JVM plus its Python workers (``MemorySampler`` of ``bench/dedup_scale``, /proc every 0.2 s) belongs to
that run alone. Wall time covers the method and writing its result (id, status, text, cluster) back
as Parquet; Spark's start-up is left out.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from schemas.documents import empty_row, rows_to_table  # noqa: E402


def write_documents(docs: list[dict], path: Path) -> None:
    """Schema-v1 Parquet of ``docs`` ({"id", "text", "language"}); fetch times rise with the index."""
    rows = []
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i, d in enumerate(docs):
        row = empty_row()
        row.update(
            id=d["id"],
            text=d["text"],
            language=d["language"],
            source=d.get("source"),
            status="kept",
            fetch_time=d.get("fetch_time") or start + timedelta(seconds=i),
            n_chars=len(d["text"]),
        )
        rows.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(rows_to_table(rows), path)


def run_in_subprocess(docs_path: Path, method: str, overrides: dict, out: Path) -> dict:
    """Run ``method`` with DedupConfig ``overrides`` in a fresh process; returns its figures."""
    cmd = [sys.executable, __file__, "--docs", str(docs_path), "--method", method, "--out", str(out)]
    cmd += ["--config", json.dumps(overrides)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{method} {overrides} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class CpuTracker(threading.Thread):
    """CPU seconds (user + system) of this process and all its descendants (JVM, Python workers), from
    /proc/<pid>/stat every 0.5 s; the last value seen per process is kept, so workers that exit count."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: dict[int, float] = {}
        self.stop = False
        self.tick = os.sysconf("SC_CLK_TCK")

    def _tree(self) -> list[int]:
        out, frontier = [], [os.getpid()]
        while frontier:
            pid = frontier.pop()
            out.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    frontier += [int(c) for c in (task / "children").read_text().split()]
        return out

    def sample(self) -> None:
        for pid in self._tree():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                self.seen[pid] = (int(fields[11]) + int(fields[12])) / self.tick

    def run(self) -> None:
        while not self.stop:
            self.sample()
            time.sleep(0.5)

    def total(self) -> float:
        self.sample()
        return sum(self.seen.values())


def _sampler():
    spec = importlib.util.spec_from_file_location("dedup_scale_run", ROOT / "bench" / "dedup_scale" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MemorySampler()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", required=True)
    parser.add_argument("--method", choices=["minhash", "passages"], required=True)
    parser.add_argument("--config", default="{}", help="DedupConfig overrides as JSON")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from jobs.dedup_lib import minhash_dedup
    from jobs.dedup_passages import passage_dedup
    from pipeline.dedup.config import DedupConfig
    from pipeline.engines.spark import get_session, read_documents

    cfg = dataclasses.replace(DedupConfig(), **json.loads(args.config))
    sampler = _sampler()
    sampler.start()
    spark = get_session(master="local[2]", app_name="bench-dedup", shuffle_partitions=8, ui=False, driver_memory="2g")
    docs_dir = str(Path(args.docs).parent)
    df = read_documents(spark, docs_dir, status="kept", partitions=8).cache()
    n = df.count()
    cpu = CpuTracker()
    cpu.start()
    cpu_before = cpu.total()
    started = time.perf_counter()
    fn = minhash_dedup if args.method == "minhash" else passage_dedup
    out, extra = fn(df, cfg)
    extra.pop("_log", None)
    out.select("id", "status", "text", "dup_cluster", "removed_reason", "removed_detail").write.mode(
        "overwrite"
    ).parquet(args.out)
    wall = time.perf_counter() - started
    cpu_s = cpu.total() - cpu_before
    sampler.stop = cpu.stop = True
    spark.stop()
    figures = {
        "method": args.method,
        "config": json.loads(args.config),
        "documents": n,
        "wall_s": round(wall, 1),
        "docs_per_s": round(n / wall, 1),
        "cpu_s": round(cpu_s, 1),
        "peak_rss_mb": {"jvm": sampler.peak_jvm >> 20, "python_workers": sampler.peak_workers >> 20},
        "peak_rss_all_mb": sampler.peak_total >> 20,
        "extra": {k: v for k, v in extra.items() if isinstance(v, (int, float, str, bool))},
    }
    print(json.dumps(figures))


def read_result(path: Path) -> pa.Table:
    return pq.read_table(path)


SETTINGS = {
    "previous default (5-grams, 9x13 from threshold 0.8)": dict(
        threshold=0.8, bands=9, rows=13, word_ngram=5, char_ngram=5, verify=False
    ),
    "FineWeb (5-grams, 14x8)": dict(num_perm=112, bands=14, rows=8, word_ngram=5, char_ngram=5, verify=False),
    "new default (4-grams, 20x5, verified >= 0.7)": {},
    "new default without verification": dict(verify=False),
}


def run_minhash_settings(
    docs: list[dict], truth: dict, workdir: Path = Path("/tmp/bench-dedup-real"), chosen: list[int] | None = None
) -> dict:
    """Each of ``SETTINGS`` through the Spark ``minhash_dedup``: quality (same scoring as the sweep),
    wall time, peak memory and candidate edges."""
    from defaults import score

    docs_path = workdir / "docs" / "docs.parquet"
    write_documents(docs, docs_path)
    index = {d["id"]: i for i, d in enumerate(docs)}
    results = {}
    for k, (name, overrides) in enumerate(SETTINGS.items()):
        if chosen is not None and k not in chosen:
            continue
        out = workdir / "out-minhash"
        figures = run_in_subprocess(docs_path, "minhash", overrides, out)
        table = read_result(out)
        roots = list(range(len(docs)))
        for doc_id, cluster in zip(table.column("id").to_pylist(), table.column("dup_cluster").to_pylist()):
            if cluster:
                roots[index[doc_id]] = hash(cluster)
        figures["quality"] = score(roots, docs, truth)
        results[name] = figures
        print(json.dumps({name: figures}), flush=True)
    return results


if __name__ == "__main__":
    main()
