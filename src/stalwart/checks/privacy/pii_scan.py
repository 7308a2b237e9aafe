"""Check: personal data (PII) in a table, as whole values or inside free text."""

from __future__ import annotations

from collections.abc import Sequence

from ...privacy.scan import PiiFinding, scan_pii
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["PiiScan"]

_MAX_ROWS = 20


@register_check
class PiiScan(Check):
    """Scan a seeded sample of each text column for PII, whole values and inside text.

    A column holds PII when at least ``min_share`` of its sampled values are PII as a whole
    (e-mail, phone, payment card, IBAN, IP address, national ids; dates of birth and person
    names by column name), or when at least ``min_text_values`` sampled values hold a
    validated match inside their text (an e-mail or a card number in a comment, a person
    name after a title or a sign-off). The default condition fails on any such column: data
    leaving a privacy boundary should hold none. Examples are masked.
    """

    name = "pii_scan"
    title = "No PII in the data"
    category = "privacy"

    # whole values: 0.3 as the audit's pii_columns (random 13-16 digit codes pass the card
    # checks ~5.5% of the time); inside text every match passed a validator or a name
    # cue, and one leaked e-mail in a comment is already a leak, so one value flags it
    def __init__(self, *, columns: Sequence[str] | None = None,
                 detectors: Sequence[str] | None = None, sample_size: int = 1000,
                 min_share: float = 0.3, in_text: bool = True, min_text_values: int = 1,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.detectors = detectors
        self.sample_size = sample_size
        self.min_share = min_share
        self.in_text = in_text
        self.min_text_values = min_text_values
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("n_pii_columns", "eq", 0, name="no PII columns")]

    def _flagged(self, f: PiiFinding) -> bool:
        if f.where == "text":
            return f.n_matched >= self.min_text_values
        return f.match_share >= self.min_share

    def compute(self, ctx: CheckContext) -> Evidence:
        names = None if self.columns is None else ctx.columns(self.columns, default=())
        result = scan_pii(ctx.data.frame, names, detectors=self.detectors,
                          sample_size=self.sample_size, random_state=ctx.random_state,
                          in_text=self.in_text)
        best: dict[str, PiiFinding] = {}
        for f in result.findings:  # sorted by share: each column's first flagged finding
            if self._flagged(f):
                best.setdefault(f.column, f)
        metrics = {
            "n_columns_scanned": result.n_columns_scanned,
            "n_pii_columns": len(best),
            "n_value_pii_columns": len({c for c, f in best.items() if f.where == "value"}),
            "n_text_pii_columns": len({f.column for f in result.findings
                                       if f.where == "text" and self._flagged(f)}),
            "max_match_share": max((f.match_share for f in result.findings), default=0.0),
            "n_unscanned_columns": len(result.unscanned),
        }
        tables = []
        if result.findings and self.in_text:
            rows = tuple((f.column, f.detector, f.where, round(f.match_share, 4), f.n_matched,
                          f.n_occurrences, f.n_sampled, self._flagged(f), ", ".join(f.examples))
                         for f in result.findings[:_MAX_ROWS])
            tables.append(Table("PII found by column (examples masked)",
                                ("column", "detector", "where", "value share", "values",
                                 "matches", "sampled", "flagged", "masked examples"),
                                rows, total_rows=len(result.findings)))
        elif result.findings:  # whole values only: no 'where', no count of matches in text
            rows = tuple((f.column, f.detector, round(f.match_share, 4), f.n_matched,
                          f.n_sampled, self._flagged(f), ", ".join(f.examples))
                         for f in result.findings[:_MAX_ROWS])
            tables.append(Table("PII detector matches by column (examples masked)",
                                ("column", "detector", "match share", "matched", "sampled",
                                 "flagged", "masked examples"),
                                rows, total_rows=len(result.findings)))
        if result.unscanned:
            tables.append(Table("Columns that could not be scanned", ("column", "reason"),
                                tuple(result.unscanned[:_MAX_ROWS]),
                                total_rows=len(result.unscanned)))
        return Evidence(metrics, self.summary(best, result.n_columns_scanned), tuple(tables))

    def summary(self, best: dict[str, PiiFinding], n_scanned: int) -> str:
        if not best:
            return f"no PII found in {n_scanned} scanned text columns"
        listed = ", ".join(f"{c} ({f.detector}{' in text' if f.where == 'text' else ''})"
                           for c, f in list(best.items())[:5])
        return f"{len(best)} of {n_scanned} text columns hold PII: {listed}"
