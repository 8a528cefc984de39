"""Compare recognised page text with ground truth: CER with and without case, per page, category and source.

The one scoring of page text in the project: ``evaluate-ocr`` and the peer
benchmark (``benchmarks/peers.py``) both use it.
"""
import csv
import os
import statistics
import time
from pathlib import Path

import numpy as np

from ocr.api import Reader

from .metrics import edit_distance

PAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
SOURCES = "sources.tsv"
"""A folder's table of its pages' sources: columns ``file``, ``repo`` (the source group), ``category``, ..."""
NO_GROUP = "(none)"


def squeeze(text, case_sensitive=True):
    """``text`` without any whitespace, lower-cased unless ``case_sensitive``."""
    text = "".join(text.split())
    return text if case_sensitive else text.lower()


def cer(predicted, truth, case_sensitive=False):
    """Character error rate with all whitespace removed, over truth length; case ignored unless ``case_sensitive``."""
    t = squeeze(truth, case_sensitive)
    return edit_distance(squeeze(predicted, case_sensitive), t) / max(len(t), 1)


def page_score(predicted, truth):
    """Edit counts and CERs of one page, case-insensitive (``ci``) and case-sensitive (``cs``).

    Parameters
    ----------
    predicted, truth : str
        Page texts; whitespace (spaces, line breaks) is ignored.

    Returns
    -------
    dict
        ``chars`` (truth characters without whitespace), ``edits_ci``, ``edits_cs``, ``cer_ci``, ``cer_cs``
        (edits over ``max(chars, 1)``).
    """
    chars = len(squeeze(truth))
    score = {"chars": chars}
    for tag, case_sensitive in (("ci", False), ("cs", True)):
        edits = edit_distance(squeeze(predicted, case_sensitive), squeeze(truth, case_sensitive))
        score[f"edits_{tag}"] = edits
        score[f"cer_{tag}"] = edits / max(chars, 1)
    return score


def pooled(scores):
    """CERs pooled over all characters of ``scores`` (total edits over total truth characters).

    Parameters
    ----------
    scores : list of dict
        :func:`page_score` results, each may hold ``seconds``.

    Returns
    -------
    dict
        ``pages``, ``chars``, ``edits_ci``, ``edits_cs``, ``cer_ci``, ``cer_cs`` and ``seconds_mean`` /
        ``seconds_median`` per page (None without timings).
    """
    chars = sum(s["chars"] for s in scores)
    out = {"pages": len(scores), "chars": chars}
    for tag in ("ci", "cs"):
        out[f"edits_{tag}"] = sum(s[f"edits_{tag}"] for s in scores)
        out[f"cer_{tag}"] = out[f"edits_{tag}"] / max(chars, 1)
    seconds = [s["seconds"] for s in scores if s.get("seconds") is not None]
    out["seconds_mean"] = statistics.fmean(seconds) if seconds else None
    out["seconds_median"] = statistics.median(seconds) if seconds else None
    return out


def read_sources(folder):
    """Rows of ``folder/sources.tsv`` by file name (``{}`` when there is none)."""
    path = Path(folder) / SOURCES
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def load_folder(folder):
    """The pages of ``folder`` with their truth and their ``sources.tsv`` groups.

    Returns
    -------
    list of dict
        ``page`` (file name), ``path``, ``truth``, ``category`` and ``repo`` (None without a ``sources.tsv``,
        ``'(none)'`` for a page missing from it).
    """
    sources = read_sources(folder)
    pages = []
    for image, truth in page_pairs(folder):
        row = sources.get(image.name, {}) if sources else None
        pages.append({"page": image.name, "path": str(image), "truth": truth.read_text(encoding="utf-8").strip("\n"),
                      "category": None if row is None else row.get("category") or NO_GROUP,
                      "repo": None if row is None else row.get("repo") or NO_GROUP})
    return pages


def wer(predicted, truth):
    """Word error rate on whitespace-split words, over the truth word count."""
    t = truth.split()
    return edit_distance(predicted.split(), t) / max(len(t), 1)


def text_lines(text):
    """Non-empty lines of ``text``."""
    return [line for line in text.splitlines() if line.strip()]


def score_text(predicted, truth):
    """CER (case ignored; ``cer_cased``: case kept), WER and line counts of one page as a dict."""
    n_pred, n_truth = len(text_lines(predicted)), len(text_lines(truth))
    return {
        "cer": cer(predicted, truth),
        "cer_cased": cer(predicted, truth, case_sensitive=True),
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
        One per page with ``page``, ``category`` and ``repo`` (from the
        folder's ``sources.tsv``, else None), ``cer`` (case ignored),
        ``cer_cased`` (case kept), ``wer``, ``lines``, ``truth_lines``,
        ``lines_match``, ``chars`` (truth character count), ``text``,
        ``truth`` and ``seconds`` (reading time).
    """
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{folder}: no such directory")
    rows, reader = [], Reader(classifier, **read_options)
    for page in load_folder(folder):
        image_path, truth = Path(page["path"]), page["truth"]
        started = time.perf_counter()
        result = reader.read(image_path)[0]
        row = {"page": image_path.name, "category": page["category"], "repo": page["repo"]}
        row.update(score_text(result.text, truth))
        row["chars"] = len("".join(truth.split()))
        row["text"] = result.text
        row["truth"] = truth
        row["seconds"] = time.perf_counter() - started
        rows.append(row)
    return rows


def overall(rows):
    """Character-weighted CER (case ignored and kept), mean WER and line-match count over pages."""
    if not rows:
        return {"pages": 0, "cer": 0.0, "cer_cased": 0.0, "wer": 0.0, "lines_match": 0}
    chars = np.array([r["chars"] for r in rows], float)
    return {
        "pages": len(rows),
        "cer": float(np.sum(np.array([r["cer"] for r in rows]) * chars) / max(chars.sum(), 1)),
        "cer_cased": float(np.sum(np.array([r["cer_cased"] for r in rows]) * chars) / max(chars.sum(), 1)),
        "wer": float(np.mean([r["wer"] for r in rows])),
        "lines_match": int(sum(r["lines_match"] for r in rows)),
    }


def overall_by(rows, key):
    """:func:`overall` of each group of pages sharing ``row[key]`` (``'category'`` or ``'repo'``), sorted by group.

    Empty when no page has a group (no ``sources.tsv``).
    """
    groups = sorted({r.get(key) for r in rows if r.get(key) is not None})
    return {g: overall([r for r in rows if r.get(key) == g]) for g in groups}


def evaluate_line_set(recogniser, strips, texts, lexicon=None, **lexicon_options):
    """Line CER of the CTC recogniser on fixed synthetic lines, without and with a lexicon.

    ``lexicon_options`` (``unsure``, ``margin``, ``min_length``) go to ``ocr.recognition.lexicon.correct_ctc_line``.

    Returns
    -------
    dict
        ``lines``, ``cer`` (greedy, case kept), ``cer_uncased`` (the same, case ignored),
        ``cer_lexicon`` (greedy then ``lexicon``, equal to ``cer``
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
            "cer_uncased": line_cer([d.text.lower() for d in plain], [t.lower() for t in texts]),
            "cer_lexicon": line_cer([d.text for d in fixed], texts), "words_changed": changed,
            "changes_right": right, "changes_wrong": wrong, "digit_words_changed": digits,
            "seconds_per_line": seconds / max(len(texts), 1)}
