"""HTML -> main text: boilerplate removal, title / language hint, binary sniffing, the per-document time limit."""

from __future__ import annotations

import signal
import time

import pytest

from pipeline.extract.html import (
    ExtractionTimeout,
    extract_main_text,
    html_lang,
    html_title,
    normalize_language,
    sniff_binary,
    time_limit,
)

ARTICLE = [
    "The river town of Millbrook has restored its nineteenth-century stone bridge after two years of careful work.",
    "Engineers replaced the crumbling mortar with a lime mix that matches the original, so the arches can flex "
    "with the seasons instead of cracking.",
    "Local historians say the bridge carried the first mail coach into the valley in 1841 and became a symbol "
    "of the town's growth during the wool trade.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head><title>Millbrook bridge reopens &amp; more</title></head>
<body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies.</div>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact us</a></li></ul></nav>
<main><article><h1>Millbrook bridge reopens</h1>
<p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p><p>{ARTICLE[2]}</p></article></main>
<footer><p>Copyright 2024 Millbrook Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of service</a></footer>
</body></html>"""


def test_article_is_kept_and_boilerplate_dropped():
    text = extract_main_text(PAGE)
    for paragraph in ARTICLE:
        assert paragraph in text
    assert text.split("\n").count(ARTICLE[1]) == 1  # one paragraph per line
    for boilerplate in ("cookies", "Contact us", "Copyright", "Privacy policy", "Sport"):
        assert boilerplate not in text


def test_title_and_language_hint():
    assert html_title(PAGE) == "Millbrook bridge reopens & more"
    assert html_lang(PAGE) == "en"
    assert html_title("<html><body>no title</body></html>") is None
    assert html_lang("<html xml:lang='zh-Hans'>") == "zh"
    assert normalize_language("zh-CN, en;q=0.8") == "zh"
    assert normalize_language("  DE") == "de" and normalize_language("*") is None


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"PK\x03\x04\x14\x00", "zip"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"<html>\x00\x00\x00</html>", "nul-bytes"),
        (b"<html><body>fine</body></html>", None),
    ],
)
def test_sniff_binary(payload, kind):
    assert sniff_binary(payload) == kind


def _pathological_page(blocks: int) -> str:
    cells = "".join(
        f"<div><p>Paragraph {i} has a few words of text in it.</p><a href='/x{i}'>link</a></div>" for i in range(blocks)
    )
    return f"<html><body>{cells}</body></html>"


def test_time_limit_interrupts_a_slow_extraction():
    started = time.monotonic()
    with pytest.raises(ExtractionTimeout), time_limit(0.05):
        extract_main_text(_pathological_page(2000))  # takes about 0.5 s on this machine
    assert time.monotonic() - started < 0.4


def test_time_limit_restores_the_previous_handler_and_timer():
    def outer(signum, frame):
        raise AssertionError("outer alarm")

    previous = signal.signal(signal.SIGALRM, outer)
    saved_delay, _ = signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with time_limit(1.0):
            pass
        assert signal.getsignal(signal.SIGALRM) is outer
        delay, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 29 < delay <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, saved_delay)
        signal.signal(signal.SIGALRM, previous)


def test_time_limit_is_a_no_op_outside_the_main_thread():
    import threading

    outcome = {}

    def work():
        with time_limit(0.001):
            time.sleep(0.01)
        outcome["done"] = True

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == {"done": True}


def test_time_limit_never_raises_inside_the_report_of_an_unraisable_exception():
    """An alarm landing in a C callback is reported through sys.unraisablehook; ticks during that report
    must wait (raising there breaks the hook, as pytest's did), and the body is still stopped afterwards."""
    import sys

    reported = []

    def slow_hook(unraisable):
        until = time.monotonic() + 0.1  # several 10 ms ticks land in here
        while time.monotonic() < until:
            pass
        reported.append(type(unraisable.exc_value).__name__)

    class RaisesOnDelete:
        def __del__(self):
            raise ValueError("from a finalizer")

    saved = sys.unraisablehook
    sys.unraisablehook = slow_hook
    try:
        with pytest.raises(ExtractionTimeout), time_limit(0.01):
            RaisesOnDelete()  # deleted at once: the finalizer's error goes to the hook
            while True:
                pass
        assert sys.unraisablehook is slow_hook
    finally:
        sys.unraisablehook = saved
    assert reported == ["ValueError"]


# trafilatura refuses a page whose first 50 characters do not say "html" when libxml2 hangs it under
# <head> (here: blank lines and a script before the doctype, then an unknown tag in the head, as on
# sohu.com article pages of 2005).
_REFUSED_PAGE = (
    "\n" * 16
    + "<script>\nfunction f() { return 1; }\n</script>\n"
    + "<!DOCTYPE HTML PUBLIC -//W3C//DTD HTML 4.01 Transitional//EN>\n<html>\n<head>\n<title>t</title>\n"
    + "<sohu_cms_include:aut_new_style><link href=/a.css rel=stylesheet type=text/css>\n</head><body>"
    + "<table><tr><td class=cc id=fontzoom>"
    + "".join(
        f"<p>这是第{i}段正文，讲述上海车展上各家汽车厂商展示的新车型和技术，以及它们在华的布局。</p>" for i in range(12)
    )
    + "</td></tr></table></body></html>"
)


def test_a_page_trafilatura_refuses_as_not_html_is_read_from_its_tree():
    import trafilatura

    from pipeline.extract.html import extract_main_text

    assert trafilatura.extract(_REFUSED_PAGE) is None
    text = extract_main_text(_REFUSED_PAGE)
    assert text.count("段正文") == 12 and "function" not in text


def test_pages_trafilatura_reads_are_not_parsed_again():
    from pipeline.extract.html import parse_refused_page

    for page in ("<html><body></body></html>", "<html><body><p>short</p></body></html>", "", "  \n"):
        assert parse_refused_page(page) is None


def test_real_pages_trafilatura_refused_are_extracted(shared_data):
    """The two zh-web-extraction pages trafilatura alone returns nothing for (sohu.com, 2005)."""
    from pipeline.extract.charset import decode_html
    from pipeline.extract.html import extract_main_text

    root = shared_data / "pages" / "zh-web-extraction"
    for key in ("8baa71e3-7cfa-4850-bb54-c6db4e0c3b70", "93498c29-594f-4e98-a1e9-f34fa8706d7c"):
        raw = (root / "original" / f"{key}.html").read_bytes()
        raw = raw.split(b"\n", 1)[1] if raw.startswith(b"<text ") else raw  # the dataset's wrapper line
        html, _, _ = decode_html(raw)
        truth = (root / "cleaned" / f"{key}.txt").read_text(encoding="utf-8")
        text = extract_main_text(html)
        expected = {c for c in truth if ord(c) > 0x2E80}
        assert sum(c in text for c in expected) / len(expected) > 0.95, key
        assert len(text) < 1.5 * len(truth), key  # the article, not the whole page


def test_a_refused_page_with_an_xml_declaration_is_parsed_from_bytes():
    from pipeline.extract.html import extract_main_text, parse_refused_page

    page = '<?xml version="1.0" encoding="utf-8"?>\n' + _REFUSED_PAGE
    assert parse_refused_page(page) is not None
    assert extract_main_text(page).count("段正文") == 12
    assert parse_refused_page("<") is None and parse_refused_page("\x00\x00") is None


def test_source_newlines_collapse_as_a_browser_renders_them():
    from pipeline.extract.html import collapse_source_newlines

    page = (
        "<p>returns a <code>Result</code> value because the function could\r\n   fail. In Listing 9-3</p>\n"
        "<pre>fn main() {\n    let x = 5;\n}</pre><PRE class=x>a\nb</PRE>\n<script>// c\nvar a = 1;</script>"
        "<p>中文的句子在这里\n  继续写下去。English\nnext</p><textarea>x\ny</textarea>"
    )
    out = collapse_source_newlines(page)
    assert "function could fail. In" in out
    assert "<pre>fn main() {\n    let x = 5;\n}</pre>" in out and "<PRE class=x>a\nb</PRE>" in out
    assert "// c\nvar a" in out and "<textarea>x\ny</textarea>" in out
    assert "在这里继续写下去。English next" in out
    assert collapse_source_newlines("<pre>never closed\nline") == "<pre>never closed\nline"
    assert collapse_source_newlines("no newline") == "no newline"


def test_a_paragraph_wrapped_in_the_source_is_one_line_and_survives_c4_lines():
    import textwrap

    from pipeline.extract.html import extract_main_text
    from pipeline.transform.c4_lines import C4LineCleaner

    sentences = [
        f"Sentence number {i} explains how the <code>open</code> call can fail on a read-only disk." for i in range(8)
    ]
    wrapped = textwrap.fill(" ".join(sentences), width=72)  # as an editor wraps the source
    page = f"<html><body><article><h1>Errors</h1><p>{wrapped}</p><p>Second paragraph is here, short.</p></article></body></html>"
    text = extract_main_text(page)
    assert "disk. Sentence number 1" in text and "fail on a read-only disk." in text
    kept = C4LineCleaner().process({"text": text, "language": "en", "status": "kept"})["text"]
    assert kept.count("Sentence number") == 8
