"""Check: membership-inference risk of a model (threshold attacks, training vs held-out rows).

The reference data is the model's training data (the members), the checked data held-out
rows (the non-members); both need the target. :func:`stalwart.privacy.membership_inference`
runs the attacks; this check fails when the worst attack's AUC exceeds ``max_auc``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...data import Dataset
from ...exceptions import DataError
from ...privacy.membership import membership_inference
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..evaluation._common import features_of
from ..result import Chart, Evidence, Table

__all__ = ["MembershipInference", "labelled_rows"]


def labelled_rows(ctx: CheckContext, data: Dataset, key: str, columns: list[str], *,
                  cap: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Feature rows with a label of one side, at most ``cap`` (seeded sample)."""
    missing = [c for c in columns + [data.target] if c not in data.frame.columns]
    if missing:
        raise DataError(f"columns of the {key}", expected=f"the model inputs and the target "
                        f"{columns[:10] + [data.target]}", got=f"missing {missing[:10]}",
                        fix=f"pass {key} with the same columns as the checked data")
    frame = data.frame.loc[data.frame[data.target].notna()]
    if len(frame) > cap:
        frame = frame.sample(n=cap, random_state=ctx.random_state)
    return frame[columns], frame[data.target].to_numpy()


@register_check
class MembershipInference(Check):
    """Can an attacker tell the training rows from held-out rows by the model's outputs?

    Runs the loss, confidence, entropy, modified-entropy and correctness threshold attacks
    (those the model supports) with the reference data as members and the checked data as
    non-members, sides balanced. AUC 0.5 is guessing; the condition fails above ``max_auc``.
    The attacks are a lower bound on the risk: stronger attacks exist.
    """

    name = "membership_inference"
    title = "Membership inference"
    category = "privacy"
    needs = frozenset({"model", "target", "reference"})

    # 0.6 is the example: an attacker right 60% of the time on a balanced pair is a
    # measurable leak, while regularised models sit near 0.5 with an interval of +-0.03 at
    # a thousand rows per side; 5,000 rows per side keep the bootstrap under a second.
    def __init__(self, *, attacks: Sequence[str] | None = None, max_auc: float = 0.6,
                 n_boot: int = 200, max_rows: int = 5000,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.attacks = attacks
        self.max_auc = max_auc
        self.n_boot = n_boot
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("worst_auc", "le", self.max_auc, severity="fail",
                          name=f"membership attack AUC at most {self.max_auc:g}")]

    def compute(self, ctx: CheckContext) -> Evidence:
        assert ctx.reference is not None  # guaranteed by needs
        columns = features_of(ctx, ctx.data)
        cap = min(self.max_rows, ctx.max_rows_for_model_checks)
        X_in, y_in = labelled_rows(ctx, ctx.reference, "reference data", columns, cap=cap)
        X_out, y_out = labelled_rows(ctx, ctx.data, "data", columns, cap=cap)
        risk = membership_inference(ctx.model, X_in, y_in, X_out, y_out,
                                    attacks=None if self.attacks is None else list(self.attacks),
                                    n_boot=self.n_boot, random_state=ctx.random_state)
        w = risk.worst
        metrics: dict[str, Any] = {
            "worst_auc": w.auc, "worst_auc_low": w.auc_low, "worst_auc_high": w.auc_high,
            "worst_advantage": w.advantage,
            "worst_calibrated_advantage": w.calibrated_advantage,
            "worst_tpr_at_fpr_0.01": w.tpr_at_fpr.get("0.01"), "n_rows_per_side": risk.n_members}
        metrics.update({f"auc_{a.attack}": a.auc for a in risk.attacks})
        attack_rows = tuple(
            (a.attack, round(a.auc, 4), _r(a.auc_low), _r(a.auc_high), round(a.advantage, 4),
             round(a.calibrated_advantage, 4), *(round(v, 4) for v in a.tpr_at_fpr.values()))
            for a in risk.attacks)
        fpr_cols = tuple(f"TPR at FPR {k}" for k in w.tpr_at_fpr)
        tables = [Table("Attacks (members: reference rows)", ("attack", "AUC", "AUC low",
                        "AUC high", "advantage", "calibrated advantage") + fpr_cols,
                        attack_rows)]
        parts = [g for g in risk.breakdown if g.attack == w.attack]
        if parts:
            tables.append(Table(f"AUC of the {w.attack} attack by class and group",
                                ("by", "value", "members", "non-members", "AUC"),
                                tuple((g.by, str(g.value), g.n_members, g.n_nonmembers,
                                       _r(g.auc)) for g in parts)))
        grid = risk.attacks[0].to_dict()["roc_fpr"]
        chart = Chart("line", "ROC of the attacks",
                      {"x": grid, "series": {"guessing": grid,
                                             **{a.attack: list(a.roc_tpr) for a in risk.attacks}}},
                      x_label="false-positive rate", y_label="true-positive rate")
        interval = ("" if w.auc_low is None
                    else f" [{w.auc_low:.3f}, {w.auc_high:.3f}]")
        summary = (f"worst attack {w.attack}: AUC {w.auc:.3f}{interval}, advantage "
                   f"{w.advantage:.3f} ({w.calibrated_advantage:.3f} at a threshold chosen on "
                   f"other rows), {risk.n_members} training vs {risk.n_members} held-out rows")
        if risk.warnings:
            summary += "; " + "; ".join(risk.warnings)
        return Evidence(metrics, summary, tuple(tables), (chart,))


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
