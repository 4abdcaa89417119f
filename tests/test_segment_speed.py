"""The faster segmenters give the rules the same words: rjieba vs jieba on real Chinese, MeCab's
wakati output vs its nodes on a real Japanese novel, and C4's cleaned text reusing its words."""

from __future__ import annotations

import gzip
import json
import re
import sys

import pytest

from pipeline import step as step_module
from pipeline.recipe import load_recipe
from pipeline.step import run_steps
from pipeline.text import segment
from pipeline.text.analysis import analyze, clear_analysis_cache
from pipeline.transform.c4_lines import C4LineCleaner
from tests.conftest import shared_path

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese_segmenter():
    yield segment.use_chinese_segmenter
    segment.use_chinese_segmenter("rjieba")
    clear_analysis_cache()


@pytest.fixture
def japanese_output():
    yield segment.use_japanese_output
    segment.use_japanese_output("wakati")
    clear_analysis_cache()


def news_articles(n: int) -> list[str]:
    path = shared_path("corpora", "zh-news", "articles.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line)["text"] for _, line in zip(range(n), f)]


def test_rjieba_cuts_chinese_words_exactly_like_jieba(chinese_segmenter):
    texts = news_articles(40)
    chinese_segmenter("jieba")
    before = [segment.chinese_cut()(t) for t in texts]
    chinese_segmenter("rjieba")
    after = [segment.chinese_cut()(t) for t in texts]
    assert segment.chinese_cut() is not segment.jieba_tokenizer().lcut  # rjieba is installed and used
    for text, a, b in zip(texts, before, after):
        assert "".join(a) == "".join(b) == text  # both are cuts of the text
        assert [w for w in a if HAN.search(w)] == [w for w in b if HAN.search(w)]


def test_rule_decisions_on_real_chinese_do_not_depend_on_the_segmenter(chinese_segmenter):
    steps = [s for s in load_recipe("fineweb").steps if s.name not in ("language_id", "language_filter")]
    docs = [t for t in news_articles(60) if len(t) > 300][:25]
    outcomes = {}
    for name in segment.CHINESE_SEGMENTERS:
        chinese_segmenter(name)
        clear_analysis_cache()
        out = run_steps(
            steps, [{"id": str(i), "text": t, "language": "zh", "status": "kept"} for i, t in enumerate(docs)]
        )
        outcomes[name] = [(d["status"], d.get("removed_reason"), d["text"]) for d in out]
    assert outcomes["rjieba"] == outcomes["jieba"]
    assert any(status == "kept" for status, _, _ in outcomes["jieba"])


def test_missing_rjieba_falls_back_to_jieba(monkeypatch):
    monkeypatch.setitem(sys.modules, "rjieba", None)  # import rjieba raises ImportError
    monkeypatch.delitem(step_module._CACHE, "pipeline.text.rjieba", raising=False)
    assert segment.chinese_cut() == segment.jieba_tokenizer().lcut
    assert segment.split_words("我们今天去北京大学参观。", "zh") == ["我们", "今天", "去", "北京大学", "参观"]
    monkeypatch.delitem(step_module._CACHE, "pipeline.text.rjieba")


def test_unknown_segmenter_names_are_refused():
    with pytest.raises(ValueError, match="valid values are"):
        segment.use_chinese_segmenter("pkuseg")
    with pytest.raises(ValueError, match="valid values are"):
        segment.use_japanese_output("chasen")


def test_chinese_lines_are_cut_like_the_whole_text():
    text = "第一行我们去北京。\n\n  第二行，F-16 战机\r\n最后一行"
    lines = segment.split_words_by_line(text, "zh")
    assert lines == [segment.split_words(line, "zh") for line in text.splitlines()]
    assert lines[1] == [] and lines[2][-1] == "战机"


def test_mecab_wakati_gives_the_node_words_on_a_real_novel(japanese_output):
    text = shared_path("corpora", "sentencepiece", "wagahaiwa_nekodearu.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if len(line) > 30][:300]
    japanese_output("nodes")
    nodes = [segment.split_words(line, "ja") for line in lines]
    japanese_output("wakati")
    assert [segment.split_words(line, "ja") for line in lines] == nodes
    assert sum(map(len, nodes)) > 5000


@pytest.mark.parametrize("language", ["zh", "ja"])
def test_c4_cleaned_text_reuses_the_words_it_was_cut_into(language):
    text = {
        "zh": "新闻联播\n我们今天去北京大学参观，看到了很多学生。\n  他们在图书馆里认真学习，准备考试。  \n短行",
        "ja": "見出し\n吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\n何でも薄暗いじめじめした所で泣いていた。",
    }[language]
    clear_analysis_cache()
    doc = C4LineCleaner().process({"id": "1", "text": text, "language": language, "status": "kept"})
    assert doc["text"].count("\n") == 1  # the headline and the short line are gone
    reused = analyze(doc["text"], language).__dict__.get("line_words")
    assert reused is not None  # stored by the cleaner, not recomputed
    clear_analysis_cache()
    assert analyze(doc["text"], language).line_words == reused
