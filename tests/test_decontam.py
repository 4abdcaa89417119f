"""Decontamination against evaluation files: real wikitext-2 test passages are caught, other text is not.

The eval set is ``corpora/wikitext-2/test.txt`` (tokenised wikitext: ``@-@``, `` 's``, ``<unk>``); the
documents hold its passages as running text (detokenised, ``<unk>`` replaced by a name), as a web page
would; the negatives are wikitext-2 *validation* paragraphs (other articles, same style).
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from pipeline.config import ConfigError
from pipeline.decontam.index import build_index, set_name
from pipeline.decontam.match import document_hits
from pipeline.decontam.ngrams import is_char_text, tokens
from tests.conftest import shared_path

CFG = SimpleNamespace(word_ngram=13, char_ngram=20, char_languages=("zh", "ja"), min_ngrams=1, mode="remove")


def detokenise(line: str) -> str:
    line = line.replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".").replace("<unk>", "Smith")
    return re.sub(r" ([,.;:'])", r"\1", line).strip()


def long_lines(path, min_words=60):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) > min_words]


@pytest.fixture(scope="module")
def wikitext():
    root = shared_path("corpora", "wikitext-2")
    index = build_index([str(root / "test.txt")], 13, 20)
    return root, index


def test_tokens_ignore_punctuation_and_wikitext_tokenisation():
    assert tokens("a guest @-@ starring role in Teddy 's Story", False) == tokens(
        "A guest-starring role in Teddy's Story.", False
    )
    assert tokens("中文，网页", True) == ["中", "文", "网", "页"]
    assert is_char_text("这是一个中文页面 with a little English") and not is_char_text("plain English text")


def test_passages_of_the_eval_set_are_caught_and_other_paragraphs_are_not(wikitext):
    root, index = wikitext
    assert index.names == ("test",) and index.ngrams[0] > 50_000
    test_lines = long_lines(root / "test.txt")
    caught = [bool(document_hits(detokenise(line), "en", index, CFG)) for line in test_lines]
    # a few passages are mostly <unk>: no 13 known words in a row, nothing to match (measured 1,499 of 1,530)
    assert sum(caught) >= 0.97 * len(test_lines)
    false_hits = [
        line[:60] for line in long_lines(root / "valid.txt") if document_hits(detokenise(line), "en", index, CFG)
    ]
    assert false_hits == []


def test_a_page_quoting_one_passage_names_the_set_and_the_overlap(wikitext):
    root, index = wikitext
    passage = detokenise(long_lines(root / "test.txt")[3])
    page = "Welcome to our fan site! Read the latest news below.\n" + passage[:400] + "\nShare this page."
    hits = document_hits(page, "en", index, CFG)
    assert [name for name, _, _ in hits] == ["test"] and hits[0][1] >= 10
    assert hits[0][2] in page.lower()  # the first shared 13-gram, as written in the page
    assert document_hits(page, "en", index, SimpleNamespace(**{**vars(CFG), "min_ngrams": 10_000})) == []


def test_jsonl_eval_sets_and_chinese_characters(tmp_path, shared_data):
    cleaned = sorted(shared_path("pages", "zh-web-extraction", "cleaned").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in cleaned[:6]]
    eval_file = tmp_path / "zh_eval.jsonl"
    eval_file.write_text("\n".join(json.dumps({"text": t, "id": i}) for i, t in enumerate(texts[:3])), "utf-8")
    index = build_index([f"zh={eval_file}"], 13, 20)
    quoted = re.sub(r"\s+", "", texts[1])[100:160]
    assert document_hits("转载：" + quoted + "。欢迎评论", "zh", index, CFG)[0][0] == "zh"
    assert all(document_hits(t, "zh", index, CFG) == [] for t in texts[3:])


def test_set_names_and_bad_configuration(tmp_path):
    assert set_name("/data/mmlu.test.jsonl") == ("mmlu", "/data/mmlu.test.jsonl")
    assert set_name("wiki=/data/x.txt") == ("wiki", "/data/x.txt")
    from jobs.decontaminate import load_config

    with pytest.raises(ConfigError, match="decontam.mode"):
        load_config(None, [f"decontam.eval_sets=[{json.dumps(__file__)}]", "decontam.mode=drop"])
    with pytest.raises(ConfigError, match="not a file"):
        load_config(None, ["decontam.eval_sets=[/no/such/file.txt]"])
    with pytest.raises(ConfigError, match="at least one"):
        load_config(None, [])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\nnot json\n', "utf-8")
    from jobs.decontaminate import build_eval_index

    with pytest.raises(ConfigError, match="bad.jsonl:2"):
        build_eval_index(load_config(None, [f"decontam.eval_sets=[{json.dumps(str(bad))}]"]).decontam)
