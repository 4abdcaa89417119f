"""mc4_paragraphs: at least 3 lines of at least 200 characters (mC4), CJK characters weighted 2.5."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest

from pipeline.config import ConfigError
from pipeline.filters.mc4 import MC4ParagraphFilter, line_length
from pipeline.recipe import make_step
from tests.conftest import shared_path

LONG = "word " * 40  # 200 characters


def test_three_long_lines_keep_a_page_two_do_not():
    f = MC4ParagraphFilter()
    assert f.check({"text": "\n".join([LONG, "short", LONG, LONG])}) is None
    assert f.check({"text": "\n".join([LONG, LONG, "short " * 30 + "x"])}) == (
        "mc4_too_few_long_lines",
        "long_lines=2 < 3 (>= 200 chars)",
    )
    assert f.check({"text": "\n".join([LONG[:199]] * 5)})[0] == "mc4_too_few_long_lines"  # 199 < 200
    assert f.check({"text": None})[0] == "mc4_too_few_long_lines"


def test_cjk_lines_are_weighted_and_the_reference_count_is_one_option():
    han = "我们今天讨论数据的质量问题" * 7  # 91 Han characters: 227.5 weighted
    page = "\n".join([han, han, han])
    assert line_length(han, 2.5) == pytest.approx(227.5)
    assert MC4ParagraphFilter().check({"text": page}) is None
    assert MC4ParagraphFilter(cjk_char_weight=1.0).check({"text": page})[0] == "mc4_too_few_long_lines"


def test_declared_parameters_are_validated():
    step = make_step("mc4_paragraphs", {"min_lines": 2})
    assert step.describe()["params"] == {"min_lines": 2, "min_line_length": 200, "cjk_char_weight": 2.5}
    with pytest.raises(ConfigError, match=r"mc4_paragraphs\.cjk_char_weight: 0\.5 .*\[1, 5\]"):
        make_step("mc4_paragraphs", {"cjk_char_weight": 0.5})


def test_on_real_chinese_news_the_weight_keeps_comparable_pages():
    with gzip.open(shared_path("corpora", "zh-news", "articles.jsonl.gz"), "rt") as f:
        zh = [json.loads(line)["text"] for line in itertools.islice(f, 2000)]
    kept = {w: sum(MC4ParagraphFilter(cjk_char_weight=w).check({"text": t}) is None for t in zh) for w in (1.0, 2.5)}
    # all 18,856 articles: 2.2 % kept at the reference's 200 characters, 41.7 % with the weight
    # (the articles are short news items, median 443 characters)
    assert kept[1.0] < 0.05 * len(zh) and kept[2.5] > 0.3 * len(zh)
