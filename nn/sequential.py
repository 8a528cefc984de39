"""Sequential container of layers."""
import numpy as np

from .activations import ACTIVATIONS
from .layers import Linear


class Sequential:
    """Layers applied in order.

    ``forward(x)`` returns ``(y, caches)``, one cache per layer;
    ``backward(dy, caches)`` fills every layer's ``grads``.
    """

    def __init__(self, layers):
        self.layers = list(layers)

    def forward(self, x):
        caches = []
        for layer in self.layers:
            x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def backward(self, dy, caches, input_grad=False):
        """Fill every layer's ``grads`` from ``dy`` (batch, n_out), the loss gradient w.r.t. the output.

        Parameters
        ----------
        dy : ndarray (batch, n_out)
        caches : list
            From ``forward``, one per layer.
        input_grad : bool
            Also compute d/dx (batch, n_in). Training never needs it, so by
            default the first layer with parameters computes only its own
            gradients and the parameter-free layers before it are not run.

        Returns
        -------
        ndarray (batch, n_in) or None
            d/dx if ``input_grad``, else None.
        """
        first = 0 if input_grad else next((i for i, layer in enumerate(self.layers) if layer.params),
                                          len(self.layers))
        for i in range(len(self.layers) - 1, first - 1, -1):
            dy = self.layers[i].backward(dy, caches[i], input_grad=input_grad or i > first)
        return dy if input_grad else None

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
