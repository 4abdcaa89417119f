"""Choose among single-byte decodings of undeclared text by how plausible the non-ASCII characters are.

charset-normalizer ranks single-byte code pages poorly on short or mostly-ASCII pages (a French page in
windows-1252 came out as cp1257 with ``à`` read as ``ą``; an English one with curly quotes and a no-break
space as cp1250, cp775 or mac-roman). Browsers default to windows-1252 for such text. This scorer, run on
each candidate decoding, keeps windows-1252 unless another encoding reads the bytes clearly better:

* +1 for a non-ASCII character that is a letter of a widely used Latin alphabet (French, German, Spanish,
  Portuguese, Italian, Nordic, Polish, Czech, Slovak, Hungarian, Romanian, Turkish), any Cyrillic, Greek,
  Hebrew, Arabic or Thai letter, or common typography (curly quotes, dashes, ellipsis, euro, no-break
  space); +2 for a CJK ideograph, kana (not half-width), hangul or CJK punctuation (two bytes each in the
  legacy CJK encodings: the score counts per byte read);
* -1 for any other character (rare letters such as ``ŕ`` or ``ą`` in French context are still -1 only when
  they are not in the list above; symbols such as ``³``, ``¹``, ``Ÿ`` inside words; C1 controls count -3);
* -1 for typography between two letters (``¿`` in ``¿ó³æ``, Polish read as windows-1252);
* -2 for each Latin non-ASCII letter in a run of four or more non-ASCII letters (Latin alphabets put
  accented letters between ASCII ones; such runs are Cyrillic or Greek text read with a Latin table);
* -2 for a non-Latin letter touching an ASCII letter (``Voilа`` with a Cyrillic ``а``: French read as cp1251);
* -1 for an upper-case letter right after a lower-case one (case flipped by the wrong table, as KOI8-R
  read as windows-1251).

Ties go to windows-1252 first, then to the detector's order. The lists are ours (alphabets as published
for each language); the rules are a small heuristic, measured on the real pages of ``../shared/data`` and
on literal sentences in ``tests/test_extract_charset_real.py``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LATIN_COMMON = frozenset(
    "àâäæçéèêëîïôœùûüÿßáíóúñãõìòåøąćęłńśźżčďěňřšťůýžőűăâîșşțţğıÀÂÄÆÇÉÈÊËÎÏÔŒÙÛÜŸÁÍÓÚÑÃÕÌÒÅØĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮÝŽŐŰĂȘŞȚŢĞİ"
)
_TYPOGRAPHY = frozenset("\u00a0“”‘’„‚–—…«»‹›€£©®°·•™§¡¿×")
_ALPHABETS = ("CYRILLIC", "GREEK", "HEBREW", "ARABIC", "THAI")  # words of these never touch ASCII letters
SAMPLE_CHARS = 20000


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    if "\u3000" <= char < "\ua000" or "\uac00" <= char < "\ud7b0" or "\uff01" <= char < "\uff61":
        return "CJK"  # ideographs, kana, hangul, CJK punctuation, full-width forms (not half-width kana)
    name = unicodedata.name(char, "")
    for script in _ALPHABETS:
        if name.startswith(script):
            return script
    return "LATIN" if name.startswith("LATIN") else ""


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def plausibility(text: str) -> int:
    """Higher is more plausible; only non-ASCII characters contribute (see the module docstring).

    Walks the runs of non-ASCII characters only: an ASCII character scores nothing, except a letter right
    after a run that ends in a Cyrillic, Greek, Hebrew, Arabic or Thai letter."""
    score = 0
    sample = text[:SAMPLE_CHARS]
    for found in _NON_ASCII_RUN.finditer(sample):
        start, end = found.span()
        previous = sample[start - 1] if start else " "
        run = 0  # non-ASCII letters in a row
        for index in range(start, end):
            char = sample[index]
            script = _script(char) if char.isalpha() or char >= "\u3000" else ""
            run = run + 1 if char.isalpha() else 0
            if char <= "\x9f":
                score -= 3  # a C1 control
            elif script == "CJK":
                score += 2  # one character from two bytes: scored per byte, like a single-byte reading
            elif char in _TYPOGRAPHY and previous.isalpha() and sample[index + 1 : index + 2].isalpha():
                score -= 1  # punctuation between two letters: a letter of another table (``¿ó³æ`` for ``żółć``)
            elif char in _LATIN_COMMON or char in _TYPOGRAPHY or (script and script != "LATIN"):
                score += 1
            else:
                score -= 1
            if script == "LATIN" and run >= 4:
                score -= 2 if run > 4 else 8  # the fourth letter also pays for the three before it
            if script in _ALPHABETS and previous < "\x80" and previous.isalpha():
                score -= 2
            if char.isupper() and previous.islower():
                score -= 1
            previous = char
        if end < len(sample) and sample[end].isalpha() and _script(previous) in _ALPHABETS:
            score -= 2  # an ASCII letter touching a non-Latin letter
    return score


def most_plausible(candidates: list[tuple[str, str]]) -> tuple[tuple[str, str], int]:
    """The most plausible (text, name) and its score; ``candidates`` in preference order for ties."""
    best, best_score = candidates[0], plausibility(candidates[0][0])
    for candidate in candidates[1:]:
        score = plausibility(candidate[0])
        if score > best_score:
            best, best_score = candidate, score
    return best, best_score
