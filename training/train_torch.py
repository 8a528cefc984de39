"""Train the PyTorch classifiers with on-the-fly augmentation."""
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from .augment import augment_batch
from .torch_models import build, default_arch, images_to_tensor, rows_to_tensor, save_torch_classifier


def seed_everything(seed):
    """Seed torch and return a numpy Generator from ``seed``."""
    torch.manual_seed(seed)
    return np.random.default_rng(seed)


def evaluate(net, x, y, batch_size=512):
    """Mean cross-entropy and accuracy of ``net`` (eval mode) on input tensor ``x`` and labels ``y``."""
    net.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(y), batch_size):
            logits = net(x[start:start + batch_size])
            target = y[start:start + batch_size]
            loss += F.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(1) == target).sum().item()
    return loss / len(y), correct / len(y)


def train_torch(kind, train, valid, epochs=40, lr=3e-3, batch_size=64, seed=0, augment=True,
                out_path="models/cnn.pt", progress=True, weight_decay=1e-4, label_smoothing=0.05,
                arch=None, threads=2):
    """Train a ``'cnn'`` or ``'torch-mlp'`` and keep the checkpoint with the lowest validation loss.

    Adam(W) with a one-cycle learning-rate schedule peaking at ``lr``. Train metrics are running
    means over the (augmented) training batches; validation metrics use the clean valid split.

    Parameters
    ----------
    kind : {'cnn', 'torch-mlp'}
    train, valid : training.data.Split
    epochs, batch_size, seed : int
    lr, weight_decay, label_smoothing : float
    augment : bool
        Apply :func:`training.augment.augment_batch` to the training images every epoch.
    out_path : str or Path
        Where the best checkpoint is written (see :mod:`training.torch_models`).
    progress : bool
        Show a tqdm bar per epoch.
    arch : dict, optional
        Overrides :func:`training.torch_models.default_arch`.
    threads : int
        ``torch.set_num_threads``.

    Returns
    -------
    model_path : Path
    history : dict
        ``train_acc``, ``valid_acc``, ``train_loss``, ``valid_loss`` lists (one entry per epoch),
        plus ``best_epoch`` (1-based) and ``seconds``.
    """
    torch.set_num_threads(threads)
    rng = seed_everything(seed)
    arch = {**default_arch(kind), **(arch or {})}
    net = build(kind, arch)
    settings = dict(kind=kind, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, augment=augment,
                    weight_decay=weight_decay, label_smoothing=label_smoothing, optimizer="AdamW+OneCycle")
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    steps = -(-len(train) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps, pct_start=0.2)

    images = train.images()
    y_train = torch.from_numpy(train.y).long()
    x_valid, y_valid = rows_to_tensor(valid.x), torch.from_numpy(valid.y).long()
    history = {"train_acc": [], "valid_acc": [], "train_loss": [], "valid_loss": []}
    best, out_path = np.inf, Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        x_train = images_to_tensor(augment_batch(images, rng) if augment else images)
        order = torch.from_numpy(rng.permutation(len(train)))
        net.train()
        loss_sum, correct = 0.0, 0
        bar = tqdm(range(0, len(train), batch_size), desc=f"{kind} epoch {epoch}/{epochs}", leave=False,
                   disable=not progress, unit="batch")
        for s in bar:
            idx = order[s:s + batch_size]
            logits = net(x_train[idx])
            loss = F.cross_entropy(logits, y_train[idx], label_smoothing=label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            with torch.no_grad():
                loss_sum += F.cross_entropy(logits, y_train[idx], reduction="sum").item()
                correct += (logits.argmax(1) == y_train[idx]).sum().item()
        valid_loss, valid_acc = evaluate(net, x_valid, y_valid)
        for key, value in (("train_loss", loss_sum / len(train)), ("train_acc", correct / len(train)),
                           ("valid_loss", valid_loss), ("valid_acc", valid_acc)):
            history[key].append(value)
        if valid_loss < best:
            best = valid_loss
            history["best_epoch"] = epoch
            metrics = {"epoch": epoch, "valid_loss": valid_loss, "valid_acc": valid_acc}
            save_torch_classifier(out_path, kind, net, arch, settings, metrics)
        if progress:
            tqdm.write(f"{kind} epoch {epoch}/{epochs}: train loss {history['train_loss'][-1]:.3f} "
                       f"acc {history['train_acc'][-1]:.3f} | valid loss {valid_loss:.3f} acc {valid_acc:.3f}")
    history["seconds"] = time.perf_counter() - start
    return out_path, history
