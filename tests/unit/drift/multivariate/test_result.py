"""MultivariateDriftResult: frozen, JSON-able, with schema_version."""

import dataclasses
import json

import numpy as np
import pytest

from stalwart.drift.multivariate import MULTIVARIATE_METHODS, MultivariateDriftResult


def test_to_dict_is_plain_json():
    r = MultivariateDriftResult(method="mmd", statistic=np.float64(0.1), p_value=0.02,
                                alpha=0.05, drifted=True, n_reference=10, n_current=12,
                                details={"bandwidth": np.float32(1.5), "z": float("inf")},
                                feature_contributions=(("a", 0.2), ("b", 0.1)),
                                notes=("n",))
    d = json.loads(json.dumps(r.to_dict()))
    assert d["schema_version"] == "1.0" and d["details"] == {"bandwidth": 1.5, "z": None}
    assert d["feature_contributions"][0] == {"feature": "a", "value": 0.2}
    assert r.threshold == 0.05 and r.top_features(1) == ["a"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.drifted = False  # type: ignore[misc]


def test_registry_declares_capabilities():
    assert MULTIVARIATE_METHODS.capabilities("domain_classifier")["attributes_features"]
    assert MULTIVARIATE_METHODS.capabilities("bbsd")["needs_model"]
