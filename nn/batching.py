"""Minibatch iteration."""
import numpy as np


def minibatch_indices(n, batch_size, rng=None, shuffle=True):
    """Yield index arrays that partition ``range(n)`` into minibatches.

    Parameters
    ----------
    n : int
        Number of samples.
    batch_size : int
    rng : numpy.random.Generator or int, optional
        Seeds the shuffle.
    shuffle : bool
    """
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    order = np.random.default_rng(rng).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def minibatches(x, y, batch_size, rng=None, shuffle=True):
    """Yield ``(x[idx], y[idx])`` minibatches covering every sample once."""
    for idx in minibatch_indices(len(x), batch_size, rng, shuffle):
        yield x[idx], y[idx]
