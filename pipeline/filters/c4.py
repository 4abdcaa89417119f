"""C4's page-level rules (Raffel et al. 2020, section 2.2; reference code: TensorFlow Datasets
``c4_utils.clean_page``), the deciding half of C4 cleaning.

Run it after :class:`pipeline.transform.c4_lines.C4LineCleaner` to reproduce C4: the page checks
then see only the lines C4 keeps, as in the reference code. Run alone, it applies the paper's
wording to the whole page (any "{" anywhere removes it).
"""

from __future__ import annotations

from typing import ClassVar

from pipeline.document import Document
from pipeline.params import Param
from pipeline.step import Filter
from pipeline.text.normalize import count_sentences


class C4QualityFilter(Filter):
    """Removes a page when (defaults from the paper and reference code):

    * ``c4_no_lines_left``: the text is empty (typically: the line cleanup kept nothing).
    * ``c4_lorem_ipsum``: it contains "lorem ipsum" (case-insensitive): placeholder text.
    * ``c4_curly_brace``: it contains "{": likely code (the paper's reasoning; both paper and
      code remove the whole page).
    * ``c4_too_few_sentences``: fewer than ``min_sentences`` = 3 sentences. The code counts with
      NLTK's English punkt model; we count runs of terminal marks (``. ! ?`` followed by a space
      or the end, and the CJK ``。！？``), see :func:`pipeline.text.normalize.count_sentences`.

    ``bad words`` (the paper's "List of Dirty, Naughty, Obscene or Otherwise Bad Words") is not
    part of this filter: the URL filter and the banned-word lists cover that family.
    """

    name = "c4_quality"
    reasons: ClassVar[tuple[str, ...]] = (
        "c4_no_lines_left",
        "c4_lorem_ipsum",
        "c4_curly_brace",
        "c4_too_few_sentences",
    )
    params_spec: ClassVar[dict[str, Param]] = {
        "min_sentences": Param("int", 3, "fewer sentences removes the page", "sentences", min=0, nullable=True),
        "check_lorem_ipsum": Param("bool", True, "remove pages containing 'lorem ipsum'"),
        "check_curly_brace": Param("bool", True, "remove pages containing '{'"),
    }

    def __init__(self, min_sentences: int | None = 3, check_lorem_ipsum: bool = True, check_curly_brace: bool = True):
        self.min_sentences = min_sentences
        self.check_lorem_ipsum = check_lorem_ipsum
        self.check_curly_brace = check_curly_brace

    def check(self, doc: Document):
        text = (doc.get("text") or "").strip()
        if not text:
            return "c4_no_lines_left", "text is empty after line cleanup"
        if self.check_lorem_ipsum and "lorem ipsum" in text.lower():
            return "c4_lorem_ipsum", "contains 'lorem ipsum'"
        if self.check_curly_brace and "{" in text:
            return "c4_curly_brace", f"contains '{{' at char {text.index('{')}"
        if self.min_sentences is not None:
            n = count_sentences(text)
            if n < self.min_sentences:
                return "c4_too_few_sentences", f"sentences={n} < {self.min_sentences}"
        return None
