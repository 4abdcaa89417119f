"""KenLM scoring against KenLM's own test model (lm/test.arpa) and the values in its C++ tests.

The expectations live in ../shared/data/kenlm/: per-word log10 probabilities copied from
kpu/kenlm lm/model_test.cc (tolerance there: relative 1e-5) and whole-sentence scores computed
with another build of the same library (compared exactly: both are KenLM's float32 arithmetic).
"""

from __future__ import annotations

import json

import pytest

from pipeline.lm.normalize import normalize_line
from pipeline.lm.scoring import LanguageModel, bucket_for, perplexity_from_log10
from tests.conftest import shared_path

kenlm = pytest.importorskip("kenlm")

# For each model_test.cc section: the words scored before each expected word (the notes in the
# JSON say where upstream restarts from a fresh state).
CONTEXTS = {
    "Continuation (chained from <s>)": "chain",
    "Continuation branch (restart from state after '<s> looking on a little')": [
        ["looking", "on", "a", "little"],
        ["looking", "on", "a", "little", "more"],
    ],
    "Blanks (from NullContextState, i.e. no <s>)": [
        [], ["also"], ["also", "would"], ["also", "would", "consider"],
        ["also", "would", "consider", "higher"], ["also", "would", "consider"],
    ],
    "Unknowns (from NullContextState)": [
        [], ["not_found"], ["not_found", "not_found2"], ["not_found"], ["not_found", "however"],
    ],
    "MinimalState (from NullContextState)": [[], [], ["foo"], ["foo", "bar"], [], ["to"], ["to", "look"]],
}  # fmt: skip


@pytest.fixture(scope="module")
def expected():
    return json.loads(shared_path("kenlm", "expected_scores_from_model_test_cc.json").read_text())


@pytest.fixture(scope="module")
def computed():
    return json.loads(shared_path("kenlm", "computed_with_ufal_kenlm_26.4.1.json").read_text())


@pytest.fixture(scope="module")
def lm():
    return LanguageModel.load(shared_path("kenlm", "test.arpa"))


def score_after(model, context: list[str], word: str, bos: bool):
    state, out = kenlm.State(), kenlm.State()
    (model.BeginSentenceWrite if bos else model.NullContextWrite)(state)
    for w in context:
        model.BaseScore(state, w, out)
        state, out = out, state
    return model.BaseFullScore(state, word, out)


def test_starters_from_sentence_start(lm, expected):
    for row in expected["Starters (each from BeginSentenceState, i.e. context <s>, not chained)"]:
        result = score_after(lm.model, [], row["word"], bos=True)
        assert (result.ngram_length, result.log_prob) == (row["ngram"], pytest.approx(row["log10p"], rel=1e-5))


@pytest.mark.parametrize("section", sorted(CONTEXTS))
def test_model_test_cc_sections(lm, expected, section):
    rows = expected[section]
    bos = section.startswith("Continuation")
    contexts = CONTEXTS[section]
    if contexts == "chain":
        contexts = [[r["word"] for r in rows[:i]] for i in range(len(rows))]
    assert len(contexts) == len(rows)
    for row, context in zip(rows, contexts):
        result = score_after(lm.model, context, row["word"], bos=bos)
        assert result.ngram_length == row["ngram"], (section, row)
        assert result.log_prob == pytest.approx(row["log10p"], rel=1e-5), (section, row)


def test_unigram_and_missing_unk(expected):
    model = LanguageModel.load(shared_path("kenlm", "test.arpa")).model
    assert score_after(model, [], "little", bos=False).log_prob == pytest.approx(
        expected["unigram_little_null_context"], rel=1e-5
    )
    nounk = LanguageModel.load(shared_path("kenlm", "test_nounk.arpa")).model
    assert (
        score_after(nounk, [], "not_found", bos=False).log_prob
        == expected["NoUnkCheck (test_nounk.arpa)"]["p(<unk>) from forgotten state"]
    )


def test_full_scores_match_exactly(lm, computed):
    for sentence in computed["sentences"]:
        got = [score for score, _, _ in lm.model.full_scores(sentence["text"])]
        assert got == [w["log10p"] for w in sentence["full_scores"]]


def test_document_perplexity_is_cc_net_formula(lm, computed):
    by_text = {s["text"]: s for s in computed["sentences"]}
    first, last = by_text["looking on a little the biarritz not_found more ."], by_text["looking on a little more loin"]
    # One line: exactly the per-sentence score, and 10^(-score / (words + </s>)) rounded to 0.1.
    assert lm.log_score(first["text"]) == (first["score_log10"], 10)
    assert lm.perplexity(first["text"]) == round(first["perplexity"], 1) == 1235.0
    # Several lines: log scores and token counts add up; blank lines and case do not count.
    doc = "Looking On A Little The Biarritz NOT_FOUND More .\n\n   \nlooking on a little more loin"
    total, length = lm.log_score(doc)
    assert total == pytest.approx(first["score_log10"] + last["score_log10"], abs=1e-9)
    assert length == 10 + 7
    assert lm.perplexity(doc) == round(10 ** (-total / 17), 1)


def test_nothing_to_score_is_null(lm):
    assert lm.perplexity("") is None
    assert lm.perplexity(" \n\t\n") is None
    assert perplexity_from_log10(-3.0, 0) is None


def test_bucket_edges():
    assert [bucket_for(p, [100.0, 300.0]) for p in (99.9, 100.0, 299.9, 300.0, 5000.0)] == [
        "head", "middle", "middle", "tail", "tail",
    ]  # fmt: skip
    assert bucket_for(None, [1.0, 2.0]) is None
    assert bucket_for(5.0, None) is None


def test_normalisation_as_cc_net():
    assert normalize_line("  Café “Zürich”  opened in 1987 — ÉTÉ\u200b!  ") == 'cafe "zurich" opened in 0000 - ete!'
    assert normalize_line("你好，世界。２０２４年") == "你好,世界.0000年"
    assert normalize_line("\x00\x07") == ""
