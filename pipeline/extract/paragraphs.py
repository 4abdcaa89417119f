"""Paragraph breaks for extracted text that came out as one line.

When trafilatura finds no main content it falls back to a text of the whole page or of the page's
article element, with every block joined by a space. A whole article then comes out as one line of
10-20 thousand characters, and C4's terminal-punctuation rule, which judges a line by its last
character, drops all of it: on the 999 wceb pages of ``bench/real_pages`` that emptied an Investopedia
article, a TurboTax guide, a Linux how-to and a blog post.

:func:`restore_block_breaks` puts the breaks back from the page itself. It lists the text of each block
element of the HTML (paragraphs, headings, list items, table cells, ``<br>``-separated runs, ...) as a
sequence of words, finds each block of at least ``MIN_BLOCK_WORDS`` words in order in the extracted
text, and breaks the line before and after each block found. Only whitespace changes: the words of the
text are the same, in the same order, and the existing line breaks stay. Chinese and Japanese texts are
left to
:func:`pipeline.extract.tables.split_joined_cjk_paragraphs`, which splits them where a sentence end is
followed by a space: breaking them at blocks as well cut a conference agenda, kept whole before, into
schedule entries that C4's rule then dropped. It runs only on such one-line texts (at least
``MIN_DUMP_CHARS`` characters, the longest line holding ``DUMP_LINE_SHARE`` of them), so the page is
parsed a second time only there.
"""

from __future__ import annotations

import re

from pipeline.extract.parse import parse_html
from pipeline.text.script import guess_language_from_script, is_cjk_language

MIN_DUMP_CHARS = 1000
DUMP_LINE_SHARE = 0.9
MIN_BLOCK_WORDS = 3

# Elements a browser starts on a new line (HTML's block and table elements, list items, breaks).
BLOCK_TAGS = frozenset(
    ("address", "article", "aside", "blockquote", "details", "dialog", "div", "fieldset", "figure", "figcaption")
    + ("footer", "form", "header", "legend", "main", "nav", "p", "pre", "section", "summary", "br", "hr")
    + ("h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "ol", "ul", "li")
    + ("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td")
)
VOID_TAGS = frozenset(("br", "hr"))
HIDDEN_TAGS = frozenset(("head", "script", "style", "noscript", "template", "svg", "math"))
_SPACE = re.compile(r"(\s+)")


def is_one_line_dump(text: str) -> bool:
    """True when ``text`` is long and almost all of it is one line."""
    if len(text) < MIN_DUMP_CHARS:
        return False
    return max(map(len, text.split("\n"))) >= DUMP_LINE_SHARE * len(text)


def block_lines(root, hidden: frozenset[str] = HIDDEN_TAGS) -> list[str]:
    """The text of the lxml element ``root`` cut at every block element, as a browser starts each on a new
    line (``hidden`` elements below ``root`` left out); the tree is changed in place."""
    for element in [e for e in root.iter() if isinstance(e.tag, str) and e.tag in hidden]:
        if element is not root and element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            if element.tag not in VOID_TAGS:
                element.text = "\n" + (element.text or "")
    return root.text_content().split("\n")


def block_words(page: str) -> list[list[str]]:
    """The words of each block of text of ``page``, in document order (hidden elements left out)."""
    tree = parse_html(page)
    if tree is None:
        return []
    return [words for words in (line.split() for line in block_lines(tree)) if words]


def restore_block_breaks(text: str, page: str) -> str:
    """``text`` with a line break before and after each block of ``page`` found in it, when ``text`` is a
    one-line dump (:func:`is_one_line_dump`); otherwise ``text`` unchanged."""
    if not is_one_line_dump(text) or is_cjk_language(guess_language_from_script(text)):
        return text  # Chinese / Japanese: tables.split_joined_cjk_paragraphs splits at "。 " instead
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    parts = _SPACE.split(core)  # words at even positions, the whitespace between them at odd ones
    words = parts[0::2]
    starts: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        starts.setdefault(word, []).append(i)
    breaks: set[int] = set()
    done = 0
    for block in block_words(page):
        if len(block) < MIN_BLOCK_WORDS:  # a menu item such as "Home" would match inside a sentence
            continue
        for i in starts.get(block[0], ()):
            if i >= done and words[i : i + len(block)] == block:
                breaks.update((i, i + len(block)))
                done = i + len(block)
                break
    if not breaks - {0, len(words)}:
        return text
    out = [lead, words[0]]
    for i in range(1, len(words)):
        gap = parts[2 * i - 1]
        out.append(gap if "\n" in gap or i not in breaks else "\n")
        out.append(words[i])
    out.append(trail)
    return "".join(out)
