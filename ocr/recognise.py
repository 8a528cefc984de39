"""Classify normalised character rows."""
import numpy as np

from training.data import CLASSES


def recognise(rows, classifier, batch_size=512):
    """Predict a character for every row.

    Parameters
    ----------
    rows : (N, 1024) array
        Dataset-format rows (transposed 32x32, 0 ink / 1 paper).
    classifier : object
        Anything with ``predict_proba(rows) -> (N, 36)`` over ``CLASSES``.

    Returns
    -------
    labels : list of str
    confidences : (N,) float array
        Probability of the chosen class.
    """
    probs = predict_proba(rows, classifier, batch_size)
    best = probs.argmax(axis=1)
    return [CLASSES[i] for i in best], probs[np.arange(len(rows)), best]


def predict_proba(rows, classifier, batch_size=512):
    """Class probabilities ``(N, 36)`` for dataset rows, checked for shape."""
    rows = np.asarray(rows, dtype=np.float32).reshape(-1, 1024)
    if len(rows) == 0:
        return np.zeros((0, len(CLASSES)))
    probs = np.concatenate([np.asarray(classifier.predict_proba(rows[i: i + batch_size]), float)
                            for i in range(0, len(rows), batch_size)])
    if probs.shape != (len(rows), len(CLASSES)):
        raise ValueError(f"classifier returned shape {probs.shape}, expected ({len(rows)}, {len(CLASSES)})")
    return probs


def word_context(probs, words):
    """Make each word of two or more characters all letters or all digits.

    Within a word the class group (letters or digits) whose best reading is
    more likely (sum over characters of the log of the best in-group
    probability) wins and every character takes its best class in that group,
    which resolves look-alikes such as O/0, S/5, Z/2 and I/1.

    Parameters
    ----------
    probs : (N, 36) array
    words : iterable of lists of row indices

    Returns
    -------
    labels : list of str
    confidences : (N,) float array
    """
    probs = np.asarray(probs, float)
    best = probs.argmax(axis=1) if len(probs) else np.zeros(0, int)
    n_letters = 26
    for word in words:
        word = list(word)
        if len(word) < 2:
            continue
        letter_score = np.log(probs[word, :n_letters].max(axis=1) + 1e-12).sum()
        digit_score = np.log(probs[word, n_letters:].max(axis=1) + 1e-12).sum()
        if letter_score >= digit_score:
            best[word] = probs[word, :n_letters].argmax(axis=1)
        else:
            best[word] = n_letters + probs[word, n_letters:].argmax(axis=1)
    return [CLASSES[i] for i in best], probs[np.arange(len(probs)), best]
