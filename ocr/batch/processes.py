"""Inputs read in local worker processes, each of which holds the reader, unpickled once."""
import pickle

from . import ordering
from .pool import WorkerPool

worker_reader = None
"""The reader of this worker process (:func:`start_worker`)."""


def start_worker(pickled_reader):
    global worker_reader
    worker_reader = pickle.loads(pickled_reader)
    ordering.single_threaded()


def _read_in_worker(name, data, keep):
    return ordering.read_named_bytes(worker_reader, name, data, **keep)


def on_processes(jobs, sources, reader, keep):
    pool = WorkerPool(jobs, initializer=start_worker, initargs=(pickle.dumps(reader),))

    def submit(payload):
        name, data = payload
        future = ordering.done(data) if isinstance(data, list) else pool.submit(_read_in_worker, name, data, keep)
        return future, name

    finished = False
    try:
        window = ordering.IN_FLIGHT_PER_WORKER * jobs
        yield from ordering.in_order(submit, ordering.payloads(sources, reader, keep), window)
        finished = True
    finally:
        pool.shutdown(cancel=not finished)
