"""Inputs read in order: each input's pages as soon as it and every input before it are read.

What the local processes (:mod:`ocr.batch.processes`) and a Dask cluster
(:mod:`ocr.batch.cluster`) share: inputs sent as encoded bytes read here,
futures taken back in input order, pages slimmed for the trip back, one
thread a worker.
"""
import os
import sys
from collections import deque
from concurrent.futures import Future
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ..decode.decoded import STDIN
from ..decode.sources import stdin_bytes
from ..errors import first_line
from ..result import PageFailure
from .pool import WorkerDied

BYTES_NAME = "<bytes>"
IN_FLIGHT_PER_WORKER = 2
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


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


def payloads(sources, reader, keep):
    """``(name, bytes)`` of each source, read here; ``(name, pages)`` when it cannot be read."""
    for source in sources:
        name = os.fspath(source)
        try:
            yield name, stdin_bytes() if name == STDIN else Path(name).read_bytes()
        except OSError:
            yield name, list(read_source(reader, source, **keep))


def done(pages):
    future = Future()
    future.set_result(pages)
    return future


def single_threaded():
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
