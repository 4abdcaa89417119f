"""PII redaction step (``pii_redactor``) and a filter on its counts (``pii_filter``).

Rules (patterns in ``pii_patterns``, validators and their tables in ``pii_rules``). A number is
redacted only when its pattern matches *and* its validator accepts it. Edges of every match are
lookarounds on ASCII letters and digits, not ``\\b``, so values glued to Chinese text are found.

email   local part of ASCII letters, digits and ``_%+-`` in dot-separated runs; domain of
        LDH labels (RFC 1035) ending in an alphabetic or ``xn--`` (IDNA) top-level label, or an
        IPv4 literal. Non-ASCII local parts (RFC 6531) are not matched: in Chinese text they would
        swallow the surrounding words.
ip      IPv4 dotted quads, octets 0-255 without leading zeros, not glued to letters, digits or
        another ".digit" (so 1.2.3.4.5 and OIDs are not addresses) and not right after
        "version"/"release"/"build"/"firmware". IPv6 in all RFC 4291/5952 forms, with an
        optional zone ("%eth0") and an embedded IPv4 tail, validated by ``ipaddress``.
        Kept (not redacted), because they identify no host on the public internet (IANA special-
        purpose registries, RFC 6890): IPv4 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12,
        192.0.0/24, 192.0.2/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4, 240/4
        (incl. 255.255.255.255); IPv6 ::, ::1, 100::/64, 2001:db8::/32, fc00::/7, fe80::/10,
        ff00::/8. IPv4-mapped (::ffff:0:0/96), -translated (::ffff:0:0:0/96), -compatible
        (::/96) and NAT64 (64:ff9b::/96) addresses follow the rule of their embedded IPv4.
phone   libphonenumber (``phonenumbers``) in ``pii_phone``: international numbers ("+", "00")
        whose length fits their country code, national numbers valid in one of the document's
        regions (URL country-code TLD, language, then ``phone_regions``), extensions included.
        Not redacted: dates, decimals, dotted quads, amounts (a currency sign or unit next to
        it), numbers right after ISBN, ISSN, DOI, order, invoice, tracking, 订单, 单号, 运单, 发票.
card    12-19 digits (12 only with a Maestro prefix 50, 56-58, 6, 0604), no separators or one kind
        (space or dash) with a first group of 4; first digit 1-6 (ISO/IEC 7812 major industry
        identifiers of payment cards; this also excludes ISBN-13s); Luhn (``pii_rules``, held to
        ``stdnum.luhn`` in tests).
        Trailing groups are dropped until the rest validates (a card followed by its expiry);
        lists of years are not cards.
cn_id   Chinese resident identity number, GB 11643-1999, checked by ``stdnum.cn.ric`` (GB/T 2260
        county code, birth date, ISO 7064 MOD 11-2 check character); 17 digits + digit or X/x,
        optional spaces after the region and the birth date.
ssn     US Social Security numbers written ddd-dd-dddd (the same separator twice: "-", " " or
        "."), checked by ``stdnum.us.ssn`` (no area 000, 666 or 9xx, group 00, serial 0000, nor
        the numbers SSA voided after advertising). Nine bare digits are not matched: too many
        other numbers look like that.
iban    ISO 13616-1: a country code and check digits, the BBAN in any grouping (at most one space
        or dash between two characters), all in upper or all in lower case; the country's length
        and BBAN structure from python-stdnum's copy of the SWIFT IBAN registry, the ISO 7064
        mod-97 remainder (``pii_rules``; stdnum is the oracle in tests).

Overlaps: the earliest start wins, then the order email, iban, cn_id, card, ssn, ip, phone.
Replacement: ``token`` writes ``<EMAIL>``, ``<PHONE>``, ``<IP>``, ``<CARD>``, ``<CN_ID>``,
``<SSN>``, ``<IBAN>``; ``fake`` writes a consistent fake value (``pii_fake``). ``text`` and
``title`` are redacted with every enabled type; in ``url``, e-mail addresses after the host
(path, query, fragment, also written with "%40") are. The original never reaches an output column,
a log or a stats file: the step logs nothing, counts are numbers, removal details are counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.document import Document
from pipeline.params import Param
from pipeline.step import Filter, Step
from pipeline.transform.pii_detect import DEFAULT_REGIONS, PII_KINDS, find_pii
from pipeline.transform.pii_fake import FakeMaker
from pipeline.transform.pii_patterns import EMAIL_RE
from pipeline.transform.pii_phone import check_regions, regions_for
from schemas.documents import PII_TYPES

if tuple(PII_KINDS) != tuple(PII_TYPES):
    raise ImportError(f"detector kinds {PII_KINDS} differ from the schema's pii_* columns {PII_TYPES}")
PII_COLUMNS = tuple(f"pii_{k}" for k in PII_KINDS)
TOKENS = {k: f"<{k.upper()}>" for k in PII_KINDS}
REPLACEMENTS = ("token", "fake")
_URL_HEAD = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:(?://[^/?#]*)?")
_URL_EMAIL = re.compile(EMAIL_RE.pattern.replace("@", "(?:@|%40)", 1), EMAIL_RE.flags)


def redact_text(
    text: str, kinds: frozenset[str], replace, regions: Sequence[str] = DEFAULT_REGIONS
) -> tuple[str, Counter]:
    """Replace every validated span; ``replace(kind, original)`` gives the replacement."""
    spans = find_pii(text, kinds, regions)
    if not spans:
        return text, _NONE
    parts, pos = [], 0
    for start, end, kind in spans:
        parts.append(text[pos:start])
        parts.append(replace(kind, text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts), Counter(kind for _, _, kind in spans)


_NONE: Counter = Counter()  # shared empty result: never mutated (callers use Counter.update)


def redact_url(url: str, replace) -> tuple[str, int]:
    """Redact e-mail addresses after the scheme and host of ``url``; returns (url, count)."""
    if "@" not in url and "%40" not in url.lower():
        return url, 0
    head = _URL_HEAD.match(url)
    cut = head.end() if head else 0
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        count += 1
        original = m.group()
        new = replace("email", original.replace("%40", "@"))
        # Keep the URL valid: "<" and ">" of a token are percent-encoded, and so is "@" when the
        # original address was written with "%40".
        return quote(new, safe="@" if "@" in original else "")

    return url[:cut] + _URL_EMAIL.sub(sub, url[cut:]), count


def redact_for_display(row: dict) -> dict:
    """A copy of ``row`` whose text, title, URL and removal detail carry tokens instead of PII.

    For every place that shows documents to people (the HTML report's samples): a stage without a
    ``pii_redactor`` step (extraction, a recipe without it) writes text as it was crawled, and a
    report is mailed around. Regions come from the row's language and URL, as in the step.
    """
    out = dict(row)
    regions = regions_for(DEFAULT_REGIONS, row.get("language"), row.get("url"))
    for key in ("text", "title", "removed_detail"):
        if out.get(key):
            out[key] = redact_text(out[key], frozenset(PII_KINDS), _token, regions)[0]
    if out.get("url"):
        out["url"] = redact_url(out["url"], _token)[0]
    return out


def _token(kind: str, original: str) -> str:
    return TOKENS[kind]


class PiiRedactor(Step):
    """Redact e-mails, phones, IPs, payment cards, Chinese IDs, US SSNs and IBANs (rules above).

    Params: ``types`` (enabled kinds, default all seven), ``replacement`` ("token" or "fake"),
    ``fake_seed`` (key of the keyed hash behind fake values), ``phone_regions`` (ISO 3166 codes
    where national phone numbers are looked up, after the regions of the document's URL TLD and
    language; see ``pii_phone``). Writes the redacted ``text``,
    ``title`` and ``url``, ``n_chars`` when it was set, and one count per kind in ``pii_<kind>``
    (text + title + url; null for a kind that is not enabled). Removed documents are redacted
    too: they are written to the output as well, and the original must not reach it.
    """

    name = "pii_redactor"
    outputs = ("text", "title", "url", "n_chars", *PII_COLUMNS)
    params_spec = {
        "types": Param("list[str]", PII_KINDS, "kinds of PII to redact", choices=PII_KINDS),
        "replacement": Param("str", "token", "token (<EMAIL>) or a consistent fake value", choices=REPLACEMENTS),
        "fake_seed": Param("int|str", 0, "key of the keyed hash behind fake values"),
        "phone_regions": Param(
            "list[str]",
            list(DEFAULT_REGIONS),
            "ISO 3166 regions tried for national phone numbers after the URL's TLD and the language",
        ),
    }

    def __init__(
        self,
        types: Sequence[str] = PII_KINDS,
        replacement: str = "token",
        fake_seed: int | str = 0,
        phone_regions: Sequence[str] = DEFAULT_REGIONS,
    ):
        unknown = sorted(set(types) - set(PII_KINDS))
        if unknown:
            raise ValueError(f"pii_redactor.types: unknown {unknown}; valid values: {list(PII_KINDS)}")
        if replacement not in REPLACEMENTS:
            raise ValueError(f"pii_redactor.replacement: {replacement!r}; valid values: {list(REPLACEMENTS)}")
        self.types = tuple(k for k in PII_KINDS if k in set(types))
        self.replacement = replacement
        self.fake_seed = fake_seed
        self.phone_regions = check_regions(phone_regions)

    def setup(self) -> None:
        self._kinds = frozenset(self.types)
        if self.replacement == "fake":
            self._replace = FakeMaker(self.fake_seed).fake
        else:
            self._replace = _token

    def process(self, doc: Document) -> Document:
        self.ensure_setup()
        counts: Counter = Counter()
        regions = regions_for(self.phone_regions, doc.get("language"), doc.get("url"))
        text = doc.get("text")
        if text:
            doc["text"], found = redact_text(text, self._kinds, self._replace, regions)
            counts.update(found)
            if doc.get("n_chars") is not None:
                doc["n_chars"] = len(doc["text"])
        if doc.get("title"):
            doc["title"], found = redact_text(doc["title"], self._kinds, self._replace, regions)
            counts.update(found)
        if doc.get("url") and "email" in self._kinds:
            doc["url"], n_url = redact_url(doc["url"], self._replace)
            counts["email"] += n_url
        for kind in PII_KINDS:
            doc[f"pii_{kind}"] = counts[kind] if kind in self._kinds else None
        return doc

    def process_batch(self, docs: Sequence[Document]) -> list[Document]:
        self.ensure_setup()
        return [self.process(d) for d in docs]


class PiiDocumentFilter(Filter):
    """Remove documents with more than ``max_detections`` PII detections (sum of ``pii_*``).

    Reason ``pii_too_many``, detail "pii=<total>><max>". A page carrying many addresses or phone
    numbers is a directory or a leak rather than prose, and redacting it leaves mostly tokens.
    Needs ``pii_redactor`` earlier in the stage; the default of 10 is this project's choice.
    """

    name = "pii_filter"
    reasons = ("pii_too_many",)
    params_spec = {
        "max_detections": Param("int", 10, "more PII detections remove the document", "detections", min=0),
    }

    def __init__(self, max_detections: int = 10):
        if not isinstance(max_detections, int) or max_detections < 0:
            raise ValueError(f"pii_filter.max_detections must be an int >= 0, got {max_detections!r}")
        self.max_detections = max_detections

    def check(self, doc: Document) -> tuple[str, str] | None:
        counts = [doc.get(c) for c in PII_COLUMNS]
        if all(c is None for c in counts):
            raise RuntimeError("pii_filter needs the pii_* counts: run pii_redactor before it in the stage")
        total = sum(c for c in counts if c is not None)
        if total > self.max_detections:
            return "pii_too_many", f"pii={total}>{self.max_detections}"
        return None


def pii_stats(table: pa.Table) -> dict:
    """Roll-up for ``_stats.json``, computed from the written ``pii_*`` columns only.

    Per kind: documents with at least one detection and total detections (null counts, i.e. kind
    not enabled, are left out), plus the number of documents with any detection.
    """
    out: dict = {"documents_with_pii": 0}
    any_pii = None
    for column in PII_COLUMNS:
        values = table.column(column)
        has = pc.fill_null(pc.greater(values, 0), False)
        out[column] = {"documents": int(pc.sum(has).as_py() or 0), "detections": int(pc.sum(values).as_py() or 0)}
        any_pii = has if any_pii is None else pc.or_(any_pii, has)
    if any_pii is not None:
        out["documents_with_pii"] = int(pc.sum(any_pii).as_py() or 0)
    return out
