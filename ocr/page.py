"""Read a whole page: find letters, group them, classify them."""

import numpy as np
from scipy import ndimage as ndi

from .boxes import unscaled_box
from .frontend.letters import locate
from .layout.lines import estimate_skew, layout
from .layout.merge import join_broken
from .layout.orientation import detect_orientation, rotate_boxes
from .layout.punctuation import hanging_marks, place_marks
from .layout.split import split_touching
from .params import DEFAULT
from .recognition.classify import predict_proba, word_context
from .recognition.crops import normalise_crops
from .recognition.glyph import MIN_ROTATION
from .recognition.lexicon import correct_glyph_words, is_common, is_uncommon
from .recognition.line_engine import read_lines
from .result import Char, Line, PageResult, Word

DEFAULT_ENGINE = "auto"


def read_page(image, classifier, params=DEFAULT, engine=DEFAULT_ENGINE, recogniser=None, lexicon=None):
    """Recognise the block capitals on a page image.

    The page is turned upright first when another quarter turn reads more
    confidently (see ``ocr.layout.orientation``).

    Parameters
    ----------
    image : (H, W) or (H, W, C) array
    classifier : object with ``predict_proba(rows) -> (N, 36)``, or None with ``engine='line'``
        (the page is then read as it stands, without the quarter-turn search)
    params : FrontEndParams, optional
    engine : {'glyph', 'line', 'auto'}
        'glyph' cuts letters and classifies each; 'line' reads every line with
        ``recogniser`` (``ocr.recognition.line_engine``); 'auto' reads every line both ways
        and keeps the line engine's reading of lines where letters touch, or
        where it is far more confident (:func:`choose_lines`); without a
        ``recogniser`` it is 'glyph'.
    recogniser : ocr.recognition.numpy_line.NumpyLineRecogniser, optional
        Needed for 'line' and 'auto'.
    lexicon : ocr.recognition.lexicon.Lexicon, optional
        Corrects unsure letters-only words (both engines).

    Returns
    -------
    PageResult
        Empty (no lines) for a blank page; ``rotation`` is the counter-clockwise
        turn in degrees applied to stand the page upright; boxes are in the
        input image's coordinates; ``crops`` holds the normalised 32x32 rows
        the classifier saw, in reading order, with ``crop_labels``.
    """
    image = np.asarray(image)
    shape = tuple(image.shape[:2])
    found = locate(image, params)
    if len(found.boxes) == 0:
        return PageResult([], shape, 0.0)
    turns, upright = 0, None
    if classifier is not None:
        skew = estimate_skew(found.boxes, params.max_tilt)
        upright = _classify(found, classifier, skew)
        turns = detect_orientation(found.binary, found.boxes, classifier, params,
                                   upright[1:] if abs(skew) < MIN_ROTATION else None, reading=upright[2])
        if turns:
            found, upright = found.turned(turns, params), None
            if len(found.boxes) == 0:
                return PageResult([], shape, 0.0, 90 * turns)
    result = _read_located(found, classifier, params, engine, recogniser, lexicon, upright)
    result.rotation = 90 * turns
    _unturn(result.lines, found.ink.shape, turns)
    _to_input_frame(result.lines, found.scale, shape)
    result.shape = shape
    return result


def _classify(found, classifier, skew):
    """``(skew, rows, probs)`` of the letter boxes of ``found`` normalised with the page's skew."""
    rows = normalise_crops(found.binary, found.boxes, skew)
    return skew, rows, predict_proba(rows, classifier)


def _read_located(found, classifier, params, engine, recogniser, lexicon, upright=None):
    """Read the upright letters of ``found``; boxes stay on its working copy."""
    binary, boxes, marks = found.binary, found.boxes, found.marks
    skew = upright[0] if upright is not None else estimate_skew(boxes, params.max_tilt)
    if engine == "line":
        lines = _line_engine(binary, boxes, layout(boxes, skew, params), skew, recogniser, lexicon)
        return PageResult(lines, binary.shape, skew)
    _, rows, probs = upright if upright is not None else _classify(found, classifier, skew)
    found_boxes = {tuple(int(v) for v in b) for b in boxes}
    boxes, rows, probs = split_touching(binary, boxes, rows, probs, classifier, skew)
    pieces = {tuple(int(v) for v in b) for b in boxes} - found_boxes
    boxes, rows, probs = join_broken(binary, boxes, rows, probs, classifier, skew, params)
    structure, hanging = hanging_marks(layout(boxes, skew, params), boxes, skew, params)
    marks = np.concatenate([np.asarray(marks, int).reshape(-1, 4), boxes[hanging]])
    words_flat = [word for line in structure for word in line]
    labels, conf = word_context(probs, words_flat)
    labels, conf = correct_glyph_words(labels, conf, probs, words_flat, lexicon)
    lines = []
    for line in structure:
        words = [Word([Char([int(v) for v in boxes[i]], labels[i], round(float(conf[i]), 4)) for i in word])
                 for word in line]
        lines.append(Line(words))
    for li, wi, position, label, box in sorted(place_marks(marks, boxes, structure, skew, params), key=lambda m: -m[2]):
        lines[li].words[wi].chars.insert(position, Char([int(v) for v in box], label, 1.0))
    if engine == "auto" and recogniser is not None:
        cut = [any(tuple(int(v) for v in boxes[i]) in pieces for word in line for i in word) for line in structure]
        wanted = [touching or line_confidence(line) < -params.auto_margin
                  or (lexicon is not None and any(is_uncommon(w.text, lexicon) for w in line.words))
                  for line, touching in zip(lines, cut)]
        other = _line_engine(binary, boxes, structure, skew, recogniser, lexicon, keep_empty=True, wanted=wanted)
        kept = choose_lines(lines, other, params.auto_margin, cut)
        unkept = [by_line if k is by_glyph else by_glyph for k, by_glyph, by_line in zip(kept, lines, other)]
        lines = prefer_common_words(kept, unkept, lexicon)
    lone = [i for line in structure if sum(map(len, line)) <= params.lone_max_letters for word in line for i in word]
    thickness = np.zeros(len(boxes))
    thickness[lone] = blob_radius(found.ink, boxes[lone]) / found.stroke
    unsure = lone_guesses(structure, conf, thickness, params)
    lines = [line for line, drop in zip(lines, unsure) if not drop and line.words]
    order = [i for line in structure for word in line for i in word]
    return PageResult(lines, binary.shape, skew, 0, rows[order], [labels[i] for i in order])


def line_confidence(line):
    """Mean log-confidence of a line's characters (``-inf`` for an empty line)."""
    conf = [c.confidence for word in line.words for c in word.chars]
    return float(np.mean(np.log(np.maximum(conf, 1e-9)))) if conf else -np.inf


def choose_lines(glyph_lines, line_engine_lines, margin=DEFAULT.auto_margin, cut=None):
    """Per line, the line engine's reading where the glyph engine had to cut touching letters or is far less sure.

    Parameters
    ----------
    glyph_lines, line_engine_lines : lists of Line
        The same lines of the page read by each engine.
    margin : float
        Otherwise the line engine's reading is kept when its mean log-confidence
        per character beats the glyph engine's by this much.
    cut : list of bool, optional
        Per line: did the glyph engine cut a box of touching letters on it
        (:func:`ocr.layout.split.split_touching`)? There the line engine reads, unless
        it read nothing.

    A line engine reading is at most 0 in mean log-confidence, so it can only
    win on cut lines and on lines the glyph engine read below ``-margin``:
    :func:`read_page` asks it for those lines, and for lines holding an
    uncommon word (:func:`prefer_common_words`), alone.

    Returns
    -------
    list of Line
    """
    cut = cut or [False] * len(glyph_lines)
    return [other if (touching and other.words) or line_confidence(other) > line_confidence(line) + margin else line
            for line, other, touching in zip(glyph_lines, line_engine_lines, cut)]


def prefer_common_words(lines, others, lexicon):
    """Per word, the other engine's reading where it is a common word and the kept one is an uncommon one.

    The two readings of a line are compared word by word when they hold as
    many words. A letters-only word that is not among the lexicon's common
    words (:func:`ocr.recognition.lexicon.is_common`: a misreading, a rare word or a name)
    gives way to the other engine's word when that one is common. Words with
    digits or marks are never exchanged.

    Parameters
    ----------
    lines, others : lists of Line
        The kept reading of each line and the other engine's.
    lexicon : ocr.recognition.lexicon.Lexicon or None
        None leaves ``lines`` as they are.

    Returns
    -------
    list of Line
    """
    if lexicon is None:
        return lines
    out = []
    for line, other in zip(lines, others):
        if len(line.words) == len(other.words) and line.words:
            line = Line([o if is_uncommon(w.text, lexicon) and is_common(o.text, lexicon) else w
                         for w, o in zip(line.words, other.words)])
        out.append(line)
    return out


def lone_guesses(structure, conf, thickness, params=DEFAULT):
    """Lines that are a lone shape that is not writing.

    A sheet's edge, a punch hole or a desk's texture left over by the filters
    stands alone on its line and either reads as no letter in particular or is
    a blot far thicker than the page's strokes, while a written line holds
    several letters or one pen-thin letter read with confidence.

    Parameters
    ----------
    structure : list of lines, each a list of words, each a list of box indices
    conf : (N,) array
        Confidence of each box's label.
    thickness : (N,) array
        Each box's :func:`blob_radius` in page stroke widths (only read for
        the boxes of lines of at most ``lone_max_letters``).
    params : FrontEndParams
        ``lone_max_letters``, ``lone_min_confidence`` and ``lone_blob_strokes``.

    Returns
    -------
    drop : list of bool, one per line
    """
    drop = []
    for line in structure:
        members = [i for word in line for i in word]
        drop.append(len(members) <= params.lone_max_letters
                    and (max(float(conf[i]) for i in members) < params.lone_min_confidence
                         or min(float(thickness[i]) for i in members) > params.lone_blob_strokes))
    return drop


def blob_radius(ink, boxes):
    """Radius in px of the largest disc that fits in the ink of each box.

    Parameters
    ----------
    ink : (H, W) bool array
    boxes : (K, 4) int array

    Returns
    -------
    (K,) float array
    """
    radius = np.zeros(len(boxes))
    for k, (y1, x1, y2, x2) in enumerate(np.asarray(boxes, int).reshape(-1, 4)):
        inside = ink[max(y1, 0):y2, max(x1, 0):x2]
        if inside.any():
            radius[k] = ndi.distance_transform_edt(np.pad(inside, 1)).max()
    return radius


def _to_input_frame(lines, scale, shape):
    """Map character boxes from a working copy ``scale`` times the input back to the input's ``shape``."""
    if scale == 1.0:
        return lines
    for char in (c for line in lines for word in line.words for c in word.chars):
        char.box = unscaled_box(char.box, (scale, scale), shape)
    return lines


def _line_engine(binary, boxes, structure, skew, recogniser, lexicon, keep_empty=False, wanted=None):
    lines = [Line([Word([Char(box, label, round(conf, 4)) for box, label, conf in word]) for word in words])
             for words in read_lines(binary, boxes, structure, skew, recogniser, lexicon, wanted)]
    return lines if keep_empty else [line for line in lines if line.words]


def _unturn(lines, shape, turns):
    """Map the character boxes of ``lines`` from the page turned by ``turns`` quarter turns back to the input."""
    if turns:
        for char in (c for line in lines for word in line.words for c in word.chars):
            char.box = [int(v) for v in rotate_boxes([char.box], shape, -turns)[0]]
    return lines
