"""Classify normalised character rows, and settle letter/digit look-alikes by word context."""
import re

import numpy as np

from .glyph import CLASSES

LOOKALIKE_PAIRS = (("O", "0"), ("I", "1"), ("S", "5"), ("Z", "2"), ("B", "8"), ("G", "6"))
"""Letter/digit twins that a page settles from word context, not from the glyph alone."""


def predict_proba(rows, classifier):
    """Class probabilities ``(N, 36)`` for dataset rows, checked for shape.

    Parameters
    ----------
    rows : (N, 1024) array
        Dataset-format rows (transposed 32x32, 0 ink / 1 paper).
    classifier : object
        Anything with ``predict_proba(rows) -> (N, 36)`` over ``CLASSES``.
    """
    rows = np.asarray(rows, dtype=np.float32).reshape(-1, 1024)
    if len(rows) == 0:
        return np.zeros((0, len(CLASSES)))
    probs = np.asarray(classifier.predict_proba(rows), float)
    if probs.shape != (len(rows), len(CLASSES)):
        raise ValueError(f"classifier returned shape {probs.shape}, expected ({len(rows)}, {len(CLASSES)})")
    return probs


def lookalike_confidence(probs, pairs=LOOKALIKE_PAIRS):
    """Each row's best class probability with letter/digit twins counted together.

    A glyph that is surely O-or-0 is a confident glyph: word context settles
    which twin it is (:func:`word_context`), so shape decisions such as whether
    to cut a box must not read the twins' split vote as doubt.

    Parameters
    ----------
    probs : (N, 36) array
    pairs : sequence of (letter, digit)

    Returns
    -------
    (N,) float array
    """
    probs = np.asarray(probs, float)
    folded = probs.copy()
    for letter, digit in pairs:
        i, j = CLASSES.index(letter), CLASSES.index(digit)
        folded[:, i] = folded[:, j] = probs[:, i] + probs[:, j]
    return folded.max(axis=1) if len(folded) else np.zeros(0)


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


def ctc_word_context(decoded, probs, alphabet):
    """Make each word of a CTC-decoded line all letters or all digits with :func:`word_context`.

    Each letter or digit of the line (marks stay as they are) is scored by the
    highest posterior of every class over the frames of its run, and each word
    (a run of non-spaces) is settled on those scores as a glyph word is
    (``E6G5`` becomes ``EGGS`` when the letters' reading is the more likely).

    Parameters
    ----------
    decoded : ocr.recognition.ctc.Decoded
    probs : (T, len(alphabet) + 1) array
        Per-frame posteriors, class 0 the blank; ``alphabet`` holds every class of ``CLASSES``.
    alphabet : str

    Returns
    -------
    ocr.recognition.ctc.Decoded
        Same frames; changed characters get their new class's posterior as confidence.
    """
    columns = [alphabet.index(c) + 1 for c in CLASSES]
    chars = [i for i, c in enumerate(decoded.text) if c in CLASSES]
    if not chars:
        return decoded
    probs = np.asarray(probs)
    scores = np.array([probs[decoded.frames[i, 0]: decoded.frames[i, 1] + 1][:, columns].max(axis=0) for i in chars])
    row = {i: k for k, i in enumerate(chars)}
    words = [[row[i] for i in range(*m.span()) if i in row] for m in re.finditer(r"[^ ]+", decoded.text)]
    labels, confidence = word_context(scores, words)
    text, conf = list(decoded.text), np.array(decoded.confidence, float)
    for i, label, p in zip(chars, labels, confidence):
        if label != text[i]:
            text[i], conf[i] = label, p
    return type(decoded)("".join(text), conf, decoded.frames)
