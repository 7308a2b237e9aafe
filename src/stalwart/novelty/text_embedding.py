"""Embedding-likelihood novelty for text: a Gaussian mixture on sentence embeddings.

Texts are embedded (see :mod:`.embedders`: the packaged all-MiniLM-L6-v2 when installed,
else TF-IDF + SVD; ``embedder="auto"`` picks and the result says which and why), reduced by
PCA fitted on the training part (``pca_components``, default 20: a full-covariance mixture in
384 dimensions would need far more texts than a reference usually has) plus one more feature,
the norm of what PCA leaves out (so a text unlike every training direction still stands out),
and the embedder's own extra features (the TF-IDF fallback adds the share of known words);
then scored by ``-log p`` under a ``GaussianMixture`` whose number of components is chosen
by BIC. The threshold is split-conformal (see :mod:`.base`).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> words = ["price", "order", "refund", "delivery", "late", "box", "item", "paid"]
>>> ref = [" ".join(rng.choice(words, 6)) for _ in range(300)]
>>> det = TextEmbeddingNovelty(embedder="tfidf-svd", false_flag_rate=0.05,
...                            n_components_range=(1, 2)).fit(ref)
>>> det.embedder_name_
'tfidf-svd'
>>> det.predict(["refund order late box item paid", "galaxy nebula quasar telescope"]).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from ._text import TextNovelty
from .embedders import resolve_embedder
from .gmm import fit_gmm_bic, note_skipped

__all__ = ["TextEmbeddingNovelty"]


class TextEmbeddingNovelty(TextNovelty):
    """Flag texts whose sentence embedding is unlikely under the reference's mixture."""

    method = "text_embedding"

    def __init__(self, *, embedder: Any = "auto", pca_components: int = 20,
                 n_components: int | None = None,
                 n_components_range: Sequence[int] = (1, 2, 3, 4),
                 column: str | None = None, false_flag_rate: float = 0.01,
                 calibration_size: float = 0.3, random_state: int | None = 0,
                 top_k: int = 10) -> None:
        super().__init__(column=column, false_flag_rate=false_flag_rate,
                         calibration_size=calibration_size, random_state=random_state,
                         top_k=top_k)
        self.embedder = embedder
        self.pca_components = pca_components
        self.n_components = n_components
        self.n_components_range = n_components_range

    def _fit_model(self, items: list[str]) -> None:
        self.embedder_, self.embedder_reason_ = resolve_embedder(
            self.embedder, random_state=self.random_state)
        self.embedder_name_ = getattr(self.embedder_, "name", type(self.embedder_).__name__)
        self.notes_.append(f"embedder {self.embedder_name_}: {self.embedder_reason_}")
        e = self.embedder_.fit(items).transform(items)
        self.n_passthrough_ = int(getattr(self.embedder_, "n_passthrough", 0))
        main = e[:, :e.shape[1] - self.n_passthrough_]
        k = max(1, min(self.pca_components, main.shape[1], main.shape[0] - 1))
        self.pca_ = PCA(n_components=k, random_state=self.random_state).fit(main)
        z = self._features(e, fitting=True)
        self.model_, self.bic_ = fit_gmm_bic(
            z, n_components=self.n_components, n_components_range=self.n_components_range,
            covariance_type="full", random_state=self.random_state)
        note_skipped(self.notes_, self.n_components, self.n_components_range, self.bic_)

    def _features(self, e: np.ndarray, *, fitting: bool = False) -> np.ndarray:
        cut = e.shape[1] - self.n_passthrough_
        main, extra = e[:, :cut], e[:, cut:]
        proj = self.pca_.transform(main)
        resid = np.linalg.norm(main - self.pca_.inverse_transform(proj), axis=1, keepdims=True)
        z = np.hstack([proj, resid, extra])
        if fitting:  # put every feature on one scale so reg_covar means the same for all
            # (a floor on the scale keeps a constant feature from dividing by ~0)
            self.center_, self.scale_ = z.mean(axis=0), np.maximum(z.std(axis=0), 1e-3)
        return (z - self.center_) / self.scale_

    def _score_items(self, items: list[str]) -> np.ndarray:
        return -self.model_.score_samples(self._features(self.embedder_.transform(items)))

    def _params(self) -> dict[str, Any]:
        return {"embedder": self.embedder_name_, "embedder_reason": self.embedder_reason_,
                "pca_components": int(self.pca_.n_components_),
                "n_components": int(self.model_.n_components)}
