"""Later copies of a line dropped from a document that repeats only a little (quoted replies,
per-post headers), so that the repetition rules judge what the page says once.

Gopher's repetition rules (Rae et al. 2021, table A1) remove a page when duplicated lines make up
over 30 % of its lines or 20 % of its characters, and when repeated 5- to 10-grams cover 15 % down
to 10 % of its characters. They were made for pages whose repetition *is* the page: link farms,
keyword stuffing, boilerplate printed many times. A forum thread repeats for another reason: each
reply quotes the post it answers, and each post repeats a header (``Re: <thread title>``,
``Joined: ...``, ``Posts: 524``); an article repeats a newsletter prompt or a pull quote. On the real
pages of ``bench/real_pages`` the rules removed 44 of 118 forum threads (an Arch Linux thread whose
replies quote each other: 37 % of its characters in repeated 5-grams, limit 15 %) and 30 of 450
articles (9 by FineWeb's rule on 1 % of characters in duplicated lines, often one line printed twice).

This step keeps the first copy of every line and drops the later ones, but only from a text whose
later copies hold at most ``max_share`` of its line characters (the measure of Gopher's
``dup_line_chars``). A more repetitive text is left whole, so the repetition rules still see a page
made of repeated lines as it is. Run it after ``c4_lines`` (which has already dropped menus and
short lines) and before ``c4_quality``, so that the sentence count is taken on the text that is kept.
"""

from __future__ import annotations

from typing import ClassVar

from pipeline.document import Document
from pipeline.params import fraction
from pipeline.step import Step
from pipeline.text.analysis import analyze, remember_line_words


class RepeatedLineRemover(Step):
    """Drops every later copy of a line (compared stripped) from a text whose later copies hold at
    most ``max_share`` (default 0.3, a fraction of the characters of its non-empty lines) of it;
    a text above that is left unchanged for the repetition filters. ``max_share: 0`` (or null)
    changes no text. Empty lines are kept. Writes ``text`` and ``n_chars``.

    0.3 is Gopher's limit on the share of duplicated lines, above its 0.2 limit on their characters.
    On the real pages of ``bench/real_pages`` (``line_rules.py WORK --set repeated_lines.max_share=X``)
    the filter steps kept 74 of 118 forum threads without the step, 84 at 0.2, 90 at 0.3 and 91 at 0.4
    to 1.0; above 0.3 the gain is a few product and service pages, and a text that is more than 30 %
    repetition is the kind of page Gopher's rules were made for.
    """

    name = "repeated_lines"
    outputs: ClassVar[tuple[str, ...]] = ("text", "n_chars")
    params_spec: ClassVar[dict] = {
        "max_share": fraction(
            0.3,
            "texts whose later line copies hold more than this share of their characters are left whole "
            "for the repetition filters",
            "fraction of characters",
        ),
    }

    def __init__(self, max_share: float | None = 0.3):
        self.max_share = max_share

    def process(self, doc: Document) -> Document:
        text = doc.get("text") or ""
        if not self.max_share:
            return doc
        analysis = analyze(text, doc.get("language"))
        repeated, repeated_chars = analysis.line_duplicates
        if not repeated or repeated_chars > self.max_share * analysis.line_chars:
            return doc
        cjk = analysis.segmenter != "whitespace"
        line_words = analysis.line_words if cjk else None
        seen: set[str] = set()
        kept, kept_words = [], []
        for i, line in enumerate(text.splitlines()):
            key = line.strip()
            if key:
                if key in seen:
                    continue
                seen.add(key)
            kept.append(line)
            if line_words is not None:
                kept_words.append(line_words[i])
        doc["text"] = "\n".join(kept)
        doc["n_chars"] = len(doc["text"])
        if line_words is not None:  # spare the filters after this step a second segmentation
            remember_line_words(doc["text"], doc.get("language"), analysis.language, kept_words)
        return doc
