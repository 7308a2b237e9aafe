"""PII detectors: a registry of named detectors, each a compiled regex plus an optional
validator (a checksum such as Luhn or mod-97) and a mask for showing examples.

A value matches a detector when the whole stripped value matches its pattern and the
validator accepts it. Detectors with a ``column_pattern`` apply only to columns whose name
matches it (dates of birth and person names look like any date or word otherwise).
Register more with :func:`register_detector`; built-ins register the same way.

>>> detect("j.doe@example.com")
['email']
>>> detect("4111 1111 1111 1111"), detect("4111 1111 1111 1112")
(['payment_card'], [])
>>> detect("GB82 WEST 1234 5698 7654 32")
['iban']
>>> PII_DETECTORS.get("date_of_birth").applies_to("customer_dob")
True
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._registry import Registry
from .masking import (mask_card, mask_digits, mask_email, mask_generic, mask_iban, mask_ip,
                      mask_keep_end, mask_name, mask_phone)

__all__ = ["PII_DETECTORS", "PiiDetector", "detect", "iban_valid", "luhn_valid",
           "register_detector"]


@dataclass(frozen=True)
class PiiDetector:
    """A named PII pattern: regex, optional validator, optional column-name rule, mask."""

    name: str
    description: str
    pattern: re.Pattern[str]
    validator: Callable[[str], bool] | None = None
    column_pattern: re.Pattern[str] | None = None
    mask: Callable[[str], str] = mask_generic

    def applies_to(self, column: str) -> bool:
        """Whether the detector looks at a column of this name."""
        return self.column_pattern is None or bool(self.column_pattern.search(str(column)))

    def match(self, values: Sequence[str] | pd.Series) -> np.ndarray:
        """True per value that matches the pattern and passes the validator."""
        texts = pd.Series(values, dtype=object).str.strip()
        hits = texts.str.fullmatch(self.pattern).fillna(False).to_numpy(dtype=bool, copy=True)
        if self.validator is not None and hits.any():
            # checksums are per value and run only on the sampled values that matched
            idx = np.flatnonzero(hits)
            hits[idx] = [bool(self.validator(texts.iat[i])) for i in idx]
        return hits


#: every registered detector, by name
PII_DETECTORS: Registry[PiiDetector] = Registry("PII detector")


def register_detector(detector: PiiDetector) -> PiiDetector:
    """Add a detector to :data:`PII_DETECTORS` under its name."""
    PII_DETECTORS.register(detector.name, detector,
                           by_column_name=detector.column_pattern is not None,
                           validated=detector.validator is not None)
    return detector


def detect(value: str, column: str = "") -> list[str]:
    """Names of the detectors that match one value (in a column named ``column``)."""
    return [name for name, d in PII_DETECTORS
            if d.applies_to(column) and d.match([value])[0]]


# -- validators ------------------------------------------------------------------------
def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def luhn_valid(value: str) -> bool:
    """The Luhn checksum of payment card numbers.

    >>> luhn_valid("4111111111111111"), luhn_valid("4111111111111112")
    (True, False)
    """
    digits = [int(d) for d in _digits(value)][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return len(digits) > 0 and total % 10 == 0


def _card_valid(value: str) -> bool:
    digits = _digits(value)
    # issuer prefixes start with 2 to 6 (Mastercard, Visa, Amex, Discover, JCB, UnionPay...)
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits)


def iban_valid(value: str) -> bool:
    """The ISO 13616 mod-97 check of an IBAN.

    >>> iban_valid("DE89 3704 0044 0532 0130 00"), iban_valid("DE89 3704 0044 0532 0130 01")
    (True, False)
    """
    compact = re.sub(r"\s", "", value).upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _phone_valid(value: str) -> bool:
    return 7 <= len(_digits(value)) <= 15  # E.164 numbers have at most 15 digits


def _ipv4_valid(value: str) -> bool:
    return all(int(part) <= 255 for part in value.split("."))


def _ipv6_valid(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _ssn_valid(value: str) -> bool:
    area, group, serial = _digits(value)[:3], _digits(value)[3:5], _digits(value)[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _nir_valid(value: str) -> bool:
    # French social security number: 13 characters, then a key of 97 - (number mod 97);
    # Corsica's departments 2A and 2B count as 19 and 18
    compact = re.sub(r"\s", "", value).upper()
    body = compact[:13].replace("2A", "19", 1).replace("2B", "18", 1)
    return body.isdigit() and 97 - int(body) % 97 == int(compact[13:])


def _dni_valid(value: str) -> bool:
    compact = value.replace("-", "").upper()
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(compact[:8]) % 23] == compact[8]


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_NAME_COLUMN = _rx(r"(^|[_\W])(first|last|given|family|middle|maiden|full|sur|fore|person|"
                   r"customer|patient|contact|client|owner|holder|employee)[_\s]?name($|[_\W])"
                   r"|^(surname|forename|firstname|lastname|fullname)$", re.IGNORECASE)

# -- the built-in detectors --------------------------------------------------------------
for _detector in (
    PiiDetector("email", "e-mail address",
                _rx(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
                mask=mask_email),
    PiiDetector("phone", "phone number (international, North American or European national "
                "formats)",
                _rx(r"(\+|00)[1-9]\d{0,2}[\s.-]?(\(0?\d{1,4}\)|\d{1,4})([\s.-]?\d{2,4}){2,4}"
                    r"|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}"
                    r"|0\d([\s.-]?\d{2}){4}"
                    r"|0\d{2,4}[\s/-]\d{3,4}[\s-]?\d{3,4}"),
                validator=_phone_valid, mask=mask_phone),
    PiiDetector("payment_card", "payment card number (Luhn-valid)",
                _rx(r"\d{4}([\s-]?\d{4}){2}[\s-]?\d{1,7}|\d{4}[\s-]?\d{6}[\s-]?\d{5}"),
                validator=_card_valid, mask=mask_card),
    PiiDetector("iban", "IBAN bank account (mod-97-valid)",
                _rx(r"[A-Za-z]{2}\d{2}(\s?[A-Za-z0-9]{1,4}){3,8}"),
                validator=iban_valid, mask=mask_iban),
    PiiDetector("ipv4", "IPv4 address", _rx(r"(\d{1,3}\.){3}\d{1,3}"),
                validator=_ipv4_valid, mask=mask_ip),
    PiiDetector("ipv6", "IPv6 address", _rx(r"[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}"),
                validator=_ipv6_valid, mask=mask_ip),
    PiiDetector("us_ssn", "US social security number", _rx(r"\d{3}[-\s]\d{2}[-\s]\d{4}"),
                validator=_ssn_valid, mask=lambda v: mask_keep_end(v, 4)),
    PiiDetector("uk_nino", "UK national insurance number",
                _rx(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]",
                    re.IGNORECASE)),
    PiiDetector("fr_nir", "French social security number (NIR, key-valid)",
                _rx(r"[12]\s?\d{2}\s?\d{2}\s?(\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?\d{2}",
                    re.IGNORECASE), validator=_nir_valid),
    PiiDetector("es_dni", "Spanish national identity number (DNI, letter-valid)",
                _rx(r"\d{8}-?[A-Za-z]"), validator=_dni_valid),
    PiiDetector("date_of_birth", "date of birth (by column name)",
                _rx(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T][\d:.]+)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
                    r"|\d{8}"),
                column_pattern=_rx(r"(^|[_\W])(dob|birth[_\s]?date|date[_\s]?of[_\s]?birth|"
                                   r"birth[_\s]?day|birthday|born([_\s]?on)?)($|[_\W])",
                                   re.IGNORECASE),
                mask=mask_digits),
    PiiDetector("person_name", "person name (by column name)",
                _rx(r"[^\W\d_]+([\s'’.-]{1,2}[^\W\d_]+){0,3}\.?"),
                column_pattern=_NAME_COLUMN, mask=mask_name),
):
    register_detector(_detector)
