"""Fitted models and held-out data shared by the evaluation check tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def clean_model(train: pd.DataFrame):
    ct = make_column_transformer((OneHotEncoder(), ["city", "plan"]),
                                 (StandardScaler(), ["age", "income", "score"]))
    return make_pipeline(ct, LogisticRegression()).fit(train.drop(columns="y"), train["y"])


@pytest.fixture()
def clean_split(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    return train, test, clean_model(train)


@pytest.fixture(scope="session")
def cancer():
    frame = load_breast_cancer(as_frame=True).frame
    frame = frame.sample(frac=1.0, random_state=0).reset_index(drop=True)
    train, test = frame.iloc[:300], frame.iloc[300:]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(train.drop(columns="target"), train["target"])
    return train, test, model


@pytest.fixture(scope="session")
def rng():
    return np.random.default_rng(0)
