"""Pictures of a reading: the page with its boxes and labels, grids of the normalised crops (PNG).

Matplotlib (Agg backend, no screen needed) is imported only when a picture is drawn.
"""
import io
import os

import numpy as np

from ..recognition.glyph import IMAGE_SIDE
from .output import write_output


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path, dpi=110, tight=True):
    """Save a figure (PNG unless the name asks for another format matplotlib writes) and close it.

    Drawn in memory, then written whole by :func:`ocr.writers.output.write_output`.
    """
    plt = pyplot()
    if tight:
        fig.tight_layout()
    suffix = os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, dpi=dpi, format=suffix if suffix in fig.canvas.get_supported_filetypes() else "png")
    finally:
        plt.close(fig)
    write_output(path, buffer.getvalue())
    return path


def image_grid(images, path, titles=None, ncols=None, title=None, cmap="gray"):
    """Write upright images ``(N, H, W)`` as a grid PNG."""
    plt = pyplot()
    images = np.asarray(images)
    n = len(images)
    ncols = ncols or int(np.ceil(np.sqrt(n)))
    nrows = max(1, int(np.ceil(n / ncols)))
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * 0.9, nrows * 0.9 + (0.4 if title else 0)),
                             squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap=cmap, interpolation="nearest")
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=7, pad=2)
    if title:
        fig.suptitle(title)
    return save_figure(fig, path)


def crops_grid(rows, path, labels=None):
    """Write dataset rows as a PNG grid, optionally titled with labels."""
    rows = np.asarray(rows).reshape(-1, IMAGE_SIDE * IMAGE_SIDE)
    images = rows.reshape(-1, IMAGE_SIDE, IMAGE_SIDE).transpose(0, 2, 1)
    if len(images) == 0:
        images = np.ones((1, IMAGE_SIDE, IMAGE_SIDE))
        labels = [""]
    return image_grid(images, path, titles=None if labels is None else list(labels))


def overlay(image, result, path):
    """Draw every box with its predicted character above it and save a PNG.

    The image is drawn stretched over ``result.shape``, the frame the boxes are in
    (the original page when the image is a downscaled working copy).
    """
    plt = pyplot()

    image = np.asarray(image)
    h, w = result.shape if min(result.shape) > 0 else image.shape[:2]
    step = max(1, int(np.ceil(max(image.shape[:2]) / 2000)))
    shown = image[::step, ::step]
    fig_w = 12
    fig, ax = plt.subplots(figsize=(fig_w, fig_w * h / max(w, 1)))
    ax.imshow(shown, cmap="gray" if shown.ndim == 2 else None, extent=(0, w, h, 0))
    chars = result.chars
    heights = [c.box[2] - c.box[0] for c in chars]
    size = 12
    if heights:
        size = float(np.clip(np.median(heights) / h * fig_w * h / max(w, 1) * 72 * 0.6, 6, 28))
    for c in chars:
        y1, x1, y2, x2 = c.box
        colour = "tab:red" if c.confidence < 0.5 else "tab:green"
        ax.add_patch(plt.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, ec=colour, lw=1))
        ax.text(x1, y1 - 2, c.label, color=colour, fontsize=size, va="bottom", ha="left",
                fontweight="bold")
    if heights:
        ax.set_ylim(h, min(0, min(c.box[0] for c in chars) - 1.2 * float(np.median(heights))))
    ax.set_xlim(0, w)
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    return save_figure(fig, path, dpi=100, tight=False)
