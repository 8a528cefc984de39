"""Optimisers."""
import numpy as np


class SGD:
    """Stochastic gradient descent with momentum and optional L2 weight decay.

    Update per parameter: ``M = mu * M - lr * (dW + wd * W); W += M``.
    Weight decay applies to weights only (names ending in ``W``), never biases.

    Parameters
    ----------
    model : Sequential
    lr : float
    momentum : float
        ``mu``; 0 gives plain SGD.
    weight_decay : float
    """

    def __init__(self, model, lr, momentum=0.9, weight_decay=0.0):
        self.model = model
        self.lr = lr
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.velocity = {name: np.zeros_like(p) for name, p, _ in model.named_parameters()}

    def step(self):
        for name, p, g in self.model.named_parameters():
            if self.weight_decay and name.endswith("W"):
                g = g + self.weight_decay * p
            m = self.velocity[name]
            m *= self.momentum
            m -= self.lr * g
            p += m
