"""Find PII spans in a string: cheap pre-checks, compiled patterns, validators on candidates only.

``find_pii(text, kinds)`` returns sorted, non-overlapping ``(start, end, kind)`` spans. The rules
are documented in ``pipeline/transform/pii.py``; patterns live in ``pii_patterns`` and validators
in ``pii_rules``.

Speed: e-mail patterns run only near an "@", IPv6 only near two colons, and every digit-based
detector only inside a small window around a digit cluster (8+ digits, or a dotted quad) found by
one fast pass. Phones (``pii_phone``) run last, on clusters no other detector claimed. A window reaches ``_BEFORE`` characters before its cluster (a "+", "(", the
letters of an IBAN) and ``_AFTER`` after it (an extension, the "X" of a Chinese ID, IBAN letters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.transform import pii_patterns as P
from pipeline.transform.pii_phone import find_phones
from pipeline.transform.pii_rules import (
    IBAN_LENGTHS,
    card_ok,
    cn_id_ok,
    email_domain_ok,
    iban_ok,
    ipv4_redacted,
    ipv6_redacted,
    ssh_algorithm_name,
    ssn_ok,
)

PII_KINDS = ("email", "phone", "ip", "card", "cn_id", "ssn", "iban")
# When two validated spans overlap, the earlier start wins; at the same start, this order does.
_PRIORITY = {"email": 0, "iban": 1, "cn_id": 2, "card": 3, "ssn": 4, "ip": 5, "phone": 6}
_BEFORE, _AFTER = 16, 24
# Phone regions when a caller gives none (PiiRedactor's default ``phone_regions``).
DEFAULT_REGIONS = ("US", "GB", "CN")
_SSN_SHAPE = re.compile(r"[0-9]{3}([\-\ .])[0-9]{2}\1[0-9]{4}", re.ASCII)  # cheap test before the SSN window pattern
_CLAIMING = frozenset({"ip", "card", "cn_id", "ssn", "iban"})
Span = tuple[int, int, str]


def _personal(text: str, start: int) -> bool:
    """False when the number is introduced as a catalogue/logistics number or continues an IBAN."""
    if P.NOT_PERSONAL_BEFORE.search(text, max(0, start - 20), start):
        return False
    return P.IBAN_LIKE_BEFORE.search(text, max(0, start - 40), start) is None


def _matches(pattern, text: str, ws: int, we: int):
    """Matches inside [ws, we) whose end is not forced by the window edge (lookaheads are blind there)."""
    return (m for m in pattern.finditer(text, ws, we) if m.end() < we or we == len(text))


def _emails(text: str) -> list[Span]:
    out, last_end, i = [], 0, text.find("@")
    while i != -1:
        if i >= last_end:  # an RFC 5321 local part has at most 64 characters
            m = P.EMAIL_RE.search(text, max(last_end, i - 64), min(len(text), i + 256))
            if (
                m
                and m.start() <= i < m.end()
                and _address(text, m.start())
                and email_domain_ok(m.group())
                and not ssh_algorithm_name(m.group())
            ):
                out.append((m.start(), m.end(), "email"))
                last_end = m.end()
        i = text.find("@", i + 1)
    return out


def _address(text: str, start: int) -> bool:
    """False when the "address" is part of a URL: its path ("lore.kernel.org/r/<message-id>@host") or
    its user and password ("http://user:pass@10.10.1.10"; "mailto:" is an address)."""
    before = text[start - 1 : start]
    if before == "/":
        return False
    return before != ":" or text[max(0, start - 7) : start].lower() == "mailto:"


def _ipv6(text: str) -> list[Span]:
    out, last_end = [], 0
    for pair in P.COLON_PAIR_RE.finditer(text):
        if pair.start() < last_end:
            continue
        ws, we = max(last_end, pair.start() - 40), min(len(text), pair.end() + 60)
        for m in _matches(P.IPV6_RE, text, ws, we):
            cand, start = m.group().rstrip(".:"), m.start()
            end = start + len(cand)
            if len(cand) < 2 or (end < len(text) and text[end].isascii() and text[end].isalnum()):
                continue
            if ipv6_redacted(cand):
                out.append((start, end, "ip"))
            last_end = max(last_end, end)
    return out


def _ipv4(text: str, ws: int, we: int) -> list[Span]:
    out = []
    for m in _matches(P.IPV4_RE, text, ws, we):
        if (
            ipv4_redacted(m.group())
            and not P.VERSION_BEFORE.search(text, max(0, m.start() - 12), m.start())
            and not P.NOT_IP_BEFORE.search(text, max(0, m.start() - 16), m.start())
        ):
            out.append((m.start(), m.end(), "ip"))
    return out


def _card_groups_ok(groups: list[str]) -> bool:
    # A run of four-digit years ("1990 1991 1992 1993") is a list of years, not a card.
    if len(groups) > 1 and all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return False
    return len(groups) == 1 or len(groups[0]) == 4


def _cards(text: str, ws: int, we: int) -> list[Span]:
    out: list[Span] = []
    for m in _matches(P.CARD_RE, text, ws, we):
        start, raw, sep = m.start(), m.group(), m.group(1) or ""
        # Right after "<digit><space>" a card must follow another card, not sit inside a longer run.
        inside_run = start >= 2 and text[start - 1] in " -" and text[start - 2].isdigit()
        if (inside_run and (not out or out[-1][1] != start - 1)) or not _personal(text, start):
            continue
        groups = raw.split(sep) if sep else [raw]
        # Drop trailing groups that may be an expiry date or another number written after the card.
        for n in range(len(groups), 0, -1):
            digits = "".join(groups[:n])
            if len(digits) < 12:
                break
            if _card_groups_ok(groups[:n]) and card_ok(digits):
                out.append((start, start + len(digits) + (n - 1) * len(sep), "card"))
                break
    return out


def _cn_ids(text: str, ws: int, we: int) -> list[Span]:
    return [
        (m.start(), m.end(), "cn_id")
        for m in _matches(P.CN_ID_RE, text, ws, we)
        if cn_id_ok(m.group().replace(" ", ""))
    ]


def _ssns(text: str, ws: int, we: int) -> list[Span]:
    out = []
    for m in _matches(P.SSN_RE, text, ws, we):
        raw = m.group()
        if ssn_ok(raw[:3] + raw[4:6] + raw[7:]):
            out.append((m.start(), m.end(), "ssn"))
    return out


def _ibans(text: str, ws: int, we: int) -> list[Span]:
    out = []
    for m in _matches(P.IBAN_RE, text, ws, we):
        raw, length = m.group(), IBAN_LENGTHS.get(m.group()[:2].upper())
        if length is None:
            continue
        # Cut after the country's length; the cut must fall between groups, never inside one.
        count, cut = 0, 0
        for cut, ch in enumerate(raw, 1):  # noqa: B007 - cut is used after the loop
            count += ch not in " -"
            if count == length:
                break
        end = m.start() + cut
        if count != length or (end < len(text) and text[end].isascii() and text[end].isalnum()):
            continue
        compact = raw[:cut].replace(" ", "").replace("-", "")
        # Any case, but one case: "de89 3704 ..." is an IBAN typed in lower case, "LV80 bANK" is not.
        if (compact.isupper() or compact.islower()) and iban_ok(compact):
            out.append((m.start(), end, "iban"))
    return out


# (kind, detector, fewest digits in the cluster for the detector to be worth running)
_WINDOW_DETECTORS = (
    ("ssn", _ssns, 9),
    ("iban", _ibans, 8),
    ("card", _cards, 12),
    ("cn_id", _cn_ids, 17),
)


def _digit_spans(text: str, kinds: frozenset[str], clusters: list[re.Match]) -> list[Span]:
    out: list[Span] = []
    n = len(text)
    for cluster in clusters:
        ws, we = max(0, cluster.start() - _BEFORE), min(n, cluster.end() + _AFTER)
        chunk = cluster.group()
        if "ip" in kinds and chunk.count(".") >= 3:
            out.extend(_ipv4(text, ws, we))
        n_digits = len(chunk.translate(P.CLUSTER_DIGITS))
        for kind, detect, least in _WINDOW_DETECTORS:
            if n_digits < least or kind not in kinds:
                continue
            if kind == "iban" and not P.IBAN_HEAD_RE.search(text, ws, cluster.start() + 4):
                continue
            if kind == "ssn" and not _SSN_SHAPE.search(chunk):
                continue
            out.extend(detect(text, ws, we))
    return out


def find_pii(text: str, kinds: frozenset[str] | None = None, regions: Sequence[str] = DEFAULT_REGIONS) -> list[Span]:
    """Validated, non-overlapping ``(start, end, kind)`` spans in ``text``, sorted by start.

    ``regions``: where national phone numbers are looked up (``pii_phone.regions_for``).
    """
    kinds = frozenset(PII_KINDS) if kinds is None else kinds
    spans: list[Span] = []
    if "email" in kinds and "@" in text:
        spans.extend(_emails(text))
    if "ip" in kinds and ":" in text:
        spans.extend(_ipv6(text))
    clusters = list(P.DIGIT_CLUSTER_RE.finditer(text)) if kinds - {"email"} else []
    if "phone" in kinds and clusters:
        # Phones come last: clusters that another detector claims (even a disabled one: a card
        # number is no phone number) are not looked up.
        claims = _digit_spans(text, _CLAIMING, clusters)
        spans.extend(s for s in claims if s[2] in kinds)
        spans.extend(find_phones(text, regions, [(s, e) for s, e, _ in claims + spans], clusters))
    elif clusters:
        spans.extend(_digit_spans(text, kinds, clusters))
    if len(spans) < 2:
        return spans
    # Windows of neighbouring clusters overlap, so the same span can be found twice.
    spans = sorted(set(spans), key=lambda s: (s[0], _PRIORITY[s[2]], s[0] - s[1]))
    out, last_end = [], -1
    for span in spans:
        if span[0] >= last_end:
            out.append(span)
            last_end = span[1]
    return out
