"""Shared plumbing of the numeric-table detectors: ingest, standardise, score a matrix."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._table import NumericTable
from .base import BaseNovelty

__all__ = ["NumericNovelty"]


class NumericNovelty(BaseNovelty):
    """Base of the detectors on numeric tables; subclasses give ``_fit_matrix``/``_score_matrix``.

    Features are standardised with the mean and standard deviation of the training part.
    """

    def __init__(self, *, columns: Sequence[str] | None = None, false_flag_rate: float = 0.01,
                 calibration_size: float = 0.3, random_state: int | None = 0,
                 top_k: int = 10) -> None:
        super().__init__(false_flag_rate=false_flag_rate, calibration_size=calibration_size,
                         random_state=random_state, top_k=top_k)
        self.columns = columns

    def _ingest(self, data: Any, *, fitting: bool) -> Any:
        if fitting:
            self.table_ = NumericTable(self.columns)
            self.notes_ = []
        self._run_notes: list[str] = []
        return self.table_.frame(data, fitting=fitting, notes=self._run_notes)

    def _fit_model(self, items: Any) -> None:
        self._fit_matrix(self.table_.fit_scaler(items))

    def _score_items(self, items: Any) -> np.ndarray:
        return self._score_matrix(self.table_.transform(items))

    @abstractmethod
    def _fit_matrix(self, z: np.ndarray) -> None:
        """Fit the detector on standardised training rows."""

    @abstractmethod
    def _score_matrix(self, z: np.ndarray) -> np.ndarray:
        """Scores of standardised rows (higher = more unusual)."""

    def _params(self) -> dict[str, Any]:
        return {"columns": list(self.table_.columns_)}
