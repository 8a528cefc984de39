"""Weight initialisation."""
import numpy as np


def xavier_uniform(n_in, n_out, rng=None, dtype=np.float64):
    """Glorot/Xavier uniform weights of shape (n_in, n_out).

    Samples U(-a, a) with a = sqrt(6 / (n_in + n_out)), so that
    Var[w] = 2 / (n_in + n_out).

    Parameters
    ----------
    n_in, n_out : int
        Fan-in and fan-out.
    rng : numpy.random.Generator or int, optional
        Generator or seed.
    dtype : numpy dtype
    """
    rng = np.random.default_rng(rng)
    bound = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-bound, bound, size=(n_in, n_out)).astype(dtype, copy=False)
