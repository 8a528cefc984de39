"""benchmarks/epoch_times.py compares like with like: the thread limits hold and no side computes input gradients."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_info

import nn
from training import blas_threads
from training.torch_models import TorchMLP

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "epoch_times.py"
NO_BLAS = "threadpoolctl found no BLAS library to limit, so BLAS threads cannot be set"


@pytest.fixture(scope="module")
def epoch_times():
    spec = importlib.util.spec_from_file_location("epoch_times", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def torch_threads():
    """Torch's thread count, put back after the test."""
    n = torch.get_num_threads()
    yield n
    torch.set_num_threads(n)


def blas_thread_counts():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_limit_threads_sets_blas_and_torch(epoch_times, torch_threads):
    before = blas_thread_counts()
    assert before, "numpy's BLAS should be visible to threadpoolctl"
    want = 2 if set(before) == {1} else 1
    torch.set_num_threads(3 - want)
    limiter = epoch_times.limit_threads(want)
    try:
        assert blas_thread_counts() == [want] * len(before)
        assert torch.get_num_threads() == want
    finally:
        limiter.restore_original_limits()
    assert blas_thread_counts() == before


def test_no_blas_found_is_a_one_line_error(epoch_times, monkeypatch):
    monkeypatch.setattr(blas_threads, "threadpool_limits", lambda **kwargs: None)
    monkeypatch.setattr(blas_threads, "threadpool_info", lambda: [{"user_api": "openmp", "num_threads": 2}])
    with pytest.raises(epoch_times.ThreadLimitError, match=f"^{NO_BLAS}$"):
        epoch_times.limit_threads(1)
    monkeypatch.setattr(epoch_times, "load_split", lambda split, data_dir: None)
    with pytest.raises(SystemExit) as exit_:
        epoch_times.main(["--threads", "1"])
    assert exit_.value.code == f"epoch_times.py: error: {NO_BLAS}"


def test_limit_that_did_not_take_is_an_error(epoch_times, monkeypatch):
    monkeypatch.setattr(blas_threads, "threadpool_limits", lambda **kwargs: None)
    monkeypatch.setattr(blas_threads, "threadpool_info", lambda: [
        {"user_api": "blas", "internal_api": "openblas", "filepath": "/lib/a.so", "num_threads": 1},
        {"user_api": "blas", "internal_api": "mkl", "filepath": "/lib/b.so", "num_threads": 4}])
    with pytest.raises(epoch_times.ThreadLimitError) as err:
        epoch_times.limit_threads(1)
    assert str(err.value) == "BLAS threads not limited to 1: mkl (/lib/b.so) has 4"


@pytest.mark.parametrize("asked_for", [{}, {"input_grad": True}])
def test_numpy_epoch_computes_the_input_gradient_only_when_asked(epoch_times, asked_for):
    asked = []

    class Spy(nn.Sequential):
        def backward(self, dy, caches, input_grad=False):
            asked.append(input_grad)
            return super().backward(dy, caches, input_grad)

    rng = np.random.default_rng(0)
    model = Spy(nn.mlp((16, 4, 3), ("sigmoid", None), rng=0).layers)
    x, onehot = rng.uniform(size=(10, 16)), np.eye(3)[rng.integers(0, 3, 10)]
    epoch_times.numpy_epoch(model, nn.SGD(model, lr=0.1), x, onehot, 4, 0, **asked_for)
    assert asked == [bool(asked_for)] * 3


def test_torch_epoch_computes_no_input_gradient(epoch_times):
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.uniform(size=(20, 1024)).astype(np.float32))
    y = torch.from_numpy(rng.integers(0, 36, 20))
    net = TorchMLP()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    epoch_times.torch_epoch(net, opt, x, y, 8, 0)
    assert x.grad is None
    assert net.net[1].weight.grad is not None
    x.requires_grad_(True)
    with pytest.raises(ValueError, match="input gradient"):
        epoch_times.torch_epoch(net, opt, x, y, 8, 0)


def test_median_times_are_wall_then_cpu(epoch_times, monkeypatch):
    """A clock whose wall time runs twice as fast as its CPU time, each run longer than the last."""
    clock = {"wall": 0.0, "cpu": 0.0}

    class Clock:
        perf_counter = staticmethod(lambda: clock["wall"])
        process_time = staticmethod(lambda: clock["cpu"])

    def run(r):
        clock["wall"] += 2.0 * (r + 1)
        clock["cpu"] += 1.0 * (r + 1)

    monkeypatch.setattr(epoch_times, "time", Clock)
    assert epoch_times.median_times(run, 3) == (4.0, 2.0)


def test_main_times_the_numpy_mlp_without_and_with_the_input_gradient(epoch_times, monkeypatch, capsys,
                                                                     torch_threads):
    from training.data import Split

    rng = np.random.default_rng(0)
    x = rng.uniform(size=(40, 1024)).astype(np.float32)
    y = rng.integers(0, 36, 40)
    monkeypatch.setattr(epoch_times, "load_split", lambda split, data_dir: Split(x, y, None, split))
    asked, epoch = [], epoch_times.numpy_epoch

    def spy(model, opt, x, onehot, batch_size, seed, input_grad=False):
        asked.append(input_grad)
        return epoch(model, opt, x, onehot, batch_size, seed, input_grad)

    monkeypatch.setattr(epoch_times, "numpy_epoch", spy)
    limiter = []
    monkeypatch.setattr(epoch_times, "limit_threads", lambda n: limiter.append(n))
    epoch_times.main(["--threads", "1", "--repeats", "2", "--skip-cnn", "--batch-size", "16"])
    assert asked == [False] * 3 + [True] * 3 and limiter == [1]
    rows = [line.split()[:-2] for line in capsys.readouterr().out.splitlines()[2:5]]
    assert rows == [["numpy"], ["numpy", "+", "input", "grad"], ["torch"]]


def test_torch_epoch_steps_on_each_batch_s_own_gradient(epoch_times):
    """With a zero learning rate the weights stay put: after the epoch the gradient is the last batch's alone."""
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.uniform(size=(16, 1024)).astype(np.float32))
    y = torch.from_numpy(rng.integers(0, 36, 16))
    torch.manual_seed(0)
    net = TorchMLP()
    epoch_times.torch_epoch(net, torch.optim.SGD(net.parameters(), lr=0.0), x, y, 8, 0)
    last = np.asarray(list(nn.minibatch_indices(16, 8, rng=0))[-1])
    reference = TorchMLP()
    reference.load_state_dict(net.state_dict())
    torch.nn.functional.cross_entropy(reference(x[last]), y[last]).backward()
    torch.testing.assert_close(net.net[1].weight.grad, reference.net[1].weight.grad)
