"""What splitting joined Chinese paragraphs is worth on the real zh-web-extraction pages.

Extracts the 69 pages twice in one process, with ``split_joined_cjk_paragraphs`` (the default) and
with it switched off, runs the ``fineweb`` recipe's steps on both (in-process, no Spark) and prints
the documents kept, the removals by reason, and the character F1 (``score.char_f1``) against the
hand-copied ``cleaned/`` text of the documents only the split keeps.

    .venv/bin/python bench/real_pages/zh_paragraphs.py
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pages import write_warc, zh_pages
from score import char_f1

import pipeline.extract.html as html
from pipeline.extract.warc_extractor import WarcExtractor
from pipeline.recipe import load_recipe
from pipeline.step import run_steps


def filtered(warc: Path, split: bool) -> dict[str, dict]:
    """Rows after the recipe by page URL (taken before the steps: the PII step may redact it)."""
    original = html.split_joined_cjk_paragraphs
    if not split:
        html.split_joined_cjk_paragraphs = lambda text: text
    try:
        rows = [r for r in WarcExtractor().extract_file(str(warc)) if r["status"] == "kept"]
    finally:
        html.split_joined_cjk_paragraphs = original
    urls = {r["id"]: r["url"] for r in rows}
    return {urls[r["id"]]: r for r in run_steps(load_recipe("fineweb").steps, rows)}


def main() -> None:
    pages = zh_pages()
    truth = {p.url: p.truth["text"] for p in pages}
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "zh.warc.gz"
        write_warc(pages, warc)
        runs = {"without the split": filtered(warc, False), "with the split": filtered(warc, True)}
    for name, rows in runs.items():
        kept = [r for r in rows.values() if r["status"] == "kept"]
        reasons = Counter(r["removed_reason"] for r in rows.values() if r["status"] != "kept")
        print(f"{name}: {len(kept)} of {len(pages)} pages kept; removed {dict(reasons.most_common())}")
    before, after = runs["without the split"], runs["with the split"]
    new = [u for u, r in after.items() if r["status"] == "kept" and before[u]["status"] != "kept"]
    scores = sorted(char_f1(truth[u], after[u]["text"]) for u in new)
    if scores:
        print(
            f"kept only with the split: {len(new)}, char F1 vs cleaned/ mean {sum(scores) / len(scores):.3f}, "
            f"per page {[round(s, 2) for s in scores]}"
        )


if __name__ == "__main__":
    main()
