"""PII inside free text: e-mails, card numbers, IBANs, phones, IPs, national ids and person
names found *within* a value (a comment, a ticket, a note), each match masked.

The value detectors of :mod:`.pii` match whole values. Here each detector has a search
pattern bounded so that it does not start or end inside a longer word or number, and every
match goes through the same validator (Luhn, mod-97, octet range, id checksums). In text the
looser formats are dropped: US SSNs only with dashes (``123-45-6789``), IPv6 only with three
or more groups of digits.

Person names are found by pattern only, conservatively:

* a title before one or two capitalised words: ``Mr John Smith``, ``Dr. Okafor``, ``Mme
  Dupont`` (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sir, Dame, Mme, Mlle, M., Herr, Frau, Sr, Sra);
* a label: ``Name: Jane Doe``, ``patient: ...``, ``signed by ...``, ``my name is ...``;
* a sign-off line: ``Regards,`` / ``Thanks,`` / ``Best,`` followed by a capitalised name at
  the end of the text or of a line.

They miss names without such cues (recall is low, by design) and flag title-led brand names
such as ``Dr Pepper`` (precision is high on ordinary prose: none of the clean texts in the
tests match). Names are masked to initials.

>>> [(h.detector, h.masked) for h in find_pii("Mail jane.doe@example.com or call "
...                                            "+33 6 12 34 56 78. Regards,\\nJane Doe")]
[('email', 'j***@e***.com'), ('phone', '+** * ** ** ** 78'), ('person_name', 'J*** D***')]
>>> find_pii("Release 2024-01-15 fixed 3 bugs in v1.2.3 (order ORD-12345678).")
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..exceptions import ParameterError
from .masking import mask_name
from .pii import PII_DETECTORS

__all__ = ["TEXT_PATTERNS", "TextMatch", "find_pii", "text_detector_names"]

_MAX_CHARS = 20_000  # characters of one value searched: a pasted document is read in part

_L = r"(?<![\w@.+-])(?<!\d[\s.-])"  # not inside a word, number, e-mail, code or digit run
_R = r"(?![\w@]|[.-]\w)"


def _bounded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(f"{_L}(?:{pattern}){_R}", flags)


#: detector name -> the pattern searched inside text (validators come from PII_DETECTORS)
TEXT_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"(?<![\w.%+'-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                        r"\.[A-Za-z]{2,}(?![\w-])"),
    "payment_card": _bounded(r"\d{4}(?:[\s-]?\d{4}){2}[\s-]?\d{1,7}|\d{4}[\s-]?\d{6}[\s-]?\d{5}"),
    "iban": _bounded(r"[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?"),
    "us_ssn": _bounded(r"\d{3}-\d{2}-\d{4}"),
    "fr_nir": _bounded(r"[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?\d{2}"),
    "es_dni": _bounded(r"\d{8}-?[A-Z]"),
    "uk_nino": _bounded(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]"),
    "phone": _bounded(r"(?:\+|00)[1-9]\d{0,2}[\s.-]?(?:\(0?\d{1,4}\)|\d{1,4})(?:[\s.-]?\d{2,4}){2,4}"
                      r"|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}"
                      r"|0\d(?:[\s.-]?\d{2}){4}"),
    "ipv4": _bounded(r"(?:\d{1,3}\.){3}\d{1,3}"),
    "ipv6": re.compile(r"(?<![\w:.])(?=(?:[0-9A-Fa-f]*:){3})[0-9A-Fa-f]{0,4}"
                       r"(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])"),
}

_CAP = r"[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z][a-zà-öø-ÿ]+)?"
_NAME = rf"{_CAP}(?:[ \t]+{_CAP}){{0,2}}"
_NAME_PATTERNS = (
    re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Mme|Mlle|Herr|Frau|Sra?)\.?[ \t]+"
               rf"(?P<name>{_CAP}(?:[ \t]+{_CAP})?)\b"),
    re.compile(r"(?<!\w)M\.[ \t]+(?P<name>" + _CAP + r"(?:[ \t]+" + _CAP + r")?)\b"),
    re.compile(r"\b(?:[Ff]ull[ _]name|[Nn]ame|NAME|[Pp]atient|[Ss]igned(?:[ \t]+by)?|"
               rf"[Cc]ontact[ _]person)[ \t]*[:=][ \t]*(?P<name>{_NAME})\b"),
    re.compile(rf"\b[Mm]y name is[ \t]+(?P<name>{_NAME})\b"),
    re.compile(r"\b(?:[Kk]ind |[Bb]est |[Ww]arm )?(?:[Rr]egards|Sincerely|Cheers|Thanks|"
               r"Thank you|Best|Cordialement)[,!.]?[ \t]*(?:\r?\n|[,-][ \t]*)[ \t]*-*[ \t]*"
               rf"(?P<name>{_NAME})[ \t]*\.?[ \t]*(?=\r?\n|$)"),
)


@dataclass(frozen=True)
class TextMatch:
    """One PII match inside a text: the detector, where, and the masked match."""

    detector: str
    start: int
    end: int
    masked: str


def text_detector_names() -> list[str]:
    """Detectors that search inside text: those of :data:`TEXT_PATTERNS` and person names."""
    return [*TEXT_PATTERNS, "person_name"]


def find_pii(text: str, detectors: Sequence[str] | None = None) -> list[TextMatch]:
    """Every validated PII match inside ``text``, in order of position."""
    if not isinstance(text, str):
        raise ParameterError("text", expected="a string", got=type(text).__name__,
                             fix="pass one text value; scan a table with scan_pii")
    text = text[:_MAX_CHARS]
    wanted = text_detector_names() if detectors is None else list(detectors)
    found: list[TextMatch] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:  # a span already claimed is not counted twice
        return all(b <= s or a >= e for s, e in taken)

    for name in TEXT_PATTERNS:
        if name not in wanted:
            continue
        det = PII_DETECTORS.get(name)
        for m in TEXT_PATTERNS[name].finditer(text):
            value = m.group(0)
            if free(*m.span()) and (det.validator is None or det.validator(value)):
                found.append(TextMatch(name, m.start(), m.end(), det.mask(value)))
                taken.append(m.span())
    if "person_name" in wanted:
        for pattern in _NAME_PATTERNS:
            for m in pattern.finditer(text):
                span = m.span("name")
                if free(*span):
                    found.append(TextMatch("person_name", *span, mask_name(m.group("name"))))
                    taken.append(span)
    return sorted(found, key=lambda h: h.start)
