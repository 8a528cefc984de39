"""CTC decoding over per-frame posteriors (pure NumPy): greedy, prefix beam search, label scores, alignment.

Posteriors are ``(T, C)`` probabilities with class 0 the blank and class ``k >= 1`` the character
``alphabet[k - 1]``.
"""
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

BLANK = 0


@dataclass
class Decoded:
    """A decoded line.

    Attributes
    ----------
    text : str
    confidence : (len(text),) float array
        Per character: the highest posterior of its class over the frames it was emitted on.
    frames : (len(text), 2) int array
        First and last frame (inclusive) of each character's run in the best path.
    """

    text: str
    confidence: np.ndarray
    frames: np.ndarray


def best_path(probs):
    """Most likely class per frame ``(T,)``."""
    probs = np.asarray(probs)
    return probs.argmax(axis=1) if len(probs) else np.zeros(0, int)


def runs(path):
    """Non-blank runs of a frame path: list of ``(class, first_frame, last_frame)``, repeats collapsed."""
    out = []
    prev = BLANK
    for t, k in enumerate(path):
        k = int(k)
        if k != BLANK and k == prev:
            out[-1] = (k, out[-1][1], t)
        elif k != BLANK:
            out.append((k, t, t))
        prev = k
    return out


def greedy_decode(probs, alphabet):
    """Best-path decoding: argmax per frame, repeats merged, blanks dropped.

    Parameters
    ----------
    probs : (T, len(alphabet) + 1) array
    alphabet : str

    Returns
    -------
    Decoded
    """
    probs = np.asarray(probs, float)
    segments = runs(best_path(probs))
    text = "".join(alphabet[k - 1] for k, _, _ in segments)
    conf = np.array([probs[a: b + 1, k].max() for k, a, b in segments])
    frames = np.array([(a, b) for _, a, b in segments], int).reshape(-1, 2)
    return Decoded(text, conf, frames)


def _logsumexp(a, b):
    if a == -np.inf:
        return b
    if b == -np.inf:
        return a
    m = max(a, b)
    return m + np.log1p(np.exp(-abs(a - b)))


def beam_search(probs, alphabet, beam_width=8, prune=1e-4):
    """CTC prefix beam search; returns the ``beam_width`` best ``(text, log_probability)``, best first.

    Parameters
    ----------
    probs : (T, len(alphabet) + 1) array
    alphabet : str
    beam_width : int
        Prefixes kept after each frame.
    prune : float
        Characters whose posterior at a frame is below this are not extended there.
    """
    logp = np.log(np.clip(np.asarray(probs, float), 1e-30, None))
    beams = {(): (0.0, -np.inf)}
    for t in range(len(logp)):
        row = logp[t]
        candidates = np.flatnonzero(row >= np.log(max(prune, 1e-30)))
        nxt = defaultdict(lambda: [-np.inf, -np.inf])
        for prefix, (pb, pnb) in beams.items():
            total = _logsumexp(pb, pnb)
            entry = nxt[prefix]
            entry[0] = _logsumexp(entry[0], total + row[BLANK])
            if prefix:
                entry[1] = _logsumexp(entry[1], pnb + row[prefix[-1]])
            for k in candidates:
                k = int(k)
                if k == BLANK:
                    continue
                new = prefix + (k,)
                e = nxt[new]
                if prefix and k == prefix[-1]:
                    e[1] = _logsumexp(e[1], pb + row[k])
                else:
                    e[1] = _logsumexp(e[1], total + row[k])
        ranked = sorted(nxt.items(), key=lambda kv: -_logsumexp(*kv[1]))[:beam_width]
        beams = {p: tuple(v) for p, v in ranked}
    out = [("".join(alphabet[k - 1] for k in p), _logsumexp(*v)) for p, v in beams.items()]
    return sorted(out, key=lambda tv: -tv[1])


def label_log_prob(probs, labels):
    """CTC log-probability ``log p(labels | probs)`` summed over all alignments (forward algorithm).

    Parameters
    ----------
    probs : (T, C) array
    labels : sequence of int
        Class indices (no blanks).

    Returns
    -------
    float
        ``-inf`` when no alignment fits in ``T`` frames.
    """
    logp = np.log(np.clip(np.asarray(probs, float), 1e-30, None))
    labels = list(labels)
    ext = [BLANK]
    for k in labels:
        ext += [int(k), BLANK]
    S, T = len(ext), len(logp)
    if T == 0:
        return 0.0 if not labels else -np.inf
    ext = np.array(ext)
    skip = np.zeros(S, bool)
    skip[2:] = (ext[2:] != BLANK) & (ext[2:] != ext[:-2])
    alpha = np.full(S, -np.inf)
    alpha[0] = logp[0, BLANK]
    if S > 1:
        alpha[1] = logp[0, ext[1]]
    for t in range(1, T):
        prev1 = np.concatenate([[-np.inf], alpha[:-1]])
        prev2 = np.where(skip, np.concatenate([[-np.inf, -np.inf], alpha[:-2]]), -np.inf)
        alpha = np.logaddexp(np.logaddexp(alpha, prev1), prev2) + logp[t, ext]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if S > 1 else alpha[-1])


def encode(text, alphabet):
    """Class indices (1-based) of ``text``'s characters; ValueError for a character outside ``alphabet``."""
    missing = sorted(set(text) - set(alphabet))
    if missing:
        raise ValueError(f"characters not in the alphabet: {''.join(missing)!r}")
    return [alphabet.index(ch) + 1 for ch in text]
