"""Phone numbers with Google's libphonenumber (PyPI ``phonenumbers``), behind a cheap pre-filter.

Regions to try, in this order (``regions_for``): the country of the URL's country-code TLD, the
regions of the document's language (``LANGUAGE_REGIONS``), then the configured regions. A number
written with an international prefix ("+", or "00" as dialled from most countries) needs no
region. At most ``MAX_REGIONS`` regions are tried per document (time grows with each one).

Acceptance (the *chosen leniency*):
- national form: ``Leniency.VALID``: the digits form a number that libphonenumber's metadata
  calls valid (assigned ranges, lengths) for the region, and the matcher's own guards hold (no
  Latin letter glued to it, not a slash-separated date or a time stamp, national prefix rules).
- international form ("+", "00"): ``Leniency.POSSIBLE``: the length fits the country code. A
  dialled country code is strong evidence on its own, and numbers such as "+1-555-123-4567"
  (an unassigned area code, common in examples and forms) still identify a person's line.

Speed: the pure-Python matcher costs 50-170 us per call, so it runs only on *clusters* of at
least ``MIN_DIGITS`` digits joined by phone separators, only after a gate of ``parse`` +
``is_valid_number`` (~30 us) has accepted the cluster for a region, and never on clusters
that another detector (card, SSN, IBAN, ID) already claimed.
Not phones, whatever the metadata says: numbers right after ISBN/ISSN/DOI/order/invoice/
tracking (and Chinese 订单/单号/运单/发票), after "version"/"build", or followed by an amount
unit (元 万 亿 块 %).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import phonenumbers as pn
from phonenumbers import Leniency, PhoneNumberMatcher

from pipeline.transform import pii_patterns as P

MIN_DIGITS = 7  # national numbers of 7 digits exist (Iceland "467 3395", many small countries)
MAX_REGIONS = 6
REGIONS = frozenset(pn.SUPPORTED_REGIONS)
# Where a language is mostly written (regions with the most speakers first; CLDR territory data,
# cut to the few largest so that a document costs a bounded number of tries).
LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "IN", "CA", "AU"),
    "zh": ("CN", "TW", "HK"),
    "es": ("ES", "MX", "AR", "CO"),
    "de": ("DE", "AT", "CH"),
    "fr": ("FR", "BE", "CH", "CA"),
    "pt": ("BR", "PT"),
    "it": ("IT", "CH"),
    "nl": ("NL", "BE"),
    "ru": ("RU", "BY", "KZ"),
    "ja": ("JP",),
    "ko": ("KR",),
    "pl": ("PL",),
    "sv": ("SE", "FI"),
    "da": ("DK",),
    "no": ("NO",),
    "nb": ("NO",),
    "nn": ("NO",),
    "fi": ("FI",),
    "is": ("IS",),
    "tr": ("TR",),
    "cs": ("CZ",),
    "sk": ("SK",),
    "hu": ("HU",),
    "ro": ("RO", "MD"),
    "bg": ("BG",),
    "el": ("GR", "CY"),
    "he": ("IL",),
    "ar": ("SA", "EG", "AE", "MA"),
    "fa": ("IR",),
    "hi": ("IN",),
    "id": ("ID",),
    "ms": ("MY",),
    "vi": ("VN",),
    "th": ("TH",),
    "uk": ("UA",),
    "hr": ("HR",),
    "sr": ("RS",),
    "sl": ("SI",),
    "et": ("EE",),
    "lv": ("LV",),
    "lt": ("LT",),
}
# Country-code TLDs sold worldwide as generic names say nothing about where the page's numbers are.
VANITY_TLDS = frozenset(
    {"io", "co", "tv", "me", "ai", "ly", "fm", "to", "cc", "ws", "la", "gg", "sh", "ac", "am", "nu"}
)
_TLD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@]*@)?([^/?#:]+)")
# 7+ digits joined by at most two separators, optionally led by "+" or "(" (a phone's shape).
PHONE_CLUSTER_RE = re.compile(r"[+(（]?[0-9](?:[\ ()\-./（）]{0,2}[0-9]){6,}", re.ASCII)
# Shapes that libphonenumber may call valid in some region but that are something else:
# dotted quads (IP addresses, also kept private ones; OIDs), decimals ("48.858844", "0.5 0.25"),
# calendar dates (ISO 8601, day/month/year, month/day/year, yyyymmdd) and runs of single digits.
_NOT_A_PHONE = re.compile(
    r"""[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9]+\.[0-9]+
    |(?:19|20)[0-9]{2}([\-./]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12][0-9]|3[01])
    |(?:0?[1-9]|[12][0-9]|3[01])([\-./])(?:0?[1-9]|[12][0-9]|3[01])\2(?:19|20)[0-9]{2}""",
    re.ASCII | re.VERBOSE,
)
_DECIMAL_OR_SINGLES = re.compile(r"(?<![0-9])0\.[0-9]|(?:(?<![0-9])[0-9][\ \-.]){3}", re.ASCII)
# An amount, not a number to call: a currency or unit right after it, or a currency sign before.
_AMOUNT_AFTER = re.compile(r"\s?(?:[元万亿块%]|(?:RMB|CNY|USD|EUR|GBP|JPY|INR|dollars?|euros?)(?![A-Za-z]))")
_CURRENCY_BEFORE = re.compile(r"[$€£¥₹]\s?$")
_DIGITS = "0123456789"


def tld_region(url: str | None) -> str | None:
    """The region of the URL host's country-code TLD ("uk" -> GB), None for generic/vanity TLDs."""
    m = _TLD_RE.match(url or "")
    if not m:
        return None
    tld = m.group(1).rstrip(".").rsplit(".", 1)[-1].lower()
    if len(tld) != 2 or tld in VANITY_TLDS:
        return None
    region = "GB" if tld == "uk" else tld.upper()
    return region if region in REGIONS else None


def regions_for(configured: Sequence[str], language: str | None = None, url: str | None = None) -> tuple[str, ...]:
    """Regions to try for one document: its TLD's, its language's, then the configured ones."""
    out: list[str] = []
    for region in (tld_region(url), *LANGUAGE_REGIONS.get((language or "").split("_")[0].lower(), ()), *configured):
        if region and region not in out:
            out.append(region)
    return tuple(out[:MAX_REGIONS])


def check_regions(regions: Iterable[str]) -> tuple[str, ...]:
    """Validate configured regions (ISO 3166-1 alpha-2 codes libphonenumber knows)."""
    regions = tuple(regions)
    bad = sorted(r for r in regions if r not in REGIONS)
    if bad:
        raise ValueError(f"pii_redactor.phone_regions: unknown {bad}; valid values: ISO 3166 codes such as US, GB, CN")
    return regions


def _gate(candidate: str, region: str, international: bool) -> bool:
    """Cheap check before the matcher: does ``candidate`` parse to a number worth matching?"""
    try:
        number = pn.parse(candidate, region)
    except pn.NumberParseException:
        return False
    return pn.is_possible_number(number) if international else pn.is_valid_number(number)


def _match(text: str, ws: int, we: int, cs: int, region: str, international: bool) -> list[tuple[int, int]]:
    window = text[ws:we]
    if international and text.startswith("00", cs):
        # "00" as an international prefix becomes " +" (same length) so that the matcher reads it.
        window = window[: cs - ws] + " +" + window[cs - ws + 2 :]
    leniency = Leniency.POSSIBLE if international else Leniency.VALID
    spans = []
    for match in PhoneNumberMatcher(window, region, leniency=leniency):
        start = ws + match.start
        if start == cs + 1 and window[match.start] == "+" and text[cs] == "0":
            start = cs  # the "00" that was rewritten
        spans.append((start, ws + match.end))
    return spans


def _not_personal(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 20) : start]
    if P.NOT_PERSONAL_BEFORE.search(before) or P.VERSION_BEFORE.search(text, max(0, start - 12), start):
        return True
    return (
        bool(_AMOUNT_AFTER.match(text, end)) or P.IBAN_LIKE_BEFORE.search(text, max(0, start - 40), start) is not None
    )


def find_phones(text: str, regions: Sequence[str], taken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Phone spans in ``text``; clusters overlapping a ``taken`` span are skipped."""
    out: list[tuple[int, int, str]] = []
    last_end = 0
    for cluster in PHONE_CLUSTER_RE.finditer(text):
        cs, ce = cluster.span()
        if cs < last_end or any(s < ce and cs < e for s, e in taken):
            continue
        chunk = cluster.group()
        if sum(map(chunk.count, _DIGITS)) < MIN_DIGITS or _NOT_A_PHONE.fullmatch(chunk):
            continue
        if _DECIMAL_OR_SINGLES.search(chunk) or _CURRENCY_BEFORE.search(text, max(0, cs - 2), cs):
            continue
        international = chunk[0] == "+" or (chunk.startswith("00") and chunk[2:3] not in ("0", ""))
        if not international and cs and text[cs - 1] == "+":
            continue  # "+" glued to a "(": the cluster started one character late
        ws, we = max(0, cs - 8), min(len(text), ce + 12)  # room for "Tel.", an extension
        candidate = "+" + chunk[2:] if chunk.startswith("00") else chunk.lstrip("(（")
        for region in ("ZZ",) if international else regions:
            if not _gate(candidate, region, international):
                continue
            for start, end in _match(text, ws, we, cs, region, international):
                if start < ce and cs < end and start >= last_end and not _not_personal(text, start, end):
                    out.append((start, end, "phone"))
                    last_end = end
            break
    return out
