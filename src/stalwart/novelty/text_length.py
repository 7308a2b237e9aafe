"""Length novelty for text: texts N words longer or M words shorter than the training average.

Words are scikit-learn ``CountVectorizer`` tokens (``token_pattern`` default: runs of letters
or digits, one-letter words included). The average is taken on the training part of the
reference. ``longer=N`` and ``shorter=M`` fix the band ``[mean - M, mean + N]``; a side left as
``None`` is calibrated split-conformally on the held-out part at ``false_flag_rate / 2`` (the
two sides share the rate, so the flagged share stays <= the rate). The score is the number of
words beyond the band (``> 0`` = flagged); the p-value is the Bonferroni combination of the
two one-sided conformal p-values. For a side the user fixed, the expected false-flag rate is
the share of held-out reference texts beyond it (an estimate, not a guarantee).

>>> ref = [" ".join(["word"] * n) for n in [8, 9, 10, 11, 12] * 80]
>>> det = TextLengthNovelty(longer=5, shorter=5).fit(ref)
>>> round(det.mean_words_, 1), det.detect(["word " * 10, "word " * 30, "word"]).flags.tolist()
(10.0, [False, True, True])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from ..exceptions import ParameterError
from ._text import TextNovelty
from .base import (conformal_p_values, conformal_threshold, expected_flag_rate,
                   min_calibration_size, take)

__all__ = ["TextLengthNovelty"]


class TextLengthNovelty(TextNovelty):
    """Flag texts much longer or much shorter (in words) than the training texts on average."""

    method = "text_length"

    def __init__(self, *, longer: float | None = None, shorter: float | None = None,
                 token_pattern: str = r"(?u)\b\w+\b", column: str | None = None,
                 false_flag_rate: float = 0.01, calibration_size: float = 0.3,
                 random_state: int | None = 0, top_k: int = 10) -> None:
        super().__init__(column=column, false_flag_rate=false_flag_rate,
                         calibration_size=calibration_size, random_state=random_state,
                         top_k=top_k)
        self.longer = longer
        self.shorter = shorter
        self.token_pattern = token_pattern

    def _min_calibration(self, rate: float) -> int:
        if self.longer is not None and self.shorter is not None:
            return 1
        return min_calibration_size(rate / 2)

    def fit(self, reference: Any) -> TextLengthNovelty:
        for name in ("longer", "shorter"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, (int, float)) or v < 0):
                raise ParameterError(name, expected="a number of words >= 0, or None to "
                                     "calibrate it", got=repr(v), fix=f"e.g. {name}=20")
        texts = self._ingest(reference, fitting=True)
        train_idx, cal_idx = self._split(len(texts))
        self._fit_model(take(texts, train_idx))
        d = self._words(take(texts, cal_idx)) - self.mean_words_
        rate, n = float(self.false_flag_rate), int(cal_idx.size)
        self.cal_longer_, self.cal_shorter_ = np.sort(d), np.sort(-d)
        expected = 0.0
        if self.longer is None:
            self.longer_ = conformal_threshold(d, rate / 2)
            expected += expected_flag_rate(n, rate / 2)
        else:
            self.longer_ = float(self.longer)
            expected += float(np.mean(d > self.longer_))
        if self.shorter is None:
            self.shorter_ = conformal_threshold(-d, rate / 2)
            expected += expected_flag_rate(n, rate / 2)
        else:
            self.shorter_ = float(self.shorter)
            expected += float(np.mean(-d > self.shorter_))
        self.threshold_ = 0.0
        self.expected_false_flag_rate_ = expected
        self.calibration_scores_ = np.sort(self._band_excess(d))
        self.n_train_, self.n_calibration_ = int(train_idx.size), n
        return self

    def _fit_model(self, items: list[str]) -> None:
        """The training average length in words (the band is calibrated around it)."""
        self.analyzer_ = CountVectorizer(lowercase=False,
                                         token_pattern=self.token_pattern).build_analyzer()
        self.mean_words_ = float(np.mean(self._words(items)))

    def _words(self, texts: list[str]) -> np.ndarray:
        return np.array([len(self.analyzer_(t)) for t in texts], dtype=float)

    def _band_excess(self, d: np.ndarray) -> np.ndarray:
        return np.maximum(d - self.longer_, -d - self.shorter_)

    def _score_items(self, items: list[str]) -> np.ndarray:
        return self._band_excess(self._words(items) - self.mean_words_)

    def _p_values(self, items: list[str], scores: np.ndarray) -> np.ndarray:
        d = self._words(items) - self.mean_words_
        p_long = conformal_p_values(self.cal_longer_, d)
        p_short = conformal_p_values(self.cal_shorter_, -d)
        return np.minimum(1.0, 2.0 * np.minimum(p_long, p_short))

    def _details(self, items: list[str], scores: np.ndarray) -> list[dict[str, Any]]:
        words = self._words(items)
        return [{"n_words": int(w), "difference_from_mean": float(w - self.mean_words_)}
                for w in words]

    def _params(self) -> dict[str, Any]:
        return {"mean_words": self.mean_words_, "longer": self.longer_,
                "shorter": self.shorter_, "longer_calibrated": self.longer is None,
                "shorter_calibrated": self.shorter is None}
