import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stalwart import ParameterError
from stalwart.privacy import (PII_DETECTORS, PiiDetector, detect, iban_valid, luhn_valid,
                              mask_card, mask_email, mask_iban, mask_keep_end, mask_phone,
                              register_detector)

from .conftest import iban_complete, luhn_complete


@pytest.mark.parametrize("value, expected", [
    ("jane.doe+news@mail.example.co.uk", ["email"]),
    ("+33 6 12 34 56 78", ["phone"]),
    ("+1 (202) 555-0143", ["phone"]),
    ("(202) 555-0143", ["phone"]),
    ("202.555.0143", ["phone"]),
    ("06 12 34 56 78", ["phone"]),
    ("0612345678", ["phone"]),
    ("020 7946 0958", ["phone"]),
    ("0049 30 1234567", ["phone"]),
    ("4111 1111 1111 1111", ["payment_card"]),
    ("5500-0000-0000-0004", ["payment_card"]),
    ("3782 822463 10005", ["payment_card"]),
    ("DE89 3704 0044 0532 0130 00", ["iban"]),
    ("GB82WEST12345698765432", ["iban"]),
    ("FR1420041010050500013M02606", ["iban"]),
    ("192.168.0.1", ["ipv4"]),
    ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", ["ipv6"]),
    ("fe80::1", ["ipv6"]),
    ("123-45-6789", ["us_ssn"]),
    ("AB 12 34 56 C", ["uk_nino"]),
    ("1 85 05 78 006 084 91", ["fr_nir"]),
    ("12345678Z", ["es_dni"]),
])
def test_detectors_find_their_values(value, expected):
    assert detect(value) == expected


@pytest.mark.parametrize("value", [
    "hello world", "2024-01-15", "15/01/2024", "12:30:45", "12345", "paris", "3.14159",
    "4111 1111 1111 1112",  # fails Luhn
    "DE89 3704 0044 0532 0130 01",  # fails mod-97
    "300.1.2.3",  # octet above 255
    "000-12-3456", "666-12-3456", "900-12-3456",  # not issued as SSNs
    "12345678A",  # wrong DNI letter
    "1 85 05 78 006 084 36",  # wrong NIR key
    "not@an-email", "user@@example.com", "A1B2C3", "ORDER-000123", "v1.2.3",
])
def test_detectors_ignore_lookalikes(value):
    assert detect(value) == []


def test_column_name_detectors_need_the_name():
    assert detect("1985-03-02") == []
    assert detect("1985-03-02", column="date_of_birth") == ["date_of_birth"]
    assert detect("02/03/1985", column="DOB") == ["date_of_birth"]
    assert detect("Jean-Luc Picard", column="full_name") == ["person_name"]
    assert detect("O'Brien", column="last_name") == ["person_name"]
    assert detect("Zoë", column="first_name") == ["person_name"]
    for column in ("name", "product_name", "filename", "dobby", "birthdate_source_x"):
        assert PII_DETECTORS.get("person_name").applies_to(column) is False or column == ""
    assert not PII_DETECTORS.get("date_of_birth").applies_to("dobby")
    assert PII_DETECTORS.get("date_of_birth").applies_to("birth_date")
    assert detect("R2-D2", column="first_name") == []


def test_luhn_and_iban_checks_against_known_values():
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert luhn_valid(luhn_complete("453201511283036"))
    assert iban_valid("NL91 ABNA 0417 1643 00") and iban_valid(iban_complete("FR", "3000600001"
                                                                                  "123456789018"))
    assert not iban_valid("NL91 ABNA 0417 1643 01") and not iban_valid("NL91")


def test_registry_lists_capabilities_and_accepts_new_detectors():
    assert {"email", "phone", "payment_card", "iban", "ipv4", "ipv6", "us_ssn",
            "date_of_birth", "person_name"} <= set(PII_DETECTORS.names())
    assert PII_DETECTORS.capabilities("payment_card") == {"by_column_name": False,
                                                          "validated": True}
    custom = PiiDetector("test_badge", "employee badge", re.compile(r"BADGE-\d{6}"))
    register_detector(custom)
    try:
        assert detect("BADGE-123456") == ["test_badge"]
        with pytest.raises(ParameterError):
            register_detector(PiiDetector("test_badge", "other", re.compile("x")))
    finally:
        PII_DETECTORS._members.pop("test_badge")
        PII_DETECTORS._caps.pop("test_badge")


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_card_mask_shows_only_the_last_four_digits(digits):
    masked = mask_card(digits)
    assert masked == "**** **** **** " + digits[-4:]


_LOWER = "abcdefghijklmnopqrstuvwxyz"


@given(st.text(_LOWER + "0123456789._", min_size=2, max_size=12),
       st.text(_LOWER + "0123456789", min_size=2, max_size=10),
       st.text(_LOWER, min_size=2, max_size=4))
def test_email_mask_keeps_two_letters_and_the_tld(local, host, tld):
    domain = f"{host}.{tld}"
    assert mask_email(f"{local}@{domain}") == f"{local[0]}***@{host[0]}***.{tld}"


@given(st.text(alphabet="0123456789 -", min_size=4, max_size=20))
def test_keep_end_hides_all_but_the_last_characters(value):
    masked = mask_keep_end(value, 2)
    assert len(masked) == len(value.strip())
    assert sum(ch.isdigit() for ch in masked) == min(2, sum(ch.isdigit() for ch in value))


def test_phone_and_iban_masks():
    assert mask_phone("(202) 555-0143") == "(***) ***-**43"
    assert mask_iban("DE89370400440532013000") == "DE** **** 3000"
