"""Word segmentation, script detection, language codes and stop-word lists."""

from __future__ import annotations

import logging
import os

import pytest

from pipeline.text import guess_language_from_script, normalize_language, resolve_language, split_words, stop_words
from pipeline.text.segment import cache_dir, japanese_charclass_words, jieba_tokenizer, segmenter_name
from pipeline.text.stopwords import available_languages


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("zh-Hans", "zh"),
        ("zh_TW", "zh"),
        ("ZHO", "zh"),
        ("cmn", "zh"),
        ("__label__ja", "ja"),
        ("jpn", "ja"),
        ("unknown", None),
        ("und", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_language(code, expected):
    assert normalize_language(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("茶在中国已经有几千年的历史。", "zh"),
        ("吾輩は猫である。名前はまだ無い。", "ja"),
        ("한국어는 띄어쓰기를 사용합니다.", "ko"),
        ("ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ", "th"),
        ("The harbour was quiet.", None),
        ("Der Hafen war ruhig, 中文 only a little.", None),
        ("1234 !!!", None),
        ("", None),
    ],
)
def test_script_check(text, expected):
    assert guess_language_from_script(text) == expected


def test_language_column_wins_over_the_script():
    assert resolve_language("de", "茶在中国已经有几千年的历史。") == "de"
    assert resolve_language("unknown", "茶在中国已经有几千年的历史。") == "zh"


def test_whitespace_words_strip_punctuation():
    assert split_words("Hello, world! (It's) 3.5% — “quoted” ... #tag", "en") == [
        "Hello",
        "world",
        "It's",
        "3.5",
        "quoted",
        "tag",
    ]


def test_chinese_uses_jieba_words():
    assert segmenter_name("zh") == "jieba"
    assert split_words("我们今天去北京大学参观。", "zh") == ["我们", "今天", "去", "北京大学", "参观"]


def test_japanese_uses_mecab_with_unidic_lite():
    assert segmenter_name("ja") == "mecab"
    assert split_words("吾輩は猫である。名前はまだ無い。", "ja") == [
        "吾輩",
        "は",
        "猫",
        "で",
        "ある",
        "名前",
        "は",
        "まだ",
        "無い",
    ]


def test_japanese_character_class_fallback():
    assert japanese_charclass_words("吾輩は猫である。カタカナとABC123も。") == [
        "吾輩",
        "は",
        "猫",
        "である",
        "カタカナ",
        "と",
        "ABC123",
        "も",
    ]


def test_compatibility_ideographs_are_kanji_not_part_of_a_latin_word():
    # U+F929 (a CJK compatibility ideograph) after Latin letters: its own kanji run, as U+6717 would be
    assert japanese_charclass_words("ABC\uf929です") == ["ABC", "\uf929", "です"]
    assert japanese_charclass_words("ABC\u6717です") == ["ABC", "\u6717", "です"]


def test_every_east_asian_character_class_is_built_from_the_shared_ranges():
    """The Chinese/Japanese character classes of the extraction fix-ups, dedup normalisation, n-gram
    units, mC4 weights and KenLM units all accept the first and last character of every range of
    ``pipeline.text.script.ZH_JA`` (they were written out separately, with different ranges)."""
    import re

    from pipeline.decontam import ngrams
    from pipeline.dedup import normalize
    from pipeline.extract import tables
    from pipeline.filters import mc4
    from pipeline.lm import units
    from pipeline.text.script import ZH_JA

    ends = [ZH_JA[i] for i in range(len(ZH_JA)) if ZH_JA[i] != "-"]
    assert len(ends) == 8
    for pattern in (tables._CJK_CHAR, normalize._CJK_CHAR, units._CJK_CHAR, mc4._CJK, ngrams._CJK):
        assert all(pattern.fullmatch(c) for c in ends), pattern.pattern
        assert not any(pattern.fullmatch(c) for c in "aé1 Ω"), pattern.pattern
    assert re.fullmatch(f"[{ZH_JA}]+", "吾輩は猫でアル\uf929")


def test_thai_is_cut_into_fixed_pseudo_words():
    assert segmenter_name("th") == "chunks"
    assert split_words("ภาษาไทย hello.", "th") == ["ภาษา", "ไทย", "hello"]


def test_jieba_caches_only_in_our_directory_and_is_quiet(tmp_path):
    tokenizer = jieba_tokenizer()
    assert tokenizer.tmp_dir == cache_dir()
    assert os.path.isfile(os.path.join(cache_dir(), "jieba.cache"))
    assert logging.getLogger("jieba").level >= logging.WARNING


def test_stop_word_lists():
    assert set(available_languages()) >= {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "zh", "ja", "ko"}
    # the Gopher paper's list, exactly
    assert stop_words("en") == {"the", "be", "to", "of", "and", "that", "have", "with"}
    assert {"的", "了", "是"} <= stop_words("zh")
    assert {"の", "は", "です"} <= stop_words("ja")
    assert "und" in stop_words("de")
    assert stop_words("sw") == frozenset()
    assert stop_words(None) == frozenset()
    assert all(not w.startswith("#") and w == w.strip() for lang in available_languages() for w in stop_words(lang))


def test_chinese_words_by_line_equal_segmenting_each_line():
    from pipeline.text.segment import split_words_by_line

    text = "茶在中国已经有几千年的历史。\r\n宋代的人们非常讲究饮茶的方式。\n\n  Hello 世界！\u2028最后一行\n"
    assert split_words_by_line(text, "zh") == [split_words(line, "zh") for line in text.splitlines()]
    assert len(split_words_by_line(text, "zh")) == len(text.splitlines()) == 5
