"""Shingles: the sets MinHash compares.

Space-separated languages use word n-grams of the normalised text (words joined by one space);
Chinese and Japanese, written without spaces, use character n-grams of the normalised text with its
spaces removed. A text shorter than n units gives one shingle, the whole text, so that short
documents still compare equal to their copies; an empty text gives no shingle and is never a
candidate. Shingles are returned as a list of distinct UTF-8 byte strings (a set: MinHash is a
minimum, so their order does not matter), ready to feed to datasketch unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyarrow as pa

from pipeline.dedup.normalize import base_language, looks_cjk, normalize_array


def word_shingles(norm: str, n: int) -> list[bytes]:
    words = norm.split()
    if not words:
        return []
    if len(words) <= n:
        return [" ".join(words).encode("utf-8")]
    grams = {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
    return [g.encode("utf-8") for g in grams]


def char_shingles(norm: str, n: int) -> list[bytes]:
    chars = "".join(norm.split())
    if not chars:
        return []
    if len(chars) <= n:
        return [chars.encode("utf-8")]
    grams = {chars[i : i + n] for i in range(len(chars) - n + 1)}
    return [g.encode("utf-8") for g in grams]


def uses_char_shingles(text: str, language: str | None, char_languages: Iterable[str]) -> bool:
    """Character shingles for the listed languages; for an unknown language, when the text looks CJK."""
    base = base_language(language)
    if base:
        return base in char_languages
    return looks_cjk(text)


def shingle_units(
    texts: Sequence[str | None], languages: Sequence[str | None], char_languages: Iterable[str] = ("zh", "ja")
) -> list[tuple[str, bool]]:
    """Per document, in one normalisation pass for all: (normalised text, True for character
    shingles); ("", False) for a text with nothing left after normalisation."""
    norms = normalize_array(pa.array(list(texts), pa.string())).to_pylist()
    char_langs = frozenset(char_languages)
    return [
        (norm, uses_char_shingles(norm, language, char_langs)) if norm else ("", False)
        for norm, language in zip(norms, languages)
    ]


def shingle_sets(
    texts: Sequence[str | None],
    languages: Sequence[str | None],
    word_ngram: int = 5,
    char_ngram: int = 5,
    char_languages: Iterable[str] = ("zh", "ja"),
) -> list[list[bytes]]:
    """The shingle set of each document (see the module docstring)."""
    return [
        (char_shingles(norm, char_ngram) if chars else word_shingles(norm, word_ngram)) if norm else []
        for norm, chars in shingle_units(texts, languages, char_languages)
    ]


def shingle(
    text: str | None,
    language: str | None = None,
    word_ngram: int = 5,
    char_ngram: int = 5,
    char_languages: Iterable[str] = ("zh", "ja"),
) -> list[bytes]:
    """The shingle set of one document."""
    return shingle_sets([text], [language], word_ngram, char_ngram, char_languages)[0]
