"""Check: columns that look like personal data (PII), flagged for review.

The data audit's view of the privacy suite's ``pii_scan`` (one scan, one evidence): whole
values only, and a warning rather than a failure, because in a training table personal data
needs a review (a legal basis, masking, or dropping the column), not necessarily a fix.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...privacy.scan import PiiFinding
from ..check import register_check
from ..condition import Condition
from ..privacy.pii_scan import PiiScan

__all__ = ["PiiColumns"]


@register_check
class PiiColumns(PiiScan):
    """Scan a seeded sample of each text column with the PII detectors.

    A column is flagged when at least ``min_share`` of its sampled values match a detector
    (e-mail, phone, payment card, IBAN, IP address, national ids; dates of birth and person
    names by column name). Flagged columns warn: personal data needs a review (a legal
    basis, masking, or dropping the column), not necessarily a fix. Examples are masked.
    PII inside free text is the privacy suite's ``pii_scan``.
    """

    name = "pii_columns"
    title = "PII-looking columns"
    category = "privacy"

    # 1,000 values per column estimate a match share within about ±3 points; 0.3 flags a
    # column mixing e-mails and phones half and half, while random 16-digit codes pass the
    # card checks (issuer prefix and Luhn) about 5.5% of the time and stay well below it.
    def __init__(self, *, columns: Sequence[str] | None = None,
                 detectors: Sequence[str] | None = None, sample_size: int = 1000,
                 min_share: float = 0.3, conditions: Sequence[Condition] | None = None) -> None:
        super().__init__(columns=columns, detectors=detectors, sample_size=sample_size,
                         min_share=min_share, in_text=False, conditions=conditions)

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_pii_columns", "eq", 0, severity="warn",
                          name="no column looks like personal data")]

    def summary(self, best: dict[str, PiiFinding], n_scanned: int) -> str:
        if not best:
            return f"no PII-looking values in {n_scanned} scanned text columns"
        listed = ", ".join(f"{c} ({f.detector} {f.match_share:.0%})"
                           for c, f in list(best.items())[:5])
        return (f"{len(best)} of {n_scanned} text columns look like personal data, for "
                f"review: {listed}")
