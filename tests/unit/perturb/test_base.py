"""The perturbation contract's own errors."""

import numpy as np
import pytest

from stalwart.exceptions import ParameterError, StageError
from stalwart.perturb import GaussianNoise


def test_a_bad_seed_or_severity_says_what_was_expected():
    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(ParameterError, match="random_state"):
        GaussianNoise(random_state="a").fit(X).transform(X)
    with pytest.raises(ParameterError, match="random_state"):
        GaussianNoise(random_state=-1).fit(X).transform(X)
    with pytest.raises(ParameterError, match="severity"):
        GaussianNoise(severity=6).fit(X)
    with pytest.raises(StageError, match="before fit"):
        GaussianNoise().transform(X)
