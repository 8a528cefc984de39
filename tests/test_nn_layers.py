import numpy as np
import pytest

import nn
from training.gradcheck_models import autoencoder

TOL = 1e-7


def random_target(rng, n, c):
    return np.eye(c)[rng.integers(0, c, size=n)]


def test_linear_gradients():
    rng = np.random.default_rng(0)
    layer = nn.Linear(7, 4, rng)
    layer.params["b"][:] = rng.normal(size=4)
    x = rng.normal(size=(5, 7))
    errors = nn.check_gradients(layer, nn.squared_error, x, rng.normal(size=(5, 4)))
    assert set(errors) == {"W", "b", "input"}
    assert max(errors.values()) < TOL


@pytest.mark.parametrize("act", [nn.Sigmoid, nn.Tanh, nn.ReLU, nn.Softmax])
def test_activation_gradients(act):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 6))
    x[np.abs(x) < 1e-2] = 0.5
    errors = nn.check_gradients(act(), nn.squared_error, x, rng.uniform(size=(4, 6)))
    assert errors["input"] < TOL


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_gradient(reduction):
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(5, 6))
    t = random_target(rng, 5, 6)
    loss, grad = nn.softmax_cross_entropy(logits, t, reduction)
    numeric = nn.numerical_gradient(lambda: nn.softmax_cross_entropy(logits, t, reduction)[0], logits)
    assert nn.relative_error(grad, numeric).max() < TOL
    p = nn.softmax(logits)
    expected = -np.sum(np.log(p[t == 1]))
    assert float(loss) == pytest.approx(expected / (5 if reduction == "mean" else 1))


def test_squared_error_value_and_gradient():
    pred, target = np.array([[1.0, 2.0]]), np.array([[0.0, 4.0]])
    loss, grad = nn.squared_error(pred, target)
    assert float(loss) == 5.0
    np.testing.assert_allclose(grad, [[2.0, -4.0]])


def test_two_layer_mlp_gradients():
    rng = np.random.default_rng(3)
    model = nn.mlp((12, 8, 5), ("sigmoid", None), rng=rng)
    errors = nn.check_gradients(model, nn.softmax_cross_entropy, rng.normal(size=(6, 12)), random_target(rng, 6, 5))
    assert set(errors) == {"0.W", "0.b", "2.W", "2.b", "input"}
    assert max(errors.values()) < TOL


def test_autoencoder_gradients():
    """The full 1024-32-32-32-1024 net: every scalar of every parameter.

    Roundoff through a 1024-wide float64 forward pass bounds central differences
    near 1e-7 on the input layer, hence 1e-6 here (the CLI's tolerance).
    """
    rng = np.random.default_rng(4)
    model = autoencoder(rng)
    x = rng.uniform(size=(2, 1024))
    errors = nn.check_gradients(model, nn.squared_error, x, x, check_input=False)
    assert len(errors) == 8
    assert max(errors.values()) < 1e-6
    assert np.median(list(errors.values())) < TOL


class WrongLinear(nn.Linear):
    """Backward with the weight gradient off by a factor: a checker must catch it."""

    def backward(self, dy, cache, input_grad=True):
        dx = super().backward(dy, cache, input_grad)
        self.grads["W"] *= 1.01
        return dx


def test_checker_catches_wrong_backward():
    rng = np.random.default_rng(5)
    model = nn.Sequential([WrongLinear(6, 4, rng), nn.Sigmoid(), nn.Linear(4, 3, rng)])
    errors = nn.check_gradients(model, nn.softmax_cross_entropy, rng.normal(size=(4, 6)), random_target(rng, 4, 3))
    assert errors["0.W"] > 1e-3
    assert errors["2.W"] < TOL


class RecordingLinear(nn.Linear):
    """Linear layer that remembers whether its last backward was asked for d/dx."""

    def backward(self, dy, cache, input_grad=True):
        self.asked_input_grad = input_grad
        return super().backward(dy, cache, input_grad)


def test_model_backward_skips_the_first_layers_input_gradient():
    rng = np.random.default_rng(7)
    model = nn.Sequential([nn.ReLU(), RecordingLinear(12, 8, rng), nn.Sigmoid(), RecordingLinear(8, 5, rng)])
    x, t = rng.normal(size=(6, 12)), random_target(rng, 6, 5)
    out, caches = model.forward(x)
    _, dout = nn.softmax_cross_entropy(out, t)
    dx = model.backward(dout, caches, input_grad=True)
    assert dx.shape == x.shape
    full = {name: g.copy() for name, _, g in model.named_parameters()}

    caches[0] = None
    assert model.backward(dout, caches) is None
    assert [layer.asked_input_grad for layer in model.layers[1::2]] == [False, True]
    assert set(full) == {"1.W", "1.b", "3.W", "3.b"}
    for name, _, g in model.named_parameters():
        np.testing.assert_allclose(g, full[name], rtol=1e-12, atol=0)
        assert np.abs(g).max() > 0


def test_linear_backward_without_input_gradient():
    rng = np.random.default_rng(8)
    layer = nn.Linear(5, 3, rng)
    x, dy = rng.normal(size=(4, 5)), rng.normal(size=(4, 3))
    assert layer.backward(dy, x, input_grad=False) is None
    np.testing.assert_allclose(layer.grads["W"], x.T @ dy, rtol=1e-12)
    np.testing.assert_allclose(layer.backward(dy, x), dy @ layer.params["W"].T, rtol=1e-12)


def test_softmax_shift_invariant_and_stable():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(3, 5))
    np.testing.assert_allclose(nn.softmax(x), nn.softmax(x + 123.4), rtol=1e-12)
    big = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    p = nn.softmax(big)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [1.0, 0.0, 0.0])
    loss, grad = nn.softmax_cross_entropy(big, np.eye(3)[[1, 0]])
    assert np.isfinite(float(loss)) and np.all(np.isfinite(grad))


def test_sigmoid_stable():
    with np.errstate(all="raise"):
        s = nn.sigmoid(np.array([-1e3, 0.0, 1e3]))
    np.testing.assert_allclose(s, [0.0, 0.5, 1.0])


def test_xavier_variance_and_reproducible():
    w = nn.xavier_uniform(1024, 64, rng=0)
    expected = 2.0 / (1024 + 64)
    assert abs(w.var() - expected) / expected < 0.1
    assert np.abs(w).max() <= np.sqrt(6 / (1024 + 64))
    np.testing.assert_array_equal(w, nn.xavier_uniform(1024, 64, rng=0))
    assert not np.array_equal(w, nn.xavier_uniform(1024, 64, rng=1))
    layer = nn.Linear(10, 3, rng=0)
    np.testing.assert_array_equal(layer.params["b"], 0.0)


def test_momentum_update_by_hand():
    layer = nn.Linear(2, 1, rng=0)
    layer.params["W"][:] = [[1.0], [-2.0]]
    model = nn.Sequential([layer])
    opt = nn.SGD(model, lr=0.1, momentum=0.9)
    grads = [np.array([[0.5], [1.0]]), np.array([[-1.0], [2.0]])]
    w, m = np.array([[1.0], [-2.0]]), np.zeros((2, 1))
    for g in grads:
        layer.grads["W"][:] = g
        layer.grads["b"][:] = 0.0
        opt.step()
        m = 0.9 * m - 0.1 * g
        w = w + m
        np.testing.assert_allclose(layer.params["W"], w)
    np.testing.assert_allclose(w, [[1.005], [-2.39]])


def test_weight_decay_skips_biases():
    layer = nn.Linear(2, 2, rng=0)
    layer.params["b"][:] = 1.0
    model = nn.Sequential([layer])
    w0 = layer.params["W"].copy()
    opt = nn.SGD(model, lr=0.1, momentum=0.0, weight_decay=0.5)
    opt.step()
    np.testing.assert_allclose(layer.params["b"], 1.0)
    np.testing.assert_allclose(layer.params["W"], w0 * (1 - 0.05))


def test_minibatches_partition_and_seeded():
    batches = list(nn.minibatch_indices(103, 10, rng=7))
    assert [len(b) for b in batches] == [10] * 10 + [3]
    allidx = np.concatenate(batches)
    np.testing.assert_array_equal(np.sort(allidx), np.arange(103))
    assert not np.array_equal(allidx, np.arange(103))
    again = np.concatenate(list(nn.minibatch_indices(103, 10, rng=7)))
    np.testing.assert_array_equal(allidx, again)
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    for xb, yb in nn.minibatches(x, y, 4, rng=0):
        np.testing.assert_array_equal(xb[:, 0] // 2, yb)
