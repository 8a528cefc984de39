"""Read one decoded page: front end, layout, recognition, each one call, and the result mapped back to the page."""
import numpy as np

from .boxes import unscaled_box
from .frontend.letters import locate
from .layout.glyphs import Glyphs, classify_glyphs, segment_glyphs
from .layout.orientation import rotate_boxes, stand_upright
from .layout.page_layout import lay_out
from .layout.writing import keep_writing
from .params import DEFAULT
from .recognition.engines import DEFAULT_ENGINE, WHOLE_LINE_ENGINES, recognise
from .recognition.half_turn import settle_half_turn
from .result import PageResult


def read_page(image, classifier, params=DEFAULT, engine=DEFAULT_ENGINE, recogniser=None, lexicon=None, mixed=None):
    """Recognise the writing on a page image.

    The page is turned upright first when another quarter turn reads more
    confidently (see ``ocr.layout.orientation``); with ``engine='auto'`` and a
    mixed-case recogniser, a page whose letters read unsurely (:func:`reads_surely`)
    is then turned by a half turn when that recogniser reads it far more
    surely so (:func:`ocr.recognition.half_turn.settle_half_turn`).

    Parameters
    ----------
    image : (H, W) or (H, W, C) array
    classifier : object with ``predict_proba(rows) -> (N, 36)``, or None with ``engine='line'`` or ``'mixed'``
        (the page is then read as it stands, without the quarter-turn search)
    params : FrontEndParams, optional
    engine : {'glyph', 'line', 'mixed', 'auto'}
        'glyph' cuts letters and classifies each; 'line' reads every line with
        ``recogniser`` (``ocr.recognition.line_engine``), 'mixed' with
        ``mixed``; 'auto' reads every line both ways and keeps the line
        engine's reading of lines where letters touch, or where it is far more
        confident (:func:`ocr.recognition.engines.choose_lines`), and the
        mixed-case recogniser's reading of lines it reads as mixed-case print
        (:func:`ocr.recognition.engines.is_mixed_case`); without a
        ``recogniser`` it is 'glyph' for capitals.
    recogniser : ocr.recognition.numpy_line.NumpyLineRecogniser, optional
        The capitals' line recogniser; needed for 'line'.
    lexicon : ocr.recognition.lexicon.Lexicon, optional
        Corrects unsure letters-only words (every engine).
    mixed : ocr.recognition.numpy_line.NumpyLineRecogniser, optional
        The mixed-case line recogniser; needed for 'mixed'.

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
    page = stand_upright(found, classifier, params)
    if len(page.found.boxes) == 0:
        return PageResult([], shape, 0.0, 90 * page.turns)
    glyphs = letters_of(page, classifier, engine, params)
    if engine == "auto" and mixed is not None and not reads_surely(glyphs, params):
        turned = settle_half_turn(page, mixed, params)
        if turned is not page:
            page, glyphs = turned, letters_of(turned, classifier, engine, params)
    page_layout = lay_out(glyphs.boxes, page.skew, params,
                          None if engine in WHOLE_LINE_ENGINES else page.found.marks)
    if params.only_writing:
        page_layout = keep_writing(page.found, glyphs, page_layout, classifier=classifier)
    result = recognise(page, glyphs, page_layout, params, engine, recogniser, lexicon, mixed)
    return in_input_frame(result, page, shape)


def reads_surely(glyphs, params=DEFAULT):
    """Do a page's letters read as surely as the right turn of a page does (``params.orientation_confidence``)?

    The geometric mean of their best class probabilities; such a page is not
    read again for the half turn (:func:`ocr.recognition.half_turn.settle_half_turn`).
    """
    if glyphs.probs is None or not len(glyphs.probs):
        return True
    return float(np.exp(np.mean(np.log(np.maximum(glyphs.probs.max(axis=1), 1e-9))))) >= params.orientation_confidence


def letters_of(page, classifier, engine=DEFAULT_ENGINE, params=DEFAULT):
    """The upright page's letters as the engine reads them: boxes alone for whole lines, else classified and cut."""
    if engine in WHOLE_LINE_ENGINES:
        return Glyphs(page.found.boxes)
    glyphs = page.glyphs
    if glyphs is None:
        glyphs = classify_glyphs(page.found.binary, page.found.boxes, classifier, page.skew)
    return segment_glyphs(page.found.binary, glyphs, classifier, page.skew, params)


def in_input_frame(result, page, shape):
    """``result``, read on the upright working copy of ``page``, with its boxes in the input image's ``shape``."""
    result.rotation = 90 * page.turns
    _unturn(result.lines, page.found.ink.shape, page.turns)
    _to_input_frame(result.lines, page.found.scale, shape)
    result.shape = shape
    return result


def _to_input_frame(lines, scale, shape):
    """Map character boxes from a working copy ``scale`` times the input back to the input's ``shape``."""
    if scale == 1.0:
        return lines
    for char in (c for line in lines for word in line.words for c in word.chars):
        char.box = unscaled_box(char.box, (scale, scale), shape)
    return lines


def _unturn(lines, shape, turns):
    """Map the character boxes of ``lines`` from the page turned by ``turns`` quarter turns back to the input."""
    if turns:
        for char in (c for line in lines for word in line.words for c in word.chars):
            char.box = [int(v) for v in rotate_boxes([char.box], shape, -turns)[0]]
    return lines
