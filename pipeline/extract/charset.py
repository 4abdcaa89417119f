"""Decode an HTML payload to text: BOM, then HTTP header, then <meta>, then detection, then a fallback.

The order follows the HTML standard's encoding sniffing algorithm (WHATWG HTML §13.2.3.2); the labels
follow the WHATWG Encoding standard, so ``gb2312``/``gbk`` decode as GB18030 and ``iso-8859-1``/``ascii``
as windows-1252 (``cp1252``), exactly as browsers do. Two guards keep a wrong declaration from winning:

* a declared charset must decode the bytes strictly (no replacement characters), otherwise the next
  source is tried;
* valid multi-byte UTF-8 beats a declaration: any non-ASCII UTF-8 beats a single-byte charset (a single
  byte charset decodes every byte sequence, so strictness proves nothing), and at least
  ``MIN_UTF8_CHARS_OVER_MULTIBYTE`` non-ASCII UTF-8 characters beat a multi-byte one (a GBK page can be
  valid UTF-8 by chance for one or two characters, hardly ever for four);
* a single-byte declaration over bytes that look double-byte (most high bytes come in runs, as in
  GBK/Shift-JIS/EUC text) is checked by the detector, and a multi-byte detection that decodes strictly wins.

Detection is charset-normalizer (its ``from_bytes`` with the declaration sniffing turned off, since that
was done here). The fallback is UTF-8 with replacement characters; when more than
``MAX_REPLACEMENT_RATIO`` of the characters had to be replaced, :class:`CharsetDecodeError` is raised
(our threshold: at that point the text is mostly garbage).

``charset`` names are Python's canonical codec names after the WHATWG mapping (``utf-8``, ``gb18030``,
``shift_jis``, ``euc_kr``, ``big5``, ``cp1252``, ``cp1251`` ...). Like browsers, ``shift_jis``, ``euc_kr`` and
``big5`` are decoded with their Microsoft/HKSCS supersets (cp932, cp949, big5hkscs).
"""

from __future__ import annotations

import codecs
import functools
import re

import charset_normalizer

MIN_UTF8_CHARS_OVER_MULTIBYTE = 4
MAX_REPLACEMENT_RATIO = 0.01
META_SCAN_BYTES = 4096  # WHATWG prescans 1024 bytes; 4 KB also catches metas after long <head> preambles
DETECT_SAMPLE_BYTES = 256 * 1024

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

_ALIASES = {
    **dict.fromkeys(
        ("gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "csgb2312", "chinese", "iso-ir-58", "cp936", "ms936"),
        "gb18030",
    ),
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "cp819")
        + ("ibm819", "iso-ir-100", "csisolatin1", "iso88591", "windows-1252", "x-cp1252", "ansi_x3.4-1968"),
        "cp1252",
    ),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "ms932", "cp932"),
        "shift_jis",
    ),
    **dict.fromkeys(
        ("euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean", "windows-949", "cp949"),
        "euc_kr",
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "iso-ir-148"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "iso8859-11", "windows-874"), "cp874"),
}
_DECODER = {"shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs"}
_MULTI_BYTE = frozenset(
    ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "gb18030", "gbk", "gb2312")
    + ("shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "big5", "big5hkscs", "johab", "hz", "cp950")
    + ("iso2022_jp", "iso2022_kr", "euc_jis_2004", "euc_jisx0213", "shift_jis_2004", "shift_jisx0213")
)
# Codecs Python knows that are not page encodings (or, like UTF-7, are banned by WHATWG for safety).
_REJECTED = frozenset(("utf-7", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "mbcs", "oem"))

_META_RE = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([a-z0-9_.:+-]{1,40})", re.IGNORECASE)
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([a-z0-9_.:+-]{1,40})", re.IGNORECASE)
_HIGH_RUN_RE = re.compile(rb"[\x80-\xff]+")


class CharsetDecodeError(ValueError):
    """No source gave a usable decoding."""


@functools.lru_cache(maxsize=512)
def normalize_charset(label: str | None) -> str | None:
    """Canonical codec name of a charset label (WHATWG mapping applied), or None if unknown or unsafe."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    name = _ALIASES.get(key) or _ALIASES.get(key.replace("_", "-"))
    try:
        info = codecs.lookup(name or key)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("_", "-") in _REJECTED:
        return None
    return _ALIASES.get(info.name, info.name)


def header_charset(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, as written."""
    match = _HEADER_CHARSET_RE.search(content_type or "")
    return match.group(1) if match else None


def meta_charset(data: bytes) -> str | None:
    """The charset of the first ``<meta charset>`` or ``<meta http-equiv content="...charset=">``."""
    match = _META_RE.search(data[:META_SCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def is_single_byte(name: str) -> bool:
    return name not in _MULTI_BYTE


def decode_html(data: bytes, http_charset: str | None = None) -> tuple[str, str, str]:
    """Decode ``data``; returns (text, charset name, source) with source in bom|header|meta|detected|fallback."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace"), name, "bom"
    utf8 = _strict(data, "utf-8")
    non_ascii = _non_ascii_chars(utf8) if utf8 is not None else 0
    for source, label in (("header", http_charset), ("meta", meta_charset(data))):
        name = normalize_charset(label)
        if name is None:
            continue
        if source == "meta" and name.startswith("utf-16"):
            name = "utf-8"  # a meta tag read as ASCII cannot be UTF-16; WHATWG reads it as UTF-8
        decoded = _declared(data, name, utf8, non_ascii)
        if decoded is not None:
            return decoded[0], decoded[1], source if decoded[1] == name else "detected"
    if utf8 is not None:
        return utf8, "utf-8", "detected"
    detected = detect_charset(data)
    if detected is not None:
        return detected[0], detected[1], "detected"
    return _fallback(data)


def _declared(data: bytes, name: str, utf8: str | None, non_ascii: int) -> tuple[str, str] | None:
    """Decode with a declared charset, unless valid UTF-8 or a double-byte detection should win instead."""
    if name == "utf-8":
        return (utf8, name) if utf8 is not None else None
    threshold = 1 if is_single_byte(name) else MIN_UTF8_CHARS_OVER_MULTIBYTE
    if utf8 is not None and non_ascii >= threshold:
        return utf8, "utf-8"
    text = _strict(data, name)
    if text is None:
        return None
    if is_single_byte(name) and _looks_double_byte(data):
        detected = detect_charset(data)
        if detected is not None and not is_single_byte(detected[1]):
            return detected
    return text, name


def detect_charset(data: bytes) -> tuple[str, str] | None:
    """Best charset-normalizer guess that decodes ``data`` strictly: (text, name), or None."""
    sample = data[:DETECT_SAMPLE_BYTES]
    try:
        matches = charset_normalizer.from_bytes(sample, preemptive_behaviour=False)
    except Exception:  # the detector is best effort; a crash in it must not lose the record
        return None
    for match in matches:
        name = normalize_charset(match.encoding)
        if name is None or name.startswith(("utf-16", "utf-32")):
            continue
        text = _strict(data, name)
        if text is not None:
            return text, name
    return None


def _fallback(data: bytes) -> tuple[str, str, str]:
    text = data.decode("utf-8", "replace")
    if text and text.count("\ufffd") > MAX_REPLACEMENT_RATIO * len(text):
        raise CharsetDecodeError(f"undecodable: {text.count(chr(0xFFFD))} of {len(text)} chars replaced")
    return text, "utf-8", "fallback"


def _strict(data: bytes, name: str) -> str | None:
    try:
        return data.decode(_DECODER.get(name, name))
    except (UnicodeDecodeError, LookupError):
        return None


def _non_ascii_chars(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _looks_double_byte(data: bytes, sample_bytes: int = 65536) -> bool:
    """Most high bytes sit in runs of two or more, as CJK double-byte text does (Latin text has lone ones)."""
    runs = _HIGH_RUN_RE.findall(data[:sample_bytes])
    high = sum(len(run) for run in runs)
    paired = sum(len(run) for run in runs if len(run) > 1)
    return high >= 16 and paired >= 0.8 * high
