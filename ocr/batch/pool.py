"""Local worker processes that each run one task at a time and know which task each worker holds.

Unlike :class:`concurrent.futures.ProcessPoolExecutor`, whose every pending task
fails with ``BrokenProcessPool`` when one worker dies, a worker that dies here
(killed by the OOM killer, say) takes only its own task with it: that task is
run once more in a fresh worker (``retries``), then reported as one failure,
and the other workers go on. Workers ignore Ctrl-C (the parent ends them) and
end with their parent, also when it is killed.
"""
import collections
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import Future
from multiprocessing.connection import wait

RETRIES = 1
"""Times a task whose worker died is run again in a fresh worker before it is reported as a failure."""
STOP_SECONDS = 5.0
"""Seconds a worker is given to exit after the pool is shut down before it is killed."""
PR_SET_PDEATHSIG = 1


class WorkerDied(RuntimeError):
    """A task's worker process died while running it (one-line message)."""


class WorkersCannotStart(RuntimeError):
    """Worker processes die before they are ready (their initializer fails)."""


class WorkerPool:
    """``jobs`` worker processes; :meth:`submit` gives a :class:`~concurrent.futures.Future` per task.

    Parameters
    ----------
    jobs : int
        Worker processes kept running.
    initializer : callable, optional
        Run once in each worker (a fresh one too) with ``initargs`` before its first task.
    initargs : tuple
    retries : int
        Times a task whose worker died is run again in a fresh worker (:data:`RETRIES`).
    context : str
        Multiprocessing start method ('spawn': no state inherited but what is sent).
    """

    def __init__(self, jobs, initializer=None, initargs=(), retries=RETRIES, context="spawn"):
        self._context = multiprocessing.get_context(context)
        self._start = (initializer, tuple(initargs))
        self._retries = retries
        self._jobs = jobs
        self._queue = collections.deque()
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._workers = []                        # [process, connection, ready, task or None]
        self._closing = self._abort = False
        self._failed_starts = 0
        for _ in range(jobs):
            self._spawn()
        self._manager = threading.Thread(target=self._manage, name="handocr-workers", daemon=True)
        self._manager.start()

    def submit(self, fn, *args):
        """Run ``fn(*args)`` in a worker; the future holds its result, its exception or :class:`WorkerDied`."""
        future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the worker pool is shut down")
            self._queue.append([future, fn, args, 0])   # future, task, deaths so far
        self._wake()
        return future

    def shutdown(self, cancel=True):
        """Stop the workers; none outlives this call.

        With ``cancel``, queued and running tasks are cancelled and the workers killed
        at once (Ctrl-C, a closed pipe); else every task is finished first.
        """
        with self._lock:
            self._closing = True
            self._abort = self._abort or cancel
        self._wake()
        self._manager.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown(cancel=True)

    def _wake(self):
        try:
            self._wake_writer.send_bytes(b"!")
        except OSError:
            pass

    def _spawn(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, *self._start), daemon=True,
                                        name="handocr-worker")
        process.start()
        child.close()
        self._workers.append([process, parent, False, None])

    def _manage(self):
        error = None
        try:
            while True:
                with self._lock:
                    if self._abort:
                        break
                    self._dispatch()
                    busy = any(w[3] is not None for w in self._workers)
                    if self._closing and not busy and not self._queue:
                        break
                handles = [self._wake_reader] + [h for w in self._workers for h in (w[1], w[0].sentinel)]
                for ready in wait(handles):
                    if ready is self._wake_reader:
                        self._wake_reader.recv_bytes()
                with self._lock:
                    for worker in list(self._workers):
                        self._collect(worker)
        except Exception as exc:   # noqa: BLE001 -- every waiting task is told, none waits for ever
            error = exc if isinstance(exc, WorkersCannotStart) else RuntimeError(f"worker pool failed: {exc!r}")
        finally:
            with self._lock:
                self._stop_all(kill=self._abort or error is not None)
                for task in [w[3] for w in self._workers if w[3] is not None] + list(self._queue):
                    if error is not None:
                        task[0].set_exception(error)
                    else:
                        task[0].cancel()
                self._queue.clear()
                self._workers = []

    def _dispatch(self):
        for worker in self._workers:
            connection, ready, task = worker[1:]
            while task is None and ready and self._queue:
                candidate = self._queue.popleft()
                if candidate[0].cancelled():
                    continue
                task = worker[3] = candidate
                try:
                    connection.send((task[1], task[2]))
                except (OSError, ValueError):     # died meanwhile: requeued when its sentinel is seen
                    pass

    def _collect(self, worker):
        process, connection, ready, task = worker
        try:
            message = connection.recv() if connection.poll() else None
        except (EOFError, OSError):
            message = None
        if message is not None:
            kind, value = message
            if kind == "ready":
                worker[2], self._failed_starts = True, 0
            elif task is not None:
                worker[3] = None
                if not task[0].cancelled():
                    (task[0].set_result if kind == "result" else task[0].set_exception)(value)
            return
        if not _dead(process):
            return
        process.join()
        connection.close()
        self._workers.remove(worker)
        if not ready:
            self._failed_starts += 1
            if self._failed_starts > 2 * self._jobs:
                raise WorkersCannotStart(f"worker processes exit before they are ready ({_how(process.exitcode)})")
        if task is not None:
            task[3] += 1
            if task[3] > self._retries:
                task[0].set_exception(WorkerDied(f"its worker process died ({_how(process.exitcode)}), "
                                                 f"{task[3]} times"))
            else:
                self._queue.appendleft(task)
        if not self._closing or self._queue:
            self._spawn()

    def _stop_all(self, kill=False):
        for process, connection, _, _ in self._workers:
            if kill:
                process.kill()
            else:
                try:
                    connection.send(None)
                except (OSError, ValueError):
                    pass
        for process, connection, _, _ in self._workers:
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
            connection.close()
        self._wake_reader.close()
        self._wake_writer.close()


def _dead(process):
    return process.sentinel in wait([process.sentinel], timeout=0)


def _how(exitcode):
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"killed by {name}" + (", e.g. out of memory" if -exitcode == signal.SIGKILL else "")
    return f"exit status {exitcode}"


def _end_with_parent():
    """Have the kernel kill this process when its parent dies (Linux), else watch the parent from a thread."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                parent = multiprocessing.parent_process()
                if parent is not None and not parent.is_alive():
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch():
            wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _worker_main(connection, initializer, initargs):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    if initializer is not None:
        initializer(*initargs)
    connection.send(("ready", None))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args = message
        try:
            reply = ("result", fn(*args))
        except BaseException as exc:   # noqa: BLE001 -- sent back as the task's exception
            reply = ("error", exc)
        try:
            connection.send(reply)
        except Exception as exc:       # noqa: BLE001 -- a result or exception that does not pickle
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
