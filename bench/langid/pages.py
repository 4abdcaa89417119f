"""Real web pages and news text for the language-ID benchmark (labels from where the text came from).

* ``pages/wceb``: the main text of 999 modern web pages (2025-26), labelled by the benchmark's
  ``pairs.tsv`` (994 en, 4 fr, 1 bg; see its SOURCE.md).
* ``pages/zh-web-extraction``: hand-copied main text of 69 Chinese pages (blogs, forums, news).
* ``corpora/zh-news``: CCTV news transcripts (simplified Chinese).

Each gives labelled snippets (short windows and paragraphs, as in dataset.py) and whole documents
for the speed test on web-sized inputs.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re

from bench.langid.dataset import SHARED, Sample, from_paragraphs

PAGES = SHARED / "data" / "pages"
ZH_NEWS = SHARED / "data" / "corpora" / "zh-news" / "articles.jsonl.gz"
_CJK_WRAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")


def wceb_documents() -> list[tuple[str, str]]:
    """(label, main text) of every wceb page with a ground truth."""
    folder = PAGES / "wceb"
    out = []
    with (folder / "pairs.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if not row["ground_truth"] or not row["lang_of_gt"]:
                continue
            text = json.loads((folder / row["ground_truth"]).read_text(encoding="utf-8"))["ground_truth"][
                "main_content"
            ]
            if text:
                out.append((row["lang_of_gt"], text))
    return out


def zh_web_documents() -> list[str]:
    """The 69 Chinese pages' main text, with the hard line wraps inside Chinese sentences undone."""
    folder = PAGES / "zh-web-extraction" / "cleaned"
    return [_CJK_WRAP.sub("", p.read_text(encoding="utf-8", errors="replace")) for p in sorted(folder.glob("*.txt"))]


def zh_news_documents(limit: int = 2000) -> list[str]:
    with gzip.open(ZH_NEWS, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for _, line in zip(range(limit), fh)]


def _paragraphs(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def page_samples(rng: random.Random, per_source: int = 100) -> list[Sample]:
    """Paragraph-sized and short snippets of the pages (all non-English wceb pages, a sample of English)."""
    samples = []
    wceb = wceb_documents()
    by_label: dict[str, list[str]] = {}
    for label, text in wceb:
        by_label.setdefault(label, []).append(text)
    for label, texts in sorted(by_label.items()):
        paras = [p for t in texts for p in _paragraphs(t)]
        samples += from_paragraphs(paras, label, "wceb", rng, per_source if label == "en" else 10)
    zh_web = [p for t in zh_web_documents() for p in _paragraphs(t)]
    samples += from_paragraphs(zh_web, "zh", "zh-web-extraction", rng, per_source, cjk=True)
    news = [p for t in zh_news_documents(500) for p in _paragraphs(t)]
    samples += from_paragraphs(news, "zh", "zh-news", rng, per_source, cjk=True)
    return samples


def web_documents() -> list[str]:
    """Whole documents as a crawl's extraction writes them: wceb pages, Chinese pages, zh-news articles."""
    return [text for _, text in wceb_documents()] + zh_web_documents() + zh_news_documents(300)
