"""Shared per-document statistics, repetition measures and line helpers."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from pipeline.text import analyze, count_sentences, duplicate_stats, split_lines, split_paragraphs
from pipeline.text.normalize import count_ellipses, ends_with_ellipsis, is_bullet_line
from pipeline.text.repetition import (
    NgramRepetition,
    duplicated_ngram_shares,
    first_top_ngram_over,
    prefix_sums,
    top_ngram_share,
)


def test_lines_and_paragraphs():
    text = "  first line \r\nsecond\n\n \n\tthird\u2028fourth\n"
    assert split_lines(text) == ["first line", "second", "third", "fourth"]
    assert split_paragraphs("a\nb\n\n  \n\nc\n \nd") == ["a\nb", "c", "d"]


def test_duplicate_stats_count_repeats_after_the_first():
    assert duplicate_stats(["a", "bb", "a", "bb", "a", "c"]) == (3, 4)
    assert duplicate_stats([]) == (0, 0)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("It rained. The river rose! Did anyone stay?", 3),
        ('He said "stop." Then he left.', 2),
        ("Version 3.14 of example.com is out", 0),
        ("茶很好喝。我每天都喝茶！你呢？", 3),
        ("Wait... what?!", 2),
    ],
)
def test_count_sentences(text, n):
    assert count_sentences(text) == n


def test_line_marks():
    assert count_ellipses("a... b…… c. d....") == 3
    assert is_bullet_line("• item") and is_bullet_line("- item") and not is_bullet_line("— Bonjour, dit-il.")
    assert ends_with_ellipsis("to be continued…") and not ends_with_ellipsis("the end.")


def test_analysis_is_cached_per_text_and_language():
    text = "Some words here. More words there."
    a = analyze(text, "en")
    assert analyze(text, "en") is a
    assert analyze(text, "de") is not a
    assert analyze(text + " ", "en") is not a
    assert a.words == ["Some", "words", "here", "More", "words", "there"]
    assert a.word_chars == 27
    assert analyze(None, None).words == []


def test_stop_words_found_are_distinct_and_case_insensitive():
    assert analyze("The cat and THE dog with the hat", "en").stop_words_found == {"the", "and", "with"}


def _brute_dup_share(words, n):
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    counts = Counter(grams)
    covered = {j for i, g in enumerate(grams) if counts[g] > 1 for j in range(i, i + n)}
    return sum(len(words[j]) for j in covered) / sum(map(len, words))


def test_duplicated_ngram_shares_match_a_brute_force_count():
    rng = random.Random(7)
    for _ in range(200):
        words = [rng.choice(["aa", "b", "ccc", "d"]) for _ in range(rng.randint(1, 60))]
        got = duplicated_ngram_shares(words, prefix_sums(map(len, words)), [5, 6, 7, 8, 9, 10])
        assert got == pytest.approx({n: _brute_dup_share(words, n) for n in range(5, 11)})


def test_top_ngram_share_counts_each_word_once_and_ties_go_to_the_first():
    def share(text, n=2):
        words = text.split()
        return top_ngram_share(words, prefix_sums(map(len, words)), n)

    # three overlapping occurrences of ("the", "the") cover all 4 words: share 1.0, not 3 * 6 / 12
    assert share("the the the the") == 1.0
    assert share("a b c d e f") == 0.0  # nothing repeats
    # ("xx","y") and ("zzz","q") both occur twice; the first to occur wins the tie
    assert share("xx y xx y zzz q zzz q") == 6 / 14
    assert share("a b c a b c x", 3) == 6 / 7


def _brute_top_share(words, n):
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    counts = Counter(grams)
    best = max(counts.values(), default=0)
    if best < 2:
        return 0.0
    first = next(g for g in grams if counts[g] == best)
    covered = {j for i, g in enumerate(grams) if g == first for j in range(i, i + n)}
    return sum(len(words[j]) for j in covered) / sum(map(len, words))


def test_top_ngram_shares_match_a_brute_force_count():
    rng = random.Random(11)
    vocab = ["a", "bb", "ccc", "dddd", "extraordinarily"]
    for _ in range(300):
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 80))]
        prefix = prefix_sums(map(len, words))
        for n in (2, 3, 4):
            assert top_ngram_share(words, prefix, n) == pytest.approx(_brute_top_share(words, n))


def test_repetition_chain_answers_in_ascending_order_only():
    rep = NgramRepetition(["a", "b", "a", "b", "a", "b"], prefix_sums([1] * 6))
    assert rep.top_share(2) == 1.0
    # "a b a" (first to occur, at 0 and 2) covers words 0..4: 5 of 6 characters
    assert first_top_ngram_over(rep, [[3, 0.5], [4, 0.9]]) == (3, 5 / 6)
    with pytest.raises(ValueError, match="ascending"):
        rep.duplicated_share(2)
