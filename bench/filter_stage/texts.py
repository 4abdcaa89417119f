"""Real text per language for the per-language filter benchmark (from ``../shared/data``).

Every language is cut the same way: consecutive paragraphs joined (blank line between them) until
a document reaches ``DOC_CHARS`` characters, so docs/s compare documents of the same size.

- en: WikiText-2 validation + test, lightly detokenised (as ``bench/filters``), headings dropped.
- zh-news: ``corpora/zh-news`` CCTV news transcripts, one paragraph per line of each article.
- zh-web: ``pages/zh-web-extraction/cleaned``: the hand-copied main text of 69 real Chinese
  pages (blogs, forums, news), one document per page, as it is (not cut).
- ja: ``corpora/sentencepiece/wagahaiwa_nekodearu.txt`` (Natsume Soseki, Aozora Bunko), the
  novel's body with Aozora's ruby 《...》, ｜ and ［＃...］ editor notes removed.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
DOC_CHARS = 3000


def chunk(paragraphs: list[str], n_docs: int) -> list[str]:
    docs, current = [], []
    for p in paragraphs:
        current.append(p)
        if sum(map(len, current)) >= DOC_CHARS:
            docs.append("\n\n".join(current))
            current = []
            if len(docs) == n_docs:
                break
    return docs


def english(n_docs: int) -> list[str]:
    corpus = SHARED / "corpora/wikitext-2"
    raw = "\n".join((corpus / f"{split}.txt").read_text(encoding="utf-8") for split in ("valid", "test"))
    text = raw.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".")
    text = re.sub(r" ([.,;:!?)'])", r"\1", text).replace("( ", "(")
    paragraphs = [p.strip() for p in text.splitlines() if len(p.strip()) > 200 and not p.strip().startswith("=")]
    return chunk(paragraphs, n_docs)


def chinese_news(n_docs: int) -> list[str]:
    paragraphs = []
    with gzip.open(SHARED / "corpora/zh-news/articles.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            paragraphs += [p.strip() for p in json.loads(line)["text"].splitlines() if p.strip()]
            if sum(map(len, paragraphs)) > DOC_CHARS * (n_docs + 1) * 2:
                break
    return chunk(paragraphs, n_docs)


def chinese_web(n_docs: int) -> list[str]:
    pages = sorted((SHARED / "pages/zh-web-extraction/cleaned").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace").strip() for p in pages]
    return [t for t in texts if t][:n_docs]


def japanese(n_docs: int) -> list[str]:
    text = (SHARED / "corpora/sentencepiece/wagahaiwa_nekodearu.txt").read_text(encoding="utf-8")
    body = text.split("-" * 55)[2] if text.count("-" * 55) >= 2 else text
    body = re.sub(r"《[^》]*》|［＃[^］]*］|｜", "", body)
    paragraphs = [p.strip() for p in body.splitlines() if len(p.strip()) >= 20]
    return chunk(paragraphs, n_docs)


# name -> (language column, loader)
SETS = {
    "en (WikiText-2)": ("en", english),
    "zh (zh-news)": ("zh", chinese_news),
    "zh (zh-web-extraction cleaned)": ("zh", chinese_web),
    "ja (Wagahai wa neko de aru)": ("ja", japanese),
}
