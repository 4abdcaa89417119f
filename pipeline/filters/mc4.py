"""mC4's page rule (Xue et al. 2021, "mT5: A Massively Multilingual Pre-trained Text-to-Text
Transformer", section 2.1; reference code: TensorFlow Datasets ``c4_utils.paragraph_filter``):
keep a page only if it has at least three lines of at least 200 characters. mC4 uses it instead
of C4's terminal-punctuation rule, which does not carry over to every language.

The reference splits the text at ``"\\n"`` and counts characters with Python's ``len``, the same
200 for every language. A Han or Kana character carries roughly what 2-3 Latin letters do (the
project's FineWeb step uses 30 vs 12 characters for short lines, a factor of 2.5), so 200 Chinese
characters are a long paragraph, not a line: here each Han, Kana and Hangul character counts
``cjk_char_weight`` = 2.5 towards a line's length (1.0 gives the reference's count). The weighting
is per character, so it needs no language label and handles mixed lines.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pipeline.document import Document
from pipeline.params import Param
from pipeline.step import Filter
from pipeline.text.script import HALFWIDTH_KATAKANA, HANGUL_SYLLABLES, KANA_EXTENSION, ZH_JA

_CJK = re.compile(f"[{ZH_JA}{KANA_EXTENSION}{HALFWIDTH_KATAKANA}{HANGUL_SYLLABLES}]")


def line_length(line: str, cjk_char_weight: float) -> float:
    """Characters of ``line``, each CJK character counted ``cjk_char_weight`` times."""
    if cjk_char_weight == 1.0:
        return float(len(line))
    return len(line) + (cjk_char_weight - 1.0) * len(_CJK.findall(line))


class MC4ParagraphFilter(Filter):
    """Removes a page with fewer than ``min_lines`` = 3 lines of at least ``min_line_length`` = 200
    characters (mC4), CJK characters weighted by ``cjk_char_weight`` = 2.5 (our adjustment, see the
    module docstring). Reason ``mc4_too_few_long_lines``, detail e.g. ``"long_lines=1 < 3 (>= 200 chars)"``.
    """

    name = "mc4_paragraphs"
    reasons: ClassVar[tuple[str, ...]] = ("mc4_too_few_long_lines",)
    params_spec: ClassVar[dict[str, Param]] = {
        "min_lines": Param("int", 3, "fewest long lines a kept page has", "lines", min=1),
        "min_line_length": Param("int", 200, "a line at least this long is long", "characters", min=1),
        "cjk_char_weight": Param(
            "float", 2.5, "what one Han/Kana/Hangul character counts for", "characters", min=1, max=5
        ),
    }

    def __init__(self, min_lines: int = 3, min_line_length: int = 200, cjk_char_weight: float = 2.5):
        self.min_lines = min_lines
        self.min_line_length = min_line_length
        self.cjk_char_weight = float(cjk_char_weight)

    def check(self, doc: Document):
        long_lines = 0
        for line in (doc.get("text") or "").split("\n"):
            if len(line) * max(self.cjk_char_weight, 1.0) >= self.min_line_length and (
                line_length(line, self.cjk_char_weight) >= self.min_line_length
            ):
                long_lines += 1
                if long_lines >= self.min_lines:
                    return None
        return "mc4_too_few_long_lines", f"long_lines={long_lines} < {self.min_lines} (>= {self.min_line_length} chars)"
