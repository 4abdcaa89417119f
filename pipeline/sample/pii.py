"""Synthetic but checksum-valid PII values, generated from a seeded RNG (no real person's data).

- Card numbers: Visa / Mastercard / Amex prefixes with a Luhn check digit (ISO/IEC 7812-1).
- Chinese resident ID: 6-digit region code, birth date, 3-digit sequence and the ISO 7064 MOD 11-2
  check character (GB 11643-1999).
- IBAN: German layout with ISO 13616 mod-97 check digits.
- US SSN: area not 000/666/9xx, group not 00, serial not 0000 (SSA rules for issued numbers).
- Phones in several national formats, incl. Chinese mobile numbers (1[3-9]x, 11 digits).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_CN_REGIONS = ("110101", "310104", "440305", "330106", "510107", "420106", "320102", "370202")
_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_EMAIL_USERS = (
    "anna",
    "j.smith",
    "m.mueller",
    "claire.dupont",
    "jlopez",
    "ivan.petrov",
    "wang.lei",
    "tanaka.k",
    "info",
    "press",
)
_EMAIL_DOMAINS = (
    "example-mail.com",
    "postbox.de",
    "courrier.fr",
    "correo.es",
    "pochta.ru",
    "163.com",
    "qq.com",
    "mail.jp",
)
PII_TYPES = ("email", "phone", "ipv4", "ipv6", "card", "cn_id", "ssn", "iban")


@dataclass(frozen=True)
class Pii:
    type: str
    value: str
    format: str


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _luhn_complete(prefix_digits: str) -> str:
    for check in "0123456789":
        if luhn_valid(prefix_digits + check):
            return prefix_digits + check
    raise AssertionError("unreachable: one check digit always satisfies Luhn")


def cn_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _CN_WEIGHTS))
    return "10X98765432"[total % 11]


def cn_id_valid(value: str) -> bool:
    return len(value) == 18 and value[:17].isdigit() and cn_id_check_char(value[:17]) == value[17]


def iban_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def card(rng: random.Random) -> Pii:
    brand = rng.choice(("visa", "mastercard", "amex"))
    if brand == "amex":
        number = _luhn_complete(rng.choice(("34", "37")) + _digits(rng, 12))
        groups = (number[:4], number[4:10], number[10:])
    else:
        prefix = "4" if brand == "visa" else str(rng.randint(51, 55))
        number = _luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
        groups = (number[:4], number[4:8], number[8:12], number[12:])
    style = rng.choice(("plain", "spaces", "dashes"))
    value = {"plain": number, "spaces": " ".join(groups), "dashes": "-".join(groups)}[style]
    return Pii("card", value, f"{brand}_{style}")


def cn_id(rng: random.Random) -> Pii:
    birth = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = rng.choice(_CN_REGIONS) + birth + _digits(rng, 3)
    return Pii("cn_id", first17 + cn_id_check_char(first17), "gb11643")


def iban(rng: random.Random) -> Pii:
    bban = _digits(rng, 18)
    check = 98 - int("".join(str(int(c, 36)) for c in bban + "DE00")) % 97
    compact = f"DE{check:02d}{bban}"
    spaced = rng.random() < 0.5
    value = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)) if spaced else compact
    return Pii("iban", value, "de_spaced" if spaced else "de_compact")


def ssn(rng: random.Random) -> Pii:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return Pii("ssn", f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}", "us")


def email(rng: random.Random) -> Pii:
    user = rng.choice(_EMAIL_USERS) + (str(rng.randint(1, 99)) if rng.random() < 0.5 else "")
    return Pii("email", f"{user}@{rng.choice(_EMAIL_DOMAINS)}", "plain")


def ipv4(rng: random.Random) -> Pii:
    # Public unicast space only: skip 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16 and >= 224.
    while True:
        octets = [rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)]
        a, b = octets[0], octets[1]
        if a not in (10, 127) and (a, b) != (169, 254) and not (a == 172 and 16 <= b <= 31) and (a, b) != (192, 168):
            return Pii("ipv4", ".".join(map(str, octets)), "dotted")


def ipv6(rng: random.Random) -> Pii:
    groups = [f"{rng.randint(0x2001, 0x2A0F):x}"] + [f"{rng.randint(0, 0xFFFF):x}" for _ in range(7)]
    if rng.random() < 0.5:
        return Pii("ipv6", ":".join(groups), "full")
    return Pii("ipv6", ":".join(groups[:3]) + "::" + groups[7], "compressed")


def phone(rng: random.Random, language: str) -> Pii:
    d = lambda n: _digits(rng, n)  # noqa: E731 - a local shorthand keeps the format table readable
    cn_mobile = rng.choice(("13", "15", "17", "18", "19")) + d(9)
    formats = {
        "en": [
            ("us_parens", f"({rng.randint(201, 989)}) {d(3)}-{d(4)}"),
            ("us_dashes", f"{rng.randint(201, 989)}-{d(3)}-{d(4)}"),
            ("us_intl", f"+1 {rng.randint(201, 989)} {d(3)} {d(4)}"),
        ],
        "de": [("de_intl", f"+49 30 {d(8)}"), ("de_local", f"0{rng.randint(30, 89)} {d(7)}")],
        "fr": [
            ("fr_local", "0" + str(rng.randint(1, 7)) + " " + " ".join(d(2) for _ in range(4))),
            ("fr_intl", f"+33 {rng.randint(1, 7)} " + " ".join(d(2) for _ in range(4))),
        ],
        "es": [("es_intl", f"+34 {rng.choice('69')}{d(2)} {d(3)} {d(3)}")],
        "ru": [("ru_intl", f"+7 495 {d(3)}-{d(2)}-{d(2)}"), ("ru_local", f"8 (9{d(2)}) {d(3)}-{d(2)}-{d(2)}")],
        "zh": [
            ("cn_mobile", cn_mobile),
            ("cn_mobile_intl", f"+86 {cn_mobile[:3]} {cn_mobile[3:7]} {cn_mobile[7:]}"),
            ("cn_mobile_dashes", f"{cn_mobile[:3]}-{cn_mobile[3:7]}-{cn_mobile[7:]}"),
        ],
        "ja": [("jp_local", f"03-{d(4)}-{d(4)}"), ("jp_mobile", f"090-{d(4)}-{d(4)}")],
    }
    # Chinese mobile numbers also turn up on foreign-language pages (contact lists, shops).
    options = formats["zh"] if rng.random() < 0.15 else formats.get(language, formats["en"])
    fmt, value = rng.choice(options)
    return Pii("phone", value, fmt)


def make_pii(kind: str, rng: random.Random, language: str) -> Pii:
    if kind == "phone":
        return phone(rng, language)
    return {"email": email, "ipv4": ipv4, "ipv6": ipv6, "card": card, "cn_id": cn_id, "ssn": ssn, "iban": iban}[kind](
        rng
    )


def choose_pii_types(rng: random.Random, language: str) -> list[str]:
    """1-3 distinct PII types for one page; Chinese ID numbers mostly on Chinese pages."""
    pool = ["email", "email", "phone", "phone", "phone", "ipv4", "ipv6", "card", "card", "ssn", "iban"]
    pool += ["cn_id", "cn_id", "cn_id"] if language == "zh" else ["cn_id"]
    chosen: list[str] = []
    for kind in rng.sample(pool, len(pool)):
        if kind not in chosen:
            chosen.append(kind)
    return chosen[: rng.randint(1, 3)]
