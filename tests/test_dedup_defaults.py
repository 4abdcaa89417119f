"""The measured MinHash defaults on real text: 3 %-edited copies are found, unrelated documents are not.

``bench/dedup/defaults.py`` measures the whole curve; this pins its headline on a few real documents
(wikitext-2 paragraphs, zh-news articles), seeded, through the stage's own ``BandKeyer``.
"""

from __future__ import annotations

import gzip
import json
import random

import numpy as np

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.signatures import BandKeyer
from tests.conftest import shared_path


def _real_documents() -> list[tuple[str, str]]:
    lines = shared_path("corpora", "wikitext-2", "test.txt").read_text(encoding="utf-8").splitlines()
    en = [line.strip() for line in lines if len(line.split()) >= 250][:15]
    with gzip.open(shared_path("corpora", "zh-news", "articles.jsonl.gz"), "rt", encoding="utf-8") as fh:
        zh = [t for t in (json.loads(line)["text"] for line in fh) if len(t) >= 600][:15]
    return [(t, "en") for t in en] + [(t, "zh") for t in zh]


def _edit(text: str, language: str, rate: float, rng: random.Random) -> str:
    """Substitute a share ``rate`` of the words (characters for zh) with another unit of the text."""
    units = list(text) if language == "zh" else text.split()
    out = [rng.choice(units) if rng.random() < rate else u for u in units]
    return "".join(out) if language == "zh" else " ".join(out)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def _found(cfg: DedupConfig, docs: list[tuple[str, str]], copies: list[str]) -> tuple[int, int]:
    """(copies sharing a band key with their original and passing verification, unrelated pairs that would)."""
    texts = [t for t, _ in docs] + copies
    langs = [lang for _, lang in docs] * 2
    res = BandKeyer(cfg).keys(texts, langs, with_sets=True)
    n = len(docs)

    def matched(i: int, j: int) -> bool:
        shared = bool((res.keys[i] == res.keys[j]).any())
        return shared and (not cfg.verify or _jaccard(res.hash_sets[i], res.hash_sets[j]) >= cfg.threshold)

    found = sum(matched(i, n + i) for i in range(n))
    false = sum(matched(i, j) for i in range(n) for j in range(i + 1, n))
    return found, false


def test_defaults_find_three_percent_edits_that_the_old_defaults_missed():
    cfg = DedupConfig()
    assert (cfg.word_ngram, cfg.char_ngram, cfg.bands, cfg.rows, cfg.threshold, cfg.verify) == (4, 4, 20, 5, 0.7, True)
    docs = _real_documents()
    rng = random.Random(7)
    copies = [_edit(t, lang, 0.03, rng) for t, lang in docs]
    found, false = _found(cfg, docs, copies)
    assert found >= 0.95 * len(docs) and false == 0
    old = DedupConfig(threshold=0.8, bands=None, rows=None, word_ngram=5, char_ngram=5, verify=False)
    old_found, _ = _found(old, docs, copies)
    assert old_found < found
