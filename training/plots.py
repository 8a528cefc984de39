"""Matplotlib figures written as PNG (Agg backend, no screen needed)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ocr.writers.pictures import image_grid, save_figure  # noqa: E402

from .data import CLASSES  # noqa: E402


def class_sample_grid(split, path, per_class=8, rng=None):
    """Grid with one row of ``per_class`` random samples for each class present."""
    rng = np.random.default_rng(rng)
    images, titles = [], []
    for c, name in enumerate(CLASSES):
        idx = np.flatnonzero(split.y == c)
        pick = rng.choice(idx, size=min(per_class, len(idx)), replace=False) if len(idx) else []
        for j in range(per_class):
            if j < len(pick):
                images.append(split.x[pick[j]].reshape(32, 32).T)
            else:
                images.append(np.ones((32, 32)))
            titles.append(name if j == 0 else "")
    return image_grid(images, path, titles=titles, ncols=per_class)


def curves(histories, path, key, ylabel, title=None):
    """Plot per-epoch curves.

    Parameters
    ----------
    histories : dict of label -> dict of series name -> list
        e.g. ``{'lr=0.01': {'train_acc': [...], 'valid_acc': [...]}}``.
    key : str
        Series suffix to plot (``'acc'`` or ``'loss'``); both ``train_`` and ``valid_`` are drawn.
    """
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, hist) in enumerate(histories.items()):
        c = colors[i % len(colors)]
        for split, style in (("train", "-"), ("valid", "--")):
            series = hist.get(f"{split}_{key}")
            if series:
                name = f"{label} {split}" if label else split
                ax.plot(np.arange(1, len(series) + 1), series, style, color=c, label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return save_figure(fig, path)


def confusion_matrix_plot(cm, path, title="confusion matrix"):
    """Labelled confusion matrix: rows true class, columns predicted class."""
    fig, ax = plt.subplots(figsize=(9, 8))
    im = ax.imshow(cm, cmap="Blues")
    ticks = np.arange(len(CLASSES))
    ax.set_xticks(ticks, list(CLASSES), fontsize=7)
    ax.set_yticks(ticks, list(CLASSES), fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.046)
    return save_figure(fig, path)


def reconstructions_plot(originals, recons, labels, path):
    """Pairs of original / reconstruction images, upright ``(N, 32, 32)``."""
    n = len(originals)
    fig, axes = plt.subplots(2, n, figsize=(n * 1.1, 2.6), squeeze=False)
    for i in range(n):
        for row, img, tag in ((0, originals[i], "orig"), (1, recons[i], "recon")):
            ax = axes[row, i]
            ax.imshow(img, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.axis("off")
            ax.set_title(f"{labels[i]} {tag}", fontsize=7)
    return save_figure(fig, path)


def weights_grid(weights, path, title):
    """First-layer weights ``(1024, H)`` as a grid of upright 32x32 images (8x8 for H = 64)."""
    images = np.asarray(weights).T.reshape(-1, 32, 32).transpose(0, 2, 1)
    return image_grid(images, path, ncols=int(np.ceil(np.sqrt(len(images)))), title=title, cmap="RdBu")

