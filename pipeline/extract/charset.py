"""Decode an HTML payload to text as a browser would: BOM, HTTP header, <meta>, detection, windows-1252.

The order follows the HTML standard's encoding sniffing algorithm (WHATWG HTML §13.2.3.2) and every
candidate is one of the encodings of the WHATWG Encoding Standard (:mod:`whatwg_encodings`): ``gb2312``
and ``gbk`` decode as GB18030, ``iso-8859-1``/``ascii`` as windows-1252 (``cp1252``), and a label
browsers do not know (``cp775``, ``ibm437`` ...) is ignored. Guards keep a wrong declaration from winning:

* a declared charset is used when it decodes the bytes with at most ``MAX_DECLARED_ERROR_RATIO``
  invalid sequences per character (real GBK pages carry a few broken bytes, e.g. a title cut in the
  middle of a character; browsers show one replacement character there and so do we); otherwise the
  next source is tried;
* valid multi-byte UTF-8 beats a declaration: any non-ASCII UTF-8 beats a single-byte charset (a single
  byte charset decodes every byte sequence, so decoding proves nothing), and at least
  ``MIN_UTF8_CHARS_OVER_MULTIBYTE`` non-ASCII UTF-8 characters beat a multi-byte one (a GBK page can be
  valid UTF-8 by chance for one or two characters, hardly ever for four);
* a single-byte declaration over bytes that look double-byte (most high bytes come in runs, as in
  GBK/Shift-JIS/EUC text) is checked by detection, and a multi-byte detection wins.

Detection is charset-normalizer (``from_bytes`` with its own declaration sniffing off, since that was done
here), limited to what browsers can produce: a guess outside the WHATWG list is skipped (the issue that
led here: pages without a declaration read as cp775 or big5hkscs turned ``“`` into ``ō``), and a
multi-byte guess is only taken for bytes that look double-byte. Double-byte bytes that no detector
guess decodes strictly (a few broken sequences) go to the CJK decoder with the fewest invalid sequences,
if that is at most ``MAX_REPLACEMENT_RATIO`` per character, else :class:`CharsetDecodeError`.
Among single-byte readings (the detector's guesses plus ``SINGLE_BYTE_CANDIDATES``) the most plausible
one wins (:mod:`single_byte`), windows-1252 on ties: it is the default of browsers for Western locales
(source ``fallback`` when no detector proposed it). Bytes with more than ``MAX_CONTROL_RATIO`` C0
control bytes or under ``MIN_ASCII_RATIO`` ASCII are not text and raise :class:`CharsetDecodeError`.

Names are Python's canonical codec names of the WHATWG encodings (``utf-8``, ``gb18030``, ``shift_jis``,
``euc_kr``, ``big5``, ``cp1252``, ``cp1251`` ...). Like browsers, ``shift_jis``, ``euc_kr`` and ``big5`` are
decoded with their Microsoft/HKSCS supersets (cp932, cp949, big5hkscs), and bytes a windows-125x table
leaves undefined decode to the C1 control of the same value, as the WHATWG indexes say.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from pipeline.extract.single_byte import SAMPLE_CHARS, most_plausible
from pipeline.extract.whatwg_encodings import DECODER, MULTI_BYTE, codec_name, label_codec

MIN_UTF8_CHARS_OVER_MULTIBYTE = 4
MAX_DECLARED_ERROR_RATIO = 0.002  # invalid sequences per decoded character (measured: 12 in 32,245 chars)
MAX_REPLACEMENT_RATIO = 0.01  # the same, for an undeclared double-byte page: above it the text is garbage
MAX_CONTROL_RATIO = 0.01  # C0 control bytes (not tab/newline/CR/FF/ESC) per byte: binary, not text
MIN_ASCII_RATIO = 0.005  # ASCII bytes per byte: HTML, even in GBK or Shift-JIS, is mostly ASCII markup
META_SCAN_BYTES = 4096  # WHATWG prescans 1024 bytes; 4 KB also catches metas after long <head> preambles
DETECT_SAMPLE_BYTES = 256 * 1024
CJK_CANDIDATES = ("gb18030", "big5", "shift_jis", "euc_kr", "euc_jp")  # tie order: the most pages first
# single-byte encodings always weighed for undeclared text, besides the detector's guesses (the
# windows code pages of Europe and the Middle East, KOI8-R and ISO-8859-2/7 for older pages)
SINGLE_BYTE_CANDIDATES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "koi8-r", "iso8859-2")
MIN_PLAUSIBILITY = -0.5  # plausibility points per non-ASCII character below which it is not text

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_RE = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([a-z0-9_.:+-]{1,40})", re.IGNORECASE)
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([a-z0-9_.:+-]{1,40})", re.IGNORECASE)
_HIGH_RUN_RE = re.compile(rb"[\x80-\xff]+")
_ASCII_TEXT_RE = re.compile(rb"[\t\n\r -~]")
_CONTROL_RE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _c1_passthrough(error: UnicodeDecodeError) -> tuple[str, int]:
    """Undefined single bytes of windows-125x decode to U+0080..U+009F of the same value (WHATWG indexes)."""
    byte = error.object[error.start]
    if 0x80 <= byte <= 0x9F:
        return chr(byte), error.start + 1
    return "\ufffd", error.start + 1


codecs.register_error("whatwg_c1", _c1_passthrough)


class CharsetDecodeError(ValueError):
    """No source gave a usable decoding."""


def normalize_charset(label: str | None) -> str | None:
    """Canonical codec name of a declared label (WHATWG labels only), or None if browsers ignore it."""
    return label_codec(label)


def header_charset(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, as written."""
    match = _HEADER_CHARSET_RE.search(content_type or "")
    return match.group(1) if match else None


def meta_charset(data: bytes) -> str | None:
    """The charset of the first ``<meta charset>`` or ``<meta http-equiv content="...charset=">``."""
    match = _META_RE.search(data[:META_SCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def is_single_byte(name: str) -> bool:
    return name not in MULTI_BYTE


def decode_html(data: bytes, http_charset: str | None = None) -> tuple[str, str, str]:
    """Decode ``data``; returns (text, charset name, source) with source in bom|header|meta|detected|fallback."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace"), name, "bom"
    utf8 = _strict(data, "utf-8")
    non_ascii = _non_ascii_chars(utf8) if utf8 is not None else 0
    double_byte = _looks_double_byte(data)
    for source, label in (("header", http_charset), ("meta", meta_charset(data))):
        name = normalize_charset(label)
        if name is None:
            continue
        if source == "meta" and name.startswith("utf-16"):
            name = "utf-8"  # a meta tag read as ASCII cannot be UTF-16; WHATWG reads it as UTF-8
        decoded = _declared(data, name, utf8, non_ascii, double_byte)
        if decoded is not None:
            return decoded[0], decoded[1], source if decoded[1] == name else "detected"
    if utf8 is not None:
        return utf8, "utf-8", "detected"
    _refuse_binary(data[:DETECT_SAMPLE_BYTES])
    detected = detect_charset(data, double_byte)
    if detected is not None:
        return detected[0], detected[1], "detected"
    return _strict(data, "cp1252"), "cp1252", "fallback"


def _declared(data: bytes, name: str, utf8: str | None, non_ascii: int, double_byte: bool) -> tuple[str, str] | None:
    """Decode with a declared charset, unless valid UTF-8 or a double-byte detection should win instead."""
    if name == "utf-8" and utf8 is not None:
        return utf8, name
    threshold = 1 if is_single_byte(name) else MIN_UTF8_CHARS_OVER_MULTIBYTE
    if utf8 is not None and non_ascii >= threshold:
        return utf8, "utf-8"
    text = _tolerant(data, name, MAX_DECLARED_ERROR_RATIO)
    if text is None:
        return None
    if is_single_byte(name) and double_byte:
        detected = detect_charset(data, double_byte)
        if detected is not None and not is_single_byte(detected[1]):
            return detected
    return text, name


def detect_charset(data: bytes, double_byte: bool | None = None) -> tuple[str, str] | None:
    """The detector's best WHATWG guess that decodes ``data``: (text, name), or None.

    Guesses outside the WHATWG list are skipped; multi-byte guesses count only for double-byte-looking
    bytes. For those, when no guess decodes strictly, the CJK decoder with the fewest errors is taken.
    """
    if double_byte is None:
        double_byte = _looks_double_byte(data)
    sample = data[:DETECT_SAMPLE_BYTES]
    try:
        matches = list(charset_normalizer.from_bytes(sample, preemptive_behaviour=False))
    except Exception:  # the detector is best effort; a crash in it must not lose the record
        matches = []
    candidates: list[tuple[str, str]] = []  # preference order for ties: multi-byte guesses first
    for match in matches:
        name = codec_name(match.encoding)
        if name is None or name.startswith("utf-16") or any(name == seen for _, seen in candidates):
            continue
        if not is_single_byte(name) and not double_byte:
            continue  # a multi-byte guess for text whose high bytes stand alone: not CJK text
        text = _strict(data, name)
        if text is not None:
            candidates.append((text, name))
    guessed = {name for _, name in candidates}
    candidates.sort(key=lambda candidate: is_single_byte(candidate[1]))
    if double_byte and not any(not is_single_byte(name) for name in guessed):
        cjk = _best_cjk(data, MAX_REPLACEMENT_RATIO)
        candidates += [cjk] if cjk is not None else []
    candidates += [(_strict(data, name), name) for name in SINGLE_BYTE_CANDIDATES if name not in guessed]
    multi = [candidate for candidate in candidates if not is_single_byte(candidate[1])]
    single = [candidate for candidate in candidates if is_single_byte(candidate[1])]
    single.sort(key=lambda candidate: candidate[1] != "cp1252")  # windows-1252 wins ties among single bytes
    best, score = most_plausible(multi + single)
    if score < MIN_PLAUSIBILITY * _non_ascii_chars(best[0][:SAMPLE_CHARS]):
        raise CharsetDecodeError(f"undecodable: no encoding reads {len(data)} bytes as text")
    return best if best[1] in guessed or best[1] != "cp1252" else None


def _best_cjk(data: bytes, max_ratio: float) -> tuple[str, str] | None:
    """The CJK decoding with the fewest invalid sequences, if at most ``max_ratio`` per character."""
    best = None
    for name in CJK_CANDIDATES:
        text = data.decode(DECODER.get(name, name), "replace")
        errors = text.count("\ufffd")
        if best is None or errors < best[0]:
            best = (errors, text, name)
    if best[0] > max_ratio * max(len(best[1]), 1):
        return None
    return best[1], best[2]


def _refuse_binary(sample: bytes) -> None:
    """Raise for bytes that are no text in any encoding: control bytes, or (almost) no ASCII at all."""
    controls = len(_CONTROL_RE.findall(sample))
    if controls > MAX_CONTROL_RATIO * len(sample):
        raise CharsetDecodeError(f"undecodable: {controls} control bytes in {len(sample)} bytes")
    ascii_bytes = len(_ASCII_TEXT_RE.findall(sample))
    if len(sample) >= 512 and ascii_bytes < MIN_ASCII_RATIO * len(sample):
        raise CharsetDecodeError(f"undecodable: {ascii_bytes} ASCII bytes in {len(sample)} (no markup, no spaces)")


def _strict(data: bytes, name: str) -> str | None:
    try:
        return data.decode(DECODER.get(name, name), "whatwg_c1" if name.startswith("cp12") else "strict")
    except (UnicodeDecodeError, LookupError):
        return None


def _tolerant(data: bytes, name: str, max_ratio: float) -> str | None:
    """Decode with replacement characters when they are at most ``max_ratio`` of the characters."""
    text = _strict(data, name)
    if text is not None:
        return text
    text = data.decode(DECODER.get(name, name), "replace")
    return text if text.count("\ufffd") <= max_ratio * len(text) else None


def _non_ascii_chars(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _looks_double_byte(data: bytes, sample_bytes: int = 65536) -> bool:
    """Most high bytes sit in runs of two or more, as CJK double-byte text does (Latin text has lone ones)."""
    runs = _HIGH_RUN_RE.findall(data[:sample_bytes])
    high = sum(len(run) for run in runs)
    paired = sum(len(run) for run in runs if len(run) > 1)
    return high >= 16 and paired >= 0.8 * high
