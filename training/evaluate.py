"""Evaluation of classifiers and autoencoders on a NIST36 split."""
import numpy as np

from .data import CLASSES, SOURCE_NAMES
from .metrics import (
    LOOKALIKE_PAIRS,
    accuracy,
    confusion_matrix,
    fold_lookalikes,
    per_class_accuracy,
    psnr,
    top_confusions,
)


def evaluate_classifier(model, split):
    """Accuracy, per-class and per-source accuracy, confusion matrix and top confusions.

    Returns
    -------
    dict
        ``accuracy``, ``accuracy_folded`` (letter/digit twins of
        :data:`~training.metrics.LOOKALIKE_PAIRS` counted as one class), ``n``, ``per_class`` (class -> accuracy), ``per_source``
        (name -> accuracy, when the split has sources), ``confusion`` (36x36 list),
        ``top_confusions`` (list of ``[true, predicted, count]``).
    """
    pred = model.predict_proba(split.x).argmax(axis=1)
    cm = confusion_matrix(split.y, pred)
    result = {
        "accuracy": accuracy(split.y, pred),
        "accuracy_folded": accuracy(fold_lookalikes(split.y), fold_lookalikes(pred)),
        "folded_pairs": ["/".join(p) for p in LOOKALIKE_PAIRS],
        "n": len(split),
        "per_class": {c: (None if np.isnan(a) else float(a)) for c, a in zip(CLASSES, per_class_accuracy(cm))},
        "confusion": cm.tolist(),
        "top_confusions": [list(t) for t in top_confusions(cm, 10)],
    }
    if split.source is not None:
        result["per_source"] = {SOURCE_NAMES.get(int(s), str(s)): accuracy(split.y[split.source == s],
                                                                          pred[split.source == s])
                                for s in np.unique(split.source)}
    return result


def evaluate_autoencoder(model, split):
    """Mean PSNR in dB of the reconstructions of ``split``."""
    values = psnr(split.x, model.reconstruct(split.x))
    return {"psnr_db": float(np.mean(values)), "n": len(split)}
