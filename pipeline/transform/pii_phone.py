"""Phone numbers with Google's libphonenumber (PyPI ``phonenumbers``), behind a cheap pre-filter.

Regions to try, in this order (``regions_for``): the country of the URL's country-code TLD, the
regions of the document's language (``LANGUAGE_REGIONS``), then the configured regions. A number
written with an international prefix ("+", or "00" as dialled from most countries) needs no
region. At most ``MAX_REGIONS`` regions are tried per document (time grows with each one).

Acceptance (the *chosen leniency*):
- national form: ``Leniency.VALID``: the digits form a number that libphonenumber's metadata
  calls valid (assigned ranges, lengths) for the region, and the matcher's own guards hold (no
  Latin letter glued to it, not a slash-separated date or a time stamp, national prefix rules).
- written as a phone ("+" or "00" and a country code, an area code in parentheses, or an
  extension after it): ``Leniency.POSSIBLE``: the length fits the country's (or, for "(...)",
  the region's) numbering plan. That shape is strong evidence on its own, and numbers such as
  "+1-555-123-4567" or "(783) 703-8836" (unassigned area codes, common in forms and in made-up
  test data) are still read as phone numbers by every reader of the page.

Speed: the pure-Python matcher costs 50-150 us per call, so it runs only on digit *clusters*
(``pii_patterns.DIGIT_CLUSTER_RE``, at least ``MIN_DIGITS`` digits) that no other detector (card,
SSN, IBAN, ID, IP) claimed, whose digit count fits a region's possible lengths and, for national
forms, whose digits fit the region's general number pattern (one C-speed regex) and then pass a
gate of ``parse`` + ``is_valid_number`` (cached per process). If the matcher refuses a number in one
region, the next region is tried.
Not phones, whatever the metadata says: dates, decimals, dotted quads, year lists and ranges,
citations ("440 (2014) 179-858", "34(20): 5439-5440"), bare Unix times, numbers inside URLs, identifiers,
hashes, quoted JSON ids or file names, rows of a table (a one-digit group after the first), amounts and
counts (a currency sign before, a unit, currency code or Chinese measure word after), and numbers right
after ISBN, ISSN, DOI, order, invoice, tracking (订单, 单号, 运单, 发票), "version" or "build". A parenthesis
is evidence of a phone number only around an area code ("(415) 861-5449", not "(2026-2035)" or
"rgb(96 139 168)"). Each of these shapes was found on real pages (bench/pii/REAL_TEXT.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import phonenumbers as pn
from phonenumbers import Leniency, PhoneNumberMatcher

from pipeline.transform import pii_patterns as P

MIN_DIGITS = 7  # national numbers of 7 digits exist (Iceland "467 3395", many small countries)
MAX_REGIONS = 8  # a TLD region, up to 4 language regions, the 3 default ones
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
# Shapes that libphonenumber may call valid in some region but that are something else:
# dotted quads (IP addresses, also kept private ones; OIDs), decimals ("48.858844", "0.5 0.25"),
# calendar dates (ISO 8601, day/month/year, month/day/year, yyyymmdd), citations, Unix times.
_NOT_A_PHONE = re.compile(
    r"""[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9]+\.[0-9]+
    |(?:19|20)[0-9]{2}([\-./]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12][0-9]|3[01])
    |(?:0?[1-9]|[12][0-9]|3[01])([\-./])(?:0?[1-9]|[12][0-9]|3[01])\2(?:19|20)[0-9]{2}
    |.*[(（](?:19|20)[0-9]{2}[)）].*  # "440 (2019) 567-571": volume, year and pages of a citation
    |(?:(?:1[0-9]|20)[0-9]{2}[\ \-/]{1,2})+(?:1[0-9]|20)[0-9]{2}  # years: "1990 1995 2001", "1300-1350"
    |1[0-9]{9}|1[0-9]{12}  # bare Unix time in seconds or milliseconds (2001-2286); GB would take them""",
    re.ASCII | re.VERBOSE,
)
# Anywhere in the cluster: a decimal "0.5", three single digits in a row, a year and month "2019/02", "2022.01".
_DECIMAL_OR_SINGLES = re.compile(
    r"(?<![0-9])0\.[0-9]|(?:(?<![0-9])[0-9][\ \-.]){3}|(?<![0-9])(?:19|20)[0-9]{2}[/\-.](?:0[1-9]|1[0-2])(?![0-9])",
    re.ASCII,
)
# Part of a URL or an identifier: "/p/620508648", "auth_key=1759401135-v61N", "75171071-e675-...",
# "#summary-57466180045", "TE-99972454".
_IN_IDENTIFIER_BEFORE = frozenset("/=_&?#@\\")
_IN_IDENTIFIER_AFTER = re.compile(r"[\-_][A-Za-z0-9]*[A-Za-z]|[/=_&?#@]|\.[A-Za-z]", re.ASCII)  # ".png": a file name
_CODE_PREFIX_BEFORE = re.compile(r"[A-Za-z][\-_]$", re.ASCII)
# The pages of a citation after its volume and issue: "34(20): 5439-5440", "2019;28(12):2257-2269".
_PAGES_BEFORE = re.compile(r"(?:[0-9]\([0-9]{1,4}\)|;[0-9]{1,4})[:：]\s?$")
# An area code in parentheses, the only parenthesis that makes a number look like a phone number: "(415) 861-5449",
# not "(2026-2035)", "(1763/1770)" or "rgb(96 139 168)".
_AREA_CODE_PARENS = re.compile(r"[(（][0-9]{1,5}[)）]", re.ASCII)
# Groups of a number as written: a national number has no one-digit group after its first ("1 (888) 768 6861",
# "8 (495) ..."); "5035 7 0 15 24" is a row of a table.
_GROUP_SPLIT = re.compile(r"[\ ()\-./（）]+")
# An amount or a count, not a number to call: a currency, unit or Chinese measure word right after it ("97900497例",
# "2389130人"), or a currency sign before.
_AMOUNT_AFTER = re.compile(
    r"\s?(?:[元万亿块%例人个件次名家户吨台辆份项篇股票只头架艘座所条]|(?:RMB|CNY|USD|EUR|GBP|JPY|INR|dollars?|euros?)(?![A-Za-z]))"
)
_CURRENCY_BEFORE = re.compile(r"[$€£¥₹]\s?$")
_EXTENSION_AFTER = re.compile(r"\ ?(?:x|ext\.?|#)\ ?[0-9]{1,6}(?![0-9A-Za-z])", re.ASCII)


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
    """Regions to try for one document: its TLD's, its language's, then the configured ones.

    One region per country calling code: a number of Canada parsed with region US is found valid
    for CA (both +1), so trying CA after US would only repeat the work."""
    return _regions(tuple(configured), (language or "").split("_")[0].lower(), tld_region(url))


@functools.lru_cache(maxsize=4096)
def _regions(configured: tuple[str, ...], language: str, tld: str | None) -> tuple[str, ...]:
    out: list[str] = []
    codes: set[int] = set()
    for region in (tld, *LANGUAGE_REGIONS.get(language, ()), *configured):
        code = pn.country_code_for_region(region) if region else 0
        if code and code not in codes:
            out.append(region)
            codes.add(code)
    return tuple(out[:MAX_REGIONS])


def check_regions(regions: Iterable[str]) -> tuple[str, ...]:
    """Validate configured regions (ISO 3166-1 alpha-2 codes libphonenumber knows)."""
    if isinstance(regions, str):
        raise ValueError(f"pii_redactor.phone_regions: give a list, e.g. [{regions}], not {regions!r}")
    regions = tuple(regions)
    bad = [str(r) for r in regions if r not in REGIONS]
    if bad:
        hint = " (YAML reads NO, Norway, as false: write 'NO')" if False in regions else ""
        raise ValueError(
            f"pii_redactor.phone_regions: unknown {bad}{hint}; valid values: ISO 3166 codes that libphonenumber "
            f"knows, such as US, GB, CN, DE, IN ({len(REGIONS)} in all)"
        )
    return regions


@functools.lru_cache(maxsize=1024)
def _lengths(region: str) -> frozenset[int]:
    """Digit counts a national number of ``region`` can be written with (with or without its
    national prefix), from libphonenumber's metadata."""
    meta = pn.PhoneMetadata.metadata_for_region(region)
    if meta is None:
        return frozenset(range(4, 18))
    lengths = set(meta.general_desc.possible_length or range(4, 18))
    prefix = len(meta.national_prefix or "")
    return frozenset(lengths | {n + prefix for n in lengths} | {n + 3 for n in lengths})


@functools.lru_cache(maxsize=1024)
def _national_patterns(region: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    """(national prefix for parsing, general national number pattern) of ``region``; (None, None)
    where parsing rewrites the number (a transform rule, e.g. Argentina) and no shortcut is safe."""
    meta = pn.PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.national_prefix_transform_rule or not meta.general_desc.national_number_pattern:
        return None, None
    prefix = re.compile(meta.national_prefix_for_parsing) if meta.national_prefix_for_parsing else None
    return prefix, re.compile(meta.general_desc.national_number_pattern)


def _may_be_valid(digits: str, region: str) -> bool:
    """A necessary condition of ``is_valid_number`` at C speed: the digits, with or without the
    region's national prefix, fit the region's general number pattern (one regex, no parsing)."""
    prefix, general = _national_patterns(region)
    if general is None:
        return True
    if general.fullmatch(digits):
        return True
    m = prefix.match(digits) if prefix else None
    return bool(m and m.end() and general.fullmatch(digits, m.end()))


@functools.lru_cache(maxsize=65536)
def _gate(candidate: str, region: str, possible: bool) -> bool:
    """Cheap check before the matcher: does ``candidate`` parse to a number worth matching?
    Cached: the same numbers recur in a partition (footers, navigation)."""
    try:
        number = pn.parse(candidate, region)
    except pn.NumberParseException:
        return False
    return pn.is_possible_number(number) if possible else pn.is_valid_number(number)


def _match(text: str, ws: int, we: int, cs: int, region: str, possible: bool) -> list[tuple[int, int]]:
    window = text[ws : min(we, len(text))]
    if text.startswith("00", cs) and region == "ZZ":
        # "00" as an international prefix becomes " +" (same length) so that the matcher reads it.
        window = window[: cs - ws] + " +" + window[cs - ws + 2 :]
    leniency = Leniency.POSSIBLE if possible else Leniency.VALID
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


def find_phones(
    text: str, regions: Sequence[str], taken: Sequence[tuple[int, int]] = (), clusters: Iterable[re.Match] | None = None
) -> list[tuple[int, int, str]]:
    """Phone spans in ``text``; ``clusters`` are ``pii_patterns.DIGIT_CLUSTER_RE`` matches (found
    here when not given); clusters overlapping a ``taken`` span are skipped."""
    out: list[tuple[int, int, str]] = []
    last_end = 0
    for cluster in P.DIGIT_CLUSTER_RE.finditer(text) if clusters is None else clusters:
        cs, ce = cluster.span()
        cs -= text.endswith(("+", "(", "（"), 0, cs)  # the cluster pattern starts at a digit
        cs -= text.endswith("+", 0, cs) and text[cs] in "(（"
        if cs < last_end or any(s < ce and cs < e for s, e in taken):
            continue
        chunk = text[cs:ce]
        digits = chunk.translate(P.CLUSTER_DIGITS)
        if len(digits) < MIN_DIGITS:
            continue
        international = chunk[0] == "+" or (chunk.startswith("00") and chunk[2:3] not in ("0", ""))
        ext = _EXTENSION_AFTER.match(text, ce)
        strong = international or _AREA_CODE_PARENS.match(chunk) is not None or ext is not None
        if _NOT_A_PHONE.fullmatch(chunk.lstrip("(（")) or _DECIMAL_OR_SINGLES.search(chunk):
            continue
        if not international:
            groups = _GROUP_SPLIT.split(chunk.strip("(（"))
            if any(len(g) == 1 for g in groups[1:]) or _counting(groups):
                continue
        # Regions whose lengths and general number pattern the digits fit (C-speed checks).
        if international:
            tries: Sequence[str] = ("ZZ",)
        else:
            tries = [r for r in regions if len(digits) in _lengths(r) and (strong or _may_be_valid(digits, r))]
        if not tries or _not_a_phone(text, cs, ce):
            continue
        candidate = "+" + chunk[2:] if chunk[0] == "0" and international else chunk.lstrip("(（")
        ws, we = max(0, cs - 2), (ext.end() if ext else ce) + 1  # the matcher looks one character around
        for region in tries:
            # A strong shape goes to the matcher at once (its POSSIBLE check is as cheap as a gate).
            if not strong and not _gate(candidate, region, strong):
                continue
            spans = _match(text, ws, we, cs, region, strong)
            for start, end in spans:
                if text[start] in "(（" and not any(c in text[start:end] for c in ")）"):
                    start += 1  # "(+18777804236)": the parenthesis encloses the number, it is not part of it
                if start < ce and cs < end and start >= last_end and not _not_personal(text, start, end):
                    out.append((start, end, "phone"))
                    last_end = end
            if spans:  # else the next region may read it (valid in AT by parse, refused by the matcher)
                break
    return out


def _counting(groups: list[str]) -> bool:
    """Three or more groups that count up or down by one: "10 11 12 13 14" (page numbers, a scale), not a phone."""
    numbers = [int(g) for g in groups if g.isdigit()]
    if len(numbers) < 3 or len(numbers) != len(groups):
        return False
    steps = {b - a for a, b in zip(numbers, numbers[1:])}
    return steps in ({1}, {-1})


def _not_a_phone(text: str, cs: int, ce: int) -> bool:
    """Contexts of numbers that are something else: amounts, catalogue numbers, identifiers."""
    if _CURRENCY_BEFORE.search(text, max(0, cs - 2), cs) or _not_personal(text, cs, ce):
        return True
    if (cs and text[cs - 1] in _IN_IDENTIFIER_BEFORE) or _IN_IDENTIFIER_AFTER.match(text, ce):
        return True
    if _CODE_PREFIX_BEFORE.search(text, max(0, cs - 2), cs) or _PAGES_BEFORE.search(text, max(0, cs - 10), cs):
        return True
    before, after = text[cs - 1 : cs], text[ce : ce + 1]
    # A bare string of digits quoted on its own is a JSON or code identifier ("7313205112", an ASIN);
    # digits with an ASCII letter or digit glued on both sides are part of a hash or token ("\u002769700cbb").
    if before == after == '"' and text[cs:ce].isdigit():
        return True
    return before.isascii() and before.isalnum() and after.isascii() and after.isalpha()
