"""Pure dedup building blocks: normalisation, URLs, shingles, MinHash parity with datasketch, LSH, lines."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.hashes import line_hash, text_key
from pipeline.dedup.lines import SortedHashes, content_chars, remove_lines
from pipeline.dedup.lsh import band_keys, optimal_param
from pipeline.dedup.minhash import MinHasher, hash32_function, sha1_hash32_many
from pipeline.dedup.normalize import normalize_text
from pipeline.dedup.shingles import shingle
from pipeline.dedup.signatures import BandKeyer
from pipeline.dedup.spanhash import POLY_P, chunks_by_chars, poly64_hash32, span_hashes
from pipeline.dedup.urls import normalize_url


def _words(rng: random.Random, n: int) -> str:
    return " ".join(f"w{rng.randrange(3000)}" for _ in range(n))


def test_normalize_folds_case_width_punctuation_and_keeps_combining_marks():
    assert normalize_text("Ｈｅｌｌｏ,  WORLD!! ﬁne_tuned") == "hello world fine tuned"
    # Devanagari vowel signs are combining marks: the word must stay whole.
    assert normalize_text("नमस्ते दुनिया") == "नमस्ते दुनिया"
    assert text_key("Hello, World!") == text_key("hello   world") != text_key("hello worlds")
    assert text_key("  ...  ") is None


def test_line_hash_maps_digits_and_ignores_blank_lines():
    assert line_hash("Page 3 of 9") == line_hash("PAGE 7 of 1")
    assert line_hash("Page 3 of 9") != line_hash("Page 3 of 10")
    assert line_hash("   ") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://www.Example.com:443/a/index.html?utm_source=x&b=2&a=1#frag", "example.com/a?a=1&b=2"),
        ("http://example.com/%7Euser/", "example.com/~user"),
        ("http://example.com:8080/", "example.com:8080/"),
        ("http://example.com/Path/?fbclid=1", "example.com/Path"),
        ("mailto:someone", None),
        (None, None),
    ],
)
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


def test_shingles_words_for_spaced_and_characters_for_cjk():
    assert sorted(shingle("A b, c d!", word_ngram=3)) == [b"a b c", b"b c d"]
    assert shingle("one two", word_ngram=5) == [b"one two"]  # shorter than n: the whole text
    assert sorted(shingle("我们今天去公园", language="zh", char_ngram=5)) == sorted(
        s.encode() for s in ("我们今天去", "们今天去公", "今天去公园")
    )
    # Unknown language: CJK detected from the text itself.
    assert shingle("我们今天去公园", language=None, char_ngram=6) == shingle("我们今天去公园", "ja", char_ngram=6)
    assert shingle("", "en") == []


def test_sha1_hash32_matches_datasketch_hashfunc():
    from datasketch.hashfunc import sha1_hash32

    items = [b"", b"a", "数据".encode(), b"x" * 200]
    assert sha1_hash32_many(items).tolist() == [sha1_hash32(i) for i in items]


@pytest.mark.parametrize(
    ("scheme", "num_perm", "seed"), [("affine32", 128, 1), ("affine32", 64, 7), ("legacy", 128, 1)]
)
def test_signatures_are_bit_identical_to_datasketch(scheme, num_perm, seed):
    rng = random.Random(seed)
    texts = [_words(rng, rng.randrange(1, 300)) for _ in range(40)] + ["", "我们今天去公园散步了"]
    sets = [shingle(t) for t in texts]
    ours = MinHasher(num_perm, seed, scheme).signatures(sets)
    for shingles, row in zip(sets, ours):
        ref = MinHash(num_perm=num_perm, seed=seed, scheme=scheme)
        ref.update_batch(shingles)
        assert np.array_equal(ref.hashvalues.astype(np.uint64), row.astype(np.uint64))


def test_poly64_reference_definition():
    # Horner's rule by hand for two bytes, then the finaliser: the definition, not the implementation.
    h = ((ord("a") + 1) * POLY_P + ord("b") + 1) % (1 << 64)
    h ^= h >> 33
    h = h * 0xFF51AFD7ED558CCD % (1 << 64)
    h ^= h >> 33
    h = h * 0xC4CEB9FE1A85EC53 % (1 << 64)
    assert poly64_hash32(b"ab") == (h ^ (h >> 33)) >> 32
    assert poly64_hash32(b"\x00a") != poly64_hash32(b"a") and poly64_hash32(b"") == 0


def test_span_hashes_equal_the_reference_on_every_span():
    rng = random.Random(5)
    data = bytes(rng.randrange(256) for _ in range(300))
    buf = np.frombuffer(data, np.uint8)
    spans = [(a, min(a + rng.randrange(1, 60), 300)) for a in (rng.randrange(299) for _ in range(200))]
    starts, ends = np.array([a for a, _ in spans]), np.array([e for _, e in spans])
    assert span_hashes(buf, starts, ends).tolist() == [poly64_hash32(data[a:e]) for a, e in spans]
    assert chunks_by_chars(["aaa", "bb", "cccccc", "d"], limit=6) == [(0, 2), (2, 3), (3, 4)]


def _mixed_texts(rng: random.Random) -> tuple[list[str], list[str | None]]:
    vocab = ["alpha", "Beta,", "gamma!", "délta", "ñu", "数据", "x", "नमस्ते", "😀"]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randrange(1, 60))) for _ in range(60)]
    texts += ["", "  ...  ", "我们今天去公园散步了", "我们", "日本語のテキストです。今日は", "短"]
    return texts, ["en"] * 60 + ["en", "en", "zh", "zh", "ja", None]


@pytest.mark.parametrize(
    ("hash_function", "scheme"), [("poly64", "affine32"), ("poly64", "legacy"), ("sha1", "affine32")]
)
def test_band_keyer_signatures_are_bit_identical_to_datasketch(hash_function, scheme):
    """Whole path from raw text (normalisation, shingles, hashing in batches, minima) against datasketch
    fed with our shingle strings and the same hash function."""
    texts, langs = _mixed_texts(random.Random(11))
    cfg = DedupConfig(hash_function=hash_function, scheme=scheme, num_perm=64, seed=3, bands=8, rows=8)
    keyer = BandKeyer(cfg, max_docs=7)  # several chunks, mixed word / character groups in each
    ours = keyer.signatures(texts, langs)
    res = keyer.keys(texts, langs, with_sets=True)
    fn = hash32_function(hash_function)
    row = 0
    for text, lang, sig, has in zip(texts, langs, ours, res.has_shingles):
        shingles = shingle(text, lang, cfg.word_ngram, cfg.char_ngram)
        assert has == bool(shingles)
        ref = MinHash(num_perm=64, seed=3, scheme=scheme, hashfunc=fn)
        ref.update_batch(shingles)
        assert np.array_equal(ref.hashvalues.astype(np.uint64), sig.astype(np.uint64)), text
        if shingles:
            assert res.hash_sets[row].tolist() == sorted({fn(s) for s in shingles})
            assert np.array_equal(res.keys[row], band_keys(sig[None, :], keyer.bands, keyer.rows)[0])
            row += 1
    assert row == len(res.hash_sets) == int(res.has_shingles.sum())


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.9])
def test_optimal_param_matches_datasketch(threshold):
    assert optimal_param(threshold, 128) == _optimal_param(threshold, 128, 0.5, 0.5)


def test_band_keys_equal_exactly_when_band_values_equal():
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [9, 9, 3, 4], [2, 1, 4, 3]], dtype=np.uint32)
    keys = band_keys(sig, bands=2, rows=2)
    assert keys.dtype == np.int64 and keys.shape == (4, 2)
    assert keys[0, 0] == keys[1, 0] and keys[0, 1] == keys[2, 1]
    assert keys[0, 0] != keys[3, 0] and keys[0, 1] != keys[3, 1] and keys[0, 0] != keys[0, 1]


def test_band_keyer_collides_near_duplicates_and_skips_empty_documents():
    rng = random.Random(3)
    base = _words(rng, 400)
    words = base.split()
    words[200] = "changed"
    other = _words(rng, 400)
    res = BandKeyer(DedupConfig()).keys([base, " ".join(words), other, ""], ["en", "en", "en", "en"], with_sets=True)
    assert res.has_shingles.tolist() == [True, True, True, False]
    assert (res.keys[0] == res.keys[1]).any() and not (res.keys[0] == res.keys[2]).any()
    assert len(res.hash_sets) == 3 and np.all(np.diff(res.hash_sets[0].astype(np.int64)) > 0)


def test_remove_lines_keeps_other_lines_verbatim():
    text = "Home | About\nReal content line one.\n\nSubscribe now!\nReal line two."
    repeated = SortedHashes([line_hash("home about"), line_hash("SUBSCRIBE NOW")])
    hashes = [line_hash(line) for line in text.split("\n")]
    new, removed = remove_lines(text, repeated.mask(hashes))
    assert (new, removed) == ("Real content line one.\n\nReal line two.", 2)
    assert remove_lines("untouched\ntext", repeated.mask([line_hash("untouched"), line_hash("text")])) == (
        "untouched\ntext",
        0,
    )
    assert content_chars("a b\n c") == 3


def test_config_validation_names_the_bad_key():
    with pytest.raises(ValueError, match="dedup.scheme"):
        DedupConfig(scheme="md5")
    with pytest.raises(ValueError, match=r"dedup.hash_function='md5': valid values are \['poly64', 'sha1'\]"):
        DedupConfig(hash_function="md5")
    with pytest.raises(ValueError, match="give both or neither"):
        DedupConfig(bands=None)
    with pytest.raises(ValueError, match="bands\\*rows <= num_perm"):
        DedupConfig(bands=20, rows=10)
    assert DedupConfig(bands=16, rows=8).bands == 16
    with pytest.raises(ValueError, match=r"dedup.cc_driver_max_edges=-1: must be >= 0"):
        DedupConfig(cc_driver_max_edges=-1)
    assert DedupConfig(cc_driver_max_edges=0).cc_driver_max_edges == 0
