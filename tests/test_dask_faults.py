"""A Dask batch under faults: wrong or unreachable scheduler addresses, a worker killed and restarted."""
import http.server
import socket
import threading

import pytest
from test_faults import WAIT, driver, pages, read_json, texts

CONNECT_TIMEOUT = "1"     # seconds: the scenario is a timeout


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers (as a stuck service would)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def http_port():
    """A port that answers HTTP (as a scheduler's dashboard does)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def addresses(silent, http_, closed):
    return {"nonsense": ("nonsense", "not a scheduler address"),
            "http scheme": (f"http://127.0.0.1:{http_}", "not a scheduler address"),
            "inproc scheme": ("inproc://127.0.0.1/1/1", "not a scheduler address"),
            "silent port": (f"tcp://127.0.0.1:{silent}", "cannot connect to the Dask scheduler"),
            "dashboard port": (f"tcp://127.0.0.1:{http_}", "cannot connect to the Dask scheduler"),
            "closed port": (f"tcp://127.0.0.1:{closed}", "cannot connect to the Dask scheduler")}


@pytest.mark.parametrize("case", ["nonsense", "http scheme", "inproc scheme", "silent port", "dashboard port",
                                  "closed port"])
def test_a_bad_or_wrong_scheduler_is_one_line_within_the_connect_timeout(case, tmp_path, silent_port, http_port,
                                                                        closed_port):
    address, reason = addresses(silent_port, http_port, closed_port)[case]
    pages(tmp_path / "in", 1)
    proc = driver(["read", tmp_path / "in", "--scheduler", address, "--connect-timeout", CONNECT_TIMEOUT],
                  tmp_path)
    out, err = proc.communicate(timeout=30)        # a hang (40 s, or for ever) fails here
    lines = err.decode().splitlines()
    assert proc.returncode == 1 and out == b""
    assert len(lines) == 1 and lines[0].startswith("Error: ") and reason in lines[0], err


@pytest.mark.slow
def test_a_restarted_worker_gets_the_models_again(tmp_path):
    distributed = pytest.importorskip("distributed")
    pages(tmp_path / "in", 6, kill=3)
    pages(tmp_path / "plain", 6)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        proc = driver(["read", tmp_path / "in", "--format", "json", "--scheduler", cluster.scheduler_address],
                      tmp_path, ["--kill-marker", tmp_path / "killed-once"])
        code, entries, err = read_json(proc)
    _, expected, _ = read_json(driver(["read", tmp_path / "plain", "--format", "json"], tmp_path))
    assert (tmp_path / "killed-once").exists()       # the worker was killed once, mid-batch
    assert (code, err) == (0, "") and texts(entries) == texts(expected)


