"""Time one training epoch of the 1024-64-36 sigmoid MLP in NumPy and PyTorch, and of the CNN.

Example::

    python benchmarks/epoch_times.py --data-dir data/nist36 --threads 2 --batch-size 32 --dtype float32
"""
import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=None, help="NIST36 folder (default: $OCR_DATA_DIR or data/nist36)")
    p.add_argument("--threads", type=int, default=2, help="BLAS and torch threads")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--repeats", type=int, default=5, help="epochs timed per MLP; the median is reported")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--profile", action="store_true", help="print the top NumPy functions by time")
    p.add_argument("--skip-cnn", action="store_true")
    return p.parse_args(argv)


def set_threads(n):
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)


def numpy_epoch(model, opt, x, onehot, batch_size, seed):
    import nn

    for xb, yb in nn.minibatches(x, onehot, batch_size, rng=seed):
        out, caches = model.forward(xb)
        _, dout = nn.softmax_cross_entropy(out, yb)
        model.backward(dout, caches)
        opt.step()


def torch_epoch(net, opt, x, y, batch_size, seed):
    import numpy as np
    import torch.nn.functional as F

    import nn

    for idx in nn.minibatch_indices(len(x), batch_size, rng=seed):
        idx = np.asarray(idx)
        loss = F.cross_entropy(net(x[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def median_time(fn, repeats):
    import numpy as np

    times = []
    for r in range(repeats):
        start = time.perf_counter()
        fn(r)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main(argv=None):
    args = parse_args(argv)
    set_threads(args.threads)
    import numpy as np
    import torch

    import nn
    from training.data import load_split
    from training.torch_models import TorchMLP

    torch.set_num_threads(args.threads)
    dtype = np.dtype(args.dtype)
    train = load_split("train", args.data_dir)
    x = np.ascontiguousarray(train.x, dtype=dtype)
    onehot = train.onehot.astype(dtype)

    model = nn.mlp((x.shape[1], 64, onehot.shape[1]), ("sigmoid", None), rng=0, dtype=dtype)
    opt = nn.SGD(model, lr=args.lr, momentum=0.9)
    numpy_epoch(model, opt, x, onehot, args.batch_size, 0)
    t_numpy = median_time(lambda r: numpy_epoch(model, opt, x, onehot, args.batch_size, r), args.repeats)

    torch.manual_seed(0)
    net = TorchMLP().to(getattr(torch, args.dtype))
    topt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    tx, ty = torch.from_numpy(x), torch.from_numpy(train.y).long()
    torch_epoch(net, topt, tx, ty, args.batch_size, 0)
    t_torch = median_time(lambda r: torch_epoch(net, topt, tx, ty, args.batch_size, r), args.repeats)

    print(f"MLP 1024-64-36 sigmoid, {len(x)} samples, batch {args.batch_size}, {args.dtype}, "
          f"{args.threads} thread(s), median of {args.repeats} epochs")
    print(f"  numpy  epoch: {t_numpy * 1000:8.1f} ms")
    print(f"  torch  epoch: {t_torch * 1000:8.1f} ms")
    print(f"  numpy / torch: {t_numpy / t_torch:.2f}")

    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(numpy_epoch, model, opt, x, onehot, args.batch_size, 0)
        pstats.Stats(prof).sort_stats("tottime").print_stats(12)

    if not args.skip_cnn:
        from training.train_torch import train_torch

        valid = load_split("valid", args.data_dir)
        with tempfile.TemporaryDirectory() as tmp:
            _, hist = train_torch("cnn", train, valid, epochs=1, batch_size=64, seed=0, augment=True,
                                  out_path=Path(tmp) / "cnn.pt", progress=False, threads=args.threads)
        print(f"CNN epoch (augmentation + training, batch 64, incl. valid pass): {hist['seconds']:.2f} s")


if __name__ == "__main__":
    main()
