"""Validity rules for PII candidates: checksums, registries and kept address ranges.

Every function here takes a candidate string already found by a pattern in ``pii_detect`` and
answers one question: is it a real identifier of its kind (or, for IP addresses, one we redact)?
The sources of each rule are listed in the docstring of ``pipeline/transform/pii.py``.
"""

from __future__ import annotations

import functools
import importlib.resources
import ipaddress
import re

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent
from stdnum.us import ssn as std_ssn

# ---------------------------------------------------------------------------------------------
# Payment cards: Luhn (ISO/IEC 7812-1 annex B) and the major industry identifier. The Luhn sum is
# written out here rather than called from ``stdnum.luhn``: on the bench's documents the library's
# Luhn and IBAN checks cost 9-10 % of the throughput (bench/pii/RESULTS.md); tests/test_pii_rules.py
# checks both against python-stdnum, which stays the oracle.
# ---------------------------------------------------------------------------------------------

# MII 1-2 airlines, 3 travel and entertainment, 4-5 banking, 6 merchandising and banking.
# 0 (ISO internal), 7 (petroleum), 8 (health, telecom), 9 (national use) are not payment cards
# and exclude ISBN-13 (978/979...) and most national numbers as a side effect.
CARD_MII = frozenset("123456")
# 12-digit cards are Maestro only; its issuer ranges start with 50 or 56-69 (IIN table of the
# card schemes, as listed by Wikipedia "Payment card number"). A random 12-digit number passes
# Luhn one time in ten, so the prefix keeps other 12-digit numbers out. 0604 is a Maestro range
# outside MII 1-6 that Faker's Maestro table lists.
MAESTRO_12 = ("50", "56", "57", "58", "6", "0604")


def luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn mod-10 check (same answer as ``stdnum.luhn``)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_ok(digits: str) -> bool:
    """12-19 digits (12 only for Maestro), a payment MII, Luhn; MII 1 only as a 15-digit UATP card,
    because 13-digit numbers starting with 1 are mostly millisecond Unix timestamps (1.7e12 in 2024)."""
    if len(digits) == 12:
        return digits.startswith(MAESTRO_12) and luhn_ok(digits)
    if not 13 <= len(digits) <= 19 or digits[0] not in CARD_MII:
        return False
    return (digits[0] != "1" or len(digits) == 15) and luhn_ok(digits)


# ---------------------------------------------------------------------------------------------
# Chinese resident identity numbers, GB 11643-1999: birth date and ISO 7064 MOD 11-2 check character
# from ``stdnum.cn.ric``; the region only by its province (GB/T 2260 first two digits, plus 81/82/83
# of the residence permits of Hong Kong, Macao and Taiwan residents, State Council 2018).
# ``ric.validate`` also looks the county up in today's code list, but a number keeps the county
# code of its year of issue for life, and counties have been merged and recoded since: that check
# rejected 62 % of the bench's numbers (Faker draws from an older list).
# ---------------------------------------------------------------------------------------------

CN_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


def cn_id_ok(value: str) -> bool:
    """18 characters without spaces; upper or lower case X."""
    value = value.upper()
    if len(value) != 18 or value[:2] not in CN_PROVINCES or not value[:17].isdigit():
        return False
    try:
        ric.get_birth_date(value)
    except InvalidComponent:
        return False
    return ric.calc_check_digit(value) == value[17]


# ---------------------------------------------------------------------------------------------
# US Social Security numbers: ``stdnum.us.ssn`` (area not 000, 666 or 9xx, group not 00,
# serial not 0000, and the numbers SSA voided after they were printed in advertising).
# ---------------------------------------------------------------------------------------------


def ssn_ok(digits: str) -> bool:
    """Nine digits (separators removed)."""
    return std_ssn.is_valid(digits)


# ---------------------------------------------------------------------------------------------
# IBAN, ISO 13616-1: per-country length and BBAN structure from python-stdnum's copy of the SWIFT
# IBAN registry, and the ISO 7064 mod-97 check (written out: see the card section for the speed
# reason; ``stdnum.iban`` is the oracle in tests). National checks inside the BBAN, which stdnum
# offers as ``check_country``, are left out: they look banks up in lists that age (the registry's
# own example BE68539007547034 fails them).
# ---------------------------------------------------------------------------------------------


_BBAN_CLASS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]", "e": " "}


def _iban_registry() -> dict[str, tuple[int, re.Pattern]]:
    """Country -> (IBAN length, BBAN pattern), from python-stdnum's copy of the SWIFT registry."""
    out = {}
    for _, country, _, props, _ in numdb.get("iban").prefixes:
        parts = re.findall(r"([0-9]+)!([nace])", props["bban"])
        pattern = "".join(f"{_BBAN_CLASS[kind]}{{{n}}}" for n, kind in parts)
        out[country] = (4 + sum(int(n) for n, _ in parts), re.compile(pattern))
    return out


IBAN_REGISTRY = _iban_registry()
IBAN_LENGTHS: dict[str, int] = {country: length for country, (length, _) in IBAN_REGISTRY.items()}


def iban_ok(compact: str) -> bool:
    """``compact`` is without separators, in any case: the country's length and BBAN structure, and
    the ISO 7064 mod-97 remainder 1 (same answer as ``stdnum.iban.is_valid(..., check_country=False)``)."""
    compact = compact.upper()
    entry = IBAN_REGISTRY.get(compact[:2])
    if entry is None or entry[0] != len(compact) or not compact[2:4].isdigit() or not entry[1].fullmatch(compact, 4):
        return False
    rearranged = compact[4:] + compact[:4]
    # Letters become 10..35; int() of the joined string is exact for any length.
    return int("".join(ch if ch.isdigit() else str(ord(ch) - 55) for ch in rearranged)) % 97 == 1


# ---------------------------------------------------------------------------------------------
# IP addresses: ranges that identify no host on the public internet are kept.
# IANA IPv4 / IPv6 Special-Purpose Address Registries (RFC 6890) and the RFCs named below.
# ---------------------------------------------------------------------------------------------

KEPT_IPV4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network" (RFC 791)
        "10.0.0.0/8",  # private (RFC 1918)
        "100.64.0.0/10",  # shared carrier-grade NAT space (RFC 6598)
        "127.0.0.0/8",  # loopback (RFC 1122)
        "169.254.0.0/16",  # link-local (RFC 3927)
        "172.16.0.0/12",  # private (RFC 1918)
        "192.0.0.0/24",  # IETF protocol assignments (RFC 6890)
        "192.0.2.0/24",  # TEST-NET-1 documentation (RFC 5737)
        "192.168.0.0/16",  # private (RFC 1918)
        "198.18.0.0/15",  # benchmarking (RFC 2544)
        "198.51.100.0/24",  # TEST-NET-2 documentation (RFC 5737)
        "203.0.113.0/24",  # TEST-NET-3 documentation (RFC 5737)
        "224.0.0.0/4",  # multicast (RFC 5771)
        "240.0.0.0/4",  # reserved, includes broadcast 255.255.255.255 (RFC 1112, RFC 919)
    )
)
KEPT_IPV6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/128",  # unspecified (RFC 4291)
        "::1/128",  # loopback (RFC 4291)
        "100::/64",  # discard-only (RFC 6666)
        "2001:db8::/32",  # documentation (RFC 3849)
        "fc00::/7",  # unique local (RFC 4193)
        "fe80::/10",  # link-local unicast (RFC 4291)
        "ff00::/8",  # multicast (RFC 4291)
    )
)
# Prefixes whose last 32 bits carry an IPv4 address: the IPv4 rule decides for them.
EMBEDS_IPV4 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::ffff:0:0/96",  # IPv4-mapped (RFC 4291)
        "::ffff:0:0:0/96",  # IPv4-translated (RFC 2765)
        "64:ff9b::/96",  # NAT64 well-known prefix (RFC 6052)
        "::/96",  # deprecated IPv4-compatible (RFC 4291); :: and ::1 are caught first
    )
)


def ipv4_redacted(value: str) -> bool:
    """``value`` is a dotted quad already checked by the pattern (octets 0-255, no leading zeros)."""
    addr = ipaddress.IPv4Address(value)
    return not any(addr in net for net in KEPT_IPV4)


def ipv6_redacted(value: str) -> bool | None:
    """None when ``value`` is not a valid IPv6 address; else whether it is redacted."""
    try:
        addr = ipaddress.IPv6Address(value.split("%", 1)[0])
    except ValueError:
        return None
    if any(addr in net for net in KEPT_IPV6):
        return False
    for net in EMBEDS_IPV4:
        if addr in net:
            return not any(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF) in n for n in KEPT_IPV4)
    return True


# ---------------------------------------------------------------------------------------------
# E-mail domains: the last label must be a top-level domain that exists. The list is the Public
# Suffix List as the ``tld`` package bundles it (every IANA TLD is in it), read once per process.
# On real pages this keeps out systemd units ("name@string.service"), made-up examples
# ("myname@adomain.nosuchtld") and package pins ("core-js@3.22.4"); bench/pii/real_text.py.
# ---------------------------------------------------------------------------------------------


@functools.cache
def top_level_domains() -> frozenset[str]:
    text = (importlib.resources.files("tld") / "res" / "effective_tld_names_public_only.dat.txt").read_text(
        encoding="utf-8"
    )
    out = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            out.add(line.lstrip("*.!").rsplit(".", 1)[-1].lower())
    return frozenset(out)


def email_domain_ok(address: str) -> bool:
    """True when the address's domain is an IP literal or ends in an existing top-level domain (or an
    internationalised one, ``xn--``)."""
    domain = address.rsplit("@", 1)[-1].rstrip("]")
    if domain.startswith("[") or domain.replace(".", "").isdigit():
        return True
    tld = domain.rsplit(".", 1)[-1].lower()
    return tld.startswith("xn--") or tld in top_level_domains()


# SSH names its own algorithms "name@domain" (RFC 4251, section 6): "chacha20-poly1305@openssh.com",
# "aes256-gcm@openssh.com", "curve25519-sha256@libssh.org" are valid addresses in form, listed in SSH
# guides and configs (bench/pii/real_text.py: the only e-mail false positives left on real pages).
_SSH_ALGORITHM_TOKENS = frozenset(
    [
        "aes128",
        "aes192",
        "aes256",
        "chacha20",
        "poly1305",
        "hmac",
        "umac",
        "sha1",
        "sha2",
        "sha256",
        "sha384",
        "sha512",
        "md5",
        "curve25519",
        "curve448",
        "ecdh",
        "ecdsa",
        "ed25519",
        "ed448",
        "nistp256",
        "nistp384",
        "nistp521",
        "sntrup761x25519",
        "mlkem768x25519",
        "x25519",
        "rijndael",
        "3des",
        "blowfish",
        "arcfour",
        "twofish",
        "cast128",
    ]
)


def ssh_algorithm_name(address: str) -> bool:
    """True for an SSH algorithm name in "name@domain" form: a hyphenated local part with a cipher, MAC,
    hash or key-exchange token ("aes128-gcm", "umac-64-etm", "ssh-ed25519-cert-v01")."""
    tokens = address.rsplit("@", 1)[0].lower().split("-")
    return len(tokens) > 1 and not _SSH_ALGORITHM_TOKENS.isdisjoint(tokens)
