"""The automatic choice of a drift method per column: a small, explicit rule table.

=================  ==============================  =========================================
column kind        condition                       method (effect size)
=================  ==============================  =========================================
numeric, datetime  always                          ``ks`` (normalised Wasserstein)
categorical, bool  every expected count >= 5       ``chi_square`` (Jensen-Shannon distance)
categorical, bool  some expected count < 5         ``g_test`` (Jensen-Shannon distance)
text, other        never                           none: stated in the result's note
=================  ==============================  =========================================

Samples below :data:`TINY` values on either side get the same method, with a warning in the
reason (little power). The returned text is stored in ``ColumnDrift.reason``.

>>> choose("numeric", 1000, 800)[0]
'ks'
>>> choose("categorical", 1000, 800, min_expected=2.5)
('g_test', 'categorical column with an expected count below 5 (2.5): G-test...')
"""

from __future__ import annotations

from .registry import COUNT_KINDS, NUMERIC_KINDS

__all__ = ["MIN_EXPECTED", "TINY", "choose"]

#: Cochran's rule: the chi-square approximation wants every expected count >= 5
MIN_EXPECTED = 5.0
#: fewer values than this on a side: the choice stands but the reason warns of low power
TINY = 30


def choose(kind: str, n_ref: int, n_cur: int, *,
           min_expected: float | None = None) -> tuple[str | None, str]:
    """The method for a column and the rule's text (None when no method supports the kind)."""
    if kind in NUMERIC_KINDS:
        method = "ks"
        text = (f"{kind} column: Kolmogorov-Smirnov test (exact p-value up to 10000 values "
                "per side, asymptotic above), effect size normalised Wasserstein distance")
    elif kind in COUNT_KINDS:
        if min_expected is not None and min_expected < MIN_EXPECTED:
            method = "g_test"
            text = (f"{kind} column with an expected count below {MIN_EXPECTED:g} "
                    f"({min_expected:.3g}): G-test, effect size Jensen-Shannon distance")
        else:
            method = "chi_square"
            text = (f"{kind} column with every expected count >= {MIN_EXPECTED:g}: chi-square "
                    "test, effect size Jensen-Shannon distance")
    else:
        return None, f"no drift method supports columns of kind {kind!r}"
    if min(n_ref, n_cur) < TINY:
        text += (f"; tiny sample ({n_ref} reference, {n_cur} current values, fewer than "
                 f"{TINY}): only large changes can be detected")
    return method, text
