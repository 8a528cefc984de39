"""Classification and reconstruction metrics over arrays."""
import numpy as np

from ocr.recognition.classify import LOOKALIKE_PAIRS

from .data import CLASSES


def accuracy(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return float(np.mean(y_true == y_pred)) if len(y_true) else float("nan")


def confusion_matrix(y_true, y_pred, n_classes=len(CLASSES)):
    """Counts with rows = true class, columns = predicted class."""
    cm = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(cm, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return cm


def per_class_accuracy(cm):
    """Diagonal over row sums; NaN for classes absent from the split."""
    totals = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(cm) / np.maximum(totals, 1), np.nan)


def top_confusions(cm, k=10):
    """The ``k`` largest off-diagonal cells as ``(true, predicted, count)`` with class names."""
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(off, axis=None)[::-1][:k]
    pairs = []
    for flat in order:
        t, p = np.unravel_index(flat, off.shape)
        if off[t, p] == 0:
            break
        pairs.append((CLASSES[t], CLASSES[p], int(off[t, p])))
    return pairs


def psnr(images, reconstructions, max_value=1.0):
    """Per-image PSNR in dB: ``20 log10(MAX) - 10 log10(MSE)``.

    Parameters
    ----------
    images, reconstructions : (N, D) arrays
    """
    images = np.atleast_2d(images)
    reconstructions = np.atleast_2d(reconstructions)
    mse = np.mean((images - reconstructions) ** 2, axis=1)
    with np.errstate(divide="ignore"):
        return 20 * np.log10(max_value) - 10 * np.log10(mse)


def fold_lookalikes(y, pairs=LOOKALIKE_PAIRS):
    """Class indices with each pair's digit mapped to its letter.

    Parameters
    ----------
    y : (N,) int array of class indices
    pairs : sequence of (letter, digit)

    Returns
    -------
    (N,) int array
    """
    table = np.arange(len(CLASSES))
    for letter, digit in pairs:
        table[CLASSES.index(digit)] = CLASSES.index(letter)
    return table[np.asarray(y)]


def edit_distance(a, b):
    """Levenshtein distance between two sequences (strings or lists)."""
    a, b = list(a), list(b)
    if len(a) < len(b):
        a, b = b, a
    previous = np.arange(len(b) + 1)
    for i, x in enumerate(a, 1):
        current = np.empty_like(previous)
        current[0] = i
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
        previous = current
    return int(previous[-1])


def line_cer(predicted, truth):
    """Character error rate of lines (spaces count): total edit distance over total truth length."""
    errors = sum(edit_distance(p, t) for p, t in zip(predicted, truth))
    return errors / max(sum(len(t) for t in truth), 1)
