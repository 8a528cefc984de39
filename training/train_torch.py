"""Train the PyTorch classifiers with on-the-fly augmentation."""
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from .augment import augment_batch, page_look
from .recipes import TORCH
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


def epoch_indices(y, rng, samples=None, balanced=False):
    """Training-set indices for one epoch.

    Parameters
    ----------
    y : (N,) int array of class indices
    rng : numpy.random.Generator
    samples : int, optional
        How many to draw; None is one pass over the set (a permutation).
    balanced : bool
        Draw every class equally often (with replacement inside each class), so
        that a source heavy in some classes does not shift the classifier's prior.

    Returns
    -------
    (samples,) int array
    """
    if not balanced:
        order = rng.permutation(len(y))
        return order if samples is None else np.resize(order, samples)
    samples = len(y) if samples is None else samples
    classes = np.unique(y)
    per_class = -(-samples // len(classes))
    picks = [rng.choice(np.flatnonzero(y == c), per_class, replace=True) for c in classes]
    return rng.permutation(np.concatenate(picks))[:samples]


def train_torch(kind, train, valid, out_path, epochs=None, lr=None, batch_size=None, seed=0, augment=None,
                progress=True, weight_decay=None, label_smoothing=None, arch=None, threads=None,
                samples_per_epoch=None, balanced=None, provenance=None, log=True):
    """Train a ``'cnn'`` or ``'torch-mlp'`` and keep the checkpoint with the lowest validation loss.

    AdamW with a one-cycle learning-rate schedule peaking at ``lr``. Train metrics are running
    means over the (augmented) training batches; validation metrics use the clean valid split.
    Every keyword left as None takes its default from :data:`training.recipes.TORCH` for ``kind``.

    Parameters
    ----------
    kind : {'cnn', 'torch-mlp'}
    train, valid : training.data.Split
    out_path : str or Path
        Where the best checkpoint is written (see :mod:`training.torch_models`).
    epochs, batch_size, seed, threads : int
    lr, weight_decay, label_smoothing : float
    augment : bool
        Apply :func:`training.augment.augment_batch` to the training images every epoch (page-crop
        renderings are made once, up front, and half of each epoch's images are drawn from them).
    samples_per_epoch : int or None
        Images per epoch (None: one pass over ``train``).
    balanced : bool
        Draw every class equally often (see :func:`epoch_indices`).
    progress : bool
        Show progress bars (stderr).
    log : bool
        Write one line per epoch (losses, accuracies, elapsed time) to stderr.
    arch : dict, optional
        Overrides :func:`training.torch_models.default_arch`.
    provenance : dict, optional
        Stored in the model file's settings (data fingerprints, command, augmentation version).

    Returns
    -------
    model_path : Path
    history : dict
        ``train_acc``, ``valid_acc``, ``train_loss``, ``valid_loss`` lists (one entry per epoch),
        plus ``best_epoch`` (1-based) and ``seconds``.
    """
    given = dict(epochs=epochs, lr=lr, batch_size=batch_size, weight_decay=weight_decay,
                 label_smoothing=label_smoothing, threads=threads, samples_per_epoch=samples_per_epoch,
                 balanced=balanced, augment=augment)
    cfg = {k: (TORCH[kind][k] if v is None else v) for k, v in given.items()}
    torch.set_num_threads(cfg["threads"])
    rng = seed_everything(seed)
    arch = {**default_arch(kind), **(arch or {})}
    net = build(kind, arch)
    settings = dict(kind=kind, seed=seed, optimizer="AdamW+OneCycle", n_train=len(train), **cfg,
                    **(provenance or {}))
    opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    n_epoch = cfg["samples_per_epoch"] or len(train)
    steps = -(-n_epoch // cfg["batch_size"])
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg["lr"], total_steps=cfg["epochs"] * steps,
                                                pct_start=0.2)

    images = train.images().astype(np.float32)
    page_versions = None
    if cfg["augment"]:
        page_versions = np.empty_like(images)
        chunks = np.array_split(np.arange(len(images)), max(1, len(images) // 2000))
        for chunk in tqdm(chunks, desc="page-crop renderings", disable=not progress, unit="chunk", leave=False):
            page_versions[chunk] = page_look(images[chunk], rng, p=1.0)
    x_valid, y_valid = rows_to_tensor(valid.x), torch.from_numpy(valid.y).long()
    history = {"train_acc": [], "valid_acc": [], "train_loss": [], "valid_loss": []}
    best, out_path = np.inf, Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for epoch in range(1, cfg["epochs"] + 1):
        idx_epoch = epoch_indices(train.y, rng, cfg["samples_per_epoch"], cfg["balanced"])
        batch_images = images[idx_epoch]
        if cfg["augment"]:
            batch_images = augment_batch(batch_images, rng, page_versions=page_versions[idx_epoch])
        x_train = images_to_tensor(batch_images)
        y_train = torch.from_numpy(train.y[idx_epoch]).long()
        net.train()
        loss_sum, correct = 0.0, 0
        bar = tqdm(range(0, n_epoch, cfg["batch_size"]), desc=f"{kind} epoch {epoch}/{cfg['epochs']}",
                   leave=False, disable=not progress, unit="batch")
        for s in bar:
            xb, yb = x_train[s:s + cfg["batch_size"]], y_train[s:s + cfg["batch_size"]]
            logits = net(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=cfg["label_smoothing"])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            with torch.no_grad():
                loss_sum += F.cross_entropy(logits, yb, reduction="sum").item()
                correct += (logits.argmax(1) == yb).sum().item()
        valid_loss, valid_acc = evaluate(net, x_valid, y_valid)
        for key, value in (("train_loss", loss_sum / n_epoch), ("train_acc", correct / n_epoch),
                           ("valid_loss", valid_loss), ("valid_acc", valid_acc)):
            history[key].append(value)
        if valid_loss < best:
            best = valid_loss
            history["best_epoch"] = epoch
            metrics = {"epoch": epoch, "valid_loss": valid_loss, "valid_acc": valid_acc}
            save_torch_classifier(out_path, kind, net, arch, settings, metrics)
        if log:
            tqdm.write(f"{kind} epoch {epoch}/{cfg['epochs']}: train loss {history['train_loss'][-1]:.3f} "
                       f"acc {history['train_acc'][-1]:.3f} | valid loss {valid_loss:.3f} acc {valid_acc:.4f} "
                       f"| {time.perf_counter() - start:.0f} s", file=sys.stderr)
    history["seconds"] = time.perf_counter() - start
    return out_path, history
