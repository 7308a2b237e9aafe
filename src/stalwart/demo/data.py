"""The demo's data: scikit-learn's bundled diabetes study, and a corrupted production batch.

The diabetes data (Efron et al., 2004: 442 patients, age, sex, body-mass index, blood
pressure and six blood serum measurements) ships inside scikit-learn, so nothing is
downloaded. Its target, disease progression one year later, is turned into a yes/no label
("high progression": above the median), and ``age`` and ``sex`` are declared sensitive
(sex is coded 1/2 in the source, without a documented meaning).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes

__all__ = ["SENSITIVE", "TARGET", "corrupt_batch", "kpa_week", "load_diabetes_frame"]

TARGET = "high_progression"
SENSITIVE = ("age", "sex")


def load_diabetes_frame() -> pd.DataFrame:
    """The diabetes data in its original units, with a patient id and a binary target.

    >>> frame = load_diabetes_frame()
    >>> frame.shape, int(frame[TARGET].sum())
    ((442, 12), 221)
    """
    raw = load_diabetes(scaled=False, as_frame=True).frame
    frame = raw.drop(columns="target").rename(columns={"s1": "tc", "s2": "ldl", "s3": "hdl",
                                                       "s4": "tch", "s5": "ltg", "s6": "glu"})
    frame["sex"] = frame["sex"].astype(int).astype(str)
    frame.insert(0, "patient_id", [f"P{i:04d}" for i in range(len(frame))])
    frame[TARGET] = (raw["target"] > raw["target"].median()).astype(int)
    return frame


def corrupt_batch(clean: pd.DataFrame, train: pd.DataFrame, *, random_state: int = 0) -> pd.DataFrame:
    """A production batch with the faults the seed documents describe, each one labelled.

    - blood pressure arrives in kPa instead of mmHg for a third of the rows (a unit change
      made upstream without telling anyone);
    - the ``ltg`` serum value is missing for 25% of rows (a broken upstream join);
    - ``glu`` holds the text "pending" in some rows (a scalar column polluted with strings);
    - 40 rows are sent twice (a retried upload);
    - 30 rows are copies of training rows (the training set leaking into evaluation).
    """
    rng = np.random.default_rng(random_state)
    batch = clean.copy()
    kpa = rng.random(len(batch)) < 1 / 3
    batch.loc[kpa, "bp"] = (batch.loc[kpa, "bp"] / 7.50062).round(2)
    batch.loc[rng.random(len(batch)) < 0.25, "ltg"] = np.nan
    glu = batch["glu"].astype(object)
    glu[rng.random(len(batch)) < 0.1] = "pending"
    batch["glu"] = glu
    resent = batch.sample(40, random_state=random_state)
    leaked = train.sample(30, random_state=random_state)
    batch = pd.concat([batch, resent, leaked], ignore_index=True)
    return batch


def kpa_week(clean: pd.DataFrame) -> pd.DataFrame:
    """A later week in which every blood pressure arrives in kPa instead of mmHg (an
    upstream system switched units for all rows): the drift suite should name the map."""
    week = clean.copy()
    week["bp"] = (week["bp"] / 7.50062).round(2)
    return week
