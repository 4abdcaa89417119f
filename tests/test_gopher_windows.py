"""``gopher_repetition.dup_ngram_window``: duplicated n-grams measured within windows of words.

The share of a clean text's characters in repeated 5-grams grows with its length (long documentation
reuses its terms section after section), so Gopher's whole-document limits remove long reference pages
that short ones like them pass (bench/real_pages/RESULTS.md). With a window, only repetition within
each stretch of that many words counts; the recipes measure within 500 words.
"""

from __future__ import annotations

import random
import sys

import pytest

from pipeline.filters.gopher import GopherRepetitionFilter, ngram_windows
from pipeline.recipe import load_recipe
from pipeline.text.analysis import analyze
from tests.conftest import ROOT, SHARED_DATA, wceb_extracted
from tests.test_recipe_order import RULES, outcome
from tests.test_recipe_order import rule_steps as recipe_steps


def wikitext_paragraphs() -> list[str]:
    text = (SHARED_DATA / "corpora" / "wikitext-2" / "test.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.split("\n") if len(line) > 400 and not line.startswith(" =")]


def rule_steps(overrides: tuple[str, ...] = ()):
    return recipe_steps("fineweb", RULES, overrides)


def test_the_recipes_measure_within_500_words_and_the_parity_recipe_as_gopher():
    for name in ("fineweb", "rules"):
        (step,) = [s for s in load_recipe(name).steps if s.name == "gopher_repetition"]
        assert step.dup_ngram_window == 500, name
    (parity,) = [s for s in load_recipe("fineweb-en").steps if s.name == "gopher_repetition"]
    assert parity.dup_ngram_window is None
    assert GopherRepetitionFilter().dup_ngram_window is None  # the class default is the paper's rule


@pytest.mark.parametrize("bad", [5, 0, -1, 500.5, True])
def test_a_window_under_ten_words_or_not_whole_is_refused(bad):
    with pytest.raises((ValueError, TypeError)):
        GopherRepetitionFilter(dup_ngram_window=bad)


def test_a_bad_window_in_a_recipe_override_names_the_parameter():
    with pytest.raises(Exception, match="dup_ngram_window"):
        load_recipe("fineweb", ["gopher_repetition.dup_ngram_window=3"])


def test_windows_are_consecutive_and_a_short_tail_joins_the_window_before():
    def sizes(n_words: int, window: int) -> list[int] | None:
        a = analyze(" ".join(f"word{i}" for i in range(n_words)), "en")
        got = ngram_windows(a, window)
        return None if got is None else [len(w.words) for w in got]

    assert sizes(749, 500) is None  # under one and a half windows: the whole text, as without a window
    assert sizes(750, 500) == [500, 250]
    assert sizes(1000, 500) == [500, 500]
    assert sizes(1249, 500) == [500, 749]  # a tail of 249 words joins the window before
    assert sizes(1250, 500) == [500, 500, 250]
    assert sum(sizes(10_007, 300)) == 10_007


def test_texts_shorter_than_one_and_a_half_windows_are_judged_as_without_one(shared_data):
    rng = random.Random(3)
    paragraphs = wikitext_paragraphs()
    plain, windowed = GopherRepetitionFilter(), GopherRepetitionFilter(dup_ngram_window=500)
    for _ in range(60):
        text = "\n".join(rng.sample(paragraphs, rng.randint(1, 6)))
        words = analyze(text, "en").words
        spam = " ".join(rng.sample(words, min(len(words), 12)))
        text += ("\n" + spam) * rng.randint(0, 6)  # some of them repetitive enough to be removed
        doc = {"text": text, "language": "en"}
        if len(analyze(text, "en").words) < 750:
            assert plain.check(doc) == windowed.check(doc)


def test_the_share_is_the_character_weighted_mean_over_the_windows():
    """A 1,000-word text whose first half repeats one sentence and whose second half is 500 distinct
    words: the windowed share is the first window's share weighted by its characters."""
    prose = [f"term{i}" for i in range(500)]
    sentence = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "near", "the", "river", "bank"]
    spam = (sentence * 40)[:500]
    text = " ".join(spam + prose)
    a = analyze(text, "en")
    first, second = ngram_windows(a, 500)
    expected = (first.duplicated_share(5) * first.total + second.duplicated_share(5) * second.total) / (
        first.total + second.total
    )
    assert first.duplicated_share(5) == 1.0 and second.duplicated_share(5) == 0.0
    limit = round(expected - 0.01, 3)
    reason, detail = GopherRepetitionFilter(dup_ngrams=[[5, limit]], dup_ngram_window=500).check(
        {"text": text, "language": "en"}
    )
    assert (reason, detail) == ("gopher_dup_5gram", f"dup_5gram_chars={expected:.3f} > {limit}")
    assert (
        GopherRepetitionFilter(dup_ngrams=[[5, round(expected + 0.01, 3)]], dup_ngram_window=500).check(
            {"text": text, "language": "en"}
        )
        is None
    )


def test_repetition_inside_every_window_of_a_long_text_is_still_removed(shared_data):
    """3,000 words of encyclopaedia prose with one advertising sentence after every 45 words: each
    window repeats it, so the window does not save the page."""
    words = " ".join(wikitext_paragraphs()).split()[:3000]
    ad = "Order cheap replica watches online today with free express shipping to every city."
    lines = [" ".join(words[i : i + 45]) + "." for i in range(0, len(words), 45)]
    text = "\n".join(line + " " + ad for line in lines)
    doc = outcome(rule_steps(), text)
    assert doc["status"] == "removed", doc.get("removed_reason")
    assert doc["removed_reason"].startswith("gopher_dup_") or doc["removed_reason"].startswith("gopher_top_")
    assert GopherRepetitionFilter(dup_ngram_window=500).check({"text": text, "language": "en"}) is not None


def test_copies_of_a_long_passage_are_still_removed_by_the_line_rules(shared_data):
    """Far-apart repetition a window cannot see: a 600-word passage printed three times. Its lines
    repeat, so Gopher's duplicated-line rules remove it (and repeated_lines leaves it whole)."""
    paragraphs = wikitext_paragraphs()
    passage, n = [], 0
    for p in paragraphs:
        passage.append(p)
        n += len(p.split())
        if n > 600:
            break
    text = "\n".join(passage * 3)
    doc = outcome(rule_steps(), text)
    assert doc["status"] == "removed"
    assert doc["removed_reason"] in ("gopher_dup_line_frac", "gopher_dup_line_chars", "gopher_dup_para_frac"), doc[
        "removed_reason"
    ]


# wceb pages the fineweb recipe's rule steps removed for gopher_dup_5gram before the window (whole-page
# shares 0.158-0.291) and keep with it; bench/real_pages/line_rules.py lists every page that moves.
REFERENCE_PAGES = (
    "https://docs.python.org/3/library/json.html",
    "https://docs.python.org/3/library/asyncio-task.html",
    "https://docs.djangoproject.com/en/5.1/ref/models/querysets/",
    "https://www.sqlite.org/lang_select.html",
    "https://nginx.org/en/docs/http/ngx_http_core_module.html",
)


def test_long_real_documentation_is_kept_with_the_window_and_removed_without(shared_data):
    with_window, without = rule_steps(), rule_steps(("gopher_repetition.dup_ngram_window=null",))
    for url, (_, text) in wceb_extracted(REFERENCE_PAGES).items():
        assert len(text.split()) > 1500, url
        kept = outcome(with_window, text)
        assert kept["status"] == "kept", (url, kept.get("removed_reason"), kept.get("removed_detail"))
        removed = outcome(without, text)
        assert removed.get("removed_reason") == "gopher_dup_5gram", (url, removed.get("removed_reason"))


def test_a_long_real_chinese_page_is_measured_by_window_over_its_words(shared_data):
    """zh-web-extraction b26fbb82: a long Chinese blog post whose whole-page 5-gram share (jieba words)
    is over the Chinese limit; within 500-word windows it is not."""
    sys.path.insert(0, str(ROOT / "bench" / "real_pages"))
    from pages import zh_pages

    from pipeline.extract.charset import decode_html
    from pipeline.extract.html import extract_main_text

    (page,) = [p for p in zh_pages() if p.key == "b26fbb82-9d98-42f0-af75-7439c1706bcd"]
    text = extract_main_text(decode_html(page.html)[0], url=page.url)
    assert len(analyze(text, "zh").words) > 750
    kept = outcome(rule_steps(), text, "zh")
    assert kept["status"] == "kept", (kept.get("removed_reason"), kept.get("removed_detail"))
    removed = outcome(rule_steps(("gopher_repetition.dup_ngram_window=null",)), text, "zh")
    assert removed.get("removed_reason") == "gopher_dup_5gram", removed.get("removed_reason")
