"""Synthetic, valid-looking PII values (no real person's data)."""

from __future__ import annotations

import numpy as np
import pytest


def luhn_complete(body: str) -> str:
    """Append the Luhn check digit to ``body``."""
    for check in "0123456789":
        digits = [int(d) for d in (body + check)][::-1]
        total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


def iban_complete(country: str, bban: str) -> str:
    """An IBAN with correct mod-97 check digits."""
    number = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


@pytest.fixture
def pii_values():
    rng = np.random.default_rng(0)
    n = 200
    cards = [luhn_complete("4" + "".join(map(str, rng.integers(0, 10, 14)))) for _ in range(n)]
    ibans = [iban_complete("DE", "".join(map(str, rng.integers(0, 10, 18)))) for _ in range(n)]
    return {
        "email": [f"user{i}.name@example{i % 7}.com" for i in range(n)],
        "phone": [f"+33 6 {i % 90 + 10} {i % 80 + 10} 5{i % 10} 0{i % 7}" for i in range(n)],
        "card": [" ".join(c[j:j + 4] for j in range(0, 16, 4)) for c in cards],
        "iban": ibans,
        "ip": [f"10.{i % 256}.{(i * 7) % 256}.{(i * 13) % 256}" for i in range(n)],
        "ssn": [f"{100 + i:03d}-{10 + i % 89:02d}-{1000 + i:04d}" for i in range(n)],
    }
