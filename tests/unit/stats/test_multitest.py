import numpy as np
import pytest
from scipy import stats

from stalwart import ParameterError
from stalwart.stats import adjust_p_values


def test_holm_by_hand_bh_by_scipy_and_none():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Holm: sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1, made monotone
    assert adjust_p_values(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_p_values(p, "bh") == pytest.approx(stats.false_discovery_control(p))
    assert adjust_p_values(p, "none") == pytest.approx(p)
    assert adjust_p_values([], "holm").size == 0
    with pytest.raises(ParameterError, match="one of"):
        adjust_p_values(p, "bonferroni-ish")
