"""Check: rows with identical features but different labels."""

from __future__ import annotations

from collections.abc import Sequence

from ...quality.conflicting_labels import ConflictingLabelsResult, conflicting_labels
from ...quality.rowhash import row_hashes
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table

__all__ = ["ConflictingLabels"]

_TOP = 20


@register_check
class ConflictingLabels(Check):
    """Find groups of rows whose features are identical and whose labels differ.

    No model can fit both labels of such a group: either a label is wrong or the
    features miss what tells the rows apart. Warns on any conflict (clean data with a
    continuous feature has none); rows without a label are left out.
    """

    name = "conflicting_labels"
    title = "Conflicting labels"
    needs = frozenset({"target"})

    # any conflict is worth a look (as in Deepchecks' default); raise max_share for tables
    # of a few coarse categorical features, where some conflicts are expected
    def __init__(self, *, max_share: float = 0.0,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.max_share = max_share
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("conflicting_share", "le", self.max_share, severity="warn",
                          name=f"at most {self.max_share:.0%} of labelled rows share their "
                               f"features with a differently labelled row")]

    def compute(self, ctx: CheckContext) -> Evidence:
        data = ctx.data
        features = data.features
        if not features:
            return Evidence({"n_rows": data.n_rows, "n_conflicting_rows": None,
                             "conflicting_share": None, "n_conflicting_groups": None},
                            "not examined: the data has no feature column")

        hashes = ctx.cached("row_hashes:features", lambda: row_hashes(data.frame, features))
        r = conflicting_labels(data.frame, features=features, target=data.target,
                               hashes=hashes, top_groups=_TOP)
        metrics = {"n_rows": r.n_rows, "n_conflicting_rows": r.n_conflicting_rows,
                   "conflicting_share": r.conflicting_share,
                   "n_conflicting_groups": r.n_conflicting_groups}
        tables = ()
        if r.groups:
            rows = tuple((g.size, ", ".join(f"{k!r}: {n}" for k, n in g.label_counts),
                          ", ".join(map(str, g.rows)) + (" ..." if g.size > len(g.rows) else ""),
                          _example(g.example)) for g in r.groups)
            tables = (Table("Identical features, different labels (largest groups)",
                            ("rows", "labels", "row index", "features"), rows,
                            total_rows=r.n_conflicting_groups),)
        return Evidence(metrics, _summary(r, data.target), tables)


def _example(example: dict[str, object]) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in example.items())
    return text if len(text) <= 200 else text[:197] + "..."


def _summary(r: ConflictingLabelsResult, target: str) -> str:
    if not r.n_conflicting_groups:
        return f"no identical feature rows with different {target!r} labels among {r.n_rows} rows"
    g = r.groups[0]
    labels = ", ".join(f"{k!r} x{n}" for k, n in g.label_counts[:4])
    return (f"{r.n_conflicting_rows} of {r.n_rows} labelled rows ({r.conflicting_share:.1%}) "
            f"are in {r.n_conflicting_groups} groups of identical features with different "
            f"labels; largest: {g.size} rows labelled {labels}")
