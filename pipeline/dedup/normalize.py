"""Text normalisation shared by exact dedup, shingling and line dedup, vectorised with Arrow.

Two documents that differ only in case, Unicode presentation form (NFKC: full-width letters,
ligatures), punctuation or spacing are the same document for dedup purposes. The word-character
class is Unicode letters, numbers and combining marks (``\\p{L}\\p{N}\\p{M}``): Python's ``\\W``
would cut Devanagari or Thai words at every vowel sign. Digits become 0 in line keys, as cc_net
does for paragraph hashes, so that "Page 3 of 9" banners collapse to one key.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.text.script import HALFWIDTH_KATAKANA, ZH_JA

_NON_WORD = r"[^\p{L}\p{N}\p{M}]+"
# Han, Hiragana, Katakana (incl. half-width); Hangul is excluded: Korean separates words by spaces.
_CJK_CHAR = re.compile(f"[{ZH_JA}{HALFWIDTH_KATAKANA}]")


def normalize_array(texts: pa.Array, digits_to_zero: bool = False) -> pa.Array:
    """NFKC, lower case, every run of non-word characters -> one space, trimmed; nulls stay null."""
    out = pc.utf8_normalize(texts, "NFKC")
    out = pc.utf8_lower(out)
    out = pc.replace_substring_regex(out, pattern=_NON_WORD, replacement=" ")
    if digits_to_zero:
        out = pc.replace_substring_regex(out, pattern=r"\p{Nd}", replacement="0")
    return pc.utf8_trim_whitespace(out)


def normalize_text(text: str | None) -> str:
    """``normalize_array`` for one text; '' for None."""
    if not text:
        return ""
    return normalize_array(pa.array([text], pa.string()))[0].as_py()


def normalize_line(line: str) -> str:
    """A line's dedup key text: normalised, digits -> 0."""
    if not line:
        return ""
    return normalize_array(pa.array([line], pa.string()), digits_to_zero=True)[0].as_py()


def base_language(language: str | None) -> str:
    """'zh-Hans' / 'zh_TW' / 'ZH' -> 'zh'; None -> ''."""
    if not language:
        return ""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


def looks_cjk(text: str, min_ratio: float = 0.3) -> bool:
    """True when at least ``min_ratio`` of the non-space characters are Han or kana (language unknown)."""
    compact = "".join(text.split())
    if not compact:
        return False
    return len(_CJK_CHAR.findall(compact)) / len(compact) >= min_ratio
