"""PII detectors on tiny literal strings: each type, mixed Chinese text, and the negative set."""

import pytest

from pipeline.transform.pii_detect import DEFAULT_REGIONS, find_pii
from pipeline.transform.pii_phone import LANGUAGE_REGIONS


def found(text, kinds=None, regions=DEFAULT_REGIONS):
    return [(text[s:e], k) for s, e, k in find_pii(text, None if kinds is None else frozenset(kinds), regions)]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("write to jane.doe+news@mail.example.co.uk today", "jane.doe+news@mail.example.co.uk", "email"),
        ("root@[93.184.216.34] answered", "root@[93.184.216.34]", "email"),
        ("server 93.184.216.34 is up", "93.184.216.34", "ip"),
        ("IP: 8.8.8.8.", "8.8.8.8", "ip"),
        ("from 2400:c401::5054:ff:fe1b:b031, again", "2400:c401::5054:ff:fe1b:b031", "ip"),
        ("mapped ::ffff:129.144.52.38 host", "::ffff:129.144.52.38", "ip"),
        ("call (415) 555-0132 now", "(415) 555-0132", "phone"),
        ("call 415.555.0132 ext. 27 now", "415.555.0132 ext. 27", "phone"),
        ("dial 001-541-754-3010", "001-541-754-3010", "phone"),
        ("Paris +33 1 42 68 53 00.", "+33 1 42 68 53 00", "phone"),
        ("Berlin +49 (0) 30 1234567", "+49 (0) 30 1234567", "phone"),
        ("London 020 7946 0958", "020 7946 0958", "phone"),
        ("Shanghai 021-6234 5678", "021-6234 5678", "phone"),
        ("Reykjavik +354 467 3395", "+354 467 3395", "phone"),
        ("test line +1-555-123-4567 (unassigned area code)", "+1-555-123-4567", "phone"),
        ("from abroad 0049 30 1234567", "0049 30 1234567", "phone"),
        ("São Paulo +5511961234698 (Luhn-valid too)", "+5511961234698", "phone"),
        ("maestro 5018 2345 6782 or", "5018 2345 6782", "card"),
        ("iban de89 3704 0044 0532 0130 00 lower", "de89 3704 0044 0532 0130 00", "iban"),
        ("IBAN FR7630006000011234567890189 ok", "FR7630006000011234567890189", "iban"),
        ("IBAN DE8937 0400 4405 3201 3000 (odd groups)", "DE8937 0400 4405 3201 3000", "iban"),
        ("card 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111", "card"),
        ("amex 3782-822463-10005", "3782-822463-10005", "card"),
        ("SSN 536-22-8726.", "536-22-8726", "ssn"),
        ("IBAN DE89 3704 0044 0532 0130 00, thanks", "DE89 3704 0044 0532 0130 00", "iban"),
        ("IBAN GB29NWBK60161331926819", "GB29NWBK60161331926819", "iban"),
    ],
)
def test_each_type_is_found_with_its_exact_span(text, value, kind):
    assert found(text) == [(value, kind)]


@pytest.mark.parametrize(
    ("text", "value", "region"),
    [
        ("Roma 06 6982 1234", "06 6982 1234", "IT"),
        ("Wien 01/5354321 bitte", "01/5354321", "AT"),
        ("sími 467 3395 takk", "467 3395", "IS"),
        ("tel (99) 645-791 ok", "(99) 645-791", "DK"),
        ("appelez 06 12 34 56 78", "06 12 34 56 78", "FR"),
        ("携帯 090-1234-5678 まで", "090-1234-5678", "JP"),
    ],
)
def test_national_numbers_need_their_region(text, value, region):
    assert found(text, regions=("US",)) == []
    assert found(text, regions=("US", region)) == [(value, "phone")]


def test_chinese_text_without_spaces():
    text = "请联系张先生，手机13812345678或+86 139-1234-5678，座机010-62345678，身份证号11010519491231002X，邮箱zhang@example.cn谢谢。"
    assert found(text) == [
        ("13812345678", "phone"),
        ("+86 139-1234-5678", "phone"),
        ("010-62345678", "phone"),
        ("11010519491231002X", "cn_id"),
        ("zhang@example.cn", "email"),
    ]


def test_cn_id_needs_real_region_date_and_check_digit():
    assert found("号码11010519491231002X。") == [("11010519491231002X", "cn_id")]
    assert found("号码110105194912310021。", {"cn_id"}) == []  # wrong check digit
    assert found("号码990105194912310028。", {"cn_id"}) == []  # no province 99
    assert found("号码11010519491231002x。", {"cn_id"}) == [("11010519491231002x", "cn_id")]
    assert found("号码110105194902300029。", {"cn_id"}) == []  # 30 February


def test_validators_reject_near_misses():
    assert found("card 4111 1111 1111 1112", {"card"}) == []  # Luhn
    assert found("stamp 1748503543012", {"card"}) == []  # 13 digits from 1: a ms timestamp
    assert found("ref 4012 8888 8881", {"card"}) == []  # Luhn-valid, 12 digits, no Maestro prefix
    assert found("SSN 666-22-8726, 536-00-8726, 078-05-1120", {"ssn"}) == []
    assert found("IBAN DE89 3704 0044 0532 0130 01", {"iban"}) == []  # mod-97
    assert found("IBAN DE89 3704 0044 0532 0130", {"iban"}) == []  # length of DE is 22
    assert found("IBAN DE89 3704 0044 0532 0130 0012", {"iban"}) == []  # the cut at 22 splits a group


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.3.4",
        "192.0.2.7",
        "198.51.100.9",
        "203.0.113.5",
        "100.64.1.1",
        "224.0.0.251",
        "255.255.255.255",
        "0.0.0.0",
        "::1",
        "::",
        "fe80::1%eth0",
        "fd12:3456::1",
        "2001:db8::1",
        "ff02::1",
        "::ffff:192.168.1.1",
        "64:ff9b::198.51.100.1",
    ],
)
def test_kept_ranges_are_not_redacted(address):
    assert found(f"host {address} here") == []


def test_card_list_and_sequential_cards():
    text = "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881"
    assert [k for _, k in found(text)] == ["card", "card", "card"]


# Each of these must survive untouched: the negative set of the issue.
NEGATIVES = [
    "Python 3.11.4 and version 2.0.0.1, firmware 1.2.3.4, v10.0.19041.1",  # version numbers
    "Released 2023-05-06, updated 06/05/2023 and 01.02.2003, on 20230506.",  # dates
    "Opens 09:30-17:45, timestamp 12:34:56.789, duration 1:02:03.",  # times
    "Price $1,299.99, €1.234.567,89, ¥13,800, 1 234 567 890 RMB total.",  # prices, thousands
    "ISBN 978-3-16-148410-0, ISBN 0-306-40615-2, ISBN 0306406152, ISBN 9780306406157.",  # ISBNs
    "Order #123-456-7890, order number 4839201746, invoice 5555555555554444.",  # order numbers
    "Tracking 1Z999AA10123456784, USPS 9400 1000 0000 0000 0000 00, 运单号 7489234567890。",  # tracking
    "GPS 40.7128, -74.0060 and 48.858844°N 2.294351°E, 37.7749,-122.4194.",  # coordinates
    "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 md5 d41d8cd98f00b204e9800998ecf8427e",  # hashes
    "id 123e4567-e89b-12d3-a456-426614174000 and 550e8400-e29b-41d4-a716-446655440000",  # UUIDs
    "3 + 4 = 7, 12 x 34 = 408, 1-2-3-4-5-6-7-8-9, 100 200 300 400, 2 × 3 × 5 = 30.",  # math
    "Years 1990 1991 1992 1993 2001 2002 and 1999-2004; population 7,900,000,000.",  # lists
    "MAC aa:bb:cc:dd:ee:ff, ratio 1:2:3:4, std::cout, OID 1.3.6.1.4.1.311, IP-ish 1.2.3.4.5",
    "Scores 0.5 0.25 0.125, chapter 3.2.1, section 12.4, cost 0.99 each.",
    "共计13000000000元，同比增长12.5%，2023年5月6日发布。",
    "Screenshot 2023-10-29 14.51.59.png, /p/620508648, auth_key=1759401135-v61N, id 75171071-e675.",  # files, URLs
    "Nature 440 (2014) 179-858; pp. 123-456; stamps 1700000000 and 1700000000123; 1999-2004.",  # citations, times
    "Kurs 1 234 567 890 RMB, € 1 234 567, $ 8 765 4321.",  # amounts
]


ALL_LANGUAGE_REGIONS = tuple(sorted({r for regions in LANGUAGE_REGIONS.values() for r in regions}))


@pytest.mark.parametrize("text", NEGATIVES)
def test_negative_set_survives_in_every_region(text):
    assert found(text) == []
    # Dates, decimals and amounts that are valid numbers in some region (Denmark: 8 digits) stay.
    assert [r for r in ALL_LANGUAGE_REGIONS if found(text, regions=(r,))] == []


def test_card_or_ssn_type_disabled_does_not_turn_into_a_phone():
    text = "card 4111 1111 1111 1111, host 93.184.216.34, ssn 536-22-8726, router 192.168.1.1"
    assert found(text, {"phone", "email"}) == []


def test_a_number_refused_by_the_matcher_in_one_region_is_tried_in_the_next():
    # 190-7295-5026 parses as valid in AT, where the matcher refuses it; CN (later in the list) reads it.
    assert found("Ruf an: 190-7295-5026 bitte", regions=("DE", "AT", "CH", "US", "GB", "CN")) == [
        ("190-7295-5026", "phone")
    ]
