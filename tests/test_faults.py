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
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path, **popen)


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


@pytest.mark.parametrize("jobs", ["1"])
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
