"""Labelled values for the PII bench: the libraries' own metadata first, Faker second.

Phones: libphonenumber's example numbers per region (fixed line and mobile), with their last
three digits redrawn until the number is still valid, written in the formats libphonenumber
itself produces (national, international, E.164, RFC 3966) and the variants people type
(dashes or dots for spaces, "+1-201-555-0123"). Faker phone numbers of the region's locale are
added as a second source; many of them use unassigned ranges (Faker draws digits at random),
so the bench reports them apart, and also restricted to numbers libphonenumber calls valid.
Cards: Faker's numbers (Maestro included: 12 digits) and Luhn-completed numbers from
``stdnum.luhn`` on issuer prefixes. IBANs: Faker's, formatted by ``stdnum.iban.format``, a
quarter in lower case. SSNs: Faker's, formatted by ``stdnum.us.ssn.format``.
"""

from __future__ import annotations

import random
import re

import phonenumbers as pn
from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.us import ssn as std_ssn

# Regions of the bench set: the Faker locale that writes its numbers (None: metadata only).
REGION_LOCALES = {
    "US": "en_US", "CA": "en_CA", "GB": "en_GB", "AU": "en_AU", "IN": "en_IN", "DE": "de_DE",
    "AT": "de_AT", "CH": "de_CH", "FR": "fr_FR", "IT": "it_IT", "ES": "es_ES", "MX": "es_MX",
    "NL": "nl_NL", "BE": "nl_BE", "CN": "zh_CN", "TW": "zh_TW", "JP": "ja_JP", "KR": "ko_KR",
    "BR": "pt_BR", "PT": "pt_PT", "RU": "ru_RU", "PL": "pl_PL", "SE": "sv_SE", "DK": "da_DK",
    "NO": "no_NO", "FI": "fi_FI", "IS": None, "IL": "he_IL", "TR": "tr_TR", "PE": None,
}  # fmt: skip
_QUAD = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
FORMATS = ("national", "national", "international", "e164", "rfc3966", "dashes", "dots")
CARD_PREFIXES = ("4", "51", "55", "2221", "34", "37", "6011", "65", "35", "5018", "6304", "6759")
IBAN_LOCALES = ("en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL", "de_AT", "pl_PL", "pt_PT", "fi_FI")


def tld(region: str) -> str:
    return "uk" if region == "GB" else region.lower()


def _vary(example: pn.PhoneNumber, rng: random.Random) -> pn.PhoneNumber:
    digits = str(example.national_number)
    for _ in range(50):
        number = pn.PhoneNumber(
            country_code=example.country_code,
            national_number=int(digits[:-3] + f"{rng.randint(0, 999):03d}"),
            italian_leading_zero=example.italian_leading_zero,
            number_of_leading_zeros=example.number_of_leading_zeros,
        )
        if pn.is_valid_number(number):
            return number
    return example


def metadata_phone(region: str, rng: random.Random, national: bool = True) -> tuple[str, str]:
    """(written number, format) for a valid number of ``region`` built from its example numbers;
    ``national=False`` (a page whose URL names no country): only international formats."""
    kind = rng.choice((pn.PhoneNumberType.FIXED_LINE, pn.PhoneNumberType.MOBILE))
    number = _vary(pn.example_number_for_type(region, kind) or pn.example_number(region), rng)
    fmt = rng.choice(FORMATS if national else FORMATS[2:5])
    PNF = pn.PhoneNumberFormat
    if fmt == "international":
        return pn.format_number(number, PNF.INTERNATIONAL), fmt
    if fmt == "e164":
        return pn.format_number(number, PNF.E164), fmt
    if fmt == "rfc3966":
        return pn.format_number(number, PNF.RFC3966).removeprefix("tel:"), fmt
    written = pn.format_number(number, PNF.NATIONAL)
    if fmt == "dashes" and " " in written.strip():
        return written.strip().replace(" ", "-"), fmt
    # One dot only ("030.123604") reads as a decimal number: dots only where there are 3+ groups.
    # Four groups of at most 3 digits with dots are an IPv4 address to any reader: not made.
    dotted = written.strip().replace(" ", ".")
    if fmt == "dots" and dotted.count(".") >= 2 and not set("(-") & set(written) and not _QUAD.fullmatch(dotted):
        return dotted, fmt
    return written, "national"


def faker_phone(fake: Faker, region: str) -> tuple[str, bool] | None:
    """(Faker's number for the region's locale, whether libphonenumber calls it valid there)."""
    locale = REGION_LOCALES[region]
    if locale is None:
        return None
    value = fake[locale].phone_number()
    try:
        valid = pn.is_valid_number(pn.parse(value, region))
    except pn.NumberParseException:
        valid = False
    return value, valid


def card(fake: Faker, rng: random.Random) -> str:
    if rng.random() < 0.5:
        digits = fake["en_US"].credit_card_number(card_type=rng.choice(["maestro", None, None]))
    else:
        prefix = rng.choice(CARD_PREFIXES)
        length = 12 if prefix in ("5018", "6304", "6759") and rng.random() < 0.5 else rng.choice((15, 16, 16, 19))
        body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
        digits = body + luhn.calc_check_digit(body)
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return rng.choice([digits, " ".join(groups), "-".join(groups)])


def iban(fake: Faker, rng: random.Random) -> str:
    value = fake[rng.choice(IBAN_LOCALES)].iban()
    value = std_iban.format(value) if rng.random() < 0.5 else value
    return value.lower() if rng.random() < 0.25 else value


def ssn(fake: Faker) -> str:
    return std_ssn.format(fake["en_US"].ssn())


LOCALES = sorted({loc for loc in REGION_LOCALES.values() if loc} | set(IBAN_LOCALES))
