"""Loss functions returning ``(loss, d_loss/d_input)``.

Losses are summed in extended precision (``np.longdouble``) so that central
differences of the loss stay accurate; convert with ``float`` for reporting.
"""
import numpy as np

from .activations import log_softmax, softmax


def softmax_cross_entropy(logits, targets, reduction="mean"):
    """Cross-entropy of ``softmax(logits)`` against one-hot ``targets``.

    Parameters
    ----------
    logits : (N, C) array
    targets : (N, C) one-hot array
    reduction : {'mean', 'sum'}

    Returns
    -------
    loss : float
    dlogits : (N, C) array
    """
    if reduction not in ("mean", "sum"):
        raise ValueError("reduction must be 'mean' or 'sum'")
    loss = -np.sum(targets * log_softmax(logits), dtype=np.longdouble)
    grad = softmax(logits) - targets
    if reduction == "mean":
        n = logits.shape[0]
        loss, grad = loss / n, grad / n
    return loss, grad


def squared_error(pred, target):
    """Total squared error ``sum((pred - target)**2)`` and its gradient."""
    diff = pred - target
    return np.sum(diff * diff, dtype=np.longdouble), 2.0 * diff
