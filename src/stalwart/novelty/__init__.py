"""Per-sample novelty: which inputs do not look like the reference, with calibrated flags.

Every detector follows one contract: ``fit(reference) -> self`` trains on part of the
reference and calibrates a split-conformal threshold on the held-out rest, so that at most
``false_flag_rate`` of new reference-like samples are flagged; ``score(X)`` (higher = more
unusual), ``predict(X)`` (flags) and ``detect(X) -> NoveltyResult``.

>>> import numpy as np
>>> from stalwart.novelty import KNNNovelty
>>> det = KNNNovelty(false_flag_rate=0.05).fit(np.random.default_rng(0).normal(size=(200, 3)))
>>> det.detect(np.full((1, 3), 9.0)).n_flagged
1
"""

from __future__ import annotations

from .base import BaseNovelty, conformal_p_values, conformal_threshold, min_calibration_size
from .embedders import MiniLMEmbedder, TfidfSVDEmbedder, minilm_available
from .gmm import GMMNovelty
from .isolation_forest import IsolationForestNovelty
from .knn import KNNNovelty
from .mahalanobis import MahalanobisNovelty
from .ood import OOD_METHODS, OODEvaluation, evaluate_ood, ood_evaluation, ood_scores
from .pipeline_path import PipelinePathNovelty
from .registry import NOVELTY_DETECTORS
from .result import NoveltyResult
from .text_embedding import TextEmbeddingNovelty
from .text_length import TextLengthNovelty
from .text_oov import OOVNovelty

__all__ = [
    "BaseNovelty",
    "GMMNovelty",
    "IsolationForestNovelty",
    "KNNNovelty",
    "MahalanobisNovelty",
    "MiniLMEmbedder",
    "NOVELTY_DETECTORS",
    "NoveltyResult",
    "OODEvaluation",
    "OOD_METHODS",
    "OOVNovelty",
    "PipelinePathNovelty",
    "TextEmbeddingNovelty",
    "TextLengthNovelty",
    "TfidfSVDEmbedder",
    "conformal_p_values",
    "conformal_threshold",
    "evaluate_ood",
    "min_calibration_size",
    "minilm_available",
    "ood_evaluation",
    "ood_scores",
]
