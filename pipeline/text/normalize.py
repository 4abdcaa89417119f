"""Character classes and line / paragraph splitting shared by the rule filters.

Everything here is a pure function of the text, written for speed: the filters run on every
document, so splitting uses ``str`` methods (C loops) rather than per-character Python code.
"""

from __future__ import annotations

import re
import string
import unicodedata

# ASCII punctuation plus the typographic and CJK (full-width) marks that web text uses. A token
# made only of these characters is not a word; these are also stripped from a token's ends.
PUNCTUATION = (
    string.punctuation
    + "“”‘’«»„‚‹›…–—―‐‑·•′″¡¿§¶†‡"
    + "、。，．！？；：「」『』（）【】《》〈〉〔〕［］｛｝〖〗〘〙〚〛～〜・｜＼／＂＇＃＄％＆＊＋－＜＝＞＠＾＿｀"
)
PUNCTUATION_SET = frozenset(PUNCTUATION)

# Marks that end a sentence. ASCII ones need whitespace (or the end) after them so that "3.14"
# or "example.com" are not sentence ends; CJK ones are never followed by a space in running text.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)|[。！？]+[”’」』）]*")

# Lines starting with one of these count as bullet points (Gopher's bullet-line rule). Dashes
# (– —) are left out: Russian, French and Spanish prose opens dialogue lines with them.
BULLETS = (
    "•",
    "‣",
    "◦",
    "⁃",
    "∙",
    "●",
    "○",
    "■",
    "□",
    "▪",
    "▫",
    "◆",
    "◇",
    "►",
    "▶",
    "➢",
    "✓",
    "✔",
    "-",
    "*",
    "+",
    "・",
)
# Lines ending with one of these end in an ellipsis ("..." or the single character; "……" in CJK).
ELLIPSES = ("...", "…")
_ELLIPSIS_RUN = re.compile(r"\.{3,}|…+")

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u3000]*\n")


def nfkc(text: str) -> str:
    """Unicode NFKC: folds full-width Latin and digits to ASCII and compatibility forms to base ones."""
    return unicodedata.normalize("NFKC", text)


def strip_punct(token: str) -> str:
    """The token without leading or trailing punctuation ("(hello)," -> "hello")."""
    return token.strip(PUNCTUATION)


def split_lines(text: str) -> list[str]:
    """Non-empty lines, stripped of surrounding whitespace (any Unicode line break splits)."""
    return [s for line in text.splitlines() if (s := line.strip())]


def split_paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs: blocks separated by at least one blank line, stripped."""
    text = text.replace("\r\n", "\n")
    return [s for block in _BLANK_LINE.split(text) if (s := block.strip())]


def count_sentences(text: str) -> int:
    """Approximate sentence count: runs of terminal marks (see ``_SENTENCE_END``).

    A regex rather than a trained splitter such as NLTK punkt: it runs on every document, needs
    no model, and handles CJK marks. It over-counts abbreviations ("e.g. "), which only matters
    for documents near the C4 minimum of three sentences.
    """
    return len(_SENTENCE_END.findall(text))


def count_ellipses(text: str) -> int:
    """Occurrences of an ellipsis ("...", "…", a run of either counts once)."""
    if "..." not in text and "…" not in text:
        return 0  # the common case, without a regex scan
    return len(_ELLIPSIS_RUN.findall(text))


def is_bullet_line(line: str) -> bool:
    """True if a stripped line starts with a bullet mark."""
    return line.startswith(BULLETS)


def ends_with_ellipsis(line: str) -> bool:
    return line.endswith(ELLIPSES)
