"""Charset detection limited to WHATWG encodings, on literal sentences and on every real page in ../shared/data.

The real pages cover every charset they use: zh-web-extraction (GB2312/GBK declared in <meta> or not at all,
UTF-8 with and without BOM, two GBK pages with broken bytes; each file starts with a ``<text ...
encoding=...>`` wrapper line naming the charset the dataset's crawler used), wceb (UTF-8, two
windows-1252 pages) and the Zyte benchmark pages (UTF-8, 45 without a declaration).
"""

from __future__ import annotations

import gzip
import html
import re
import sys
from pathlib import Path

import pytest

from pipeline.extract.charset import decode_html, detect_charset, normalize_charset
from pipeline.extract.whatwg_encodings import ENCODINGS, codec_name
from tests.conftest import shared_path

_WRAPPER = re.compile(rb'<text id="[^"]*"[^\n]*?encoding="([^"]*)"[^\n]*\n')
_WRAPPER_CHARSET = {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}


def page(body: str) -> str:
    return f"<html><head><title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize("label", ["cp775", "ibm437", "cp850", "kz1048", "utf-7", "x-user-defined", "hz-gb-2312"])
def test_labels_browsers_do_not_know_are_ignored(label):
    assert normalize_charset(label) is None


def test_whatwg_labels_and_detector_names_map_to_the_standard_list():
    assert normalize_charset("big5-hkscs") == "big5" and normalize_charset("windows-874") == "cp874"
    assert normalize_charset("iso-8859-9") == "cp1254" and normalize_charset("x-mac-cyrillic") == "mac-cyrillic"
    assert [codec_name(n) for n in ("cp775", "big5hkscs", "kz1048", "ptcp154", "mac_iceland")] == [None] * 5
    assert [codec_name(n) for n in ("latin_1", "ascii", "iso8859_9", "cp949", "utf_8")] == [
        "cp1252",
        "cp1252",
        "cp1254",
        "euc_kr",
        "utf-8",
    ]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        # the defect: read as cp775, “ became ō and the no-break space Ā
        ("Join our \u201cFrequent\u00a0Flyer\u201d programme \u2013 today.", "cp1252", "cp1252"),
        ("Voilà où il a été, à côté du café, déjà très âgé. Ça coûte 5 €.", "cp1252", "cp1252"),
        ("Größe und Maß, schön über die Straße.", "cp1252", "cp1252"),
        ("¿Dónde está el niño? ¡Mañana!", "cp1252", "cp1252"),
        ("Wczoraj byłem w sklepie i kupiłem chleb, masło oraz świeże owoce dla całej rodziny.", "cp1250", "cp1250"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy", "cp1250", "cp1250"),
        ("Kırmızı ağaç, güzel şehir İstanbul.", "cp1254", "cp1254"),
        ("Съешь же ещё этих мягких французских булок", "cp1251", "cp1251"),
        ("Съешь же ещё этих мягких французских булок", "koi8-r", "koi8-r"),
        ("Ελληνικά κείμενα για δοκιμή", "cp1253", "cp1253"),
        ("한국어 웹 페이지입니다. 올바르게 해독해야 합니다.", "euc_kr", "euc_kr"),
        ("繁體中文網頁的內容，這是一個測試頁面。", "big5", "big5"),
    ],
)
def test_undeclared_single_and_double_byte_text_reads_as_written(text, encoding, expected):
    decoded, name, source = decode_html(page(text).encode(encoding))
    assert text in decoded and name == expected and name in ENCODINGS


def test_undefined_windows_1252_bytes_decode_to_c1_controls_as_in_whatwg():
    text, name, _ = decode_html(b"<p>caf\xe9 \x81 ok</p>", "windows-1252")
    assert name == "cp1252" and "café \x81 ok" in text


def test_a_declared_charset_survives_a_few_broken_sequences():
    body = ("中文网页的正文内容，这是一个测试页面。" * 40).encode("gbk")
    data = b'<meta charset="gbk"><p>' + body + b"\xb0 </p>" + body + b"</p>"  # one lone lead byte
    text, name, source = decode_html(data)
    assert (name, source) == ("gb18030", "meta") and text.count("\ufffd") == 1


def _zh_pages():
    root = shared_path("pages", "zh-web-extraction")
    for path in sorted((root / "original").glob("*.html")):
        yield path, (root / "cleaned" / path.name).with_suffix(".txt")


def test_every_zh_web_extraction_page_decodes_as_its_crawler_recorded(shared_data):
    checked = 0
    for path, cleaned in _zh_pages():
        raw = path.read_bytes()
        wrapper = _WRAPPER.match(raw)
        body = raw[wrapper.end() :] if wrapper else raw
        truth = _WRAPPER_CHARSET.get(wrapper.group(1).decode()) if wrapper else None
        for data in (raw, body):  # with the wrapper line (as stored) and as served
            text, name, _ = decode_html(data)
            assert truth is None or name == truth, (path.name, name, truth)
            expected = {c for c in cleaned.read_text(encoding="utf-8") if ord(c) > 0x2E80}
            found = html.unescape(text)
            recall = sum(c in found for c in expected) / max(len(expected), 1)
            assert recall >= 0.95, (path.name, name, recall)  # the hand-copied text's characters are there
            assert text.count("\ufffd") <= 12, path.name
        checked += 1
    assert checked == 69


def test_every_wceb_page_decodes_as_declared_or_as_valid_utf8(shared_data):
    root = shared_path("pages", "wceb", "release", "html")
    names = {}
    for path in sorted(root.glob("*.html.gz")):
        data = gzip.decompress(path.read_bytes())
        text, name, source = decode_html(data)
        try:
            data.decode("utf-8")
            assert name == "utf-8" or data.isascii(), path.name  # ASCII reads the same in both
        except UnicodeDecodeError:
            assert source == "meta", path.name
        names[name] = names.get(name, 0) + 1
    assert sum(names.values()) >= 999 and set(names) <= {"utf-8", "cp1252"}


def test_every_zyte_page_keeps_its_ground_truth_characters(shared_data):
    shared_path("html", "zyte-article-benchmark")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "extract_quality"))
    from zyte import load_ground_truth, load_pages

    truth = load_ground_truth()
    for page_id, data in load_pages().items():
        text, name, _ = decode_html(data)
        expected = {c for c in truth[page_id]["articleBody"] if ord(c) > 127 and not c.isspace()}
        found = html.unescape(text)
        assert sum(c in found for c in expected) >= 0.9 * len(expected), (page_id, name)


def test_detector_skips_multi_byte_guesses_for_text_without_double_byte_runs():
    data = page("Caf\u00e9 cr\u00e8me \u2013 \u201cquoted\u201d text " * 3).encode("cp1252")
    assert detect_charset(data)[1] in ("cp1252", "cp1250", "cp1254")
