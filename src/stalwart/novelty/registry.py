"""NOVELTY_DETECTORS: every per-sample novelty detector with its capabilities as plain data.

Capabilities: ``input`` (``"numeric"`` table, ``"text"``, or ``"pipeline"`` path records),
``score`` (what the score measures), ``threshold`` (``"split-conformal"`` when the flag rate is
guaranteed on reference-like data, ``"fixed rule"`` when it is measured) and ``extra`` (the
optional extra it can use, or ``None``).

>>> NOVELTY_DETECTORS.names()  # doctest: +NORMALIZE_WHITESPACE
['gmm', 'isolation_forest', 'knn', 'mahalanobis', 'oov', 'pipeline_path',
 'text_embedding', 'text_length']
>>> NOVELTY_DETECTORS.capabilities("oov")["input"]
'text'
"""

from __future__ import annotations

from .._registry import Registry
from .gmm import GMMNovelty
from .isolation_forest import IsolationForestNovelty
from .knn import KNNNovelty
from .mahalanobis import MahalanobisNovelty
from .pipeline_path import PipelinePathNovelty
from .text_embedding import TextEmbeddingNovelty
from .text_length import TextLengthNovelty
from .text_oov import OOVNovelty

__all__ = ["NOVELTY_DETECTORS"]

NOVELTY_DETECTORS: Registry[type] = Registry("novelty detector")
NOVELTY_DETECTORS.register("gmm", GMMNovelty, input="numeric",
                           score="-log likelihood under a Gaussian mixture (BIC-chosen size)",
                           threshold="split-conformal", extra=None)
NOVELTY_DETECTORS.register("isolation_forest", IsolationForestNovelty, input="numeric",
                           score="-isolation forest score_samples",
                           threshold="split-conformal", extra=None)
NOVELTY_DETECTORS.register("knn", KNNNovelty, input="numeric",
                           score="distance to the k-th nearest training row",
                           threshold="split-conformal", extra=None)
NOVELTY_DETECTORS.register("mahalanobis", MahalanobisNovelty, input="numeric",
                           score="Mahalanobis distance (MinCovDet or empirical covariance)",
                           threshold="split-conformal", extra=None)
NOVELTY_DETECTORS.register("oov", OOVNovelty, input="text",
                           score="share of words outside the training vocabulary",
                           threshold="split-conformal", extra=None)
NOVELTY_DETECTORS.register("text_length", TextLengthNovelty, input="text",
                           score="words beyond the band [mean - shorter, mean + longer]",
                           threshold="split-conformal (fixed rule when longer/shorter given)",
                           extra=None)
NOVELTY_DETECTORS.register("text_embedding", TextEmbeddingNovelty, input="text",
                           score="-log likelihood of the sentence embedding (GMM)",
                           threshold="split-conformal", extra="text")
NOVELTY_DETECTORS.register("pipeline_path", PipelinePathNovelty, input="pipeline",
                           score="1 - share of the output's records that took this path",
                           threshold="fixed rule (never seen), rate measured", extra=None)
