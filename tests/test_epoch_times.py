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


def test_numpy_epoch_skips_the_input_gradient(epoch_times):
    asked = []

    class Spy(nn.Sequential):
        def backward(self, dy, caches, input_grad=False):
            asked.append(input_grad)
            return super().backward(dy, caches, input_grad)

    rng = np.random.default_rng(0)
    model = Spy(nn.mlp((16, 4, 3), ("sigmoid", None), rng=0).layers)
    x, onehot = rng.uniform(size=(10, 16)), np.eye(3)[rng.integers(0, 3, 10)]
    epoch_times.numpy_epoch(model, nn.SGD(model, lr=0.1), x, onehot, 4, 0)
    assert asked == [False] * 3


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
