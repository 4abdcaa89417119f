"""repeated_lines: later copies of a line leave a slightly repetitive text (quoted replies, per-post
headers) before the repetition rules judge it; a text made of repetition is left whole for them."""

from __future__ import annotations

import pytest

from pipeline.recipe import load_recipe
from pipeline.step import run_steps
from pipeline.text.analysis import analyze, clear_analysis_cache
from pipeline.text.segment import split_words_by_line
from pipeline.transform.repeated_lines import RepeatedLineRemover
from tests.conftest import wceb_extracted

POSTS = [
    "I am selling the house we bought twenty years ago and want advice on where to put the money.",
    "Re: Portfolio review request",
    "I am very sorry for your loss, and I think you are in a good position for the years ahead.",
    "Re: Portfolio review request",
    "I am very sorry for your loss, and I think you are in a good position for the years ahead.",
    "Thank you, that is kind. Would you keep the bond fund or move it into the money market?",
    "Re: Portfolio review request",
    "Keep the bond fund; its duration matches the years until your pension starts paying out.",
]


def test_later_copies_go_and_the_first_copy_keeps_its_place():
    doc = RepeatedLineRemover().process({"text": "\n".join(POSTS), "language": "en"})
    assert doc["text"].split("\n") == [POSTS[0], POSTS[1], POSTS[2], POSTS[5], POSTS[7]]
    assert doc["n_chars"] == len(doc["text"])


def test_a_text_made_of_repetition_is_left_whole():
    spam = "\n".join(POSTS[:2] + ["Cheap phones shipped free to every city, call us now to order today."] * 5)
    assert RepeatedLineRemover().process({"text": spam, "language": "en"})["text"] == spam
    # the share is measured on characters: over 0.3 here, under 0.6
    assert RepeatedLineRemover(max_share=0.6).process({"text": spam, "language": "en"})["text"] != spam


@pytest.mark.parametrize("off", [0, None])
def test_max_share_zero_or_null_changes_nothing(off):
    text = "\n".join(POSTS)
    assert RepeatedLineRemover(max_share=off).process({"text": text, "language": "en"})["text"] == text


def test_lines_compare_stripped_and_empty_lines_stay():
    text = "First line of the post.\n\n  First line of the post.  \n\nSecond line."
    assert (
        RepeatedLineRemover(max_share=1.0).process({"text": text})["text"]
        == "First line of the post.\n\n\nSecond line."
    )


def test_chinese_words_handed_on_match_a_fresh_segmentation():
    lines = ["今天我们讨论城市的公共交通问题。", "回复：公共交通", "地铁票价应该降低，这样更多人会选择地铁。", "回复：公共交通",
             "我同意，公交车也需要更多的专用车道。", "回复：公共交通", "周末的班次太少了，希望能够增加。"]  # fmt: skip
    clear_analysis_cache()
    doc = RepeatedLineRemover().process({"text": "\n".join(lines), "language": "zh"})
    assert doc["text"].split("\n") == lines[:3] + [lines[4], lines[6]]
    cached = analyze(doc["text"], "zh").line_words
    assert cached == split_words_by_line(doc["text"], "zh")


def test_recipes_run_it_between_c4s_line_and_page_rules_and_the_parity_recipe_not_at_all():
    for name in ("fineweb", "rules"):
        names = [s.name for s in load_recipe(name).steps]
        assert names.index("c4_lines") + 1 == names.index("repeated_lines") == names.index("c4_quality") - 1, name
    assert "repeated_lines" not in [s.name for s in load_recipe("fineweb-en").steps]


def _outcome(recipe, text, language="en"):
    doc = {"id": "d", "url": "https://example.org/d", "text": text, "language": language, "status": "kept"}
    steps = [s for s in recipe.steps if s.name not in ("url_filter", "language_id", "language_filter", "pii_redactor")]
    return run_steps(steps, [doc])[0]


def test_a_real_forum_thread_with_quoted_replies_is_kept(shared_data):
    # Arch Linux forum thread: replies quote earlier posts; without the step Gopher's repeated 5-gram
    # rule removes it (37 % of the characters in repeated 5-grams, limit 15 %)
    url = "https://bbs.archlinux.org/viewtopic.php?id=298271"
    _html, text = wceb_extracted([url])[url]
    before = _outcome(load_recipe("fineweb", ["repeated_lines.max_share=0"]), text)
    assert (before["status"], before["removed_reason"]) == ("removed", "gopher_dup_5gram")
    after = _outcome(load_recipe("fineweb"), text)
    assert after["status"] == "kept", after.get("removed_reason")
    kept = after["text"].split("\n")
    assert len(kept) == len(set(kept)) and len(kept) > 10
