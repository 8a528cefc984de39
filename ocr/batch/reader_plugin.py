"""The Dask worker plugin that gives every worker of a batch its reader (imported only when Dask is used)."""
import pickle

from distributed.diagnostics.plugin import WorkerPlugin


class ReaderPlugin(WorkerPlugin):
    """Sets up the batch's pickled reader on each worker as it joins, a restarted or late one too.

    Registered with the scheduler, a plugin is sent to every worker that joins, so a
    worker the nanny restarts after a crash has the models again, where scattered
    data would have been lost with it (tasks then fail with "lost dependencies").

    Parameters
    ----------
    key : str
        The batch's key: tasks find the reader under it (``ocr.batch.cluster.dask_readers``).
    pickled_reader : bytes
    """

    def __init__(self, key, pickled_reader):
        self.key, self.pickled_reader = key, pickled_reader
        self.name = f"handocr-reader-{key}"

    def setup(self, worker):
        from . import cluster

        cluster.dask_readers[self.key] = pickle.loads(self.pickled_reader)

    def teardown(self, worker):
        from . import cluster

        cluster.dask_readers.pop(self.key, None)
