"""Unwrap layout tables in trafilatura's text output: prose cells become lines of their own, and
Chinese / Japanese paragraphs that trafilatura joined into one line are split again.

trafilatura (``include_tables=True``) writes every table row as ``| cell | cell |``. Pages laid out with
tables (most Chinese pages of the 2000s in zh-web-extraction: 36 of 67) therefore come out as a few
very long rows that hold whole articles; every line then ends in ``|``, so C4's terminal-punctuation
rule drops them all (``c4_no_lines_left``) and the row markup counts as text. A row with a cell of at
least ``LAYOUT_CELL_CHARS`` characters is a layout row: its non-empty cells become separate lines, and
the separator row under it (``|---|---|``) goes. Rows of short cells (data tables) stay as they are.

Inside such a cell trafilatura joins the cell's paragraphs with a space. Chinese and Japanese put no
space after a sentence, so a full-width sentence end (``。！？」』``, or ``”`` right after one) followed by
whitespace is a joined paragraph break: :func:`split_joined_cjk_paragraphs` puts the newline back.
Measured on the 69 real zh-web-extraction pages (`bench/real_pages`): 17 articles were one line of
1,400-12,700 characters ending in a reporter credit or a date, so C4's terminal-punctuation rule
dropped the whole article; with the split, the fineweb recipe keeps 60 pages instead of 41, and the
19 it now keeps match their hand-copied main text with character F1 0.98 on average. Latin text is
untouched (the rule needs a full-width mark).

The opposite fault, :func:`rejoin_hard_wrapped_cjk_lines`: text typed for a fixed-width screen breaks
every line at the same width, mid-sentence, and C4's line rules then keep only paragraph ends; such lines
are joined again (measured on the same pages: three articles from F1 0.12-0.14 after the filters to 0.96).
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.text.script import ZH_JA

LAYOUT_CELL_CHARS = 100  # our threshold: a data-table cell is a word or a number, a layout cell a paragraph
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR = re.compile(r"^\|?[\s|:-]*-[\s|:-]*\|?$")
# whitespace after a full-width sentence end (or a closing quote right after one), before more text
_JOINED_CJK_BREAK = re.compile(r"(?:(?<=[。！？」』])|(?<=[。！？]”))[ \t\u3000\xa0]+(?=\S)")


def split_joined_cjk_paragraphs(text: str) -> str:
    """Newlines back where a Chinese / Japanese sentence end is followed by whitespace (see module doc)."""
    return _JOINED_CJK_BREAK.sub("\n", text) if ("。" in text or "！" in text or "？" in text) else text


def unwrap_layout_tables(text: str) -> str:
    if "|" not in text:
        return text
    out: list[str] = []
    previous_was_layout = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
            out.append(line)
            previous_was_layout = False
            continue
        if _SEPARATOR.match(stripped):
            if not previous_was_layout:
                out.append(line)
            continue
        cells = [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(stripped[1:-1])]
        if max(map(len, cells), default=0) >= LAYOUT_CELL_CHARS:
            out.extend(c for c in cells if c)
            previous_was_layout = True
        else:
            out.append(line)
            previous_was_layout = False
    return "\n".join(out)


# Hard-wrapped Chinese / Japanese text: posts and articles typed for fixed-width screens (BBS, e-mail,
# plain-text archives) break every line at the same display width, mid-sentence. Every such line but a
# paragraph's last ends without a sentence mark, so C4's terminal-punctuation rule keeps only paragraph
# ends: three real beijingspring.com articles of zh-web-extraction, extracted with character F1 0.998,
# came out of the filter stage at F1 0.12-0.14 (882 of 13,451 characters left). The wrap width is found
# per document; lines that fill it and end without a sentence mark are joined to the next line.
HARD_WRAP_MIN_WIDTH = 40  # display columns; narrower "wraps" are lists and short lines, not a screen width
HARD_WRAP_MIN_LINES = 5
HARD_WRAP_FILL = 0.85  # a wrapped line fills at least this share of the width (half-width characters and
# line-breaking rules that keep punctuation off a line's start make lines a few columns short or long)
_CJK_CHAR = re.compile(f"[{ZH_JA}]")
_SENTENCE_END = frozenset("。！？!?；;…」』”’）)】》：:")


def _display_width(line: str) -> int:
    """Columns on a fixed-width screen, counting every character of three or more UTF-8 bytes (CJK, kana,
    Hangul, full-width punctuation; also a few narrow symbols such as "…", close enough here) as two: the
    extra UTF-8 bytes, halved, at C speed (a per-character lookup cost 25 times more)."""
    return len(line) + (len(line.encode("utf-8", "surrogatepass")) - len(line)) // 2


def rejoin_hard_wrapped_cjk_lines(text: str) -> str:
    """Join the lines of hard-wrapped Chinese / Japanese paragraphs (see the comment above); other text is
    returned as it is. A document is hard-wrapped when the most common width of its CJK lines is at least
    ``HARD_WRAP_MIN_WIDTH`` columns, at least ``HARD_WRAP_MIN_LINES`` and half of those lines fill it, and
    hardly any line is wider."""
    if not _CJK_CHAR.search(text):
        return text
    lines = text.split("\n")
    widths = [_display_width(line.rstrip()) for line in lines]
    # mostly wide characters: the width counts them twice
    cjk = [w for line, w in zip(lines, widths) if w >= 20 and 2 * (w - len(line)) >= len(line.strip())]
    if len(cjk) < HARD_WRAP_MIN_LINES:
        return text
    wrap = Counter(cjk).most_common(1)[0][0]
    full = sum(HARD_WRAP_FILL * wrap <= w <= wrap + 2 for w in cjk)
    wider = sum(w > wrap + 2 for w in cjk)
    if wrap < HARD_WRAP_MIN_WIDTH or full < HARD_WRAP_MIN_LINES or 2 * full < len(cjk) or 10 * wider > len(cjk):
        return text
    out: list[str] = []
    joining = False
    for line, width in zip(lines, widths):
        if joining and line.strip():
            previous = out[-1]
            gap = " " if previous[-1:].isascii() and previous[-1:].isalnum() and line.lstrip()[:1].isascii() else ""
            out[-1] = previous + gap + line.strip()
        else:
            out.append(line.rstrip() if line.strip() else line)
        current = out[-1].rstrip()
        joining = (
            bool(current)
            and HARD_WRAP_FILL * wrap <= width <= wrap + 2
            and current[-1] not in _SENTENCE_END
            and _CJK_CHAR.search(current[-4:]) is not None
        )
    return "\n".join(out)
