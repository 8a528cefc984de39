"""Inputs read on a Dask distributed cluster: the scheduler checked, the reader sent to every worker by a plugin."""
import os
import pickle

from ..errors import BatchError, first_line
from . import ordering

CONNECT_TIMEOUT = 20.0
"""Seconds to reach a Dask scheduler (and hear it answer) before the batch fails to start."""
SCHEDULER_SCHEMES = ("tcp", "tls")
"""Address schemes of a scheduler reachable from here (``inproc://`` is another process's own)."""


def connect(address, timeout=CONNECT_TIMEOUT):
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
    kind = identity(address, timeout)
    if kind != "Scheduler":
        raise BatchError(f"--scheduler {address}: answers, but is not a Dask scheduler ({kind})")
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise BatchError(f"cannot connect to the Dask scheduler at {address} ({first_line(exc)})") from None


def identity(address, timeout):
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


dask_readers = {}
"""Readers set up on this Dask worker by :class:`ocr.batch.reader_plugin.ReaderPlugin`, by batch key."""


def read_on_dask_worker(reader, name, data, keep):
    """Read one input on a Dask worker with ``reader``, or with the reader a plugin set up under that key."""
    ordering.single_threaded()
    if isinstance(reader, str):
        reader = dask_readers[reader]
    return ordering.read_named_bytes(reader, name, data, **keep)


def on_dask(client, sources, reader, keep):
    from .reader_plugin import ReaderPlugin

    plugin = ReaderPlugin(os.urandom(8).hex(), pickle.dumps(reader))
    try:
        client.register_plugin(plugin, name=plugin.name)
    except (OSError, TimeoutError, ValueError) as exc:
        client.close()
        raise BatchError(f"cannot send the models to the Dask workers ({first_line(exc)})") from None
    window = ordering.IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
    return dask_results(client, plugin, sources, reader, keep, window)


def dask_results(client, plugin, sources, reader, keep, window):
    def submit(payload):
        name, data = payload
        if isinstance(data, list):
            return ordering.done(data), name
        return client.submit(read_on_dask_worker, plugin.key, name, data, keep, pure=False), name

    try:
        yield from ordering.in_order(submit, ordering.payloads(sources, reader, keep), window)
    finally:
        try:
            client.unregister_worker_plugin(plugin.name)
        except Exception:   # noqa: BLE001 -- the cluster may be gone; the client is closed all the same
            pass
        client.close()
