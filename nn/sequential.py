"""Sequential container of layers."""
import numpy as np

from .activations import ACTIVATIONS
from .layers import Linear


class Sequential:
    """Layers applied in order.

    ``forward(x)`` returns ``(y, caches)`` and ``backward(dy, caches)`` returns
    d/dx after filling every layer's ``grads``.
    """

    def __init__(self, layers):
        self.layers = list(layers)

    def forward(self, x):
        caches = []
        for layer in self.layers:
            x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def backward(self, dy, caches):
        for layer, cache in zip(reversed(self.layers), reversed(caches)):
            dy = layer.backward(dy, cache)
        return dy

    def __call__(self, x):
        return self.forward(x)[0]

    def named_parameters(self):
        """Yield ``(name, param, grad)`` for every parameter, e.g. ``('0.W', W, dW)``."""
        for i, layer in enumerate(self.layers):
            for key, value in layer.params.items():
                yield f"{i}.{key}", value, layer.grads[key]

    def state_dict(self):
        return {name: p.copy() for name, p, _ in self.named_parameters()}

    def load_state_dict(self, state):
        for name, p, _ in self.named_parameters():
            if name not in state:
                raise ValueError(f"missing parameter {name!r}")
            if state[name].shape != p.shape:
                raise ValueError(f"parameter {name!r} has shape {state[name].shape}, expected {p.shape}")
            p[...] = state[name]

    def __repr__(self):
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"


def mlp(sizes, activations, rng=None, dtype=np.float64):
    """Build a multilayer perceptron.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first, e.g. ``(1024, 64, 36)``.
    activations : sequence of str or None
        One per linear layer (``'sigmoid'``, ``'tanh'``, ``'relu'``, ``'softmax'``
        or ``None`` for linear output).
    rng : numpy.random.Generator or int, optional
    """
    if len(activations) != len(sizes) - 1:
        raise ValueError("need one activation per linear layer")
    rng = np.random.default_rng(rng)
    layers = []
    for n_in, n_out, act in zip(sizes[:-1], sizes[1:], activations):
        layers.append(Linear(n_in, n_out, rng, dtype))
        if act is not None:
            layers.append(ACTIVATIONS[act]())
    return Sequential(layers)
