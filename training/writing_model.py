"""Train the writing / non-writing decision (``ocr/models/writing.npz``): ``python cli.py train writing``.

Examples are the candidates the reader itself finds: each synthetic page of
:func:`training.writing_pages.synth_page` is put through the reader's front
end, orientation and layout, and each laid-out line is labelled writing when
most of its boxes are written glyphs (non-writing when few are), each small
mark writing when it is a written punctuation mark (non-writing when it is
not on any written glyph). The lines of real dev pages (folders of
``NAME.jpg|png`` with ``NAME.txt``) add writing as cameras and writers give
it: a line whose glyph reading is within half its length of a truth line is
writing, one far from every truth line is not. Two logistic regressions
(lines, marks) are fitted on standardised features, classes weighted equally.
"""
import time
from pathlib import Path

import numpy as np

from ocr.layout.orientation import rotate_boxes, stand_upright
from ocr.layout.page_layout import lay_out
from ocr.layout.writing import (LINE_FEATURES, MARK_FEATURES, BoxStats, box_stats, classifier_probe, line_features,
                                mark_features)
from ocr.page import letters_of
from ocr.params import DEFAULT
from ocr.frontend.letters import locate
from ocr.recognition.glyph import CLASSES

from .metrics import edit_distance
from .recipes import WRITING
from .writing_pages import synth_page

THRESHOLD = 0.5
"""P(writing) at which a candidate is kept: classes weighted equally, the even point."""


def candidates(image, classifier, params=DEFAULT):
    """The reader's laid-out lines and marks of a page with their features.

    Returns
    -------
    dict or None
        ``lines`` (structure), ``line_x`` (L, F), ``marks`` (M, 4) and ``mark_x``
        (M, F') on the upright working copy, ``boxes``, ``labels`` (glyph
        argmax per box), ``scale``, ``turns``, ``shape`` (the working copy's
        shape before turning); None when no letter was found.
    """
    found = locate(image, params)
    if len(found.boxes) == 0:
        return None
    page = stand_upright(found, classifier, params)
    if len(page.found.boxes) == 0:
        return None
    glyphs = letters_of(page, classifier, "glyph", params)
    layout = lay_out(glyphs.boxes, page.skew, params, page.found.marks)
    stats = box_stats(glyphs.boxes, page.found.ink, page.found.contrast, page.found.sheet)
    line_x = line_features(layout.lines, glyphs.boxes, glyphs.probs, stats, page.found.stroke, glyphs.rows)
    marks = np.asarray(layout.marks, int).reshape(-1, 4)
    mark_stats = box_stats(marks, page.found.ink, page.found.contrast, page.found.sheet)
    return {"lines": layout.lines, "line_x": line_x, "marks": marks, "boxes": glyphs.boxes, "stats": stats,
            "probs": glyphs.probs, "mark_stats": mark_stats, "scale": found.scale, "turns": page.turns,
            "shape": found.ink.shape, "labels": [CLASSES[i] for i in np.argmax(glyphs.probs, axis=1)]}


def _centre_inside(boxes, truth, pad=0.25):
    """Per box: is its centre inside one of the ``truth`` boxes grown by ``pad`` of their height?"""
    boxes, truth = np.asarray(boxes, float).reshape(-1, 4), np.asarray(truth, float).reshape(-1, 4)
    if len(truth) == 0 or len(boxes) == 0:
        return np.zeros(len(boxes), bool)
    cy, cx = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    grow = pad * (truth[:, 2] - truth[:, 0])
    return ((cy[:, None] >= truth[None, :, 0] - grow) & (cy[:, None] <= truth[None, :, 2] + grow)
            & (cx[:, None] >= truth[None, :, 1] - grow) & (cx[:, None] <= truth[None, :, 3] + grow)).any(axis=1)


def _marks_x(found, keep_lines):
    kept = [i for line, k in zip(found["lines"], keep_lines) if k for word in line for i in word]
    if not kept or len(found["marks"]) == 0:
        return np.zeros((0, len(MARK_FEATURES)))
    stats = found["stats"]
    sub = BoxStats(*(getattr(stats, f)[kept] for f in BoxStats.__dataclass_fields__))
    return mark_features(found["marks"], found["mark_stats"], found["boxes"][kept], found["probs"][kept], sub)


def synthetic_examples(bank, classifier, n_pages, rng, params=DEFAULT, progress=None):
    """Labelled line and mark features from ``n_pages`` synthetic pages.

    Returns
    -------
    line_x, line_y, mark_x, mark_y : arrays (y: 1 writing, 0 not)
    """
    lx, ly, mx, my = [], [], [], []
    for k in range(n_pages):
        image, glyph_boxes, mark_boxes = synth_page(bank, rng)
        found = candidates(image, classifier, params)
        if progress:
            progress(k)
        if found is None:
            continue

        def upright(b):
            b = np.round(np.asarray(b, float).reshape(-1, 4) * found["scale"]).astype(int)
            return rotate_boxes(b, found["shape"], found["turns"])

        glyph_truth, mark_truth = upright(glyph_boxes), upright(mark_boxes)
        written = _centre_inside(found["boxes"], glyph_truth)
        labels = []
        for line in found["lines"]:
            members = [i for word in line for i in word]
            share = float(np.mean(written[members]))
            labels.append(1 if share >= 0.6 else 0 if share <= 0.2 else -1)
        for x, y in zip(found["line_x"], labels):
            if y >= 0:
                lx.append(x)
                ly.append(y)
        marks_x = _marks_x(found, [y == 1 for y in labels])
        if len(marks_x):
            is_mark = _centre_inside(found["marks"], mark_truth, 0.5)
            on_glyph = _centre_inside(found["marks"], glyph_truth, 0.0)
            for x, m, g in zip(marks_x, is_mark, on_glyph):
                if m or not g:
                    mx.append(x)
                    my.append(int(m))
    return (np.array(lx).reshape(-1, len(LINE_FEATURES)), np.array(ly, int),
            np.array(mx).reshape(-1, len(MARK_FEATURES)), np.array(my, int))


def _normalised_distance(a, b):
    return edit_distance(a, b) / max(len(b), 1)


def dev_page_examples(folders, classifier, params=DEFAULT):
    """Labelled line features from real pages with truth text (their writing, and any junk lines read on them)."""
    from .evaluate_pages import page_pairs

    from ocr.decode.sources import decode_pages

    lx, ly = [], []
    for folder in folders:
        for image_path, truth_path in page_pairs(folder):
            truths = ["".join(t.split()).upper() for t in truth_path.read_text().splitlines() if t.strip()]
            image = next(iter(decode_pages(str(image_path), max_side=params.work_side))).image
            found = candidates(image, classifier, params)
            if found is None:
                continue
            for line, x in zip(found["lines"], found["line_x"]):
                text = "".join(found["labels"][i] for word in line for i in word)
                best = min(_normalised_distance(text, t) for t in truths)
                y = 1 if best <= 0.5 else 0 if best >= 0.8 else -1
                if y >= 0:
                    lx.append(x)
                    ly.append(y)
    return np.array(lx).reshape(-1, len(LINE_FEATURES)), np.array(ly, int)


def fit_logistic(x, y, l2=WRITING["l2"], steps=WRITING["steps"], lr=WRITING["lr"]):
    """Logistic regression on standardised ``x``, positive and negative classes weighted equally.

    Returns
    -------
    dict with ``mean``, ``scale``, ``weights``, ``bias``
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    mean, scale = x.mean(axis=0), np.maximum(x.std(axis=0), 1e-6)
    z = (x - mean) / scale
    weight = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = weight * (p - y)
        w -= lr * (z.T @ g + l2 * w)
        b -= lr * g.sum()
    return {"mean": mean, "scale": scale, "weights": w, "bias": np.array(b)}


def predict(part, x):
    """P(writing) of rows ``x`` under a fitted part (:func:`fit_logistic`)."""
    z = ((np.asarray(x, float) - part["mean"]) / part["scale"]) @ part["weights"] + part["bias"]
    return 1 / (1 + np.exp(-z))


def balanced_accuracy(p, y, threshold=THRESHOLD):
    """Mean of the accuracies on writing and on non-writing."""
    y = np.asarray(y, int)
    hit = (np.asarray(p) >= threshold).astype(int) == y
    return float(np.mean([hit[y == c].mean() for c in (0, 1) if (y == c).any()]))


def train_writing(bank, classifier, n_pages=WRITING["pages"], seed=0, dev_dirs=(), params=DEFAULT, progress=None):
    """Fit the writing model on synthetic pages (and the lines of ``dev_dirs``), measured on fresh synthetic pages.

    Returns
    -------
    arrays : dict of arrays for ``np.savez`` (the file :func:`ocr.layout.writing.load_writing_model` reads)
    report : dict of counts and balanced accuracies
    """
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    lx, ly, mx, my = synthetic_examples(bank, classifier, n_pages, rng, params, progress)
    vx, vy, vmx, vmy = synthetic_examples(bank, classifier, max(20, n_pages // 4), np.random.default_rng(seed + 1),
                                          params)
    dx, dy = dev_page_examples(dev_dirs, classifier, params) if dev_dirs else (np.zeros((0, lx.shape[1])), [])
    line = fit_logistic(np.concatenate([lx, dx]), np.concatenate([ly, dy]))
    mark = fit_logistic(mx, my)
    arrays = {f"line_{k}": v for k, v in line.items()}
    arrays.update({f"mark_{k}": v for k, v in mark.items()})
    arrays.update(threshold=np.array(THRESHOLD), line_features=np.array(LINE_FEATURES),
                  mark_features=np.array(MARK_FEATURES), probe=classifier_probe(classifier))
    report = {
        "lines": int(len(ly)), "writing_lines": int(ly.sum()), "marks": int(len(my)), "written_marks": int(my.sum()),
        "dev_lines": int(len(dy)), "dev_writing_lines": int(np.sum(dy)),
        "line_balanced_accuracy_train": balanced_accuracy(predict(line, lx), ly),
        "line_balanced_accuracy_fresh": balanced_accuracy(predict(line, vx), vy),
        "mark_balanced_accuracy_fresh": balanced_accuracy(predict(mark, vmx), vmy) if len(vmy) else None,
        "dev_lines_kept": float(np.mean(predict(line, dx)[np.asarray(dy) == 1] >= THRESHOLD)) if len(dy) else None,
        "seconds": time.perf_counter() - started,
        "weights": {name: round(float(w), 3) for name, w in zip(LINE_FEATURES, line["weights"])},
    }
    return arrays, report


def save_model(path, arrays, command, seed):
    """Write the model file with the command that made it."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, command=np.array(command), seed=np.array(seed), **arrays)
