"""Read many inputs here, in local worker processes or on a Dask cluster; pages come back in input order.

Workers receive the loaded :class:`~ocr.api.Reader` once (pickled) and the
inputs as encoded bytes read here, so Dask workers on other machines need this
package but not the input files nor the model files.
"""
import os
import pickle
import sys
from collections import deque
from concurrent.futures import Future
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from .decode.decoded import STDIN
from .decode.sources import stdin_bytes
from .errors import OCRError, first_line
from .result import PageFailure
from .workers import WorkerDied, WorkerPool

BYTES_NAME = "<bytes>"
IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT = 20.0
"""Seconds to reach a Dask scheduler (and hear it answer) before the batch fails to start."""
SCHEDULER_SCHEMES = ("tcp", "tls")
"""Address schemes of a scheduler reachable from here (``inproc://`` is another process's own)."""
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class BatchError(OCRError):
    """The batch cannot start (e.g. no Dask scheduler at the address)."""


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
        return _on_dask(_connect(scheduler, connect_timeout), sources, reader, keep)
    if jobs == 1:
        return (read_source(reader, source, **keep) for source in sources)
    return _on_processes(jobs, sources, reader, keep)


def read_source(reader, source, keep_image=True, keep_crops=True):
    """Yield the pages of one input; an error while reading ends it with a :class:`PageFailure`."""
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else BYTES_NAME
    try:
        for item in reader.iter_read(source, errors="yield"):
            yield _slim(item, keep_image, keep_crops)
    except (OSError, ValueError, MemoryError) as exc:
        yield PageFailure(name, f"{name}: {first_line(exc)}")


def read_named_bytes(reader, name, data, keep_image=True, keep_crops=True):
    """The pages of encoded ``data`` as a list, named and reported as if read from the file ``name``."""
    return [_renamed(item, name) for item in read_source(reader, data, keep_image, keep_crops)]


def in_order(submit, payloads, window):
    """Submit ``payloads`` at most ``window`` ahead and yield their results in submission order.

    Parameters
    ----------
    submit : callable
        ``submit(payload) -> (future, name)``; ``future.result()`` is the list of pages.
    payloads : iterable
    window : int
        Largest number of submitted, not yet yielded payloads.

    Yields
    ------
    list of PageReading / PageFailure
        A future that raised gives one :class:`PageFailure` for its ``name``.
    """
    pending = deque()
    for payload in payloads:
        pending.append(submit(payload))
        if len(pending) >= window:
            yield _result(*pending.popleft())
    while pending:
        yield _result(*pending.popleft())


def _result(future, name):
    try:
        return future.result()
    except WorkerDied as exc:
        return [PageFailure(name, f"{name}: not read: {first_line(exc)}")]
    except Exception as exc:
        return [PageFailure(name, f"{name}: {type(exc).__name__}: {first_line(exc)}")]


def _slim(item, keep_image, keep_crops):
    if item.ok and not keep_image:
        item.image = None
    if item.ok and not keep_crops:
        item.result.crops = np.zeros((0,) + item.result.crops.shape[1:], item.result.crops.dtype)
    return item


def _renamed(item, name):
    if not item.ok and item.message.startswith(BYTES_NAME):
        item.message = name + item.message[len(BYTES_NAME):]
    item.source = name
    return item


def _payloads(sources, reader, keep):
    """``(name, bytes)`` of each source, read here; ``(name, pages)`` when it cannot be read."""
    for source in sources:
        name = os.fspath(source)
        try:
            yield name, stdin_bytes() if name == STDIN else Path(name).read_bytes()
        except OSError:
            yield name, list(read_source(reader, source, **keep))


def _done(pages):
    future = Future()
    future.set_result(pages)
    return future


def _single_threaded():
    """One thread for torch, OpenMP and BLAS in this process (pages, not threads, are the parallelism).

    Libraries loaded already are limited through threadpoolctl, those loaded later by the
    environment; torch (loaded only for a line model) when it is loaded.
    """
    global _thread_limits
    if _thread_limits is None:
        os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(1)
        _thread_limits = threadpool_limits(1)


_thread_limits = None
_worker_reader = None


def _start_worker(pickled_reader):
    global _worker_reader
    _worker_reader = pickle.loads(pickled_reader)
    _single_threaded()


def _read_in_worker(name, data, keep):
    return read_named_bytes(_worker_reader, name, data, **keep)


def _on_processes(jobs, sources, reader, keep):
    pool = WorkerPool(jobs, initializer=_start_worker, initargs=(pickle.dumps(reader),))

    def submit(payload):
        name, data = payload
        future = _done(data) if isinstance(data, list) else pool.submit(_read_in_worker, name, data, keep)
        return future, name

    finished = False
    try:
        yield from in_order(submit, _payloads(sources, reader, keep), IN_FLIGHT_PER_WORKER * jobs)
        finished = True
    finally:
        pool.shutdown(cancel=not finished)


def _connect(address, timeout=CONNECT_TIMEOUT):
    """A Dask client of the scheduler at ``address``, or :class:`BatchError` within ``timeout`` seconds.

    The address is checked and the scheduler asked who it is (``identity``) on a
    connection of our own first, so that a wrong address (not a scheduler's, a
    dashboard's HTTP port, a scheme Dask cannot reach from here) is one line,
    never a half-made client that hangs on its way out.
    """
    from distributed import Client
    from distributed.comm.addressing import parse_address

    try:
        scheme, location = parse_address(address)
    except (ValueError, TypeError) as exc:
        raise BatchError(f"--scheduler {address}: not a scheduler address ({first_line(exc)})") from None
    if scheme not in SCHEDULER_SCHEMES or ":" not in location:
        raise BatchError(f"--scheduler {address}: not a scheduler address (give tcp://HOST:PORT; "
                         f"schemes {', '.join(SCHEDULER_SCHEMES)})")
    kind = _identity(address, timeout)
    if kind != "Scheduler":
        raise BatchError(f"--scheduler {address}: answers, but is not a Dask scheduler ({kind})")
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise BatchError(f"cannot connect to the Dask scheduler at {address} ({first_line(exc)})") from None


def _identity(address, timeout):
    """The ``type`` the server at ``address`` says it is, asked on a connection of its own within ``timeout``."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect

    async def ask():
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            reply = await comm.read()
        finally:
            comm.abort()
        return reply.get("type") if isinstance(reply, dict) else type(reply).__name__

    async def bounded():
        return await asyncio.wait_for(ask(), timeout)

    with ThreadPoolExecutor(1) as thread:          # its own event loop, also when called from inside one
        try:
            return thread.submit(asyncio.run, bounded()).result()
        except (asyncio.TimeoutError, TimeoutError):
            reason = f"no answer in {timeout:g} s"
        except Exception as exc:   # noqa: BLE001 -- refused, unresolvable, reset, not Dask's protocol: one line
            reason = first_line(exc)
    raise BatchError(f"cannot connect to the Dask scheduler at {address} ({reason})")


_dask_readers = {}
"""Readers set up on this Dask worker by :class:`ocr.dask_reader.ReaderPlugin`, by batch key."""


def _read_on_dask_worker(reader, name, data, keep):
    """Read one input on a Dask worker with ``reader``, or the reader its :class:`ReaderPlugin` set up under that key."""
    _single_threaded()
    if isinstance(reader, str):
        reader = _dask_readers[reader]
    return read_named_bytes(reader, name, data, **keep)


def _on_dask(client, sources, reader, keep):
    from .dask_reader import ReaderPlugin

    plugin = ReaderPlugin(os.urandom(8).hex(), pickle.dumps(reader))
    try:
        client.register_plugin(plugin, name=plugin.name)
    except (OSError, TimeoutError, ValueError) as exc:
        client.close()
        raise BatchError(f"cannot send the models to the Dask workers ({first_line(exc)})") from None
    window = IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
    return _dask_results(client, plugin, sources, reader, keep, window)


def _dask_results(client, plugin, sources, reader, keep, window):
    def submit(payload):
        name, data = payload
        if isinstance(data, list):
            return _done(data), name
        return client.submit(_read_on_dask_worker, plugin.key, name, data, keep, pure=False), name

    try:
        yield from in_order(submit, _payloads(sources, reader, keep), window)
    finally:
        try:
            client.unregister_worker_plugin(plugin.name)
        except Exception:   # noqa: BLE001 -- the cluster may be gone; the client is closed all the same
            pass
        client.close()
