"""Validity rules for PII candidates: checksums, registries and kept address ranges.

Every function here takes a candidate string already found by a pattern in ``pii_detect`` and
answers one question: is it a real identifier of its kind (or, for IP addresses, one we redact)?
The sources of each rule are listed in the docstring of ``pipeline/transform/pii.py``.
"""

from __future__ import annotations

import datetime
import ipaddress

# ---------------------------------------------------------------------------------------------
# Payment cards: Luhn (ISO/IEC 7812-1 annex B) and the major industry identifier (first digit).
# ---------------------------------------------------------------------------------------------

# MII 1-2 airlines, 3 travel and entertainment, 4-5 banking, 6 merchandising and banking.
# 0 (ISO internal), 7 (petroleum), 8 (health, telecom), 9 (national use) are not payment cards
# and exclude ISBN-13 (978/979...) and most national numbers as a side effect.
CARD_MII = frozenset("123456")


def luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn mod-10 check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_ok(digits: str) -> bool:
    """13-19 digits, a payment MII, Luhn; MII 1 only as a 15-digit UATP card, because 13-digit
    numbers starting with 1 are mostly millisecond Unix timestamps (1.7e12 in 2024)."""
    if not 13 <= len(digits) <= 19 or digits[0] not in CARD_MII:
        return False
    return (digits[0] != "1" or len(digits) == 15) and luhn_ok(digits)


# ---------------------------------------------------------------------------------------------
# Chinese resident identity numbers, GB 11643-1999 (region codes per GB/T 2260).
# ---------------------------------------------------------------------------------------------

# Province-level codes (first two digits) of GB/T 2260, plus 81/82/83 used by the residence
# permits of Hong Kong, Macao and Taiwan residents (State Council, 2018).
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
_CN_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CN_CHECK = "10X98765432"  # ISO 7064 MOD 11-2: remainder -> check character


def cn_id_check_char(first17: str) -> str:
    return _CN_CHECK[sum((ord(c) - 48) * w for c, w in zip(first17, _CN_WEIGHTS)) % 11]


def cn_id_ok(value: str) -> bool:
    """18 characters: a known province, a real calendar birth date (1900-2099), the MOD 11-2 check."""
    if len(value) != 18 or value[:2] not in CN_PROVINCES:
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return cn_id_check_char(value[:17]) == value[17].upper()


# ---------------------------------------------------------------------------------------------
# US Social Security numbers (SSA, "Social Security Number Randomization", 2011).
# ---------------------------------------------------------------------------------------------

# Numbers SSA voided after they were printed in advertising (Woolworth wallet card, SSA pamphlet).
SSN_VOIDED = frozenset({"078051120", "219099999"})


def ssn_ok(digits: str) -> bool:
    """Area 001-899 except 666, group 01-99, serial 0001-9999, not a voided number."""
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area == "000" or area == "666" or area[0] == "9":
        return False
    return group != "00" and serial != "0000" and digits not in SSN_VOIDED


# ---------------------------------------------------------------------------------------------
# IBAN, ISO 13616-1: country length from the SWIFT IBAN registry and the mod-97 check (ISO 7064).
# ---------------------------------------------------------------------------------------------

IBAN_LENGTHS: dict[str, int] = {
    **dict.fromkeys(["NO"], 15),
    **dict.fromkeys(["BE"], 16),
    **dict.fromkeys(["DK", "FI", "FK", "FO", "GL", "NL", "SD"], 18),
    **dict.fromkeys(["MK", "SI"], 19),
    **dict.fromkeys(["AT", "BA", "EE", "KZ", "LT", "LU", "MN", "XK"], 20),
    **dict.fromkeys(["CH", "HR", "LI", "LV"], 21),
    **dict.fromkeys(["BG", "BH", "CR", "DE", "GB", "GE", "IE", "ME", "RS", "VA"], 22),
    **dict.fromkeys(["AE", "GI", "IL", "IQ", "OM", "SO", "TL"], 23),
    **dict.fromkeys(["AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG"], 24),
    **dict.fromkeys(["LY", "PT", "ST"], 25),
    **dict.fromkeys(["IS", "TR"], 26),
    **dict.fromkeys(["BI", "DJ", "FR", "GR", "IT", "MC", "MR", "SM"], 27),
    **dict.fromkeys(["AL", "AZ", "BY", "CY", "DO", "GT", "HU", "LB", "NI", "PL", "SV"], 28),
    **dict.fromkeys(["BR", "EG", "PS", "QA", "UA"], 29),
    **dict.fromkeys(["JO", "KW", "MU", "YE"], 30),
    **dict.fromkeys(["MT", "SC"], 31),
    **dict.fromkeys(["LC"], 32),
    **dict.fromkeys(["RU"], 33),
}


def iban_ok(compact: str) -> bool:
    """``compact`` is upper case without separators; the length must match the country's."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    # Letters become 10..35; int() of the joined string is exact for any length.
    number = "".join(ch if ch.isdigit() else str(ord(ch) - 55) for ch in rearranged)
    return int(number) % 97 == 1


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
