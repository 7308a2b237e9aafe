"""Masks for PII examples: enough shape to recognise the kind of value, never the value.

>>> mask_email("john.doe@example.com")
'j***@e***.com'
>>> mask_card("4111 1111 1111 1234")
'**** **** **** 1234'
>>> mask_phone("+33 6 12 34 56 78")
'+** * ** ** ** 78'
>>> mask_iban("FR76 3000 6000 0112 3456 7890 189")
'FR** **** 0189'
>>> mask_ip("192.168.1.20"), mask_ip("2001:db8::8a2e:370:7334")
('192.*.*.*', '2001:*')
>>> mask_keep_end("123-45-6789", 4), mask_digits("1985-03-02"), mask_name("Jean-Luc Picard")
('***-**-6789', '****-**-**', 'J*** L*** P***')
"""

from __future__ import annotations

import re

__all__ = ["mask_card", "mask_digits", "mask_email", "mask_generic", "mask_iban", "mask_ip",
           "mask_keep_end", "mask_name", "mask_phone"]

_ALNUM = re.compile(r"[0-9A-Za-z]")


def mask_email(value: str) -> str:
    """First letter of the local part and of the domain, and the top-level domain."""
    local, _, domain = value.strip().rpartition("@")
    host, dot, tld = domain.rpartition(".")
    if not host:
        host, tld, dot = domain, "", ""
    return f"{local[:1]}***@{host[:1]}***{dot}{tld}"


def mask_card(value: str) -> str:
    """Only the last four digits, in the usual four-group layout."""
    digits = re.sub(r"\D", "", value)
    return f"**** **** **** {digits[-4:]}"


def mask_keep_end(value: str, keep: int) -> str:
    """Letters and digits become ``*`` except the last ``keep``; separators stay."""
    text = value.strip()
    positions = [m.start() for m in _ALNUM.finditer(text)]
    hidden = set(positions[:-keep] if keep else positions)
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def mask_phone(value: str) -> str:
    """Digits become ``*`` except the last two; ``+`` and separators stay."""
    return mask_keep_end(value.strip(), 2)


def mask_iban(value: str) -> str:
    """Country code and the last four characters."""
    compact = re.sub(r"\s", "", value).upper()
    return f"{compact[:2]}** **** {compact[-4:]}"


def mask_ip(value: str) -> str:
    """The first group of an IPv4 or IPv6 address."""
    text = value.strip()
    if ":" in text:
        return text.split(":", 1)[0] + ":*"
    return text.split(".", 1)[0] + ".*.*.*"


def mask_digits(value: str) -> str:
    """Every digit becomes ``*`` (dates keep their layout)."""
    return re.sub(r"\d", "*", value.strip())


def mask_name(value: str) -> str:
    """The initial of each part of a name."""
    parts = re.split(r"[\s\-'’.]+", value.strip())
    return " ".join(f"{p[0]}***" for p in parts if p)


def mask_generic(value: str) -> str:
    """The last two letters or digits."""
    return mask_keep_end(value.strip(), 2)
