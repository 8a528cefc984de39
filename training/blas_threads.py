"""Set the BLAS libraries' thread count through threadpoolctl, and check that it took."""
from threadpoolctl import threadpool_info, threadpool_limits


class ThreadLimitError(RuntimeError):
    """The BLAS thread count could not be set."""


def limit_blas_threads(n):
    """Limit every BLAS library threadpoolctl finds to ``n`` threads.

    threadpoolctl sees only the libraries loaded so far (NumPy's OpenBLAS
    once NumPy is imported, SciPy's beside it once SciPy's linear algebra is),
    so call it once they are all loaded: a limit set before leaves them at
    their default.

    Parameters
    ----------
    n : int

    Returns
    -------
    threadpoolctl.threadpool_limits
        Its ``restore_original_limits()`` puts the limits back.

    Raises
    ------
    ThreadLimitError
        threadpoolctl finds no BLAS library, or one still reports another thread count.
    """
    limiter = threadpool_limits(limits=n, user_api="blas")
    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    if not blas:
        raise ThreadLimitError("threadpoolctl found no BLAS library to limit, so BLAS threads cannot be set")
    stray = [f"{lib['internal_api']} ({lib['filepath']}) has {lib['num_threads']}"
             for lib in blas if lib["num_threads"] != n]
    if stray:
        raise ThreadLimitError(f"BLAS threads not limited to {n}: " + "; ".join(stray))
    return limiter
