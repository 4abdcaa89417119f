"""Where a run's time goes: the figures behind RESULTS.md's explanation of the fast path's gain.

1. Extraction CPU per WARC file, default settings vs the fast path, split by component (one process,
   files 2-5 of the sample; the first file warms up imports and models).
2. Spark's fixed costs in local[2]: session start, first Python job, first and second Arrow job.
3. The pre-screen's markup rendering on the Zyte article pages: whole window vs doubling pieces
   (skipped without ../shared/data).

    .venv/bin/python bench/compare_datatrove/where_time_goes.py --workdir /tmp/cmp
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from jobs.extract_warc import ExtractOptions  # noqa: E402
from pipeline.config import to_dict  # noqa: E402
from pipeline.document import rows_to_batch  # noqa: E402
from pipeline.extract import prescreen  # noqa: E402
from pipeline.extract import warc_extractor as wx  # noqa: E402
from pipeline.sample import generate_sample  # noqa: E402

COMPONENTS = {
    "pre-screen (rendering + lid.176)": (prescreen.LanguagePrescreen, "skip"),
    "trafilatura": (wx, "extract_main_text"),
    "charset decoding": (wx, "decode_html"),
}


def extraction_cpu(files: list[str], fast: bool) -> dict[str, float]:
    """CPU seconds per file: total and per component (the rest is WARC reading, rows, Arrow)."""
    spent: dict[str, float] = dict.fromkeys(COMPONENTS, 0.0)
    originals = {}
    for label, (owner, name) in COMPONENTS.items():
        original = originals[label] = getattr(owner, name)

        def timed(*args, _f=original, _label=label, **kwargs):
            started = time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - started

        setattr(owner, name, functools.wraps(original)(timed))
    try:
        options = ExtractOptions(timeout_s=30, fast=fast, prescreen_languages=("en",) if fast else ())
        extractor = wx.WarcExtractor(**to_dict(options))
        rows_to_batch(list(extractor.extract_file(files[0])))  # warm-up
        spent.update(dict.fromkeys(spent, 0.0))
        started = time.process_time()
        for path in files[1:]:
            rows_to_batch(list(extractor.extract_file(path)))
        total = time.process_time() - started
    finally:
        for label, (owner, name) in COMPONENTS.items():
            setattr(owner, name, originals[label])
    n = len(files) - 1
    out = {"total": total / n, **{k: v / n for k, v in spent.items()}}
    out["rest (WARC reading, rows, Arrow)"] = out["total"] - sum(spent.values()) / n
    return {k: round(v, 3) for k, v in out.items()}


def spark_fixed_costs(files: list[str]) -> dict[str, float]:
    marks, started = {}, time.perf_counter()

    def mark(label: str) -> None:
        marks[label] = round(time.perf_counter() - started, 2)

    from pipeline.engines.spark import documents_from_source, get_session, map_files

    spark = get_session(master="local[2]", app_name="profile")
    mark("session started")
    map_files(spark, files, len)
    mark("first Python job done")
    out = Path("/tmp/profile-empty-parquet")
    for label in ("first", "second"):
        documents_from_source(spark, files, lambda _path: iter(())).write.mode("overwrite").parquet(str(out))
        mark(f"{label} Arrow job (no rows) done")
    spark.stop()
    return marks


def zyte_rendering() -> dict[str, float] | None:
    if not (ROOT.parent / "shared" / "data" / "html" / "zyte-article-benchmark").exists():
        return None
    spec = importlib.util.spec_from_file_location("extract_quality_run", ROOT / "bench/extract_quality/run.py")
    quality = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(quality)
    pages = [html.decode("utf-8", "replace") for html in quality.load_pages().values()]

    def whole(html: str) -> str:
        start, end = prescreen.window(html)
        return prescreen._render(html[start:end])[:1500]

    timings = {}
    for label, fn in (("whole window", whole), ("doubling pieces", prescreen.cheap_text)):
        started = time.process_time()
        for _ in range(3):
            texts = [fn(h) for h in pages]
        timings[label] = round((time.process_time() - started) / 3 / len(pages) * 1000, 3)
        timings.setdefault("_texts", texts)
    same = timings.pop("_texts") == [whole(h) for h in pages]
    return {"pages": len(pages), "ms_per_page": timings, "same_text": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir", default="/tmp/bench-compare-datatrove")
    args = parser.parse_args()
    sample = Path(args.workdir) / f"sample-{args.pages}-{args.seed}"
    if not (sample / "summary.json").exists():
        generate_sample(sample, pages=args.pages, seed=args.seed, pages_per_file=1000)
    files = sorted(str(p) for p in (sample / "warc").glob("*.warc.gz"))
    report = {
        "extraction_cpu_s_per_file": {
            "default": extraction_cpu(files[:5], fast=False),
            "fast_path": extraction_cpu(files[:5], fast=True),
        },
        "spark_fixed_costs_s": spark_fixed_costs(files),
        "zyte_cheap_text": zyte_rendering(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
