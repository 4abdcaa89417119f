"""Throughput of the rule filters on one core: documents per second, per filter and all together.

Input: real English prose (WikiText-2 validation + test splits from ../shared/data, lightly
detokenised) cut into distinct documents of about 3 KB at paragraph boundaries; and Chinese
documents of about 3 KB from the prose lines of the project's Chinese notes (../shared/seeds).
There is only ~16 KB of distinct Chinese prose, so its documents repeat, each made distinct by a
numbered first line (the analysis cache is keyed on the text, so nothing is reused across docs).

Usage: .venv/bin/python bench/filters/run.py [--docs 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.filters.c4 import C4QualityFilter  # noqa: E402
from pipeline.filters.fineweb import FineWebQualityFilter  # noqa: E402
from pipeline.filters.gopher import GopherQualityFilter, GopherRepetitionFilter  # noqa: E402
from pipeline.filters.url import UrlFilter  # noqa: E402
from pipeline.step import run_steps  # noqa: E402
from pipeline.text.analysis import clear_analysis_cache  # noqa: E402
from pipeline.transform.c4_lines import C4LineCleaner  # noqa: E402

SHARED = ROOT.parent / "shared"
DOC_CHARS = 3000


def _chunk(paragraphs: list[str], n_docs: int, repeat: bool) -> list[str]:
    docs, current = [], []
    for p in paragraphs:
        current.append(p)
        if sum(map(len, current)) >= DOC_CHARS:
            docs.append("\n\n".join(current))
            current = []
    if repeat:
        docs = [f"第{i}篇。\n\n{docs[i % len(docs)]}" for i in range(n_docs)]
    return docs[:n_docs]


def english_docs(n_docs: int) -> list[str]:
    corpus = SHARED / "data/corpora/wikitext-2"
    raw = "\n".join((corpus / f"{split}.txt").read_text(encoding="utf-8") for split in ("valid", "test"))
    text = raw.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".")
    text = re.sub(r" ([.,;:!?)'])", r"\1", text).replace("( ", "(")
    paragraphs = [p.strip() for p in text.splitlines() if len(p.strip()) > 200 and not p.strip().startswith("=")]
    return _chunk(paragraphs, n_docs, repeat=False)


def chinese_docs(n_docs: int) -> list[str]:
    lines = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*(?:[-*>]|\d+\.)\s*", "", raw).replace("**", "").strip()
            # LaTeX formulas ("{") would make every C4 page fail; keep plain prose lines
            if len(line) >= 20 and line.endswith("。") and "{" not in line:
                lines.append(line)
    return _chunk(lines, n_docs, repeat=True)


def steps():
    return {
        "url_filter": [UrlFilter()],
        "gopher_quality": [GopherQualityFilter()],
        "gopher_repetition": [GopherRepetitionFilter()],
        "fineweb_quality": [FineWebQualityFilter()],
        "c4_lines+c4_quality": [C4LineCleaner(), C4QualityFilter()],
        "all (6 steps, shared analysis)": [
            UrlFilter(),
            GopherQualityFilter(),
            GopherRepetitionFilter(),
            FineWebQualityFilter(),
            C4LineCleaner(),
            C4QualityFilter(),
        ],
    }


def time_steps(texts: list[str], language: str | None, step_list, repeat: int, batch: int = 512) -> tuple[float, int]:
    """Best-of-``repeat`` docs/s for the steps over all texts (cache cleared before each run)."""
    rates, kept = [], 0
    for _ in range(repeat):
        docs = [
            {"id": str(i), "text": t, "language": language, "url": f"https://example.org/{i}", "status": "kept"}
            for i, t in enumerate(texts)
        ]
        clear_analysis_cache()
        start = time.perf_counter()
        out = []
        for i in range(0, len(docs), batch):
            out += run_steps(step_list, docs[i : i + batch])
        rates.append(len(docs) / (time.perf_counter() - start))
        kept = sum(d["status"] == "kept" for d in out)
    return max(rates), kept


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for label, texts, language in (
        ("English (WikiText-2)", english_docs(args.docs), "en"),
        ("Chinese (seeds prose, jieba)", chinese_docs(args.docs // 4), "zh"),
    ):
        mean_chars = statistics.mean(map(len, texts))
        print(f"\n## {label}: {len(texts)} docs, mean {mean_chars:.0f} chars, language={language}")
        # warm-up: load segmenters and lists outside the timing
        run_steps(
            steps()["all (6 steps, shared analysis)"], [{"text": texts[0], "language": language, "status": "kept"}]
        )
        print(f"| steps | docs/s (best of {args.repeat}) | kept |")
        print("|---|---:|---:|")
        for name, step_list in steps().items():
            rate, kept = time_steps(texts, language, step_list, args.repeat)
            print(f"| {name} | {rate:,.0f} | {kept}/{len(texts)} |")


if __name__ == "__main__":
    main()
