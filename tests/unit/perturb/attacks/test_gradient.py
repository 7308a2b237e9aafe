"""FGSM and PGD against hand-computed gradient steps on small torch networks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.perturb.attacks.gradient import fgsm, pgd

torch = pytest.importorskip("torch")

W = np.array([[1.0, -2.0, 0.5], [-1.0, 0.5, 2.0], [0.3, 1.0, -1.0]])
B = np.array([0.1, -0.2, 0.0])


def linear_net() -> torch.nn.Module:
    net = torch.nn.Linear(3, 3).double()
    with torch.no_grad():
        net.weight.copy_(torch.tensor(W))
        net.bias.copy_(torch.tensor(B))
    return net


def mlp() -> torch.nn.Module:
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(),
                              torch.nn.Linear(8, 3)).double()
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(3.0)  # confident enough that the clean loss is low
    return net


def data(n: int = 20, d: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, 3, size=n)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def hand_gradient(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d CE / d x for logits W x + b: W^T (softmax(z) - onehot(y)), one row each."""
    p = softmax(X @ W.T + B)
    p[np.arange(len(y)), y] -= 1.0
    return p @ W


def test_fgsm_linf_is_the_sign_step_of_the_closed_form_gradient() -> None:
    X, y = data()
    res = fgsm(linear_net(), X, y, eps=0.1)
    np.testing.assert_allclose(res.X_adv, X + 0.1 * np.sign(hand_gradient(X, y)), atol=1e-12)
    np.testing.assert_allclose(res.perturbation_norms, 0.1)
    assert res.gradient_calls == 1 and res.loss_history[1] > res.loss_history[0]


def test_fgsm_l2_is_the_normalised_gradient_step() -> None:
    X, y = data()
    g = hand_gradient(X, y)
    res = fgsm(linear_net(), X, y, eps=0.5, norm="l2")
    expected = X + 0.5 * g / np.linalg.norm(g, axis=1, keepdims=True)
    np.testing.assert_allclose(res.X_adv, expected, atol=1e-12)
    np.testing.assert_allclose(res.perturbation_norms, 0.5)


def test_fgsm_targeted_descends_toward_the_target() -> None:
    X, _ = data()
    target = np.full(len(X), 2)
    res = fgsm(linear_net(), X, target, eps=0.2, targeted=True)
    np.testing.assert_allclose(res.X_adv, X - 0.2 * np.sign(hand_gradient(X, target)))
    assert res.loss_history[1] < res.loss_history[0]
    assert res.clean_accuracy is None and res.success_rate is not None


def test_mask_freezes_features_and_clip_holds() -> None:
    X, y = data()
    X = np.clip(X, -1.0, 1.0)
    mask = np.array([True, False, True])
    res = fgsm(linear_net(), X, y, eps=0.5, norm="l2", mask=mask, clip=(-1.0, 1.0))
    assert np.array_equal(res.X_adv[:, 1], X[:, 1])
    assert res.X_adv.min() >= -1.0 and res.X_adv.max() <= 1.0
    g = hand_gradient(X, y) * mask
    unclipped = X + 0.5 * g / np.linalg.norm(g, axis=1, keepdims=True)
    np.testing.assert_allclose(res.X_adv, np.clip(unclipped, -1.0, 1.0), atol=1e-12)


def test_pgd_matches_a_hand_loop_for_two_steps() -> None:
    X, y = data()
    eps, alpha = 0.3, 0.2
    res = pgd(linear_net(), X, y, eps=eps, alpha=alpha, steps=2, random_start=False)
    x = X.copy()
    for _ in range(2):
        x = X + np.clip(x + alpha * np.sign(hand_gradient(x, y)) - X, -eps, eps)
    np.testing.assert_allclose(res.X_adv, x, atol=1e-12)
    assert res.gradient_calls == 2 and len(res.loss_history) == 3


def test_pgd_l2_matches_a_hand_loop_with_projection() -> None:
    X, y = data()
    eps, alpha = 0.4, 0.3
    res = pgd(linear_net(), X, y, eps=eps, alpha=alpha, steps=2, norm="l2",
              random_start=False)
    x = X.copy()
    for _ in range(2):
        g = hand_gradient(x, y)
        d = x + alpha * g / np.linalg.norm(g, axis=1, keepdims=True) - X
        n = np.linalg.norm(d, axis=1, keepdims=True)
        x = X + d * np.minimum(1.0, eps / n)
    np.testing.assert_allclose(res.X_adv, x, atol=1e-12)
    assert res.perturbation_norms.max() <= eps + 1e-12
    assert np.isclose(res.perturbation_norms.max(), eps)


@pytest.mark.parametrize("norm", ["linf", "l2"])
def test_pgd_stays_in_the_ball_and_raises_the_loss_past_fgsm(norm: str) -> None:
    X, y = data(60, 4, seed=1)
    net = mlp()
    with torch.no_grad():
        y = net(torch.as_tensor(X)).argmax(1).numpy()  # every clean row correct
    eps = 0.3 if norm == "linf" else 0.6
    res = pgd(net, X, y, eps=eps, steps=20, norm=norm, random_state=0)
    assert res.perturbation_norms.max() <= eps + 1e-9
    h = np.array(res.loss_history)
    assert h[-1] > 1.9 * h[0] and np.all(np.diff(h) > 0)  # measured: x2.1 (linf), x2.1 (l2)
    assert res.clean_accuracy == 1.0
    assert res.robust_accuracy == pytest.approx(1.0 - res.success_rate)
    one = fgsm(net, X, y, eps=eps, norm=norm)
    assert h[-1] > one.loss_history[-1]  # the same budget, more steps: a higher loss
    assert res.success_rate == pytest.approx({"linf": 20 / 60, "l2": 27 / 60}[norm])


def test_pgd_random_start_is_seeded() -> None:
    X, y = data()
    a = pgd(linear_net(), X, y, eps=0.2, steps=1, random_state=3)
    b = pgd(linear_net(), X, y, eps=0.2, steps=1, random_state=3)
    c = pgd(linear_net(), X, y, eps=0.2, steps=1, random_state=4)
    assert np.array_equal(a.X_adv, b.X_adv) and not np.array_equal(a.X_adv, c.X_adv)
    assert a.params["alpha"] == pytest.approx(0.5)  # 2.5 * eps / steps


def test_model_state_and_parameter_gradients_are_left_alone() -> None:
    net = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Dropout(0.5)).double()
    net.train()
    X, y = data()
    first = pgd(net, X, y, eps=0.1, steps=3, random_start=False)
    second = pgd(net, X, y, eps=0.1, steps=3, random_start=False)
    assert net.training and all(p.grad is None for p in net.parameters())
    assert np.array_equal(first.X_adv, second.X_adv)  # dropout off during the attack


def test_image_shaped_inputs_and_tensor_inputs() -> None:
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(2 * 4 * 4, 3))
    X = torch.rand(5, 2, 4, 4)
    res = fgsm(net, X, torch.tensor([0, 1, 2, 0, 1]), eps=0.05, clip=(0.0, 1.0))
    assert res.X_adv.shape == (5, 2, 4, 4) and res.X_adv.dtype == np.float32
    assert res.X_adv.min() >= 0.0 and res.X_adv.max() <= 1.0
    assert np.abs(res.X_adv - X.numpy()).max() <= 0.05 + 1e-6


def test_zero_gradient_rows_are_counted_and_summary_is_json() -> None:
    net = torch.nn.Linear(3, 3).double()
    with torch.no_grad():
        net.weight.zero_()
    X, y = data(4)
    res = fgsm(net, X, y, eps=0.1)
    assert res.zero_gradient_rows == 4 and np.array_equal(res.X_adv, X)
    assert "exactly zero" in res.warnings[0] and res.success_rate in (0.0, None)
    d = json.loads(json.dumps(res.to_dict()))
    assert d["method"] == "fgsm" and d["gradient_calls"] == 1 and d["input_shape"] == [4, 3]


def test_bad_inputs_are_clear_errors() -> None:
    from sklearn.linear_model import LogisticRegression

    X, y = data()
    sk = LogisticRegression().fit(X, y)
    with pytest.raises(ModelError, match="torch.nn.Module"):
        fgsm(sk, X, y, eps=0.1)
    net = linear_net()
    with pytest.raises(ParameterError, match="norm"):
        fgsm(net, X, y, eps=0.1, norm="l1")
    with pytest.raises(ParameterError, match="eps"):
        fgsm(net, X, y, eps=0)
    with pytest.raises(ParameterError, match="steps"):
        pgd(net, X, y, eps=0.1, steps=0)
    with pytest.raises(DataError, match="class indices"):
        fgsm(net, X, y + 5, eps=0.1)
    with pytest.raises(DataError, match="integer class indices"):
        fgsm(net, X, y.astype(float), eps=0.1)
    with pytest.raises(DataError, match="clip box"):
        fgsm(net, X, y, eps=0.1, clip=(0.0, 1.0))
    with pytest.raises(ParameterError, match="mask"):
        fgsm(net, X, y, eps=0.1, mask=np.ones(5, dtype=bool))
    with pytest.raises(ModelError, match="logits"):
        fgsm(torch.nn.Linear(3, 1).double(), X, y * 0, eps=0.1)
