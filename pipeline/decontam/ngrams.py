"""Tokens and hashed n-grams for overlap detection, the same on evaluation text and on documents.

Units (GPT-3, Brown et al. 2020, appendix C: 13-gram overlap, lower-cased, punctuation ignored):

* words: runs of letters and digits (``[^\\W_]+``), lower-cased; punctuation and spacing are ignored, so
  tokenised text (wikitext's ``guest @-@ starring``, ``Teddy 's``) matches the running text it came from;
* characters: for Chinese and Japanese (no spaces between words) every letter or digit is one token.

A text is read in characters when its language is one of ``char_languages`` or, for text of unknown
language (evaluation files), when at least ``CJK_SHARE`` of its letters are CJK ideographs or kana.
Hashes are the first 8 bytes of BLAKE2b over the n-gram's tokens joined by spaces, with the unit as a
prefix, so word and character n-grams never collide; as signed int64 for numpy and Arrow.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from pipeline.text.script import ZH_JA

CJK_SHARE = 0.3  # share of letters; a Chinese page with English navigation is still far above it
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(f"[{ZH_JA}]")
_LETTER = re.compile(r"[^\W\d_]")


def is_char_text(text: str, language: str | None = None, char_languages: tuple[str, ...] = ("zh", "ja")) -> bool:
    if language:
        return language in char_languages
    sample = text[:20000]
    letters = len(_LETTER.findall(sample))
    return letters > 0 and len(_CJK.findall(sample)) >= CJK_SHARE * letters


def tokens(text: str, chars: bool) -> list[str]:
    words = _WORD.findall(text.lower())
    if not chars:
        return words
    return [c for word in words for c in word]


def ngram_hashes(toks: list[str], n: int, unit: str) -> np.ndarray:
    """int64 hashes of every n-gram of ``toks`` (none when there are fewer than ``n`` tokens)."""
    if len(toks) < n:
        return np.empty(0, dtype=np.int64)
    prefix = f"{unit}:".encode()
    out = np.empty(len(toks) - n + 1, dtype=np.int64)
    for i in range(len(out)):
        digest = hashlib.blake2b(prefix + " ".join(toks[i : i + n]).encode("utf-8"), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little", signed=True)
    return out


def text_ngrams(text: str, language: str | None, word_n: int, char_n: int, char_languages=("zh", "ja")):
    """(hashes, tokens, n, joiner) of a text, in the unit its language calls for; ``joiner`` rebuilds an n-gram."""
    chars = is_char_text(text, language, char_languages)
    toks = tokens(text, chars)
    n = char_n if chars else word_n
    return ngram_hashes(toks, n, "c" if chars else "w"), toks, n, "" if chars else " "
