"""Check: columns that look like personal data (PII), flagged for review."""

from __future__ import annotations

from collections.abc import Sequence

from ...privacy.scan import PiiFinding, scan_pii
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["PiiColumns"]

_MAX_ROWS = 20


@register_check
class PiiColumns(Check):
    """Scan a seeded sample of each text column with the PII detectors.

    A column is flagged when at least ``min_share`` of its sampled values match a detector
    (e-mail, phone, payment card, IBAN, IP address, national ids; dates of birth and person
    names by column name). Flagged columns warn: personal data needs a review (a legal
    basis, masking, or dropping the column), not necessarily a fix. Examples are masked.
    """

    name = "pii_columns"
    title = "PII-looking columns"
    category = "privacy"

    # 1,000 values per column estimate a match share within about ±3 points; 0.3 flags a
    # column mixing e-mails and phones half and half, while random 16-digit codes pass the
    # card checks (issuer prefix and Luhn) about 4% of the time and stay well below it.
    def __init__(self, *, columns: Sequence[str] | None = None,
                 detectors: Sequence[str] | None = None, sample_size: int = 1000,
                 min_share: float = 0.3, conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.detectors = detectors
        self.sample_size = sample_size
        self.min_share = min_share
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_pii_columns", "eq", 0, severity="warn",
                          name="no column looks like personal data")]

    def compute(self, ctx: CheckContext) -> Evidence:
        names = None if self.columns is None else ctx.columns(self.columns, default=())
        result = scan_pii(ctx.data.frame, names, detectors=self.detectors,
                          sample_size=self.sample_size, random_state=ctx.random_state)
        flagged = result.flagged(self.min_share)
        best: dict[str, PiiFinding] = {}
        for f in flagged:  # findings come sorted by share: keep each column's first
            best.setdefault(f.column, f)
        metrics = {
            "n_columns_scanned": result.n_columns_scanned,
            "n_pii_columns": len(best),
            "max_match_share": max((f.match_share for f in result.findings), default=0.0),
            "n_unscanned_columns": len(result.unscanned),
        }
        tables = []
        if result.findings:
            rows = tuple((f.column, f.detector, round(f.match_share, 4), f.n_matched,
                          f.n_sampled, f.match_share >= self.min_share, ", ".join(f.examples))
                         for f in result.findings[:_MAX_ROWS])
            tables.append(Table("PII detector matches by column (examples masked)",
                                ("column", "detector", "match share", "matched", "sampled",
                                 "flagged", "masked examples"),
                                rows, total_rows=len(result.findings)))
        if result.unscanned:
            tables.append(Table("Columns that could not be scanned", ("column", "reason"),
                                tuple(result.unscanned[:_MAX_ROWS]),
                                total_rows=len(result.unscanned)))
        if best:
            listed = ", ".join(f"{c} ({f.detector} {f.match_share:.0%})"
                               for c, f in list(best.items())[:5])
            summary = (f"{len(best)} of {result.n_columns_scanned} text columns look like "
                       f"personal data, for review: {listed}")
        else:
            summary = f"no PII-looking values in {result.n_columns_scanned} scanned text columns"
        return Evidence(metrics, summary, tuple(tables))
