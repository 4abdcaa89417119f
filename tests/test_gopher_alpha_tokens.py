"""Gopher's "80 % of words contain a letter" counts whitespace tokens, punctuation-only ones included
(Rae et al. 2021, A.1.1; datatrove agrees), with a CJK-aware equivalent for text without spaces."""

from __future__ import annotations

import gzip
import itertools
import json

from pipeline.filters.gopher import GopherQualityFilter, alpha_token_share
from pipeline.text.analysis import analyze
from tests.conftest import shared_path

SOUP = " ".join(["the ./!*?<><> apple <?////> orange ++ interconnection !<>??? have"] * 20)


def test_symbol_soup_from_the_issue_is_removed():
    # 9 whitespace tokens, 4 without a letter: 5/9 = 0.556 (the old count, punctuation tokens
    # dropped first, saw 5/5 and kept it)
    assert GopherQualityFilter().check({"text": SOUP, "language": "en"}) == (
        "gopher_alpha_words",
        "alpha_words=0.556 < 0.8",
    )
    assert GopherQualityFilter().check({"text": SOUP, "language": None})[0] == "gopher_alpha_words"


def test_chinese_symbol_soup_is_removed_and_numbers_glued_to_words_are_not_tokens():
    soup = "".join(["我们./!*?<><>苹果<?////>橙子++联系!<>???有。"] * 20)
    assert GopherQualityFilter().check({"text": soup, "language": "zh"})[0] == "gopher_alpha_words"
    assert alpha_token_share(analyze("今天（11月10日）增长8.6%，共1185例。", "zh")) == 1.0
    table = "".join(["数据 12 | 34 | 56 | 78 | 90 |\n"] * 20)  # a table of bare numbers and bars
    assert alpha_token_share(analyze(table, "zh")) < 0.2


def test_ordinary_prose_keeps_its_share():
    text = "It's 3.5 km to the e-mail office, isn't it? (Yes.) " * 10
    assert alpha_token_share(analyze(text, "en")) == 0.9  # "3.5" is the one letter-less token in 10


def test_real_english_chinese_and_japanese_text_passes():
    en = [
        json.loads(line)["text"]
        for name in ("cc_en_head-0091.jsonl", "cc_en_head-0174.jsonl")
        for line in shared_path("corpora", "dolma_cc_en_head", name).open()
    ]
    with gzip.open(shared_path("corpora", "zh-news", "articles.jsonl.gz"), "rt") as f:
        zh = [json.loads(line)["text"] for line in itertools.islice(f, 500)]
    lines = shared_path("corpora", "sentencepiece", "wagahaiwa_nekodearu.txt").read_text().splitlines()
    ja = ["\n".join(lines[i : i + 20]) for i in range(0, len(lines), 20)]
    for lang, texts, lowest in (("en", en, 0.94), ("zh", zh, 0.92), ("ja", ja, 0.92)):
        shares = [alpha_token_share(analyze(t, lang)) for t in texts if len(t) > 200]
        assert min(shares) >= lowest, (lang, min(shares))  # measured: en 0.941, zh 0.923, ja 0.923
