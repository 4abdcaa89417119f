"""Tokenizer: BPE with byte fallback and declared specials; weighted sampling; extension to Chinese."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT, shared_path
from trainer.tokenizer import (
    extend_tokenizer,
    load,
    token_bytes,
    tokens_per_char,
    train_tokenizer,
    weighted_sample,
)

SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """A 1000-piece model trained on Botchan only (the size upstream's own Python test trains)."""
    text = shared_path("corpora", "sentencepiece", "botchan.txt").read_text(encoding="utf-8")
    return train_tokenizer(
        [text], tmp_path_factory.mktemp("tok") / "en.model", 1000, user_symbols=["<|sep|>"], control_symbols=["<|ctl|>"]
    )


def test_specials_are_declared_with_fixed_ids(english):
    sp = load(english)
    assert sp.get_piece_size() == 1000
    assert [sp.unk_id(), sp.bos_id(), sp.eos_id(), sp.pad_id()] == [0, 1, 2, 3]
    assert [sp.id_to_piece(i) for i in range(4)] == ["<unk>", "<s>", "</s>", "<pad>"]
    assert sp.is_control(sp.piece_to_id("<|ctl|>"))
    assert sp.encode("a<|sep|>b", out_type=str) == ["a", "<|sep|>", "b"]  # a user symbol is never split


def test_byte_fallback_round_trips_unseen_text_exactly(english):
    sp = load(english)
    text = "Botchan  said\n\tno 🙂 — 猫である Ω"
    ids = sp.encode(text)
    assert sp.unk_id() not in ids
    assert sp.decode(ids) == text  # no normalisation, no collapsed spaces, no dummy prefix
    assert int(token_bytes(sp)[ids].sum()) == len(text.encode("utf-8"))  # bits per byte counts real bytes
    assert sp.encode("🙂", out_type=str) == ["<0xF0>", "<0x9F>", "<0x99>", "<0x82>"]


def test_weighted_sample_follows_the_weights():
    texts = {"web": ["w" * 100] * 50, "wiki": ["k" * 100] * 50}
    sample = weighted_sample(texts, {"web": 3.0, "wiki": 1.0}, max_chars=2000, seed=0)
    assert sum(map(len, sample["web"])) == 1500 and sum(map(len, sample["wiki"])) == 500
    assert len(weighted_sample(texts, {"web": 1, "wiki": 1}, 10**9, seed=0)["wiki"]) == 50  # all, never twice


def test_extending_an_english_model_with_chinese_cuts_tokens_per_char(english, tmp_path):
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    if len(seeds) < 2:
        pytest.skip("needs ../shared/seeds/*.txt (Chinese prose)")
    train_texts = [p.read_text(encoding="utf-8") for p in seeds[:-1]]
    notes = seeds[-1].read_text(encoding="utf-8")  # held out; the notes mix Chinese with English terms and code
    held_out = ["".join(re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", notes))]
    report = extend_tokenizer(english, train_texts, tmp_path / "en-zh.model", 2000, eval_texts=held_out)
    assert report["base_pieces"] == 1000 and report["pieces"] == 1000 + report["added_pieces"] > 1500
    # An English-only model spends 3 byte tokens per Chinese character (its UTF-8 bytes).
    assert report["tokens_per_char_before"] == 3.0
    assert report["tokens_per_char_after"] < 1.0
    base, extended = load(english), load(tmp_path / "en-zh.model")
    english_text = shared_path("corpora", "sentencepiece", "botchan.txt").read_text(encoding="utf-8")[:20000]
    # Text made of characters the base model has pieces for is segmented exactly as before.
    covered = "".join(c for c in english_text if c in " \n" or base.piece_to_id(c) != base.unk_id())
    assert len(covered) > 19000 and extended.encode(covered) == base.encode(covered)
    assert extended.decode(extended.encode(notes)) == notes
    assert tokens_per_char(extended, held_out) == pytest.approx(report["tokens_per_char_after"], abs=1e-4)


def test_a_vocabulary_smaller_than_the_characters_is_a_clear_error(tmp_path):
    from trainer.tokenizer import train_tokenizer

    texts = ["".join(chr(0x4E00 + (i * 7 + j) % 900) for j in range(60)) for i in range(200)]
    with pytest.raises(ValueError, match="vocab_size 300 is smaller than the number of distinct characters"):
        train_tokenizer(texts, tmp_path / "t.model", 300)
