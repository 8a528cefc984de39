"""Parametric layers."""
import numpy as np

from .init import xavier_uniform


class Linear:
    """Fully connected layer ``y = x @ W + b``.

    Parameters
    ----------
    n_in, n_out : int
    rng : numpy.random.Generator or int, optional
        Used for the Xavier-uniform init of ``W``; ``b`` starts at zero.
    dtype : numpy dtype
    """

    def __init__(self, n_in, n_out, rng=None, dtype=np.float64):
        self.params = {
            "W": xavier_uniform(n_in, n_out, rng, dtype),
            "b": np.zeros(n_out, dtype=dtype),
        }
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    @property
    def shape(self):
        return self.params["W"].shape

    def forward(self, x):
        """Return ``(y, cache)``; the cache is the input."""
        return x @ self.params["W"] + self.params["b"], x

    def backward(self, dy, cache, input_grad=True):
        """Fill ``grads`` from ``dy`` (batch, n_out); return d/dx (batch, n_in), or None if not ``input_grad``."""
        x = cache
        np.matmul(x.T, dy, out=self.grads["W"])
        np.sum(dy, axis=0, out=self.grads["b"])
        return dy @ self.params["W"].T if input_grad else None

    def __repr__(self):
        return f"Linear({self.shape[0]}, {self.shape[1]})"
