"""Compiled patterns of the PII detectors (candidates only; ``pii_rules`` validates them).

All patterns use ASCII classes (``re.ASCII``: ``\\d`` would also match full-width and other
scripts' digits) and explicit lookarounds on ASCII digits and letters instead of ``\\b``: Chinese
characters are word characters for ``\\b``, so a number glued to Chinese text
("手机13812345678") has no word boundary, while these lookarounds still see its edges.
"""

from __future__ import annotations

import re

_X = re.ASCII | re.VERBOSE
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"

EMAIL_RE = re.compile(
    rf"""[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@
    (?:(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{{0,61}}[A-Za-z0-9])?\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9\-]{{2,59}})
       |\[{_IPV4}\]|{_IPV4})
    (?![A-Za-z0-9\-]|\.[A-Za-z0-9])""",
    _X,
)
IPV4_RE = re.compile(rf"(?<![0-9A-Za-z.]){_IPV4}(?![0-9A-Za-z]|\.[0-9])", _X)
IPV6_RE = re.compile(r"(?<![0-9A-Za-z:.%])[0-9A-Fa-f:]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z_\-]+)?", _X)
# Unbroken, or groups with one separator used throughout and a first group of four; never after
# "+" (an E.164 phone number such as +5511961234698 can pass Luhn by chance).
CARD_RE = re.compile(
    r"(?<![0-9A-Za-z.,\#\-+])(?:[1-6][0-9]{3}|0604)(?:([\ \-])[0-9]{3,6}(?:\1[0-9]{1,6}){1,4}|[0-9]{8,15})(?![0-9A-Za-z])",
    _X,
)
CN_ID_RE = re.compile(
    r"""(?<![0-9A-Za-z.\-])[1-9][0-9]{5}\ ?(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])
    \ ?[0-9]{3}[0-9Xx](?![0-9A-Za-z])""",
    _X,
)
SSN_RE = re.compile(
    r"(?<![0-9A-Za-z.\-\#/])[0-9]{3}([\-\ .])[0-9]{2}\1[0-9]{4}(?![0-9A-Za-z]|[\-.][0-9])",
    _X,
)
# Any grouping: the BBAN's characters with at most one space or dash between two of them; the
# detector cuts the match at the country's length and needs the cut to fall on a boundary.
IBAN_RE = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}(?:[\ \-]?[0-9A-Za-z]){10,30}", _X)


# An IBAN starts with a country code and check digits at most _BEFORE characters before its digits.
IBAN_HEAD_RE = re.compile(r"[A-Za-z]{2}[0-9]{2}", re.ASCII)

# Numbers introduced by these words are catalogue or logistics numbers, not phones or cards.
NOT_PERSONAL_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:isbn(?:-1[03])?|issn|doi|order|invoice|tracking|订单|单号|运单|发票)(?:\s*(?:number|num|no|id|号码|号))?[\s:：#.\-]*$",
    re.I,
)
VERSION_BEFORE = re.compile(r"(?<![A-Za-z])(?:version|release|build|firmware|ver\.?|版本)\s*[:：]?\s*$", re.I)
# Dotted quads that number something else: a section ("Section 7.8.2.1", "§ 1.2.3.4") or a product's version
# ("openresty/1.9.7.1"; not a URL's host, whose "//" does not match).
NOT_IP_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?:section|sect?\.|§|chapter|clause|paragraph|figure|fig\.|table|appendix|step|rule)\s*"
    r"|(?<![A-Za-z0-9_.\-/])[A-Za-z][A-Za-z0-9_.\-]*/)$",
    re.I,
)
# The groups of an IBAN that its own check rejected (a typo) are no phone or card either.
IBAN_LIKE_BEFORE = re.compile(r"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{2}(?:[\ \-][0-9A-Za-z]{4}){0,7}[\ \-]$", re.ASCII)
# Where digit-based PII can be: 7+ digits joined by at most two separator characters (7: the
# shortest national phone numbers, Iceland's "467 3395"), or a dotted quad. One pass of this charset-led pattern is far cheaper than one pass per detector
# (the leading lookbehinds of the detectors disable the regex engine's fast prefix scan).
DIGIT_CLUSTER_RE = re.compile(
    r"[0-9](?:(?:[\ ()\-./（）]{0,2}[0-9]){6,}|[0-9]?[0-9]?\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9])", re.ASCII
)
# A cluster (with a leading "+" or "(") holds digits and these separators only: deleting them leaves
# its digits, at C speed.
CLUSTER_DIGITS = str.maketrans("", "", " ()-./（）+")
# IPv6 needs two colons at most one hex group apart; a literal-led pattern finds them quickly.
COLON_PAIR_RE = re.compile(r":[0-9A-Fa-f]{0,4}:")
