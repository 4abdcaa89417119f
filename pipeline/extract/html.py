"""Main-text extraction from decoded HTML with trafilatura (or resiliparse), under a per-document time limit.

Engines (``extract.engine``): ``trafilatura`` (the default) and ``resiliparse``, whose main-content
extraction (``resiliparse.extract.html2text``, a C++ DOM walk with class / id heuristics) keeps more
boilerplate for much less CPU: on the real pages the extractor's CPU, trafilatura rescue included, is
3-4x less (``bench/real_pages/engines.py`` measures both side by side; README "Extraction engines").

``extract_main_text`` hands the decoded string to ``trafilatura.extract`` which parses it once with lxml
(we do not parse a second time: title and ``lang`` come from two bounded regular expressions over the
start of the page, which is cheaper than handing trafilatura a tree, since it deep-copies a tree it is given).

Time limit: :func:`time_limit` arms ``signal.setitimer(ITIMER_REAL)`` and raises :class:`ExtractionTimeout`
from the SIGALRM handler. It derives from ``BaseException`` so that the ``except Exception`` blocks inside
trafilatura cannot swallow it. Limits of the approach: it only works in the main thread (Python runs
signal handlers there; elsewhere the limit is not enforced), and a handler only runs between Python
bytecodes, so one long C-level call (lxml parsing a huge page) cannot be interrupted; the timeout then
fires right after it returns. That call is bounded by the size cap on payloads (``max_html_bytes``),
which the extractor applies before decoding. The previous SIGALRM handler and timer (pytest-timeout uses
one) are restored afterwards.
"""

from __future__ import annotations

import html as html_entities
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import trafilatura

from pipeline.extract.engines import ENGINES, RESCUE_BELOW_CHARS, resiliparse_text
from pipeline.extract.paragraphs import restore_block_breaks
from pipeline.extract.parse import parse_html
from pipeline.extract.tables import rejoin_hard_wrapped_cjk_lines, split_joined_cjk_paragraphs, unwrap_layout_tables
from pipeline.extract.threads import add_thread_posts
from pipeline.text.script import CJK_PUNCTUATION, FULLWIDTH, ZH_JA

HEAD_SCAN_CHARS = 262_144  # title and lang live in the head; bound the regex work on huge pages
MAX_TITLE_CHARS = 1000

_TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_HTML_LANG_RE = re.compile(r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?\s*([A-Za-z]{2,3})(?![A-Za-z])", re.IGNORECASE)
_LANG_RE = re.compile(r"\s*([A-Za-z]{2,3})(?![A-Za-z])")

# Magic numbers of formats that servers mislabel as text/html (first bytes of the payload).
BINARY_MAGIC = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"\xff\xd8\xff": "jpeg",
    b"PK\x03\x04": "zip",
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!\x1a\x07": "rar",
    b"RIFF": "riff",
    b"OggS": "ogg",
    b"ID3": "mp3",
    b"\x00asm": "wasm",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole2",
    b"wOFF": "woff",
    b"wOF2": "woff2",
}
NUL_SCAN_BYTES = 4096


class ExtractionTimeout(BaseException):
    """The per-document time limit ran out (a BaseException so library ``except Exception`` lets it through)."""


def sniff_binary(payload: bytes) -> str | None:
    """Name of the binary format ``payload`` starts with, ``"nul-bytes"`` if its start has NULs, else None.

    Call after the BOM check: UTF-16 text has NULs too, and is only valid HTML with a BOM.
    """
    for magic, name in BINARY_MAGIC.items():
        if payload.startswith(magic):
            return name
    if b"\x00" in payload[:NUL_SCAN_BYTES]:
        return "nul-bytes"
    return None


def extract_main_text(
    html: str,
    *,
    url: str | None = None,
    favor_precision: bool = False,
    include_comments: bool = False,
    include_tables: bool = True,
    deduplicate: bool = False,
    fast: bool = False,
    thread_posts: bool = True,
    engine: str = "trafilatura",
    rescue_below_chars: int = RESCUE_BELOW_CHARS,
) -> str:
    """Main text (paragraphs separated by ``\\n``), or "" when the engine finds none.

    ``thread_posts``: append the posts of a forum thread or Q&A page that the engine left out
    (:mod:`pipeline.extract.threads`). ``engine``: one of :data:`ENGINES`; ``resiliparse`` takes
    ``include_comments`` and ``include_tables`` and has no equivalent of the other trafilatura options
    (the extract stage's config refuses them with it). ``rescue_below_chars``: with ``resiliparse``, a
    page whose text is shorter than this is extracted again by trafilatura in its fast mode, and
    trafilatura's text is kept (0: never); resiliparse's class and id heuristics empty some whole pages,
    trafilatura rarely does (``bench/real_pages/engines.py``)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown extraction engine {engine!r}; expected one of {', '.join(ENGINES)}")
    html = collapse_source_newlines(html)
    text = None
    if engine == "resiliparse":
        text = resiliparse_text(html, include_comments=include_comments, include_tables=include_tables)
        if len(text) < rescue_below_chars:
            text = None
    if text is None:
        text = _trafilatura_text(
            html,
            url=url,
            favor_precision=favor_precision,
            include_comments=include_comments,
            include_tables=include_tables,
            deduplicate=deduplicate,
            fast=fast or engine == "resiliparse",  # the rescue: same F1 on those pages for 2/3 of the CPU
        )
    if thread_posts:
        text = add_thread_posts(text, html)
    return split_joined_cjk_paragraphs(rejoin_hard_wrapped_cjk_lines(text))


def _trafilatura_text(html: str, *, url: str | None, **options) -> str:
    """trafilatura's text of a page (source line breaks already collapsed), "" when it finds none."""
    options = {"url": url, "output_format": "txt", "with_metadata": False, **options}
    text = trafilatura.extract(html, **options)
    if text is None:
        tree = parse_refused_page(html)
        if tree is not None:
            text = trafilatura.extract(tree, **options)
    # layout-table rows first: a row is one line whose cells hold the page's paragraphs
    return restore_block_breaks(unwrap_layout_tables(text or ""), html)  # a page's text that came out as one line


# Elements whose text keeps its line breaks (HTML's whitespace rules do not apply inside them).
_VERBATIM_OPEN = re.compile(r"<(pre|textarea|script|style|xmp|listing|plaintext)\b", re.IGNORECASE)
_WIDE_CHARS = ZH_JA + CJK_PUNCTUATION + FULLWIDTH
_VERBATIM_CLOSE = {
    name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
    for name in ("pre", "textarea", "script", "style", "xmp", "listing", "plaintext")
}
_WIDE_NEWLINE = re.compile(rf"([{_WIDE_CHARS}])[ \t]*\n[\n \t]*(?=[{_WIDE_CHARS}])")
_NEWLINE = re.compile(r"\n[\n \t]*")  # literal-led: found at C speed


def _collapse(chunk: str) -> str:
    if "\r" in chunk:
        chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
    # Pages mostly in a CJK script (over a tenth of extra UTF-8 bytes; a checked regex scan of every
    # English page cost more than the rest of this function) lose their newlines between wide characters.
    if not chunk.isascii() and len(chunk.encode("utf-8", "surrogatepass")) - len(chunk) > len(chunk) // 10:
        chunk = _WIDE_NEWLINE.sub(r"\1", chunk)
    return _NEWLINE.sub(" ", chunk)


def collapse_source_newlines(html: str) -> str:
    """Line breaks of the HTML source outside ``<pre>``-like elements as a browser renders them: a space
    (nothing between two Chinese / Japanese characters).

    trafilatura keeps such a newline when it falls inside a paragraph with inline markup (``<p>... a
    <code>Result</code> value because the function could\\nfail. In ...</p>``), so a page whose source is
    wrapped at 80 columns came out with every paragraph broken mid-sentence, and C4's terminal-punctuation
    rule then dropped all its lines but the last: 85 of the 999 wceb pages, whose kept documents lost 48 %
    of their text in the filter stage (``bench/real_pages/RESULTS.md``). Paragraph breaks are unaffected:
    trafilatura makes them from the elements, not from the source's newlines.
    """
    if "\n" not in html and "\r" not in html:
        return html
    out, pos = [], 0
    for m in _VERBATIM_OPEN.finditer(html):
        if m.start() < pos:
            continue
        close = _VERBATIM_CLOSE[m.group(1).lower()].search(html, m.end())
        end = close.end() if close else len(html)
        out.append(_collapse(html[pos : m.start()]))
        out.append(html[m.start() : end])
        pos = end
    out.append(_collapse(html[pos:]))
    return "".join(out)


def parse_refused_page(html: str):
    """The page parsed as trafilatura parses it, when trafilatura refused to read it; None otherwise.

    trafilatura calls a document "not valid HTML" when its first 50 characters do not say "html" and
    its parsed tree has a single child. Real pages do both: two sohu.com articles of zh-web-extraction
    start with 16 blank lines and a ``<script>`` before ``<html>`` (libxml2 then hangs the whole page
    under ``<head>``), and trafilatura returned nothing for them, so they were removed as empty. Given
    the tree itself, trafilatura extracts their text. Pages trafilatura reads are never parsed twice:
    this runs only after an empty result, and returns None when trafilatura's own loader accepts the
    page (it found no text there).
    """
    from trafilatura.utils import HTML_PARSER, load_html

    if not html.strip() or load_html(html) is not None:
        return None
    tree = parse_html(html, HTML_PARSER)
    return tree if tree is not None and len(tree) else None


def html_title(html: str) -> str | None:
    match = _TITLE_RE.search(html, 0, HEAD_SCAN_CHARS)
    if not match:
        return None
    title = " ".join(html_entities.unescape(match.group(1)).split())
    return title[:MAX_TITLE_CHARS] or None


def html_lang(html: str) -> str | None:
    match = _HTML_LANG_RE.search(html, 0, HEAD_SCAN_CHARS)
    return match.group(1).lower() if match else None


def normalize_language(value: str | None) -> str | None:
    """Primary subtag of a BCP 47 tag or the first of a Content-Language list: ``"zh-CN, en"`` -> ``"zh"``."""
    match = _LANG_RE.match(value or "")
    return match.group(1).lower() if match else None


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ExtractionTimeout` in the body after ``seconds`` (main thread only; see module doc)."""
    if not seconds or seconds <= 0 or not _can_use_alarm():
        yield
        return
    state = {"armed": True}
    previous_hook = sys.unraisablehook

    def on_unraisable(unraisable):
        # An alarm that lands in a C callback cannot propagate and is reported as "unraisable"; that is
        # expected here (the next tick raises again), so it is dropped. Anything else goes to the old hook.
        if isinstance(unraisable.exc_value, ExtractionTimeout):
            return
        previous_hook(unraisable)

    hook_codes = {on_unraisable.__code__, *_codes_of(previous_hook)}

    def on_alarm(signum, frame):
        if not state["armed"]:  # a late alarm, after the body finished, must not raise in our cleanup
            return
        if _runs_any(frame, hook_codes):  # never raise inside the reporting of an earlier alarm
            return
        raise ExtractionTimeout(f"over {seconds:g} s")

    sys.unraisablehook = on_unraisable
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    # The timer re-fires every 10 ms after the deadline: an alarm that lands inside library code that
    # catches and drops exceptions (C callbacks, broad excepts) is raised again at the next tick.
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.01)
    started = time.monotonic()
    try:
        yield
    finally:
        state["armed"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        sys.unraisablehook = previous_hook
        if previous_delay > 0:  # give an outer timer back what is left of it (at least a tick, so it still fires)
            remaining = max(previous_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, remaining, previous_interval)


def _codes_of(function) -> set:
    """Code objects a hook runs first (a plain function, a bound method or a ``functools.partial``)."""
    while hasattr(function, "func"):
        function = function.func
    function = getattr(function, "__func__", function)
    code = getattr(function, "__code__", None)
    return {code} if code is not None else set()


def _runs_any(frame, codes: set) -> bool:
    while frame is not None:
        if frame.f_code in codes:
            return True
        frame = frame.f_back
    return False


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
