"""The replies of a forum thread or a Q&A page, which main-content extraction leaves out.

trafilatura looks for one main block of text. On a forum thread or a Q&A page that is often the first
post alone: a Discourse topic came out as its opening post, a Stack Overflow page as its question
without the answers. On the 118 forum pages of the wceb benchmark (``bench/real_pages``) 30 had under
half of their main content extracted.

Most forum and Q&A software marks each post with schema.org microdata: an element with
``itemscope itemtype=".../DiscussionForumPosting"`` (or ``Comment`` for a reply; ``Question`` and
``Answer`` on a ``QAPage``), holding the post's body in an ``itemprop="text"`` (or ``articleBody``)
element. :func:`add_thread_posts` reads those bodies and appends, in page order, each one the extracted
text does not hold yet (under ``COVERED_SHARE`` of its shingles found there) to the extracted text.
On a page with ``Question`` or ``Answer`` items only those are taken, not the comments under them
(Discourse also names ``QAPage`` in its pages and marks replies as ``Comment``). A page whose microdata
marks fewer than ``MIN_POSTS`` bodies is read from its JSON-LD instead (``<script
type="application/ld+json">``: the ``text`` or ``articleBody`` of each item of those types, replies
under ``comment``), as Invision Community forums publish their threads.

It runs only when the page names one of those types (a substring test) and gives at least
``MIN_POSTS`` post bodies; the page is then parsed a second time. It adds text and never removes any:
a page whose extracted text already holds every post is returned unchanged.
"""

from __future__ import annotations

import html as html_entities
import json
import re

from pipeline.extract.paragraphs import HIDDEN_TAGS, block_lines
from pipeline.extract.parse import parse_html

MIN_POSTS = 2
COVERED_SHARE = 0.5
THREAD_TYPES = ("DiscussionForumPosting", "Comment")
QA_TYPES = ("Question", "Answer")
BODY_PROPS = ("text", "articleBody")
_UI_TAGS = frozenset(("button", "form", "nav", "input", "select", "textarea"))
_SPACES = re.compile(r"[ \t\f\v\r\xa0\u3000]+")
_JSON_LD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_WORD_SHINGLE = 4
_CHAR_SHINGLE = 8


def has_thread_markup(html: str) -> bool:
    return "DiscussionForumPosting" in html or "QAPage" in html


def _itemtype(element) -> str:
    """The schema.org type name an element's ``itemtype`` gives (the last path part of its first URL)."""
    value = (element.get("itemtype") or "").split()
    return value[0].rstrip("/").rsplit("/", 1)[-1] if value else ""


def _scope_type(element) -> str:
    """The type of the nearest enclosing item (``itemscope``) of ``element``, or ""."""
    parent = element.getparent()
    while parent is not None:
        if parent.get("itemscope") is not None:
            return _itemtype(parent)
        parent = parent.getparent()
    return ""


def _joined(lines) -> str:
    """The non-empty lines, each with its spaces collapsed, one per line."""
    return "\n".join(line for line in (_SPACES.sub(" ", line).strip() for line in lines) if line)


def _render(element) -> str:
    """Text of ``element`` with a line break around each block element, one space between words."""
    return _joined(block_lines(element, HIDDEN_TAGS | _UI_TAGS))


def thread_posts(html: str) -> list[str]:
    """The text of each post body the page's microdata marks, in page order (a body inside another
    body is part of it); [] when the page cannot be parsed."""
    tree = parse_html(html)
    if tree is None:
        return []
    typed = [(e, _scope_type(e)) for e in tree.iter() if isinstance(e.tag, str) and e.get("itemprop") in BODY_PROPS]
    # a Q&A page: its questions and answers, not the comments under them; a thread: its posts and replies
    wanted = QA_TYPES if any(kind in QA_TYPES for _, kind in typed) else THREAD_TYPES
    bodies = [e for e, kind in typed if kind in wanted]
    chosen = set(bodies)
    outermost = [e for e in bodies if not any(a in chosen for a in e.iterancestors())]
    return [text for text in map(_render, outermost) if text]


def _plain(text: str) -> str:
    """A JSON-LD text as lines: entities decoded, spaces collapsed, empty lines dropped."""
    return _joined(html_entities.unescape(text).split("\n"))


def jsonld_posts(html: str) -> list[str]:
    """The text of each post the page's JSON-LD holds, in the order given (see the module)."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            kind = next((k for k in kinds if k in THREAD_TYPES + QA_TYPES), None)
            body = next((node.get(p) for p in BODY_PROPS if isinstance(node.get(p), str)), None)
            if kind and body and body.strip():
                found.append((kind, _plain(body)))
            for value in node.values():
                if isinstance(value, (list, dict)):
                    walk(value)

    for block in _JSON_LD.findall(html):
        try:
            walk(json.loads(block))
        except ValueError:  # a broken block is skipped; the page's other blocks still count
            continue
    wanted = QA_TYPES if any(kind in QA_TYPES for kind, _ in found) else THREAD_TYPES
    return [text for kind, text in found if kind in wanted and text]


def _shingles(text: str) -> set:
    # Not pipeline.dedup.shingles: its normalisation (a pyarrow call per text) made this step several
    # times slower on the marked wceb pages, and posts are compared as extracted, not normalised.
    words = text.split()
    if len(words) * 20 < len(text):  # hardly any spaces: Chinese or Japanese; character shingles
        chars = "".join(words)
        return {chars[i : i + _CHAR_SHINGLE] for i in range(max(1, len(chars) - _CHAR_SHINGLE + 1))}
    return {tuple(words[i : i + _WORD_SHINGLE]) for i in range(max(1, len(words) - _WORD_SHINGLE + 1))}


def add_thread_posts(text: str, html: str) -> str:
    """``text`` followed by each post of the page's thread it does not hold yet (see the module)."""
    if not has_thread_markup(html):
        return text
    posts = thread_posts(html)
    if len(posts) < MIN_POSTS:
        posts = jsonld_posts(html)
    if len(posts) < MIN_POSTS:
        return text
    have = _shingles(text) if text else set()
    added = []
    for post in posts:
        grams = _shingles(post)
        if len(grams & have) >= COVERED_SHARE * len(grams):
            continue
        added.append(post)
        have |= grams
    return "\n".join(([text] if text else []) + added)
