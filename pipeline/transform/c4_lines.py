"""C4's line-level cleanup (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a
Unified Text-to-Text Transformer", section 2.2) as a text transform.

The page-level rules (lorem ipsum, curly braces, too few sentences, nothing left) are decided by
:class:`pipeline.filters.c4.C4QualityFilter`, which should run right after this step.

Where the paper and its reference code (TensorFlow Datasets ``c4_utils.clean_page``) disagree:

* Terminal punctuation. Paper: "a period, exclamation mark, question mark, or end quotation
  mark"; code: only ``. ? ! "``. We follow the paper (curly ``”`` is an end quote too) and add
  the full-width CJK marks ``。！？」』`` so Chinese and Japanese lines can end a sentence.
* Notes after the sentence. A line whose sentence end is followed by a short bracketed note, such as a
  reporter's credit ``...发展。（记者 胡晓蓉）``, a verse ``...美意。”（腓2:13）`` or a source ``... on
  the web. (Statista)``, or by an attribution after a dash (``...no engine.” – Paul Cookson``), ends a
  sentence for the punctuation rule (``ignore_trailing_notes``). C4 drops it; on the real pages of
  ``bench/real_pages`` such lines were whole news paragraphs and quotations. A bracketed note holds
  1-40 characters, at least one letter, no bracket; after an ASCII ``(`` a space must precede it
  (``value.(string)`` and ``format!("{}", x)`` are code, not notes). An attribution holds 1-60
  characters with a letter and follows ``.!?。！？`` (and a closing quote): ``“Shift_JIS” — older
  Japanese sites`` is a list item, not a quotation.
* Ellipses. Not in the paper; the code drops lines ending in ``...``. We follow the code (such
  lines are usually truncated teasers), and also drop lines ending in ``…``.
* Very long words. Not in the paper; the code drops lines with a word over 1000 characters.
  We follow the code. For zh/ja the words are segmented words, since their lines have no spaces.
* Words per line. Both say at least 5, counted by whitespace; for zh/ja we count segmented words.
* Javascript and policy lines: both drop them; we match the code's case-insensitive substrings
  and add Chinese/Japanese equivalents of the policy phrases (``policy_substrings``).
* Citation markers ``[1]``, ``[edit]``, ``[citation needed]``: removed as in both. We also remove a
  footnote number that extraction glued to the end of a sentence (``<sup>27</sup>`` becomes
  ``...lives and works in Düsseldorf, Germany.27``; product pages, essays with endnotes): 1-3 digits
  after a letter, a sentence mark and an optional closing quote, at the end of the line
  (``remove_footnote_numbers``).
* Page rules. The code drops the page for "lorem ipsum" or "{" only on lines that survived the
  line rules above (before the javascript check for lorem ipsum); the filter, run after this
  step, sees exactly those surviving lines, except that a policy line containing "{" no longer
  drops the page (the code checks "{" before the policy phrases).
* Curly braces per line (``drop_curly_brace_lines``, off by default, on in the ``fineweb`` recipe):
  a kept line holding "{" is dropped, so the page rule finds none. The paper removes pages with a
  "{" because it "appears in many programming languages ... but not in natural text"; after the
  line rules, code blocks are gone (their lines do not end a sentence) and what is left is code
  quoted in prose (``the expression &File{} creates a zero value``, ``{SVCNAME}_SERVICE_HOST``). On
  the real pages of ``bench/real_pages`` the page rule removed 21 documentation pages and articles
  for one or a few such lines (Python's tutorial and logging guide, Effective Go, Kubernetes, MDN).
"""

from __future__ import annotations

import re
from typing import ClassVar

from pipeline.document import Document
from pipeline.params import Param
from pipeline.step import Step
from pipeline.text.analysis import analyze, remember_line_words
from pipeline.text.script import is_cjk_language
from pipeline.text.segment import split_words

C4_END_MARKS = (".", "!", "?", '"', "”", "。", "！", "？", "」", "』")
C4_POLICY_SUBSTRINGS = (
    # the paper's and the code's list
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
    # our additions: the same notices on Chinese and Japanese sites
    "隐私政策",
    "使用条款",
    "服务条款",
    "プライバシーポリシー",
    "利用規約",
)
_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]", re.IGNORECASE)
_FOOTNOTE_END = re.compile(r"[^\W\d_][.!?。！？][\"”’]?(\d{1,3})$")  # "Germany.27", not "version 2.0"
_NOTE_MAX_CHARS = 40
# "...no engine.” – Paul Cookson", "...this one’s for you.—Kate Lee", "……。——鲁迅": a sentence end (with
# its closing quote), a dash, a name or source of at most 60 characters.
_ATTRIBUTION = re.compile(r"[.!?。！？][\"”’」』]?(?P<dash>\s*[–—]{1,2}\s*|\s+-\s+)(?P<who>[^–—\n]{1,60})$")
_LETTER = re.compile(r"[^\W\d_]")


def strip_trailing_note(line: str) -> str:
    """``line`` without a short note that follows its last sentence, else ``line`` itself: a note in
    brackets or an attribution after a dash.

    ``"...发展。（记者 胡晓蓉）"`` -> ``"...发展。"``; ``"... the web. (Statista)"`` -> ``"... the web."``;
    ``"...no engine.” – Paul Cookson"`` -> ``"...no engine.”"``. The caller decides whether what is left
    ends a sentence.
    """
    if line.endswith((")", "）")):
        start = max(line.rfind("("), line.rfind("（"))
        note = line[start + 1 : -1]
        if start < 0 or not 0 < len(note) <= _NOTE_MAX_CHARS or any(c in note for c in "()（）"):
            return line
        if not _LETTER.search(note):  # "(04-19)", "(2)": dates and numbers after link lists
            return line
        before = line[:start]
        core = before.rstrip()
        if line[start] == "(" and core == before:  # ASCII bracket glued to the text: code or a call
            return line
        return core
    if "–" in line or "—" in line or " - " in line:
        m = _ATTRIBUTION.search(line)
        if m and _LETTER.search(m.group("who")):
            return line[: m.start("dash")].rstrip()
    return line


class C4LineCleaner(Step):
    """Keeps only the lines C4 would keep; writes the cleaned ``text`` (and its ``n_chars``).

    A line is dropped when (defaults: paper and reference code, see the module docstring):
    it contains a word longer than ``max_word_length`` = 1000 characters; after removing
    citation markers it does not end with one of ``end_marks`` or ends with an ellipsis; it has
    fewer than ``min_words_per_line`` = 5 words; it mentions "javascript"; it contains one of
    ``policy_substrings`` (case-insensitive); or, with ``drop_curly_brace_lines``, it contains "{".
    Kept lines are stripped and joined with newlines.
    ``end_marks: []`` turns the terminal-punctuation rule off (FineWeb's setting of its C4 step).
    With ``ignore_trailing_notes`` (default) a short bracketed note after the sentence end, such as a
    reporter's credit ``。（记者 张倩）``, or an attribution after a dash (``.” – Charles Eames``) does
    not hide the end (see the module docstring).
    """

    name = "c4_lines"
    outputs: ClassVar[tuple[str, ...]] = ("text", "n_chars")
    params_spec: ClassVar[dict[str, Param]] = {
        "min_words_per_line": Param("int", 5, "lines with fewer words are dropped", "words", min=0),
        "max_word_length": Param(
            "int", 1000, "lines with a longer word are dropped", "characters", min=1, nullable=True
        ),
        "end_marks": Param("list[str]", C4_END_MARKS, "a kept line ends with one of these; [] turns the rule off"),
        "ignore_trailing_notes": Param(
            "bool",
            True,
            "a sentence end followed by a short bracketed note (credit, source, verse) or a dash attribution ends the line",
        ),
        "drop_ellipsis_lines": Param("bool", True, "drop lines ending with '...' or '…'"),
        "remove_citations": Param("bool", True, "remove [1], [edit], [citation needed]"),
        "remove_footnote_numbers": Param(
            "bool", True, "remove a footnote number glued to the sentence end of a line ('Germany.27')"
        ),
        "drop_javascript_lines": Param("bool", True, "drop lines mentioning javascript"),
        "drop_curly_brace_lines": Param(
            "bool",
            False,
            "drop lines containing '{' (code quoted in prose), so that c4_quality's curly-brace rule, which removes the page, finds none",
        ),
        "policy_substrings": Param(
            "list[str]", C4_POLICY_SUBSTRINGS, "lines containing one of these are dropped (case-insensitive)"
        ),
    }

    def __init__(
        self,
        min_words_per_line: int = 5,
        max_word_length: int | None = 1000,
        end_marks: list[str] | tuple[str, ...] = C4_END_MARKS,
        ignore_trailing_notes: bool = True,
        drop_ellipsis_lines: bool = True,
        remove_citations: bool = True,
        remove_footnote_numbers: bool = True,
        drop_javascript_lines: bool = True,
        drop_curly_brace_lines: bool = False,
        policy_substrings: list[str] | tuple[str, ...] = C4_POLICY_SUBSTRINGS,
    ):
        self.min_words_per_line = min_words_per_line
        self.max_word_length = max_word_length
        self.end_marks = tuple(end_marks)
        self.ignore_trailing_notes = ignore_trailing_notes
        self.drop_ellipsis_lines = drop_ellipsis_lines
        self.remove_citations = remove_citations
        self.remove_footnote_numbers = remove_footnote_numbers
        self.drop_javascript_lines = drop_javascript_lines
        self.policy_substrings = tuple(p.lower() for p in policy_substrings)
        self.drop_curly_brace_lines = drop_curly_brace_lines

    def process(self, doc: Document) -> Document:
        analysis = analyze(doc.get("text"), doc.get("language"))
        lang = analysis.language
        # zh/ja lines need segmented word counts: take them from the shared analysis (one
        # segmenter pass for the whole document, reused by the Gopher and FineWeb filters)
        words = analysis.line_words if is_cjk_language(lang) else None
        kept, kept_words = [], []
        for i, raw in enumerate(analysis.text.splitlines()):
            line, line_words = self.clean_line_words(raw, lang, words[i] if words is not None else None)
            if line is not None:
                kept.append(line)
                kept_words.append(line_words)
        doc["text"] = "\n".join(kept)
        doc["n_chars"] = len(doc["text"])
        if words is not None:  # the filters after this step reuse the kept lines' words
            remember_line_words(doc["text"], doc.get("language"), lang, kept_words)
        return doc

    def clean_line(self, line: str, lang: str | None, words: list[str] | None = None) -> str | None:
        """The line as C4 keeps it, or None when one of the line rules drops it."""
        return self.clean_line_words(line, lang, words)[0]

    def clean_line_words(
        self, line: str, lang: str | None, words: list[str] | None = None
    ) -> tuple[str | None, list[str] | None]:
        """``(line as C4 keeps it, its words)``, or ``(None, None)`` when a line rule drops it.

        ``words``: the line's segmented words when already known (zh/ja). The cheap string
        checks run before word segmentation; the outcome does not depend on the order of the
        rules, only the cost does.
        """
        line = line.strip()
        if self.remove_citations and "[" in line:
            cleaned = _CITATION.sub("", line).strip()
            if cleaned != line:
                line, words = cleaned, None
        if self.remove_footnote_numbers and line[-1:].isdigit():
            footnote = _FOOTNOTE_END.search(line)
            if footnote:
                line, words = line[: footnote.start(1)], None
        end = strip_trailing_note(line) if self.ignore_trailing_notes else line
        if (self.end_marks and not end.endswith(self.end_marks)) or (
            self.drop_ellipsis_lines and end.endswith(("...", "…"))
        ):
            return None, None
        if self.drop_curly_brace_lines and "{" in line:
            return None, None
        lower = line.lower()
        if self.drop_javascript_lines and "javascript" in lower:
            return None, None
        if any(p in lower for p in self.policy_substrings):
            return None, None
        if words is None:
            words = split_words(line, lang) if is_cjk_language(lang) else line.split()
        if self.max_word_length is not None and any(len(w) > self.max_word_length for w in words):
            return None, None
        if len(words) < self.min_words_per_line:
            return None, None
        return line, words
