"""Shared images: scikit-learn's digits (8 x 8, 0..16) scaled to [0, 1]."""

import numpy as np
import pytest
from sklearn.datasets import load_digits


@pytest.fixture(scope="session")
def digits():
    data = load_digits()
    return data.images / 16.0, data.target


@pytest.fixture(scope="session")
def rgb_uint8():
    rng = np.random.default_rng(3)
    return (rng.random((6, 12, 12, 3)) * 255).astype(np.uint8)
