"""FineWeb quality rules on literal texts."""

from __future__ import annotations

import pytest

from pipeline.filters.fineweb import FineWebQualityFilter
from tests.test_filters_articles import GOOD_EN, GOOD_ZH

SENTENCES = [
    "The harbour was quiet in the early morning and the boats had left.",
    "A few gulls circled above the water while the baker opened his shop.",
    "Later that day the market would be full of people buying bread.",
    "Everyone hurried home before the evening rain arrived over the hills.",
]


def fineweb(text: str, language: str | None = "en", **params):
    return FineWebQualityFilter(**params).check({"text": text, "language": language})


def test_good_articles_pass():
    assert fineweb(GOOD_EN) is None
    assert fineweb(GOOD_ZH, "zh") is None


@pytest.mark.parametrize(
    ("text", "params", "expected"),
    [
        ("", {}, ("fineweb_empty", "no non-empty line")),
        (
            "\n".join(s.rstrip(".") for s in SENTENCES * 2) + "\n" + SENTENCES[0].replace("boats", "ships"),
            {},
            ("fineweb_punct_lines", "punct_lines=0.111 < 0.12"),
        ),
        (
            "\n".join(["Home", "News", "Sport", "Weather", "Contact us today"] + SENTENCES[:2]),
            {},
            ("fineweb_short_lines", "short_lines(<30 chars)=0.714 > 0.67"),
        ),
        ("\n".join(SENTENCES + [SENTENCES[0]]), {}, ("fineweb_dup_line_chars", "dup_line_chars=0.199 > 0.01")),
        (
            "\n".join(f"{w} is a very good thing to have around the house." for w in ["Bread", "Salt", "Water"])
            + "\n" * 12,
            {},
            ("fineweb_newline_ratio", "newlines_per_word=0.424 > 0.3"),
        ),
    ],
)
def test_rule_reason_codes(text, params, expected):
    assert fineweb(text, **params) == expected


def test_punctuation_share_at_the_threshold_is_kept():
    lines = [f"Part {i}: {s.rstrip('.')}" for i, s in enumerate(SENTENCES * 2)]
    lines[-1] += "."
    assert fineweb("\n".join(lines)) is None  # 1/8 = 0.125 >= 0.12


def test_chinese_short_lines_use_the_cjk_length():
    zh_lines = ["茶在中国已经有几千年的历史。", "宋代的人们非常讲究饮茶的方式。", "今天人们仍然喜欢喝茶。"]
    # each line is under 30 characters, yet a normal Chinese sentence: kept with the CJK length of 12
    assert fineweb("\n".join(zh_lines), "zh") is None
    assert fineweb("\n".join(zh_lines), "zh", cjk_short_line_length=30)[0] == "fineweb_short_lines"


def test_thresholds_are_configurable():
    text = "\n".join(SENTENCES + [SENTENCES[0]])
    assert fineweb(text, max_dup_line_chars=0.2) is None
    assert fineweb(text, max_dup_line_chars=None) is None
