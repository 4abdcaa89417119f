"""The encodings browsers use for web pages: the WHATWG Encoding Standard's list and labels, as Python codecs.

Source: https://encoding.spec.whatwg.org/#names-and-labels (the ``encodings.json`` table). Every label a
page may declare maps to one of about 40 encodings; a label outside the table is ignored, as browsers
ignore it. The ``replacement`` encoding (ISO-2022-KR/CN, HZ) and ``x-user-defined`` are left out: a page
declaring them is decoded from the next source instead.

Names here are Python's canonical codec names (``codecs.lookup(...).name``): the values of
:data:`LABELS`. :func:`codec_name` also accepts a detector's answer (Python codec names such as
``iso8859_5`` or ``cp775``) and answers None for anything browsers cannot produce.
"""

from __future__ import annotations

import codecs


def _labels(name: str, *labels: str) -> dict[str, str]:
    return dict.fromkeys(labels, name)


LABELS: dict[str, str] = {
    **_labels("utf-8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"),
    **_labels("cp866", "866", "cp866", "csibm866", "ibm866"),
    **_labels("iso8859-2", "csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2")
    | _labels("iso8859-2", "iso_8859-2:1987", "l2", "latin2"),
    **_labels("iso8859-3", "csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3")
    | _labels("iso8859-3", "iso_8859-3:1988", "l3", "latin3"),
    **_labels("iso8859-4", "csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4")
    | _labels("iso8859-4", "iso_8859-4:1988", "l4", "latin4"),
    **_labels("iso8859-5", "csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5")
    | _labels("iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988"),
    **_labels("iso8859-6", "arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114")
    | _labels("iso8859-6", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596")
    | _labels("iso8859-6", "iso_8859-6", "iso_8859-6:1987"),
    **_labels("iso8859-7", "csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7")
    | _labels("iso8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"),
    **_labels("iso8859-8", "csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e")
    | _labels("iso8859-8", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual")
    | _labels("iso8859-8", "csiso88598i", "iso-8859-8-i", "logical"),  # ISO-8859-8-I decodes the same bytes
    **_labels("iso8859-10", "csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"),
    **_labels("iso8859-13", "iso-8859-13", "iso8859-13", "iso885913"),
    **_labels("iso8859-14", "iso-8859-14", "iso8859-14", "iso885914"),
    **_labels("iso8859-15", "csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"),
    **_labels("iso8859-16", "iso-8859-16"),
    **_labels("koi8-r", "cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    **_labels("koi8-u", "koi8-ru", "koi8-u"),
    **_labels("mac-roman", "csmacintosh", "mac", "macintosh", "x-mac-roman"),
    **_labels("cp874", "dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    **_labels("cp1250", "cp1250", "windows-1250", "x-cp1250"),
    **_labels("cp1251", "cp1251", "windows-1251", "x-cp1251"),
    **_labels("cp1252", "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1")
    | _labels("cp1252", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1")
    | _labels("cp1252", "us-ascii", "windows-1252", "x-cp1252"),
    **_labels("cp1253", "cp1253", "windows-1253", "x-cp1253"),
    **_labels("cp1254", "cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9")
    | _labels("cp1254", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"),
    **_labels("cp1255", "cp1255", "windows-1255", "x-cp1255"),
    **_labels("cp1256", "cp1256", "windows-1256", "x-cp1256"),
    **_labels("cp1257", "cp1257", "windows-1257", "x-cp1257"),
    **_labels("cp1258", "cp1258", "windows-1258", "x-cp1258"),
    **_labels("mac-cyrillic", "x-mac-cyrillic", "x-mac-ukrainian"),
    # GBK and gb18030 are one decoder in browsers (GBK is decoded as gb18030)
    **_labels("gb18030", "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk")
    | _labels("gb18030", "iso-ir-58", "x-gbk", "gb18030"),
    **_labels("big5", "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    **_labels("euc_jp", "cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    **_labels("iso2022_jp", "csiso2022jp", "iso-2022-jp"),
    **_labels("shift_jis", "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j")
    | _labels("shift_jis", "x-sjis"),
    **_labels("euc_kr", "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987")
    | _labels("euc_kr", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
    **_labels("utf-16-be", "unicodefffe", "utf-16be"),
    **_labels("utf-16-le", "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"),
}

ENCODINGS = frozenset(LABELS.values())
MULTI_BYTE = frozenset(
    ("utf-8", "utf-16-le", "utf-16-be", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr")
)

# What each encoding is decoded with: browsers decode Shift_JIS, EUC-KR and Big5 with the Microsoft or
# HKSCS supersets, and ISO-8859-1/ASCII as windows-1252 (the labels already map there).
DECODER = {"shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs"}

# A detector answers with Python codec names; these are the ones that name a WHATWG encoding under
# another name (latin-1 and ASCII text is windows-1252 for a browser).
_DETECTOR_NAMES = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "cp932": "shift_jis",
    "cp949": "euc_kr",
}


def label_codec(label: str | None) -> str | None:
    """The codec of a declared label (header or <meta>), or None when browsers would ignore it."""
    if not label:
        return None
    return LABELS.get(label.strip().strip("\"'").strip().lower())


def codec_name(python_name: str | None) -> str | None:
    """The WHATWG encoding a detector's Python codec name stands for, or None (cp775, big5hkscs, kz1048 ...)."""
    if not python_name:
        return None
    try:
        name = codecs.lookup(python_name).name
    except LookupError:
        return None
    name = _DETECTOR_NAMES.get(name, name)
    return name if name in ENCODINGS else None
