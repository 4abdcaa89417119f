"""Extraction quality on the Zyte article-extraction benchmark (181 pages), scored as that benchmark does.

Metric (re-implemented from the benchmark's description and evaluate.py's behaviour): text is tokenised
into ``\\w+`` runs, turned into 4-gram shingles (a text with fewer than 4 tokens is one shorter shingle),
and shingle multisets are compared per page: tp = matched counts, fp = extra predicted, fn = missed,
normalised by tp + fp + fn so every page weighs the same. Precision is averaged over pages with
tp + fp > 0, recall over pages with tp + fn > 0 (a page where both texts are empty counts as 1), and
F1 = 2PR / (P + R) of those macro averages. Published (README of the benchmark): trafilatura 2.0.0
F1 0.958, precision 0.938, recall 0.978.

Our path is the production one: every page goes into a WARC as an HTTP 200 text/html response without
a charset parameter, and ``WarcExtractor.extract_file`` decodes and extracts it. For reference the
script also scores ``trafilatura.extract`` called directly on the UTF-8 decoded page (what the
benchmark's own runner does).

    .venv/bin/python bench/extract_quality/run.py [--direct]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from zyte import load_ground_truth, load_pages, write_warc

from pipeline.extract.warc_extractor import WarcExtractor

PUBLISHED_TRAFILATURA_F1 = 0.958
_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _WORD.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-gram shingles, normalised to sum to 1 (unless all are 0)."""
    expected, got = shingles(true), shingles(pred)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp, fp, fn):
    return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))


def _recall(tp, fp, fn):
    return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))


def score(truth: dict[str, dict], predicted: dict[str, str]) -> dict[str, float]:
    per_page = [page_scores(truth[key].get("articleBody", ""), predicted.get(key, "")) for key in truth]
    precision = mean(_precision(*s) for s in per_page if s[0] + s[1] > 0)
    recall = mean(_recall(*s) for s in per_page if s[0] + s[2] > 0)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


PRESCREENED: dict[str, str] = {}  # page -> removal detail, filled by the fast-path run


def ours(pages: dict[str, bytes], **options) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "zyte.warc.gz"
        uri_to_id = write_warc(pages, path)
        rows = [r for r in WarcExtractor(**options).extract_file(str(path)) if r["warc_type"] == "response"]
        for row in rows:
            if row["removed_reason"] == "language_prescreen":
                PRESCREENED[uri_to_id[row["url"]]] = row["removed_detail"]
        return {uri_to_id[row["url"]]: row["text"] or "" for row in rows}


def direct(pages: dict[str, bytes]) -> dict[str, str]:
    import trafilatura

    return {key: trafilatura.extract(html.decode("utf-8"), include_comments=False) or "" for key, html in pages.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--direct", action="store_true", help="also score trafilatura.extract called directly")
    parser.add_argument("--favor-precision", action="store_true")
    parser.add_argument(
        "--fast-path",
        action="store_true",
        help="also score the fast path: trafilatura fast mode + English pre-screening (extract.fast, "
        "extract.prescreen_languages=[en])",
    )
    args = parser.parse_args()
    pages, truth = load_pages(), load_ground_truth()
    assert pages.keys() == truth.keys(), "html.tar and ground-truth.json disagree"
    runs = {"warc_extractor": lambda: ours(pages, favor_precision=args.favor_precision)}
    if args.fast_path:
        runs["fast_mode_only"] = lambda: ours(pages, favor_precision=args.favor_precision, fast=True)
        runs["fast_path"] = lambda: ours(
            pages, favor_precision=args.favor_precision, fast=True, prescreen_languages=["en"]
        )
    if args.direct:
        runs["trafilatura.extract"] = lambda: direct(pages)
    outputs = {}
    for name, run in runs.items():
        started, cpu = time.perf_counter(), time.process_time()
        outputs[name] = run()
        cpu = time.process_time() - cpu
        metrics = score(truth, outputs[name])
        print(
            f"{name:<20} pages={len(pages)} precision={metrics['precision']:.3f} recall={metrics['recall']:.3f} "
            f"F1={metrics['f1']:.3f} (published trafilatura {PUBLISHED_TRAFILATURA_F1}; "
            f"diff {metrics['f1'] - PUBLISHED_TRAFILATURA_F1:+.3f}) {time.perf_counter() - started:.1f}s wall, {cpu:.1f}s CPU"
        )
    if args.fast_path:
        # An English-only run is meant to drop the non-English pages: score both paths on the pages the
        # pre-screen lets through, and list what it skipped (with fastText's language of the cheap text).
        langs = sorted(detail.split(":", 1)[0] for detail in PRESCREENED.values())
        print(f"pre-screen skipped {len(PRESCREENED)} pages, cheap-text language: {' '.join(langs)}")
        passed = {k: v for k, v in truth.items() if k not in PRESCREENED}
        for name in ("warc_extractor", "fast_path"):
            m = score(passed, outputs[name])
            print(
                f"{name:<20} on the {len(passed)} pages not skipped: P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}"
            )


if __name__ == "__main__":
    main()
