"""Scale run: the whole dedup chain (exact, URL, line, MinHash-LSH) on N synthetic documents with a
memory-capped Spark (local[2], driver = executor JVM heap 2 GB), recording time, shuffle bytes and the
peak resident memory of the JVM and of the Python workers.

Documents (``make_corpus``, seeded): ~300 words drawn from a 20k-word Zipf vocabulary in 4-6 lines,
half of them with one of 40 navigation lines and one of 20 footer lines (line dedup targets); 10 % are
near copies of an earlier document (2 % of words substituted), 3 % exact copies under another URL, 2 %
re-fetches of an earlier URL.

    .venv/bin/python bench/dedup_scale/run.py --docs 200000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from schemas.documents import DOCUMENT_SCHEMA  # noqa: E402


def make_corpus(n: int, out_dir: Path, seed: int = 0, shard: int = 20000) -> None:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(20000)])
    weights = 1.0 / np.arange(1, 20001) ** 0.8
    weights /= weights.sum()
    navs = [" | ".join(rng.choice(vocab[:300], 5)) for _ in range(40)]
    footers = [f"Copyright {2000 + i} site{i} all rights reserved contact us" for i in range(20)]
    texts, urls = [], []
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(n):
        roll = rng.random()
        if i > 100 and roll < 0.10:
            words = texts[int(rng.integers(0, i))].split(" ")
            for pos in rng.choice(len(words), max(1, len(words) // 50), replace=False):
                words[pos] = str(rng.choice(vocab))
            text, url = " ".join(words), f"https://site{i % 997}.example/p/{i}"
        elif i > 100 and roll < 0.13:
            text, url = texts[int(rng.integers(0, i))], f"https://mirror{i % 89}.example/c/{i}"
        elif i > 100 and roll < 0.15:
            j = int(rng.integers(0, i))
            text, url = texts[j] + " updated", urls[j]
        else:
            body = rng.choice(vocab, int(rng.integers(200, 400)), p=weights)
            cuts = np.sort(rng.choice(np.arange(1, len(body)), int(rng.integers(3, 6)), replace=False))
            lines = [" ".join(part) for part in np.split(body, cuts)]
            if rng.random() < 0.5:
                lines = [navs[int(rng.integers(0, 40))], *lines, footers[int(rng.integers(0, 20))]]
            text, url = "\n".join(lines), f"https://site{i % 997}.example/a/{i}"
        texts.append(text)
        urls.append(url)
    out_dir.mkdir(parents=True, exist_ok=True)
    for lo in range(0, n, shard):
        hi = min(lo + shard, n)
        cols = {
            "id": [f"d{i:09d}" for i in range(lo, hi)],
            "url": urls[lo:hi],
            "text": texts[lo:hi],
            "fetch_time": [start + timedelta(seconds=i) for i in range(lo, hi)],
            "language": ["en"] * (hi - lo),
            "status": ["kept"] * (hi - lo),
            "n_chars": [len(t) for t in texts[lo:hi]],
        }
        arrays = [pa.array(cols.get(f.name, [None] * (hi - lo)), f.type) for f in DOCUMENT_SCHEMA]
        pq.write_table(
            pa.Table.from_arrays(arrays, schema=DOCUMENT_SCHEMA), out_dir / f"part-{lo // shard:05d}.parquet"
        )


class MemorySampler(threading.Thread):
    """Peak RSS of the JVM and of all Python workers (children of the JVM), sampled from /proc every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_jvm = self.peak_workers = self.peak_total = 0
        self.stop = False

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            return 0

    def _children(self, pid: int) -> list[int]:
        kids = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                kids += [int(c) for c in (task / "children").read_text().split()]
        return kids

    def run(self) -> None:
        me = os.getpid()
        while not self.stop:
            jvms = self._children(me)
            workers, frontier = [], list(jvms)
            while frontier:
                kids = self._children(frontier.pop())
                workers += kids
                frontier += kids
            jvm = sum(map(self._rss, jvms))
            py = sum(map(self._rss, workers))
            self.peak_jvm, self.peak_workers = max(self.peak_jvm, jvm), max(self.peak_workers, py)
            self.peak_total = max(self.peak_total, jvm + py + self._rss(me))
            time.sleep(0.2)


def shuffle_bytes(spark) -> int:
    """Shuffle bytes written by all stages so far, from Spark's own REST API (UI port, local only)."""
    url = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages?status=complete") as resp:
        return sum(s.get("shuffleWriteBytes", 0) for s in json.load(resp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--workdir", default="/tmp/bench-dedup-scale")
    parser.add_argument("--memory", default="2g")
    args = parser.parse_args()
    work = Path(args.workdir)
    t0 = time.perf_counter()
    if not (work / f"input-{args.docs}").exists():
        make_corpus(args.docs, work / f"input-{args.docs}")
    gen_s = time.perf_counter() - t0

    from jobs.dedup_lib import exact_dedup, line_dedup, minhash_dedup, url_dedup
    from pipeline.dedup.config import DedupConfig
    from pipeline.engines.spark import get_session

    sampler = MemorySampler()
    sampler.start()
    spark = get_session(
        master="local[2]",
        app_name="dedup-scale",
        shuffle_partitions=16,
        ui=True,
        driver_memory=args.memory,
        extra_conf={"spark.ui.port": "4077"},
    )
    # The distributed components rounds, the path that scales past the driver (a graph this small would
    # otherwise be solved on the driver: dedup.cc_driver_max_edges).
    cfg = DedupConfig(cc_driver_max_edges=0)
    df = spark.read.parquet(str(work / f"input-{args.docs}"))
    report, extras = {"docs": args.docs, "generate_s": round(gen_s, 1), "memory_cap": args.memory, "stages": {}}, {}
    for name, fn in (("exact", exact_dedup), ("url", url_dedup), ("line", line_dedup), ("minhash", minhash_dedup)):
        started, before = time.perf_counter(), shuffle_bytes(spark)
        out, extras[name] = fn(df, cfg)
        path = str(work / f"out-{name}")
        out.write.mode("overwrite").parquet(path)  # materialise each stage, as the pipeline does
        df = spark.read.parquet(path)
        report["stages"][name] = {
            "seconds": round(time.perf_counter() - started, 1),
            "shuffle_write_mb": round((shuffle_bytes(spark) - before) / 2**20, 1),
        }
    counts = df.groupBy("status", "removed_reason").count().collect()
    report["result"] = {f"{r['status']}/{r['removed_reason']}": r["count"] for r in counts}
    report["rows_out"] = sum(report["result"].values())
    report["extra"] = extras
    spark.stop()
    sampler.stop = True
    sampler.join()
    report["total_s"] = round(sum(s["seconds"] for s in report["stages"].values()), 1)
    report["peak_rss_mb"] = {
        "jvm": sampler.peak_jvm >> 20,
        "python_workers": sampler.peak_workers >> 20,
        "all_processes": sampler.peak_total >> 20,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
