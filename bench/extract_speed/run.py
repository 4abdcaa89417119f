"""Per-record extraction speed on one core: WarcExtractor over a WARC vs trafilatura.extract on the same pages.

Both sides do the same pages in the same process, pinned to one CPU, in alternating rounds; the best
round of each is kept (the machine is shared, so the minimum is the least disturbed measurement).

* ``warc_extractor``: ``WarcExtractor().extract_file(warc)``: gzip + WARC parsing, HTTP checks, binary
  sniffing, charset detection, decoding, title/lang, trafilatura extraction, row building.
* ``trafilatura``: ``trafilatura.extract(payload_bytes)`` on the HTML payloads already in memory
  (trafilatura then does its own decoding).

Overhead = warc_extractor time / trafilatura time - 1 (target: <= 15 %).

Input: the 181 Zyte benchmark pages wrapped into a temporary WARC (default), or ``--sample N`` pages of
the project's sample crawl (``pipeline.sample.generate_sample``), generated into a temporary folder.

    .venv/bin/python bench/extract_speed/run.py [--rounds 3] [--sample 500]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "extract_quality"))

import trafilatura  # noqa: E402

from pipeline.extract.warc_extractor import HTML_MIMES, WarcExtractor  # noqa: E402
from pipeline.io.warc import WarcRecord, iter_warc_records  # noqa: E402


def _is_html_200(record: WarcRecord) -> bool:
    mime = (record.http_headers.get("content-type") or "").split(";")[0].strip().lower()
    return record.warc_type == "response" and record.http_status == 200 and mime in HTML_MIMES


def html_payloads(paths: list[str]) -> list[bytes]:
    return [item.payload for path in paths for item in iter_warc_records(path, _is_html_200) if item.payload]


def time_ours(paths: list[str]) -> tuple[float, int]:
    extractor = WarcExtractor()
    started = time.perf_counter()
    kept = sum(row["status"] == "kept" for path in paths for row in extractor.extract_file(path))
    return time.perf_counter() - started, kept


def time_direct(payloads: list[bytes]) -> tuple[float, int]:
    started = time.perf_counter()
    kept = sum(bool(trafilatura.extract(payload)) for payload in payloads)
    return time.perf_counter() - started, kept


def prepare(tmp: Path, sample_pages: int | None) -> tuple[list[str], str]:
    if sample_pages:
        from pipeline.sample import generate_sample

        generate_sample(tmp / "sample", pages=sample_pages, seed=0)
        paths = sorted(str(p) for p in (tmp / "sample").rglob("*.warc.gz"))
        return paths, f"sample crawl, {sample_pages} pages, seed 0"
    from zyte import load_pages, write_warc

    path = tmp / "zyte.warc.gz"
    write_warc(load_pages(), path)
    return [str(path)], "Zyte article benchmark, 181 pages"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=None, help="use N pages of the sample crawl instead")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        paths, label = prepare(Path(tmp), args.sample)
        payloads = html_payloads(paths)
        time_direct(payloads[:5])  # warm imports and caches for both sides
        time_ours(paths[:1])
        ours, direct = [], []
        for _ in range(args.rounds):
            ours.append(time_ours(paths))
            direct.append(time_direct(payloads))
    best_ours, best_direct = min(ours), min(direct)
    n = len(payloads)
    print(f"input: {label}; {n} HTML 200 responses; {platform.processor() or platform.machine()}, 1 core")
    print(f"warc_extractor: {n / best_ours[0]:.1f} pages/s ({best_ours[0]:.2f} s, {best_ours[1]} kept)")
    print(f"trafilatura:    {n / best_direct[0]:.1f} pages/s ({best_direct[0]:.2f} s, {best_direct[1]} non-empty)")
    print(
        f"overhead: {best_ours[0] / best_direct[0] - 1:+.1%} (rounds: ours {[round(t, 2) for t, _ in ours]}, "
        f"direct {[round(t, 2) for t, _ in direct]})"
    )


if __name__ == "__main__":
    main()
