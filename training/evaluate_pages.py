"""Compare recognised page text with ground truth."""
import os
import time
from pathlib import Path

import numpy as np

from ocr.api import Reader

from .metrics import edit_distance

PAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")


def cer(predicted, truth):
    """Character error rate with all whitespace removed, over truth length."""
    p = "".join(predicted.split())
    t = "".join(truth.split())
    return edit_distance(p, t) / max(len(t), 1)


def wer(predicted, truth):
    """Word error rate on whitespace-split words, over the truth word count."""
    t = truth.split()
    return edit_distance(predicted.split(), t) / max(len(t), 1)


def text_lines(text):
    """Non-empty lines of ``text``."""
    return [line for line in text.splitlines() if line.strip()]


def score_text(predicted, truth):
    """CER, WER and line counts of one page as a dict."""
    n_pred, n_truth = len(text_lines(predicted)), len(text_lines(truth))
    return {
        "cer": cer(predicted, truth),
        "wer": wer(predicted, truth),
        "lines": n_pred,
        "truth_lines": n_truth,
        "lines_match": n_pred == n_truth,
    }


def page_pairs(folder):
    """``(image_path, truth_path)`` for every NAME.jpg|png with NAME.txt beside it."""
    folder = Path(folder)
    pairs = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in PAGE_EXTENSIONS and path.with_suffix(".txt").is_file():
            pairs.append((path, path.with_suffix(".txt")))
    return pairs


def evaluate_pages(folder, classifier, **read_options):
    """Read and score every page in ``folder``.

    ``read_options`` (``engine``, ``recogniser``, ``lexicon``, ``params``) go to :class:`ocr.api.Reader`,
    so pages are decoded and read exactly as ``read`` reads them.

    Returns
    -------
    rows : list of dict
        One per page with ``page``, ``cer``, ``wer``, ``lines``,
        ``truth_lines``, ``lines_match``, ``chars`` (truth character count),
        ``text``, ``truth`` and ``seconds`` (reading time).
    """
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{folder}: no such directory")
    rows, reader = [], Reader(classifier, **read_options)
    for image_path, truth_path in page_pairs(folder):
        truth = truth_path.read_text().strip("\n")
        started = time.perf_counter()
        result = reader.read(image_path)[0]
        row = {"page": image_path.name}
        row.update(score_text(result.text, truth))
        row["chars"] = len("".join(truth.split()))
        row["text"] = result.text
        row["truth"] = truth
        row["seconds"] = time.perf_counter() - started
        rows.append(row)
    return rows


def overall(rows):
    """Character-weighted CER, mean WER and line-match count over pages."""
    if not rows:
        return {"pages": 0, "cer": 0.0, "wer": 0.0, "lines_match": 0}
    chars = np.array([r["chars"] for r in rows], float)
    return {
        "pages": len(rows),
        "cer": float(np.sum(np.array([r["cer"] for r in rows]) * chars) / max(chars.sum(), 1)),
        "wer": float(np.mean([r["wer"] for r in rows])),
        "lines_match": int(sum(r["lines_match"] for r in rows)),
    }


def evaluate_line_set(recogniser, strips, texts, lexicon=None, **lexicon_options):
    """Line CER of the CTC recogniser on fixed synthetic lines, without and with a lexicon.

    ``lexicon_options`` (``unsure``, ``margin``, ``min_length``) go to ``ocr.recognition.lexicon.correct_ctc_line``.

    Returns
    -------
    dict
        ``lines``, ``cer`` (greedy), ``cer_lexicon`` (greedy then ``lexicon``, equal to ``cer``
        without one), ``words_changed``, ``changes_right`` and ``changes_wrong`` (changed words
        that now match / no longer match the truth), ``digit_words_changed`` (always 0: words
        holding a digit are never touched) and ``seconds_per_line`` (posteriors and decoding).
    """
    from ocr.recognition.ctc import greedy_decode
    from ocr.recognition.lexicon import correct_ctc_line

    from .metrics import line_cer

    started = time.perf_counter()
    posteriors = recogniser.posteriors(strips)
    plain = [greedy_decode(p, recogniser.alphabet) for p in posteriors]
    seconds = time.perf_counter() - started
    fixed = [correct_ctc_line(d, p, recogniser.alphabet, lexicon, **lexicon_options) for d, p in zip(plain, posteriors)]
    changed = right = wrong = digits = 0
    for before, after, truth in zip(plain, fixed, texts):
        a, b, t = before.text.split(" "), after.text.split(" "), truth.split(" ")
        for k, (x, y) in enumerate(zip(a, b)):
            if x != y:
                changed += 1
                digits += any(ch.isdigit() for ch in x)
                if len(a) == len(t):
                    right += y == t[k]
                    wrong += x == t[k]
    return {"lines": len(texts), "cer": line_cer([d.text for d in plain], texts),
            "cer_lexicon": line_cer([d.text for d in fixed], texts), "words_changed": changed,
            "changes_right": right, "changes_wrong": wrong, "digit_words_changed": digits,
            "seconds_per_line": seconds / max(len(texts), 1)}
