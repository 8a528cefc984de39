"""Many inputs, beside the page pipeline: read here, in local worker processes or on a Dask cluster, in input order.

Workers receive the loaded :class:`~ocr.api.Reader` once (pickled) and the
inputs as encoded bytes read here, so Dask workers on other machines need this
package but not the input files nor the model files. ``ordering`` takes pages
back in input order, ``pool`` and ``processes`` read on local processes,
``cluster`` and ``reader_plugin`` on Dask.
"""
from ..errors import BatchError  # noqa: F401
from . import cluster, ordering, processes
from .cluster import CONNECT_TIMEOUT


def read_in_order(sources, reader, jobs=1, scheduler=None, keep_image=True, keep_crops=True,
                  connect_timeout=CONNECT_TIMEOUT):
    """Read ``sources`` and give each one's pages, in input order.

    Parameters
    ----------
    sources : list of str, os.PathLike or ``"-"``
        Inputs as :meth:`ocr.api.Reader.iter_read` takes them.
    reader : Reader
        Used here when ``jobs == 1``; otherwise sent (pickled) once to each worker.
    jobs : int
        Local worker processes; 1 reads here, one page after another.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``) to read on
        instead of local processes.
    keep_image, keep_crops : bool
        Keep each page's working image (overlays, PDF) and 32x32 crops (crops
        grid); dropping them keeps memory and traffic small.
    connect_timeout : float
        Seconds to reach the scheduler and hear it answer as one.

    Returns
    -------
    iterator
        One iterable per source, in the order of ``sources``, of its pages as
        :class:`~ocr.result.PageReading`, or :class:`~ocr.result.PageFailure`
        for an input (or the rest of one) that could not be read.

    Raises
    ------
    BatchError
        The Dask scheduler cannot be reached.
    """
    keep = {"keep_image": keep_image, "keep_crops": keep_crops}
    if scheduler is not None:
        return cluster.on_dask(cluster.connect(scheduler, connect_timeout), sources, reader, keep)
    if jobs == 1:
        return (ordering.read_source(reader, source, **keep) for source in sources)
    return processes.on_processes(jobs, sources, reader, keep)
