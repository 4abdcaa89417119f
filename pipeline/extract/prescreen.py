"""Language pre-screening: skip trafilatura on pages that are clearly not in a wanted language.

trafilatura costs 5-20 ms per page; when a run keeps only some languages (an English-only corpus
from a multilingual crawl keeps a fifth to a half of the pages), most of that time goes to pages
the language filter removes right after. The pre-screen reads a cheap rendering of the page (tags,
scripts and styles stripped with regular expressions, entities decoded, first ``max_chars`` = 1,500
characters, lower-cased), asks fastText lid.176 (the same model as the ``language_id`` step) for its top
languages, and skips extraction when the wanted languages together score below ``min_score``.

It is deliberately one-sided: a page is only skipped when it has enough text to judge
(``min_chars`` = 200) *and* the wanted languages are nearly absent from the prediction *and*
the model is confident of another language (top score >= ``min_top_score`` = 0.5; a page whose
first characters are mostly code or names gets a flat, unsure prediction and goes through). The default
``min_score`` 0.1 is far below the 0.65 the language filter asks of the extracted text, so a page
in a wanted language with a foreign-language menu still goes through; ``bench/compare_datatrove``
measures how many kept documents the pre-screen loses (none on the generated crawl) and
``bench/extract_quality`` its effect on the Zyte F1.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence

from pipeline.annotate.language import lid_model
from pipeline.annotate.language_codes import MACROLANGUAGES, lid176_label, normalize_languages

SERBO_CROATIAN = frozenset(MACROLANGUAGES["sh"])

# An unclosed script / comment hides the rest of the page (as in a browser): matching up to the end
# of the text keeps one such tag from being re-scanned for every later "<script" (quadratic time).
_INVISIBLE = re.compile(r"<(script|style|noscript|template|svg)\b.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)", re.I | re.S)
# Enough markup to find 1,500 characters of text in any real page, and a bound on the work per page.
MAX_HTML_CHARS = 256 * 1024
_TAG = re.compile(r"<[^>]*(?:>|\Z)")  # a tag cut off by the window end goes too
_SPACE = re.compile(r"\s+")


# The window is read in growing pieces: the Zyte article pages have their first 1,500 characters of
# text 16-64 KB after <body>, so the regular expressions rarely need to see the whole 256 KB.
FIRST_PIECE_CHARS = 16 * 1024
# Cutting the markup only changes the text at the cut (a tag, script or comment running past it is
# dropped to the end, as it would be; an entity cut in two, at most 33 characters, stays undecoded):
# text more than this far from the cut is what the whole window gives.
_CUT_MARGIN = 64


def _render(markup: str) -> str:
    text = _TAG.sub(" ", _INVISIBLE.sub(" ", markup))
    return _SPACE.sub(" ", html_lib.unescape(text)).strip()


def window(html: str) -> tuple[int, int]:
    """[start, end) of the markup the pre-screen reads: from ``<body`` (else the start) on, at most
    ``MAX_HTML_CHARS``."""
    body = html.find("<body")
    if body < 0:
        body = html.find("<BODY")
    start = max(body, 0)
    return start, min(start + MAX_HTML_CHARS, len(html))


def cheap_text(html: str, max_chars: int = 1500) -> str:
    """Visible-ish text of a page without parsing it: good enough to tell its language.

    The first ``max_chars`` characters of the rendering of ``MAX_HTML_CHARS`` of markup from
    ``<body`` on; pieces of that window are rendered, doubling in size, until one holds
    ``max_chars`` characters clear of its cut (the result is then the same as the whole window's).
    """
    start, end = window(html)
    size = FIRST_PIECE_CHARS
    while start + size < end:
        text = _render(html[start : start + size])
        if len(text) >= max_chars + _CUT_MARGIN:
            return text[:max_chars]
        size *= 2
    return _render(html[start:end])[:max_chars]


class LanguagePrescreen:
    """``skip(html)`` -> a removal detail when extraction can be skipped, else None."""

    def __init__(
        self,
        languages: Sequence[str],
        min_score: float = 0.1,
        min_top_score: float = 0.5,
        min_chars: int = 200,
        max_chars: int = 1500,
        model_path: str | None = None,
    ) -> None:
        self.languages = frozenset(normalize_languages(languages, "prescreen_languages"))
        self.min_score, self.min_top_score = min_score, min_top_score
        self.min_chars, self.max_chars = min_chars, max_chars
        self.model_path = model_path

    def skip(self, html: str) -> str | None:
        # Lower-cased (the quantised lid.176 knows few upper-case n-grams), already one line.
        text = cheap_text(html, self.max_chars).lower()
        if len(text) < self.min_chars:
            return None  # too little to judge: let trafilatura and the language filter decide
        labels, probs = lid_model(self.model_path).predict(text, k=5)
        # lid.176's "sh" may be any of hr / bs / sr: it counts as wanted when one of them is.
        ranked = [(lid176_label(label), float(p)) for label, p in zip(labels, probs)]
        wanted = sum(
            p for code, p in ranked if code in self.languages or (code == "sh" and self.languages & SERBO_CROATIAN)
        )
        top, score = ranked[0]
        if wanted >= self.min_score or score < self.min_top_score:
            return None  # a wanted language is plausible, or the model is unsure of everything
        return f"{top}:{score:.2f}; wanted {'+'.join(sorted(self.languages))}:{wanted:.2f} < {self.min_score:g}"
