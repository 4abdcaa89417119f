"""Validators against python-stdnum (the oracle) and phone regions from configuration and document.

Luhn and the IBAN check are written out in ``pii_rules`` for speed (bench/pii/RESULTS.md); these
tests hold them to the library's answers on thousands of seeded values, valid and mutated.
"""

import random

import pytest
from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.cn import ric

from pipeline.transform.pii import PiiRedactor
from pipeline.transform.pii_phone import check_regions, regions_for, tld_region
from pipeline.transform.pii_rules import card_ok, cn_id_ok, iban_ok, luhn_ok, ssn_ok
from schemas.documents import empty_row


def test_luhn_agrees_with_stdnum():
    rng = random.Random(0)
    for _ in range(5000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(12, 19)))
        assert luhn_ok(digits) == luhn.is_valid(digits), digits
        body = digits[:-1]
        assert luhn_ok(body + luhn.calc_check_digit(body))


def _mutations(value: str, rng: random.Random):
    yield value
    yield value.lower()
    i = rng.randrange(4, len(value))
    yield value[:i] + str((int(value[i], 36) + 1) % 10) + value[i + 1 :]  # one character changed
    yield value[:2] + value[3] + value[2] + value[4:]  # check digits swapped
    yield value + "0"  # one too long
    yield rng.choice(["DE", "FR", "GB", "NL", "XX"]) + value[2:]  # another country


def test_iban_agrees_with_stdnum_on_valid_and_mutated_numbers():
    fake, rng = Faker(["de_DE", "fr_FR", "en_GB", "nl_NL", "it_IT", "es_ES", "pl_PL", "fi_FI"]), random.Random(1)
    Faker.seed(1)
    agreed = valid = 0
    for _ in range(600):
        for value in _mutations(fake.iban(), rng):
            expected = std_iban.is_valid(value, check_country=False)
            assert iban_ok(value) == expected, value
            agreed += 1
            valid += expected
    assert agreed == 3600 and 1000 < valid < 2000  # both valid and invalid cases were checked


def test_cn_id_accepts_what_stdnum_accepts_and_old_county_codes():
    fake = Faker("zh_CN")
    Faker.seed(2)
    stdnum_rejects = 0
    for _ in range(500):
        value = fake.ssn()
        assert cn_id_ok(value) and cn_id_ok(value.lower())
        stdnum_rejects += not ric.is_valid(value)  # county no longer in today's GB/T 2260 list
        wrong = value[:17] + next(c for c in "0123456789X" if c != value[17])
        assert not cn_id_ok(wrong) and not ric.is_valid(wrong)
    assert stdnum_rejects > 100  # why ric.is_valid alone is not used (see pii_rules)
    assert not cn_id_ok("990105194912310028")  # no province 99


def test_cards_of_12_to_19_digits_and_ssn_rules():
    assert card_ok("501823456782")  # 12-digit Maestro
    assert not card_ok("401288888881")  # Luhn-valid 12 digits, not a Maestro prefix
    assert card_ok("4111111111111111") and card_ok("4222222222222")
    assert not card_ok("9780306406157")  # ISBN-13 (MII 9)
    assert ssn_ok("536228726") and not ssn_ok("078051120") and not ssn_ok("666228726")


def test_regions_from_tld_language_and_configuration():
    assert tld_region("https://www.mbl.is/frettir") == "IS"
    assert tld_region("http://news.bbc.co.uk/x") == "GB"
    assert tld_region("https://github.io/a") is None and tld_region("https://example.com") is None
    assert regions_for(("US",), "de", "https://x.at/") == ("AT", "DE", "CH", "US")
    # One region per calling code: CA (+1) adds nothing after US.
    assert regions_for(("CN",), "en", None) == ("US", "GB", "IN", "AU", "CN")
    with pytest.raises(ValueError, match="phone_regions.*valid values"):
        check_regions(["US", "XX"])


def _doc(text, url):
    return empty_row() | {"id": "d", "text": text, "url": url, "status": "kept"}


def test_redactor_finds_national_numbers_of_the_document_region_only():
    text = "Hringdu í 467 3395 eða skrifaðu."
    assert PiiRedactor().process(_doc(text, "https://www.example.is/"))["text"] == "Hringdu í <PHONE> eða skrifaðu."
    assert PiiRedactor().process(_doc(text, "https://www.example.com/"))["pii_phone"] == 0
    configured = PiiRedactor(phone_regions=["IS"]).process(_doc(text, "https://www.example.com/"))
    assert configured["pii_phone"] == 1
