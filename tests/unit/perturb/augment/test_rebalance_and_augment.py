"""Rebalancing counts, augmented sets and the torch transform adapter, exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.perturb.augment import PerturbationTransform, RebalanceSampler, augment, \
    rebalance
from stalwart.perturb.image import Contrast
from stalwart.perturb.tabular import GaussianNoise, MissingValues
from stalwart.perturb.text import Casing


def imbalanced(seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    y = pd.Series(np.repeat(["a", "b", "c"], [70, 20, 10]), index=np.arange(100, 200))
    X = pd.DataFrame({"x": rng.normal(size=100), "k": rng.integers(0, 5, 100)},
                     index=y.index)
    return X, y


def test_oversample_reaches_the_largest_count_with_original_rows() -> None:
    X, y = imbalanced()
    s = RebalanceSampler(strategy="oversample", random_state=0)
    Xr, yr = s.fit_resample(X, y)
    assert yr.value_counts().to_dict() == {"a": 70, "b": 70, "c": 70}
    assert s.counts_before_ == {"a": 70, "b": 20, "c": 10} and len(Xr) == 210
    pd.testing.assert_frame_equal(Xr.iloc[:100], X)  # originals first, unchanged
    extra = Xr.iloc[100:]
    assert extra.index.isin(X.index).all()            # duplicates keep their source label
    pd.testing.assert_frame_equal(extra, X.loc[extra.index])
    assert (yr.to_numpy() == y.loc[Xr.index].to_numpy()).all()
    assert s.summary()["n_after"] == 210


def test_undersample_keeps_distinct_rows_down_to_the_smallest_count() -> None:
    X, y = imbalanced()
    Xr, yr = rebalance(X, y, strategy="undersample", random_state=1)
    assert yr.value_counts().to_dict() == {"a": 10, "b": 10, "c": 10}
    assert Xr.index.is_unique and Xr.index.is_monotonic_increasing
    assert set(Xr.index[yr.to_numpy() == "c"]) == set(y.index[y == "c"])


def test_rebalancing_is_seeded_and_works_on_arrays() -> None:
    X, y = np.arange(20).reshape(10, 2), np.array([0] * 8 + [1] * 2)
    a = rebalance(X, y, random_state=3)
    b = rebalance(X, y, random_state=3)
    assert np.array_equal(a[0], b[0]) and a[0].shape == (16, 2)
    assert np.bincount(a[1]).tolist() == [8, 8]
    assert set(a[0][10:, 0].tolist()) <= {16, 18}  # added rows are rows of class 1


def test_rebalancing_bad_input() -> None:
    with pytest.raises(DataError, match="two classes"):
        rebalance(np.ones((3, 1)), np.zeros(3))
    with pytest.raises(ParameterError, match="strategy"):
        rebalance(np.ones((3, 1)), np.array([0, 1, 1]), strategy="smote")
    with pytest.raises(DataError, match="one label per row"):
        rebalance(np.ones((3, 1)), np.array([0, 1]))
    with pytest.raises(DataError, match="missing labels"):
        rebalance(np.ones((3, 1)), np.array([0.0, 1.0, np.nan]))


def test_augment_appends_perturbed_copies_with_their_labels() -> None:
    X, y = imbalanced()
    noise = GaussianNoise(severity=3)
    Xa, ya = augment(X, y, [noise, MissingValues(severity=2)], copies=2, random_state=0)
    assert len(Xa) == 500 and (ya.to_numpy() == np.tile(y.to_numpy(), 5)).all()
    pd.testing.assert_frame_equal(Xa.iloc[:100], X, check_dtype=False)  # k: NaN copies
    assert Xa["k"].dtype == np.float64
    copies = [Xa.iloc[100 * i: 100 * (i + 1)] for i in range(1, 5)]
    spread = (X["x"].quantile(0.75) - X["x"].quantile(0.25)) / 1.349
    for c in copies[:2]:  # noise sd = 0.2 spreads at severity 3
        assert (c["x"] - X["x"]).std() == pytest.approx(0.2 * spread, rel=0.2)
    assert not copies[0]["x"].equals(copies[1]["x"])  # each copy its own seed
    assert copies[2].isna().to_numpy().any() and not noise.__dict__.get("fitted_")
    again = augment(X, y, [noise, MissingValues(severity=2)], copies=2, random_state=0)
    pd.testing.assert_frame_equal(again[0], Xa)


def test_augment_refuses_a_perturbation_that_changes_nothing() -> None:
    X, y = imbalanced()
    words = pd.DataFrame({"city": ["a", "b"] * 50})
    with pytest.raises(ParameterError, match="changed nothing.*categorical column"):
        augment(words, y, [GaussianNoise(severity=2)])
    with pytest.raises(DataError, match="texts"):  # the perturbation's own refusal
        augment(X, y, [Casing(severity=2)])
    with pytest.raises(ParameterError, match="copies"):
        augment(X, y, [GaussianNoise()], copies=0)
    with pytest.raises(ParameterError, match="perturbations"):
        augment(X, y, [GaussianNoise])


def test_torch_transform_on_rows_keeps_type_and_draws_new_noise() -> None:
    torch = pytest.importorskip("torch")
    X = np.random.default_rng(0).normal(size=(200, 3))
    t = PerturbationTransform(GaussianNoise(severity=5), random_state=0).fit(X)
    row = torch.zeros(3, dtype=torch.float32)
    a, b = t(row), t(row)
    assert a.dtype == torch.float32 and a.shape == (3,) and not torch.equal(a, b)
    assert t.notes_[0].applied
    t2 = PerturbationTransform(GaussianNoise(severity=5), random_state=0).fit(X)
    assert torch.equal(t2(row), a)  # repeatable from the seed
    batch = PerturbationTransform(GaussianNoise(severity=5), batched=True,
                                  random_state=0).fit(X)(X)
    assert batch.shape == X.shape and isinstance(batch, np.ndarray)
    loader = torch.utils.data.DataLoader(_Rows(X, t), batch_size=50)
    assert next(iter(loader)).shape == (50, 3)


class _Rows:
    def __init__(self, X: np.ndarray, transform: PerturbationTransform) -> None:
        self.X, self.transform = X, transform

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, i: int):
        import torch
        return self.transform(torch.as_tensor(self.X[i], dtype=torch.float32))


def test_torch_transform_on_channels_first_images_matches_the_perturbation() -> None:
    torch = pytest.importorskip("torch")
    imgs = np.random.default_rng(0).random((4, 8, 8, 3)).astype(np.float32)
    contrast = Contrast(severity=3).fit(imgs)
    expected = contrast.transform(imgs[:1])[0]
    t = PerturbationTransform(Contrast(severity=3)).fit(imgs)  # HWC arrays
    chw = torch.as_tensor(np.moveaxis(imgs[0], -1, 0))
    out = t(chw)
    assert out.shape == (3, 8, 8)
    np.testing.assert_allclose(out.numpy(), np.moveaxis(expected, -1, 0), atol=1e-6)
    hwc = PerturbationTransform(contrast, channels_first=False)(torch.as_tensor(imgs[0]))
    np.testing.assert_allclose(hwc.numpy(), expected, atol=1e-6)


def test_torch_transform_bad_input() -> None:
    with pytest.raises(StageError, match="before fit"):
        PerturbationTransform(GaussianNoise())(np.zeros(3))
    with pytest.raises(ParameterError, match="Perturbation"):
        PerturbationTransform("noise")(np.zeros(3))
    with pytest.raises(DataError, match="one sample"):
        PerturbationTransform(GaussianNoise(), batched=True).fit(np.zeros((5, 1)))(
            np.zeros(3))
