"""Activation functions and their layers.

Each layer has ``forward(x) -> (y, cache)`` and ``backward(dy, cache, input_grad=True) -> dx``
(None when ``input_grad`` is false: an activation has nothing else to compute).
"""
import numpy as np


def sigmoid(x):
    """Logistic function as ``0.5 * (1 + tanh(x / 2))``: no overflow for any x."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softmax(x, axis=-1):
    """Softmax along ``axis`` using the max-subtraction trick."""
    z = x - np.max(x, axis=axis, keepdims=True)
    ez = np.exp(z)
    return ez / np.sum(ez, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """Logarithm of the softmax, computed without overflow."""
    z = x - np.max(x, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


class _Activation:
    params = {}
    grads = {}

    def backward(self, dy, cache, input_grad=True):
        return self._input_grad(dy, cache) if input_grad else None

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sigmoid(_Activation):
    def forward(self, x):
        y = sigmoid(x)
        return y, y

    def _input_grad(self, dy, cache):
        y = cache
        return dy * y * (1.0 - y)


class Tanh(_Activation):
    def forward(self, x):
        y = np.tanh(x)
        return y, y

    def _input_grad(self, dy, cache):
        y = cache
        return dy * (1.0 - y * y)


class ReLU(_Activation):
    def forward(self, x):
        mask = x > 0
        return x * mask, mask

    def _input_grad(self, dy, cache):
        return dy * cache


class Softmax(_Activation):
    """Softmax layer; prefer ``softmax_cross_entropy`` on logits for training."""

    def forward(self, x):
        y = softmax(x)
        return y, y

    def _input_grad(self, dy, cache):
        y = cache
        return y * (dy - np.sum(dy * y, axis=-1, keepdims=True))


ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "softmax": Softmax}
