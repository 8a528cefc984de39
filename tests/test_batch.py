import json
import multiprocessing
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from ocr_drawing import text_page
from PIL import Image

from handocr.commands.read import read
from ocr.api import Reader
from ocr.batch.ordering import in_order, read_source
from ocr.batch.processes import start_worker

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["THE", "LIFT", "FEZ", "HEX", "TEN", "ZEN", "NET", "FIX"]


def page_png(path, lines):
    Image.fromarray((np.clip(text_page(lines), 0, 1) * 255).astype(np.uint8)).save(path)
    return path


@pytest.fixture
def mixed_inputs(tmp_path):
    """A large page first, then small pages of 1..4 words, with a corrupt file and a missing one among them."""
    big = page_png(tmp_path / "big.png", [WORDS[:4], WORDS[4:], WORDS[:3], WORDS[3:6]])
    small = [page_png(tmp_path / f"small{n}.png", [WORDS[:n]]) for n in range(1, 5)]
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    return [big, small[0], corrupt, small[1], small[2], tmp_path / "missing.png", small[3]]


@pytest.fixture
def windows(monkeypatch):
    """The ``window`` of every :func:`ocr.batch.ordering.in_order` call made during the test."""
    import ocr.batch.ordering

    seen, in_order_ = [], ocr.batch.ordering.in_order

    def recording(submit, payloads, window):
        seen.append(window)
        return in_order_(submit, payloads, window)

    monkeypatch.setattr(ocr.batch.ordering, "in_order", recording)
    return seen


def run(args, **kwargs):
    return CliRunner().invoke(read, [str(a) for a in args], **kwargs)


def same_output(a, b):
    """Equal exit status, stdout and stderr, byte for byte."""
    return a.exit_code == b.exit_code and (a.stdout, a.stderr) == (b.stdout, b.stderr)


def test_results_come_in_submission_order_when_later_ones_finish_first():
    n = 6
    finished = [threading.Event() for _ in range(n + 1)]
    finished[n].set()
    completion = []

    def work(i):
        finished[i + 1].wait(timeout=30)
        completion.append(i)
        finished[i].set()
        return [i]

    with ThreadPoolExecutor(n) as pool:
        results = list(in_order(lambda i: (pool.submit(work, i), str(i)), range(n), window=n))
    assert completion == list(range(n))[::-1]
    assert results == [[i] for i in range(n)]


def test_no_more_than_window_inputs_are_in_flight():
    submitted = []

    def submit(i):
        submitted.append(i)
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: [i]), str(i)

    results = in_order(submit, range(10), window=3)
    assert next(results) == [0] and submitted == [0, 1, 2]
    assert list(results) == [[i] for i in range(1, 10)] and submitted == list(range(10))


def test_pages_keep_their_image_and_crops_only_when_asked(mixed_inputs):
    from conftest import StubClassifier

    reader = Reader(StubClassifier())
    kept, = read_source(reader, mixed_inputs[1], keep_image=True, keep_crops=True)
    slim, = read_source(reader, mixed_inputs[1], keep_image=False, keep_crops=False)
    assert kept.image.shape == (Image.open(mixed_inputs[1]).height, Image.open(mixed_inputs[1]).width)
    assert kept.result.crops.shape == (3, 1024)
    assert slim.image is None and slim.result.crops.shape == (0, 1024)
    assert slim.to_dict() == kept.to_dict()


def worker_state():
    import torch
    from threadpoolctl import threadpool_info

    from ocr.batch import processes

    return (torch.get_num_threads(), {pool["num_threads"] for pool in threadpool_info()},
            type(processes.worker_reader.classifier).__name__)


@pytest.mark.slow
def test_a_worker_gets_the_reader_and_reads_with_one_thread():
    from conftest import StubClassifier

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker,
                             initargs=(pickle.dumps(Reader(StubClassifier())),)) as pool:
        assert pool.submit(worker_state).result() == (1, {1}, "StubClassifier")


def test_a_failed_future_is_one_failure_for_its_input():
    def submit(i):
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: 1 / i), f"in{i}"

    first, second = in_order(submit, [0, 2], window=1)
    assert [(f.source, f.ok) for f in first] == [("in0", False)] and "ZeroDivisionError" in first[0].message
    assert second == 0.5


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_2_prints_what_jobs_1_prints(stub_model, mixed_inputs, fmt):
    one = run([*mixed_inputs, "--format", fmt])
    two = run([*mixed_inputs, "--format", fmt, "--jobs", "2"])
    assert one.exit_code == 1 and same_output(one, two)
    errors = two.stderr.strip().splitlines()
    assert len(errors) == 2 and "corrupt.png: not a readable image" in errors[0] and "missing.png: no such file" in errors[1]
    if fmt == "json":
        pages = json.loads(two.stdout)
        assert [Path(p["file"]).name for p in pages] == [p.name for p in mixed_inputs]
        assert [p["text"].count("E") for p in pages if "text" in p] == [44, 3, 7, 10, 13]
        assert [("error" in p) for p in pages] == [False, False, True, False, False, True, False]


@pytest.mark.slow
def test_jobs_2_output_dir_overlays_and_crops(stub_model, mixed_inputs, tmp_path):
    readable = [mixed_inputs[0], mixed_inputs[1], mixed_inputs[3]]
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        res = run([*readable, "--output-dir", out, "--overlay", out / "o.png", "--crops", out / "c.png", "--jobs", jobs])
        assert res.exit_code == 0, res.output
        outs[jobs] = {p.name: p for p in out.iterdir()}
    assert sorted(outs["2"]) == sorted(outs["1"])
    assert len(outs["2"]) == 3 * len(readable)
    for name, path in outs["2"].items():
        if name.endswith(".txt"):
            assert path.read_text() == outs["1"][name].read_text()
        else:
            assert np.array_equal(np.asarray(Image.open(path)), np.asarray(Image.open(outs["1"][name])))


@pytest.mark.slow
def test_jobs_2_searchable_pdf_and_stdin(stub_model, mixed_inputs, tmp_path):
    res = run([mixed_inputs[1], "--jobs", "2", "-o", tmp_path / "out.pdf"])
    assert res.exit_code == 0 and (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    res = run(["-", "--jobs", "2", "--format", "json"], input=mixed_inputs[3].read_bytes())
    assert res.exit_code == 0
    assert [(p["file"], p["text"]) for p in json.loads(res.stdout)] == [("-", "EEE EEEE")]
    res = run(["-", "--jobs", "2", "--format", "json"], input=b"junk")
    assert res.exit_code == 1 and json.loads(res.stdout)[0]["error"].startswith("-: not a readable image")


def test_jobs_and_scheduler_together_or_a_bad_scheduler_are_one_line_errors(stub_model, mixed_inputs):
    res = run([mixed_inputs[1], "--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786"])
    assert res.exit_code == 1 and res.stderr == "Error: give either --jobs N or --scheduler ADDRESS, not both\n"
    res = run([mixed_inputs[1], "--scheduler", "nonsense://nowhere"])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == ("Error: --scheduler nonsense://nowhere: not a scheduler address "
                          "(give tcp://HOST:PORT; schemes tcp, tls)\n")


@pytest.mark.slow
def test_dask_cluster_reads_like_one_process(stub_model, mixed_inputs, windows):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        one = run([*mixed_inputs, "--format", "json"])
        dask = run([*mixed_inputs, "--format", "json", "--scheduler", cluster.scheduler_address])
    assert one.exit_code == 1 and same_output(one, dask)
    assert windows == [4]                                       # two inputs ahead per worker thread
    assert [("error" in p) for p in json.loads(dask.stdout)] == [False, False, True, False, False, True, False]


@pytest.mark.slow
def test_shipped_cnn_jobs_2_equals_jobs_1_on_sample_pages(shipped_cnn, tmp_path):
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff not a jpeg")
    samples = sorted((ROOT / "sample_images").glob("*.png"))
    inputs = [samples[0], corrupt, *samples[1:]]
    one = run([*inputs, "--format", "json"])
    two = run([*inputs, "--format", "json", "--jobs", "2"])
    assert one.exit_code == 1 and same_output(one, two)
    pages = json.loads(two.stdout)
    assert "error" in pages[1] and len(pages) == len(inputs)
    for page, sample in zip(pages[:1] + pages[2:], samples):
        truth = sample.with_suffix(".txt").read_text().split()
        assert len(set(page["text"].split()) & set(truth)) >= len(truth) // 2


class PidRecording:
    """The stub classifier, appending the id of each process that classifies to a file."""

    def __init__(self, path):
        from conftest import StubClassifier

        self.path, self.stub = str(path), StubClassifier()

    def predict_proba(self, rows):
        import os

        with open(self.path, "a") as out:
            out.write(f"{os.getpid()}\n")
        return self.stub.predict_proba(rows)


@pytest.mark.slow
def test_jobs_2_classifies_only_in_worker_processes_at_most_four_inputs_ahead(stub_model, mixed_inputs, tmp_path,
                                                                               monkeypatch, windows):
    import os

    import ocr.recognition.model_files as model_files

    log = tmp_path / "pids.txt"
    monkeypatch.setattr(model_files, "load_classifier", lambda spec, inference=False: PidRecording(log))
    run(mixed_inputs[:2])
    assert set(log.read_text().split()) == {str(os.getpid())}
    log.unlink()
    run([*mixed_inputs, "--jobs", "2"])
    pids = set(log.read_text().split())
    assert pids and str(os.getpid()) not in pids and len(pids) <= 2
    assert windows == [4]


class Failing:
    """The stub classifier, raising ``error`` while ``armed``."""

    def __init__(self, error):
        from conftest import StubClassifier

        self.error, self.armed, self.stub = error, False, StubClassifier()

    def predict_proba(self, rows):
        if self.armed:
            raise self.error
        return self.stub.predict_proba(rows)


@pytest.mark.parametrize("error", [MemoryError("out of memory"), ValueError("bad crop"), OSError("disk")])
def test_an_input_whose_reading_fails_is_one_failure_and_the_batch_goes_on(mixed_inputs, error):
    inputs = [mixed_inputs[1], mixed_inputs[3], mixed_inputs[4]]
    classifier = Failing(error)
    reader = Reader(classifier, engine="glyph")
    results = []
    for k, source in enumerate(inputs):
        classifier.armed = k == 1
        results.append(list(read_source(reader, source)))
    assert [[page.ok for page in pages] for pages in results] == [[True], [False], [True]]
    assert results[1][0].message == f"{inputs[1]}: {error}"
    assert [pages[0].result.text for pages in (results[0], results[2])] == ["EEE", "EEE EEEE EEE"]


def dask_task_state(pickled_reader, data):
    """BLAS threads before and after one Dask task reads ``data`` in a fresh process, and its pages' status."""
    from threadpoolctl import threadpool_info

    from ocr.batch import cluster

    def blas():
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    reader, before = pickle.loads(pickled_reader), blas()
    pages = cluster.read_on_dask_worker(reader, "page.png", data, {"keep_image": False, "keep_crops": False})
    return before, blas(), [page.ok for page in pages]


@pytest.mark.slow
def test_a_dask_task_reads_with_one_thread_even_where_the_worker_was_started_with_more(mixed_inputs, monkeypatch):
    """A worker started without Dask's nanny (which sets OMP/BLAS threads to 1) is limited by the task itself."""
    import os

    from conftest import StubClassifier

    from ocr.batch.ordering import THREAD_VARIABLES

    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        before, after, pages = pool.submit(dask_task_state, pickle.dumps(Reader(StubClassifier())),
                                           mixed_inputs[1].read_bytes()).result()
    assert after == {1} and pages == [True]
    assert before != {1} or min(os.cpu_count() or 1, len(os.sched_getaffinity(0))) == 1
