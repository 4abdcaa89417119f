"""Charset detection on literal bytes: BOM, header, meta, detection, WHATWG label mapping, wrong declarations."""

from __future__ import annotations

import codecs

import pytest

from pipeline.extract.charset import (
    CharsetDecodeError,
    decode_html,
    header_charset,
    meta_charset,
    normalize_charset,
)

ZH = "中文网页的正文内容，这是一个测试页面。我们需要正确地解码这些汉字，不能出现乱码。"
JA = "日本語のウェブページです。文字化けしないように正しく解読する必要があります。"
FR = "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter en canoë au delà des îles. Ça coûte 5 €."
RU = "Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных губерний."


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("Shift_JIS", "shift_jis"),
        ("x-sjis", "shift_jis"),
        ("UTF8", "utf-8"),
        ("windows-1251", "cp1251"),
        ("EUC-JP", "euc_jp"),
        ("ks_c_5601-1987", "euc_kr"),
        ("base64", None),  # a Python codec, not a text encoding
        ("utf-7", None),  # banned by WHATWG
        ("no-such-charset", None),
        (None, None),
    ],
)
def test_normalize_charset_follows_whatwg(label, name):
    assert normalize_charset(label) == name


def test_header_and_meta_labels_are_found():
    assert header_charset('text/html; Charset="ISO-8859-1"') == "ISO-8859-1"
    assert header_charset("text/html") is None
    assert meta_charset(b'<head><meta charset="gbk"></head>') == "gbk"
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    assert meta_charset(http_equiv) == "Shift_JIS"
    assert meta_charset(b" " * 5000 + b'<meta charset="gbk">') is None  # only the first 4 KB count


def test_bom_wins_over_everything():
    data = codecs.BOM_UTF16_LE + page(ZH).encode("utf-16-le")
    text, name, source = decode_html(data, "iso-8859-1")
    assert (name, source) == ("utf-16-le", "bom") and ZH in text
    text, name, source = decode_html(codecs.BOM_UTF8 + page(FR).encode("utf-8"), "gbk")
    assert (name, source) == ("utf-8", "bom") and FR in text


def test_header_then_meta_when_they_decode():
    data = page(RU, '<meta charset="koi8-r">').encode("cp1251")
    assert decode_html(data, "windows-1251")[1:] == ("cp1251", "header")
    text, name, source = decode_html(page(ZH, '<meta charset="gb2312">').encode("gb18030"))
    assert (name, source) == ("gb18030", "meta") and ZH in text


@pytest.mark.parametrize(
    ("body", "encoding", "declared", "expected"),
    [
        (ZH, "gbk", None, "gb18030"),
        (ZH, "gbk", "utf-8", "gb18030"),  # fails strict UTF-8: the header must not win
        (ZH, "gbk", "iso-8859-1", "gb18030"),  # single-byte label over double-byte bytes: detection wins
        (JA, "shift_jis", None, "shift_jis"),
        (JA, "shift_jis", "utf-8", "shift_jis"),
        (JA, "shift_jis", "windows-1252", "shift_jis"),
        (FR, "cp1252", None, "cp1252"),
        (FR, "cp1252", "utf-8", "cp1252"),
        (RU, "cp1251", None, "cp1251"),
    ],
)
def test_wrong_or_missing_declaration_still_decodes(body, encoding, declared, expected):
    text, name, source = decode_html(page(body).encode(encoding), declared)
    assert body in text
    assert (name, source) == (expected, "detected")


def test_valid_utf8_beats_a_single_byte_declaration():
    text, name, source = decode_html(page(FR).encode("utf-8"), "iso-8859-1")
    assert (name, source) == ("utf-8", "detected") and FR in text
    text, name, source = decode_html(page(ZH, '<meta charset="windows-1252">').encode("utf-8"))
    assert (name, source) == ("utf-8", "detected") and ZH in text


def test_valid_utf8_beats_a_multi_byte_declaration_only_with_enough_evidence():
    assert decode_html(page(ZH).encode("utf-8"), "gbk")[1:] == ("utf-8", "detected")
    # two UTF-8 characters are not enough to overrule a GBK label that decodes
    data = page("ab" + "é").encode("utf-8")
    assert decode_html(data, "gbk")[1] == "gb18030"


def test_ascii_page_keeps_its_label_and_plain_utf8_is_detected():
    assert decode_html(page("plain ascii").encode(), "iso-8859-1")[1:] == ("cp1252", "header")
    assert decode_html(page(ZH).encode("utf-8"))[1:] == ("utf-8", "detected")


def test_meta_utf16_is_read_as_utf8():
    text, name, source = decode_html(page(FR, '<meta charset="utf-16">').encode("utf-8"))
    assert (name, source) == ("utf-8", "meta") and FR in text


def test_garbage_bytes_raise_decode_error():
    with pytest.raises(CharsetDecodeError):
        decode_html(bytes(range(128, 256)) * 8 + b"\xff\xfe\xfd" * 100)
