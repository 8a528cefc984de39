"""Gradient checks of the reference networks on random data."""
import numpy as np

import nn


def small_mlp(rng):
    return nn.mlp((20, 8, 5), ("sigmoid", None), rng=rng)


def autoencoder(rng, n_in=1024, hidden=32):
    """The 1024-32-32-32-1024 autoencoder: ReLU, ReLU, ReLU, sigmoid."""
    return nn.mlp((n_in, hidden, hidden, hidden, n_in), ("relu", "relu", "relu", "sigmoid"), rng=rng)


def gradcheck_report(seed=0):
    """Yield ``(model name, {param: max relative error})`` for a small MLP and the autoencoder."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(6, 20))
    t = np.eye(5)[rng.integers(0, 5, size=6)]
    yield "MLP 20-8-5 (sigmoid, softmax cross-entropy)", nn.check_gradients(
        small_mlp(rng), nn.softmax_cross_entropy, x, t)
    x = rng.uniform(size=(3, 1024))
    yield "autoencoder 1024-32-32-32-1024 (relu x3, sigmoid, squared error)", nn.check_gradients(
        autoencoder(rng), nn.squared_error, x, x, check_input=False)
