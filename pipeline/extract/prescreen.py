"""Language pre-screening: skip trafilatura on pages that are clearly not in a wanted language.

trafilatura costs 5-20 ms per page; when a run keeps only some languages (an English-only corpus
from a multilingual crawl keeps a fifth to a half of the pages), most of that time goes to pages
the language filter removes right after. The pre-screen reads a cheap rendering of the page (tags,
scripts and styles stripped with regular expressions, entities decoded, first ``max_chars``
characters), asks fastText lid.176 (the same model as the ``language_id`` step) for its top
languages, and skips extraction when the wanted languages together score below ``min_score``.

It is deliberately one-sided: a page is only skipped when it has enough letters to judge
(``min_letters``) *and* the wanted languages are nearly absent from the prediction. The default
``min_score`` 0.1 is far below the 0.65 the language filter asks of the extracted text, so a page
in a wanted language with a foreign-language menu still goes through; ``bench/compare_datatrove``
measures how many kept documents the pre-screen loses (none on the generated crawl) and
``bench/extract_quality`` its effect on the Zyte F1.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence

from pipeline.annotate.language import _load_fasttext, bundled_model_path, normalize_for_lid
from pipeline.step import process_cached

_INVISIBLE = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def cheap_text(html: str, max_chars: int = 4000) -> str:
    """Visible-ish text of a page without parsing it: good enough to tell its language."""
    body = html.find("<body")
    if body < 0:
        body = html.find("<BODY")
    text = _TAG.sub(" ", _INVISIBLE.sub(" ", html[body if body >= 0 else 0 :]))
    return _SPACE.sub(" ", html_lib.unescape(text)).strip()[:max_chars]


class LanguagePrescreen:
    """``skip(html)`` -> a removal detail when extraction can be skipped, else None."""

    def __init__(
        self,
        languages: Sequence[str],
        min_score: float = 0.1,
        min_letters: int = 200,
        max_chars: int = 4000,
        model_path: str | None = None,
    ) -> None:
        self.languages = frozenset(languages)
        self.min_score, self.min_letters, self.max_chars = min_score, min_letters, max_chars
        self.model_path = model_path or str(bundled_model_path())

    def _model(self):
        return process_cached(("fasttext-lid", self.model_path), lambda: _load_fasttext(self.model_path))

    def skip(self, html: str) -> str | None:
        text = normalize_for_lid(cheap_text(html, self.max_chars))
        if sum(ch.isalpha() for ch in text) < self.min_letters:
            return None  # too little to judge: let trafilatura and the language filter decide
        labels, probs = self._model().predict(text, k=5)
        ranked = [(label.removeprefix("__label__"), float(p)) for label, p in zip(labels, probs)]
        wanted = sum(p for code, p in ranked if code in self.languages)
        if wanted >= self.min_score:
            return None
        top, score = ranked[0]
        return f"{top}:{score:.2f}; wanted {'+'.join(sorted(self.languages))}:{wanted:.2f} < {self.min_score:g}"
