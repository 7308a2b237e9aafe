"""Text input for the text novelty detectors: a list, array or Series of strings, or one
column of a table (``column=``). Missing or non-string entries are a :class:`DataError`
naming their positions; the empty string is a valid (zero-word) text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, SchemaError

from .base import BaseNovelty

__all__ = ["TextNovelty", "as_texts"]


def as_texts(data: Any, *, column: str | None, what: str) -> list[str]:
    """A list of strings from ``data``."""
    if isinstance(data, str):
        raise DataError(what, expected="a sequence of texts", got="a single string",
                        fix="wrap it in a list: [text]")
    if isinstance(data, pd.DataFrame):
        if column is None:
            if data.shape[1] != 1:
                raise SchemaError(what, expected="one text column, or column= naming it",
                                  got=f"{data.shape[1]} columns",
                                  fix="pass column='<text column>'")
            column = str(data.columns[0])
        if column not in data.columns:
            raise SchemaError(what, expected=f"a column {column!r}",
                              got=f"columns {list(map(str, data.columns[:10]))}",
                              fix="pass column= with one of these")
        data = data[column]
    values = list(data.tolist() if isinstance(data, (pd.Series, np.ndarray)) else data)
    if not values:
        raise DataError(what, expected="at least one text", got="0 texts",
                        fix="pass a non-empty sequence of strings")
    bad = [i for i, v in enumerate(values) if not isinstance(v, str)]
    if bad:
        raise DataError(what, expected="strings only (missing texts are not scored)",
                        got=f"{len(bad)} non-string entries, first at positions {bad[:5]} "
                            f"({type(values[bad[0]]).__name__})",
                        fix="drop or fill the missing texts, e.g. series.fillna('')")
    return values


class TextNovelty(BaseNovelty):
    """Base of the text detectors: ingest strings, remember the column."""

    def __init__(self, *, column: str | None = None, false_flag_rate: float = 0.01,
                 calibration_size: float = 0.3, random_state: int | None = 0,
                 top_k: int = 10) -> None:
        super().__init__(false_flag_rate=false_flag_rate, calibration_size=calibration_size,
                         random_state=random_state, top_k=top_k)
        self.column = column

    def _ingest(self, data: Any, *, fitting: bool) -> Any:
        if fitting:
            self.notes_ = []
        self._run_notes: list[str] = []
        return as_texts(data, column=self.column, what="reference" if fitting else "data")
