"""OOD scores separate held-out digits; AUROC and FPR at 95% TPR against references."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.special import logsumexp, softmax
from sklearn.datasets import load_digits
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.novelty import evaluate_ood, ood_evaluation, ood_scores


@pytest.fixture(scope="module")
def digits() -> dict[str, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    seen = y < 5  # train on 0-4, hold out 5-9
    Xtr, Xte, ytr, yte = train_test_split(X[seen], y[seen], test_size=0.3, random_state=0)
    return {"Xtr": Xtr, "ytr": ytr, "Xin": Xte, "Xout": X[~seen]}


@pytest.fixture(scope="module")
def logreg(digits: dict) -> LogisticRegression:
    return LogisticRegression(max_iter=2000).fit(digits["Xtr"], digits["ytr"])


def test_auroc_equals_sklearn_and_fpr95_a_hand_computation() -> None:
    rng = np.random.default_rng(0)
    s_in, s_out = rng.normal(0, 1, 300), rng.normal(1.5, 1, 200)
    r = ood_evaluation(s_in, s_out)
    truth = np.r_[np.ones(300), np.zeros(200)]
    assert r.auroc == pytest.approx(roc_auc_score(truth, -np.r_[s_in, s_out]), abs=1e-12)
    assert r.auroc == pytest.approx(roc_auc_score(1 - truth, np.r_[s_in, s_out]), abs=1e-12)
    # keep the 95% least unusual in-distribution scores: threshold at the k-th smallest
    t = np.sort(s_in)[math.ceil(0.95 * 300) - 1]
    assert r.threshold == t
    assert r.fpr_at_95_tpr == pytest.approx(np.mean(s_out <= t), abs=1e-12)
    assert np.mean(s_in <= t) >= 0.95
    assert r.fpr_at_95_tpr == pytest.approx(0.535, abs=1e-12)
    other = ood_evaluation(s_in, s_out, tpr=0.8)
    assert other.fpr_at_95_tpr == pytest.approx(
        np.mean(s_out <= np.sort(s_in)[math.ceil(0.8 * 300) - 1]))


def test_perfect_and_reversed_separation() -> None:
    r = ood_evaluation(np.arange(50.0), np.arange(100.0, 150.0))
    assert (r.auroc, r.fpr_at_95_tpr, r.warnings) == (1.0, 0.0, ())
    bad = ood_evaluation(np.arange(100.0, 150.0), np.arange(50.0))
    assert bad.auroc == 0.0 and bad.fpr_at_95_tpr == 1.0 and "below 0.5" in bad.warnings[0]


# seeded numbers measured on this split (logistic regression on digits 0-4)
DIGITS = {"msp": (0.9414, 0.3225), "energy": (0.9587, 0.2679),
          "mahalanobis": (0.9133, 0.5402), "knn": (0.9292, 0.4721)}


@pytest.mark.parametrize("method", sorted(DIGITS))
def test_scores_separate_held_out_digits(method: str, digits: dict, logreg) -> None:
    model = logreg if method in ("msp", "energy") else None
    r = evaluate_ood(model, digits["Xin"], digits["Xout"], method=method,
                     reference=digits["Xtr"])
    assert r.n_in == len(digits["Xin"]) and r.n_out == 896
    assert r.auroc == pytest.approx(DIGITS[method][0], abs=2e-3)
    assert r.fpr_at_95_tpr == pytest.approx(DIGITS[method][1], abs=5e-3)
    alone = ood_scores(model, digits["Xout"], method=method, reference=digits["Xtr"])
    np.testing.assert_allclose(alone, r.out_scores)  # same fit, same scores
    assert json.loads(json.dumps(r.to_dict()))["positive_class"] == "in-distribution"


def test_msp_and_energy_against_hand_formulas(digits: dict, logreg) -> None:
    X = digits["Xout"][:50]
    z = logreg.decision_function(X)
    np.testing.assert_allclose(ood_scores(logreg, X), -logreg.predict_proba(X).max(1))
    # tempered probabilities from predict_proba equal the softmax of the logits / T
    np.testing.assert_allclose(ood_scores(logreg, X, temperature=3.0),
                               -softmax(z / 3.0, axis=1).max(1), atol=1e-10)
    np.testing.assert_allclose(ood_scores(logreg, X, method="energy", temperature=2.0),
                               -2.0 * logsumexp(z / 2.0, axis=1))


def test_binary_decision_function_is_read_as_logits_zero_and_d() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 2))
    model = LogisticRegression().fit(X, X[:, 0] > 0)
    d = model.decision_function(X[:5])
    np.testing.assert_allclose(ood_scores(model, X[:5], method="energy"),
                               -np.logaddexp(0.0, d))


def test_energy_of_a_probability_only_model(digits: dict) -> None:
    nb = GaussianNB().fit(digits["Xtr"], digits["ytr"])
    with pytest.raises(ModelError, match="0 for every row"):
        ood_scores(nb, digits["Xin"], method="energy")
    X = digits["Xin"][:20]
    with np.errstate(divide="ignore"):
        logp = np.log(nb.predict_proba(X))
    np.testing.assert_allclose(ood_scores(nb, X, method="energy", temperature=2.0),
                               -2.0 * logsumexp(logp / 2.0, axis=1))
    r = evaluate_ood(nb, digits["Xin"], digits["Xout"], method="energy", temperature=2.0)
    assert "probabilities only" in r.source


def test_torch_logits_and_embedding(digits: dict) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(),
                              torch.nn.Linear(32, 5))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x = torch.as_tensor(digits["Xtr"], dtype=torch.float32)
    y = torch.as_tensor(digits["ytr"])
    for _ in range(150):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    with torch.no_grad():
        logits = net(torch.as_tensor(digits["Xout"][:10], dtype=torch.float32)).double()
    np.testing.assert_allclose(ood_scores(net, digits["Xout"][:10], method="energy"),
                               -torch.logsumexp(logits, 1).numpy(), rtol=1e-5)
    res = {m: evaluate_ood(net, digits["Xin"], digits["Xout"], method=m,
                           reference=digits["Xtr"], embed=net[:-1] if m == "knn" else None)
           for m in ("msp", "energy", "knn")}
    assert res["knn"].source == "embedding"
    assert all(r.auroc > 0.85 for r in res.values()), {m: r.auroc for m, r in res.items()}
    assert net.training  # the mode is restored



def test_torch_scores_in_batches_equal_one_pass(digits: dict, monkeypatch) -> None:
    # a torch module is run in batches of rows (100k images in one pass would not fit)
    torch = pytest.importorskip("torch")
    import stalwart.novelty.ood as ood

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 16), torch.nn.ReLU(),
                              torch.nn.Linear(16, 5)).double()
    X = digits["Xout"][:50]
    with torch.no_grad():
        z = net(torch.as_tensor(X)).numpy()
    monkeypatch.setattr(ood, "_TORCH_BATCH", 7)
    calls = []
    net.register_forward_hook(lambda module, args, out: calls.append(len(args[0])))
    np.testing.assert_allclose(ood_scores(net, X, method="energy"),
                               -logsumexp(z, axis=1), rtol=1e-12)
    assert calls == [7] * 7 + [1]


def test_dataframe_inputs_are_stacked(digits: dict) -> None:
    import pandas as pd

    ref = pd.DataFrame(digits["Xtr"][:, :8])
    r = evaluate_ood(None, pd.DataFrame(digits["Xin"][:, :8]),
                     pd.DataFrame(digits["Xout"][:, :8]), method="knn", reference=ref)
    assert r.n_out == 896 and 0.5 < r.auroc < 1.0
    # a frame of held-out rows with an array of unseen rows (a raw pandas TypeError before)
    mixed = evaluate_ood(None, pd.DataFrame(digits["Xin"][:, :8]), digits["Xout"][:, :8],
                         method="knn", reference=ref)
    assert mixed.auroc == r.auroc and mixed.n_out == 896
    with pytest.raises(DataError, match="X_in's 8 columns"):
        evaluate_ood(None, pd.DataFrame(digits["Xin"][:, :8]), digits["Xout"][:, :5],
                     method="knn", reference=ref)


def test_bad_input_is_a_clear_error(digits: dict, logreg) -> None:
    X = digits["Xin"]
    with pytest.raises(ParameterError, match="method"):
        ood_scores(logreg, X, method="odin")
    with pytest.raises(ParameterError, match="reference"):
        ood_scores(None, X, method="knn")
    with pytest.raises(ModelError, match="classifier"):
        ood_scores(None, X)
    with pytest.raises(ModelError, match="classifier"):
        ood_scores(LinearRegression().fit(X, np.arange(len(X))), X, method="energy")
    with pytest.raises(ParameterError, match="temperature"):
        ood_scores(logreg, X, temperature=0)
    with pytest.raises(DataError, match="at least one score"):
        ood_evaluation([], [1.0])
    with pytest.raises(DataError, match="finite"):
        ood_evaluation([np.nan], [1.0])
    with pytest.raises(ParameterError, match="tpr"):
        ood_evaluation([0.0], [1.0], tpr=1.0)
    small = ood_evaluation([0.0, 0.1], [1.0])
    assert "coarse" in small.warnings[0]


def test_a_score_matrix_is_refused_not_flattened() -> None:
    # a (rows, classes) array (e.g. predict_proba by mistake) used to be ravelled into
    # rows * classes "scores", with n_in counting cells instead of inputs
    proba = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3]])
    with pytest.raises(DataError, match=r"one score per input.*\(3, 2\)"):
        ood_evaluation(proba, [1.0, 2.0])
    column = ood_evaluation(np.array([[0.1], [0.2], [0.3]]), [1.0, 2.0])
    assert column.n_in == 3 and column.auroc == 1.0
