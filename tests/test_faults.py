"""A batch under faults: a closed pipe, Ctrl-C, a worker killed mid-batch, a killed parent, an unreadable input."""
import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fault_driver import tagged_page

from handocr.commands.read import read

TESTS = Path(__file__).resolve().parent
WAIT = 120          # seconds: only a bound for a hung run, never a pause


def driver(args, tmp_path, faults=(), **popen):
    """Start ``handocr ARGS`` under tests/fault_driver.py; stdout and stderr piped."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, str(TESTS / "fault_driver.py"), *map(str, faults), "--", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path,
                            preexec_fn=interrupt_as_in_a_shell, **popen)


def interrupt_as_in_a_shell():
    """Ctrl-C's default action in the child, as an interactive shell starts a command: a process started with
    SIGINT ignored keeps it ignored and Python then never raises KeyboardInterrupt (in the whole suite under CI
    both Ctrl-C tests hung so; each passed alone)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def pages(folder, count, kill=None):
    """``count`` tagged pages ``p01.png`` ... in ``folder``; the one numbered ``kill`` is tagged to kill its reader."""
    folder.mkdir(exist_ok=True)
    return [tagged_page(folder / f"p{k:02d}.png", [["THE"] * (1 + k % 3)], f"p{k:02d}", kill=k == kill)
            for k in range(1, count + 1)]


def wait_for_line(stream, timeout=WAIT):
    """The next line of a pipe, or fail when none comes within ``timeout`` (a hung run)."""
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "no line came"
    return stream.readline()


def log_of(path):
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


def test_a_closed_pipe_ends_the_batch_quietly(tmp_path):
    inputs = pages(tmp_path / "in", 5)
    gate, log = tmp_path / "gate", tmp_path / "log"
    os.mkfifo(gate)
    keep_open = os.open(gate, os.O_RDWR)           # the gate's bytes stay readable however the run goes
    try:
        proc = driver(["read", tmp_path / "in", "--format", "jsonl"], tmp_path, ["--gate", gate, "--log", log])
        first = json.loads(wait_for_line(proc.stdout))
        proc.stdout.close()                         # `| head -1`: the reader goes away
        os.write(keep_open, b"x" * len(inputs))     # every later input may now be read
        _, err = proc.communicate(timeout=WAIT)
    finally:
        os.close(keep_open)
    assert first["file"] == str(inputs[0])
    assert err == b"" and proc.returncode == 1
    assert [entry[1] for entry in log_of(log)] == ["p01", "p02"]    # the first write after the close ends it


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_quietly(tmp_path, jobs):
    pages(tmp_path / "in", 4)
    gate, log = tmp_path / "gate", tmp_path / "log"
    os.mkfifo(gate)
    proc = driver(["read", tmp_path / "in", "--format", "jsonl", "--jobs", jobs], tmp_path, ["--gate", gate, "--log", log],
                  start_new_session=True)
    wait_for_line(proc.stdout)                      # the first page is out; the next waits at the gate
    os.killpg(proc.pid, signal.SIGINT)              # Ctrl-C reaches the whole foreground group
    out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 130 and err == b"", err


def test_an_unreadable_file_named_on_the_command_line_is_one_failure_as_inside_a_folder(stub_model, tmp_path,
                                                                                          monkeypatch):
    locked = tagged_page(tmp_path / "locked.png", [["THE"]], "locked")
    other = tagged_page(tmp_path / "other.png", [["THE", "THE"]], "other")
    real_access, real_read = os.access, Path.read_bytes

    def access(path, mode, *args, **kwargs):     # what a file without read permission gives (root reads anything)
        return False if Path(path) == locked and mode & os.R_OK else real_access(path, mode, *args, **kwargs)

    def read_bytes(self):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    res = CliRunner().invoke(read, [str(locked), str(other)])
    assert res.exit_code == 1
    assert res.stderr == f"Error: {locked}: cannot read (Permission denied)\n"
    assert res.stdout == f"==> {other} <==\nEEE EEE\n"


def read_json(proc):
    out, err = proc.communicate(timeout=WAIT)
    return proc.returncode, json.loads(out), err.decode()


def texts(entries):
    return [(Path(e["file"]).name, e.get("text", e.get("error"))) for e in entries]


def test_a_worker_killed_mid_batch_is_replaced_and_its_input_read_again(tmp_path):
    pages(tmp_path / "in", 14, kill=5)
    pages(tmp_path / "plain", 14)
    log = tmp_path / "log"
    code, entries, err = read_json(driver(["read", tmp_path / "in", "--format", "json", "--jobs", "2"], tmp_path,
                                          ["--log", log, "--kill-marker", tmp_path / "killed-once"]))
    assert (code, err) == (0, "")
    _, expected, _ = read_json(driver(["read", tmp_path / "plain", "--format", "json"], tmp_path))
    assert texts(entries) == texts(expected) and len(entries) == 14
    readers = [pid for _, name, pid in log_of(log) if name == "p05"]
    assert len(readers) == 2 and readers[0] != readers[1]      # read again, in a fresh worker


def test_an_input_that_kills_every_worker_is_one_failure_and_the_rest_is_written(tmp_path):
    inputs = pages(tmp_path / "in", 14, kill=5)
    out = tmp_path / "out"
    proc = driver(["read", tmp_path / "in", "--format", "json", "--jobs", "2", "--output-dir", out], tmp_path)
    _, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 1
    assert err.decode() == (f"Error: {inputs[4]}: not read: its worker process died (killed by SIGKILL, e.g. out of "
                            "memory), 2 times\n")
    assert sorted(p.name for p in out.iterdir()) == [f"p{k:02d}.json" for k in range(1, 15) if k != 5]


def worker_pids(pid):
    """Ids of the worker processes (multiprocessing spawn children) of process ``pid``."""
    children = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children |= {int(c) for c in (task / "children").read_text().split()}
    return sorted(c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes())


def test_workers_end_with_their_parent(tmp_path):
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs /proc to find the worker processes")
    pages(tmp_path / "in", 6)
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    proc = driver(["read", tmp_path / "in", "--format", "jsonl", "--jobs", "2"], tmp_path, ["--gate", gate])
    wait_for_line(proc.stdout)                      # working; each worker's second input waits at the gate
    workers = worker_pids(proc.pid)
    assert len(workers) == 2
    handles = [os.pidfd_open(pid) for pid in workers]
    proc.kill()                                     # as `kill -9` would: no clean-up runs in the parent
    proc.wait(timeout=WAIT)
    try:
        for handle in handles:
            ready, _, _ = select.select([handle], [], [], 30)
            assert ready, "a worker outlived its parent"
    finally:
        for pid, handle in zip(workers, handles):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.close(handle)
