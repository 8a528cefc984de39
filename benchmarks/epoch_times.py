"""Time one training epoch of the 1024-64-36 sigmoid MLP in NumPy and PyTorch, and of the CNN.

BLAS threads are limited through threadpoolctl (checked afterwards) and torch's with
``torch.set_num_threads``, to the same number. Each epoch is timed in wall-clock and CPU
(process) seconds. Neither MLP computes the gradient with respect to the input images:
``nn.Sequential.backward`` skips it by default, and torch builds no graph towards an input
tensor whose ``requires_grad`` is False (the default; ``torch_epoch`` checks it). The
``numpy + input grad`` row times the NumPy backward that does compute it, for comparison.

Example::

    python benchmarks/epoch_times.py --data-dir data/nist36 --threads 2 --batch-size 32 --dtype float32
"""
import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nn  # noqa: E402
from training.blas_threads import ThreadLimitError, limit_blas_threads  # noqa: E402
from training.data import load_split  # noqa: E402
from training.torch_models import TorchMLP  # noqa: E402
from training.train_torch import train_torch  # noqa: E402


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=None, help="NIST36 folder (default: $OCR_DATA_DIR or data/nist36)")
    p.add_argument("--threads", type=positive_int, default=2, help="BLAS and torch threads")
    p.add_argument("--batch-size", type=positive_int, default=32)
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--repeats", type=positive_int, default=5, help="epochs timed per MLP; the median is reported")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--profile", action="store_true", help="print the top NumPy functions by time")
    p.add_argument("--skip-cnn", action="store_true")
    return p.parse_args(argv)


def limit_threads(n):
    """Limit BLAS (:func:`training.blas_threads.limit_blas_threads`) and torch to ``n`` threads.

    Call it once the data is read: reading it loads SciPy's OpenBLAS beside NumPy's.

    Returns
    -------
    threadpoolctl.threadpool_limits
        Its ``restore_original_limits()`` puts the BLAS limits back.

    Raises
    ------
    ThreadLimitError
    """
    limiter = limit_blas_threads(n)
    torch.set_num_threads(n)
    return limiter


def numpy_epoch(model, opt, x, onehot, batch_size, seed, input_grad=False):
    """One SGD epoch of the NumPy ``model``; ``input_grad`` also computes the unused d/dx."""
    for xb, yb in nn.minibatches(x, onehot, batch_size, rng=seed):
        out, caches = model.forward(xb)
        _, dout = nn.softmax_cross_entropy(out, yb)
        model.backward(dout, caches, input_grad=input_grad)
        opt.step()


def torch_epoch(net, opt, x, y, batch_size, seed):
    """One SGD epoch of the torch ``net`` on tensors ``x`` (N, 1024) and ``y`` (N,)."""
    if x.requires_grad:
        raise ValueError("x requires grad: the epoch would also compute the input gradient")
    for idx in nn.minibatch_indices(len(x), batch_size, rng=seed):
        idx = np.asarray(idx)
        loss = F.cross_entropy(net(x[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def median_times(fn, repeats):
    """Run ``fn(r)`` for ``r`` in ``range(repeats)``; return median wall-clock and CPU (process) seconds."""
    wall, cpu = [], []
    for r in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn(r)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return float(np.median(wall)), float(np.median(cpu))


def main(argv=None):
    args = parse_args(argv)
    train = load_split("train", args.data_dir)
    try:
        limit_threads(args.threads)
    except ThreadLimitError as err:
        sys.exit(f"epoch_times.py: error: {err}")

    dtype = np.dtype(args.dtype)
    x = np.ascontiguousarray(train.x, dtype=dtype)
    onehot = train.onehot.astype(dtype)
    times = {}

    for label, input_grad in (("numpy", False), ("numpy + input grad", True)):
        model = nn.mlp((x.shape[1], 64, onehot.shape[1]), ("sigmoid", None), rng=0, dtype=dtype)
        opt = nn.SGD(model, lr=args.lr, momentum=0.9)
        numpy_epoch(model, opt, x, onehot, args.batch_size, 0, input_grad)
        times[label] = median_times(
            lambda r: numpy_epoch(model, opt, x, onehot, args.batch_size, r, input_grad), args.repeats)

    torch.manual_seed(0)
    net = TorchMLP().to(getattr(torch, args.dtype))
    topt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    tx, ty = torch.from_numpy(x), torch.from_numpy(train.y).long()
    torch_epoch(net, topt, tx, ty, args.batch_size, 0)
    times["torch"] = median_times(lambda r: torch_epoch(net, topt, tx, ty, args.batch_size, r), args.repeats)

    print(f"MLP 1024-64-36 sigmoid, {len(x)} samples, batch {args.batch_size}, {args.dtype}, "
          f"{args.threads} thread(s), median of {args.repeats} epochs")
    print(f"  {'':20s} {'wall ms':>9s} {'CPU ms':>9s}")
    for label, (wall, cpu) in times.items():
        print(f"  {label:20s} {wall * 1000:9.1f} {cpu * 1000:9.1f}")
    print(f"  numpy / torch: wall {times['numpy'][0] / times['torch'][0]:.2f}, "
          f"CPU {times['numpy'][1] / times['torch'][1]:.2f}")

    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(numpy_epoch, model, opt, x, onehot, args.batch_size, 0)
        pstats.Stats(prof).sort_stats("tottime").print_stats(12)

    if not args.skip_cnn:
        valid = load_split("valid", args.data_dir)
        with tempfile.TemporaryDirectory() as tmp:
            w0, c0 = time.perf_counter(), time.process_time()
            train_torch("cnn", train, valid, epochs=1, batch_size=64, seed=0, augment=True,
                        out_path=Path(tmp) / "cnn.pt", progress=False, log=False, threads=args.threads)
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        print(f"CNN, one train_torch epoch (page-crop renderings, augmentation, training, valid pass, batch 64): "
              f"wall {wall:.2f} s, CPU {cpu:.2f} s")


if __name__ == "__main__":
    main()
