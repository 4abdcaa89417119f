"""Gopher's share of tokens that contain a letter, for spaced and unspaced text.

Rae et al. 2021 ("Scaling Language Models: Methods, Analysis & Insights from Training Gopher",
appendix A.1.1) keep a document when at least 80 % of its words contain an alphabetic character,
words being whitespace-separated tokens; datatrove's GopherQualityFilter counts the same tokens,
punctuation-only ones included. Dropping those tokens before counting lets symbol soup through.

One exception, ours: the cell borders of the tables the extractor writes as ``| cell | cell |`` rows
(with their ``|---|---|`` separator rows) and the ``- `` that starts each list item are layout the
extraction added, not the page's words. Counted, they removed real pages that pass without them
(alpha share 0.645-0.785 with them: a Wikipedia list, product specifications, articles with a results table;
``bench/real_pages/RESULTS.md``). ``count_layout_marks=True`` counts them, as Gopher's rule and
datatrove's applied to such text do.
"""

from __future__ import annotations

import re

from pipeline.text.analysis import TextAnalysis

_HAS_LETTER = re.compile(r"[^\W\d_]")

# Runs of punctuation and symbols in text without spaces. A run made only of ordinary sentence
# punctuation (，。「」…, "word." in English) belongs to the word before it, as it would in a
# whitespace token; any other run ("<?////>", "++") stands for a token of its own.
_SYMBOL_RUN = re.compile(r"[^\w\s]+")
_ORDINARY_PUNCTUATION = frozenset(".,;:!?'\"()[]-–—…·、。，．！？；：「」『』（）【】《》〈〉“”‘’～〜・")
# A number (with its decimals and a percent sign) touching a letter ("11月", "增长8.6%", "1185例")
# is one unit with it, as "10th" is one token; a number between punctuation or spaces ("0—24时":
# the 0) is a token without a letter.
_NUMBER = re.compile(r"\d[\d.,]*[%％]?")
# Layout the extractor writes into the text: a table row starts with "|" and its borders are tokens
# made of "|" (with the "-" and ":" of a separator row); a list item starts with "- " (or "* ", "• ").
# "\\|" (a bar inside a cell) and "-" as a cell's value are cell text, not borders.
_TABLE_ROW = re.compile(r"^[ \t]*\|.*$", re.MULTILINE)
_BORDER = re.compile(r"(?<!\S)[|:-]*\|[|:-]*(?!\S)")
_LIST_MARK = re.compile(r"^([ \t]*)[-*•](?=[ \t])", re.MULTILINE)


def without_layout_marks(text: str) -> str:
    """``text`` with the cell borders of its ``| a | b |`` table rows and the ``-`` marks of its list
    items blanked (same length)."""
    if "|" in text:
        text = _TABLE_ROW.sub(lambda row: _BORDER.sub(lambda m: " " * len(m.group()), row.group()), text)
    return _LIST_MARK.sub(r"\1 ", text)


def _lone_numbers(text: str) -> tuple[int, str]:
    """Numbers touching no letter, and the text with every number blanked (for the symbol runs)."""
    lone = 0
    for m in _NUMBER.finditer(text):
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        lone += not (_HAS_LETTER.match(before) or _HAS_LETTER.match(after))
    return lone, _NUMBER.sub(" ", text)


def _share_of_tokens_with_letter(tokens: list[str], extra_tokens: int, enough: float) -> float:
    """Share of tokens containing a letter (any script); exact whenever it is below ``enough``.

    Purely alphabetic tokens (counted in C by ``str.isalpha``) are a lower bound; only when that
    bound is short of ``enough`` are the others ("it's", "3.5", "e-mail", "./!*?") searched.
    ``extra_tokens`` are tokens known to hold no letter (symbol runs of unspaced text).
    """
    total = len(tokens) + extra_tokens
    alphabetic = sum(map(str.isalpha, tokens))
    if alphabetic >= enough * total:
        return alphabetic / total
    mixed = sum(1 for w in tokens if not w.isalpha() and _HAS_LETTER.search(w))
    return (alphabetic + mixed) / total


def alpha_token_share(a: TextAnalysis, enough: float = 1.0, count_layout_marks: bool = False) -> float:
    """Gopher's "words with at least one alphabetic character" over *whitespace-separated tokens*,
    punctuation-only tokens included (Rae et al. 2021, A.1.1; datatrove counts the same way), so
    symbol soup cannot pass by being dropped before the count. Text without spaces (zh, ja: a
    segmenter, not whitespace, finds its words) counts the segmented words that contain a letter
    against those plus the equivalents of letter-less tokens: each run of symbols that is not
    ordinary sentence punctuation, and each number that touches no letter. Measured on 300
    Chinese news articles (../shared/data/corpora/zh-news, many dates and figures) the lowest
    share is reported in tests/test_gopher_alpha_tokens.py. The borders of extracted table rows and
    the marks of list items are not tokens unless ``count_layout_marks`` (see the module docstring).
    """
    text = a.text if count_layout_marks else without_layout_marks(a.text)
    if a.segmenter in ("whitespace", "chunks"):
        tokens = text.split()
        return _share_of_tokens_with_letter(tokens, 0, enough) if tokens else 1.0
    lone, rest = _lone_numbers(text)
    runs = sum(1 for r in _SYMBOL_RUN.findall(rest) if not _ORDINARY_PUNCTUATION.issuperset(r))
    lettered = [w for w in a.words if _HAS_LETTER.search(w)]
    letterless = runs + lone
    return _share_of_tokens_with_letter(lettered, letterless, enough) if lettered or letterless else 1.0
