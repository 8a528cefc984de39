"""Recognition of a laid-out page: the glyph engine, the line engine, and the choice between them per line and word.

The glyph engine classifies each letter crop and settles each word as
letters or digits; the line engine reads each line whole with the CTC line
recogniser (:mod:`ocr.recognition.line_engine`); ``auto`` keeps the line
engine's reading where the glyph engine had to cut touching letters or is far
less sure (:func:`choose_lines`), and word by word the common word of the two
(:func:`prefer_common_words`).
"""
import numpy as np

from ..boxes import line_chars
from ..layout.punctuation import place_marks
from ..params import DEFAULT
from ..result import Char, Line, PageResult, Word
from .classify import word_context
from .lexicon import correct_glyph_words, is_common, is_uncommon
from .line_engine import read_lines
from .line_image import ASCENDERS, X_HEIGHT_LETTERS
from .lone import drop_lone_guesses

ENGINES = ("glyph", "line", "mixed", "auto")
DEFAULT_ENGINE = "auto"
WHOLE_LINE_ENGINES = ("line", "mixed")
"""Engines that read lines whole, without classifying letters."""
DISTINCT_LOWERCASE = "abdefghijlmnqrty"
"""Lowercase letters whose capitals look different: a mixed-case reading holding them is evidence of mixed case."""
WORD_MARKS = ".,;:!?'\"()-"
"""Marks that may stand at a word's ends."""
SUM_SIGNS = "+="
"""Signs of a sum that only the mixed-case recogniser writes: a reading holding one between digits is a sum."""


def recognise(page, glyphs, page_layout, params=DEFAULT, engine=DEFAULT_ENGINE, recogniser=None, lexicon=None,
              mixed=None):
    """Read the lines of an upright, laid-out page.

    Parameters
    ----------
    page : ocr.layout.orientation.UprightPage
    glyphs : ocr.layout.glyphs.Glyphs
        Classified, except for ``engine='line'``.
    page_layout : ocr.layout.page_layout.PageLayout
    params : FrontEndParams
    engine : {'glyph', 'line', 'mixed', 'auto'}
        See :func:`ocr.page.read_page`.
    recogniser : ocr.recognition.numpy_line.NumpyLineRecogniser, optional
        The capitals' line recogniser, needed for 'line' ('auto' without it reads capitals as 'glyph').
    lexicon : ocr.recognition.lexicon.Lexicon, optional
    mixed : ocr.recognition.numpy_line.NumpyLineRecogniser, optional
        The mixed-case line recogniser, needed for 'mixed'; 'auto' keeps its reading of the lines it reads
        as mixed-case print (:func:`is_mixed_case`) or as a sum (:func:`is_sum`) more surely
        (:func:`keeps_mixed_reading`). Like the capitals' line recogniser, it reads only the lines whose
        reading it could change: those cut, read unsurely or holding an uncommon word.

    Returns
    -------
    PageResult
        On the upright working copy; ``crops`` and ``crop_labels`` in reading order (glyph readings).
    """
    binary, skew, structure = page.found.binary, page.skew, page_layout.lines
    if engine in WHOLE_LINE_ENGINES:
        reader = recogniser if engine == "line" else mixed
        return PageResult(line_engine_lines(binary, glyphs.boxes, structure, skew, reader, lexicon),
                          binary.shape, skew)
    lines, labels, conf = glyph_engine_lines(glyphs, page_layout, skew, lexicon, params)
    if engine == "auto":
        cut = [any(glyphs.cut[i] for word in line for i in word) for line in structure]
        wanted = [touching or line_confidence(line) < -params.auto_margin
                  or (lexicon is not None and any(is_uncommon(w.text, lexicon) for w in line.words))
                  for line, touching in zip(lines, cut)]
    if engine == "auto" and recogniser is not None:
        other = line_engine_lines(binary, glyphs.boxes, structure, skew, recogniser, lexicon, keep_empty=True,
                                  wanted=wanted)
        kept = choose_lines(lines, other, params.auto_margin, cut)
        unkept = [by_line if k is by_glyph else by_glyph for k, by_glyph, by_line in zip(kept, lines, other)]
        lines = prefer_common_words(kept, unkept, lexicon)
    if engine == "auto" and mixed is not None:
        by_mixed = line_engine_lines(binary, glyphs.boxes, structure, skew, mixed, lexicon, keep_empty=True,
                                     wanted=wanted)
        lines = [other if keeps_mixed_reading(line, other, params, lexicon) else line
                 for line, other in zip(lines, by_mixed)]
    lines = drop_lone_guesses(lines, structure, conf, page.found.ink, glyphs.boxes, page.found.stroke, params)
    order = [i for line in structure for word in line for i in word]
    return PageResult(lines, binary.shape, skew, 0, glyphs.rows[order], [labels[i] for i in order])


def glyph_engine_lines(glyphs, page_layout, skew, lexicon=None, params=DEFAULT):
    """Each line's words read glyph by glyph, settled by word context and the lexicon, with its punctuation.

    Returns
    -------
    lines : list of Line
        One per line of ``page_layout``.
    labels : list of str
        Each glyph's label.
    conf : (K,) float array
        Each glyph's confidence.
    """
    boxes, structure = glyphs.boxes, page_layout.lines
    words_flat = [word for line in structure for word in line]
    labels, conf = word_context(glyphs.probs, words_flat)
    labels, conf = correct_glyph_words(labels, conf, glyphs.probs, words_flat, lexicon)
    lines = []
    for line in structure:
        words = [Word([Char([int(v) for v in boxes[i]], labels[i], round(float(conf[i]), 4)) for i in word])
                 for word in line]
        lines.append(Line(words))
    placed = place_marks(page_layout.marks, boxes, structure, skew, params)
    for li, wi, position, label, box in sorted(placed, key=lambda m: -m[2]):
        lines[li].words[wi].chars.insert(position, Char([int(v) for v in box], label, 1.0))
    return lines, labels, conf


def line_engine_lines(binary, boxes, structure, skew, recogniser, lexicon, keep_empty=False, wanted=None):
    """Each line read whole by the line recogniser (:func:`ocr.recognition.line_engine.read_lines`), as Lines.

    ``keep_empty`` keeps a Line for every line of ``structure``, empty where
    nothing was read or the line was not ``wanted``.
    """
    lines = [Line([Word([Char(box, label, round(conf, 4)) for box, label, conf in word]) for word in words])
             for words in read_lines(binary, boxes, structure, skew, recogniser, lexicon, wanted)]
    return lines if keep_empty else [line for line in lines if line.words]


def keeps_mixed_reading(line, mixed_line, params=DEFAULT, lexicon=None):
    """Does ``engine='auto'`` keep the mixed-case recogniser's reading of a line over the capitals' engines'?

    When that reading is mixed-case print (:func:`is_mixed_case`) or a sum
    (:func:`is_sum`), and it is surer than the capitals' reading: its mean
    log-confidence per character beats theirs by ``params.mixed_margin``
    (:func:`line_confidence`). A line of block capitals that the mixed-case
    recogniser misreads with lowercase letters reads less surely so than the
    glyph classifier reads its capitals. Where the two readings differ in case
    alone, the letters' sizes decide (:func:`case_by_size`). Nor is it kept over a capitals'
    reading whose every word of letters is a common word of the lexicon when
    it holds fewer of them (:func:`common_words`: touching capitals ``7 JUMPS``
    read ``7 Junyrs``).

    Parameters
    ----------
    line, mixed_line : Line
        The capitals' engines' reading and the mixed-case recogniser's.
    params : FrontEndParams
    lexicon : ocr.recognition.lexicon.Lexicon, optional
    """
    if not (is_mixed_case(mixed_line, params.mixed_share) or is_sum(mixed_line, params.sum_confidence)):
        return False
    by_size = case_by_size(line, mixed_line, params.case_height)
    if by_size is not None:
        return by_size
    if lexicon is not None:
        common, every = common_words(line, lexicon)
        if common and every and common > common_words(mixed_line, lexicon)[0]:
            return False
    return line_confidence(mixed_line) > line_confidence(line) + params.mixed_margin


def case_by_size(line, mixed_line, ratio=DEFAULT.case_height):
    """Where a mixed-case reading differs from the capitals' reading in case alone, do the letters' sizes bear it out?

    Its x-height letters (``a c e m n o r s u v w x z`` read lowercase) must be
    at most ``ratio`` of the height of its tall ones (capitals, digits,
    ``b d f h k l t``), measured on the capitals' reading's letter boxes (an
    x-height letter is 0.5-0.65 of a capital; the letters of a line of block
    capitals are alike). ``Room`` for ``ROOM`` written in capitals is not.

    Returns
    -------
    bool or None
        None when the readings differ in more than case, or either group of letters is missing.
    """
    chars = line_chars(line)
    mixed = [c.label for c in line_chars(mixed_line)]
    if len(chars) != len(mixed) or "".join(c.label for c in chars).upper() != "".join(mixed).upper():
        return None
    heights = np.array([c.box[2] - c.box[0] for c in chars], float)
    small = [h for h, m in zip(heights, mixed) if m in X_HEIGHT_LETTERS]
    tall = [h for h, m in zip(heights, mixed) if m.isupper() or m.isdigit() or m in ASCENDERS + "t"]
    if not small or not tall:
        return None
    return bool(np.median(small) <= ratio * np.median(tall))


def common_words(line, lexicon):
    """How many of a line's words, stripped of marks at their ends and in any case, are common words of ``lexicon``,
    and whether every word of letters is one (:func:`ocr.recognition.lexicon.is_common`, ``is_uncommon``).

    Returns
    -------
    (int, bool)
    """
    words = [word.text.strip(WORD_MARKS).upper() for word in line.words]
    return sum(is_common(w, lexicon) for w in words), not any(is_uncommon(w, lexicon) for w in words)


def is_mixed_case(line, share=DEFAULT.mixed_share):
    """Does a mixed-case recogniser's reading of a line say it is mixed-case print?

    At least ``share`` of its letters (and at least one) are lowercase
    letters whose capitals look different (:data:`DISTINCT_LOWERCASE`): a
    line of block capitals read with a stray ``e`` is not mixed-case.
    """
    letters = [c for c in line.text if c.isalpha()]
    distinct = sum(c in DISTINCT_LOWERCASE for c in letters)
    return distinct >= max(1.0, share * len(letters))


def is_sum(line, confidence=DEFAULT.sum_confidence):
    """Does a mixed-case recogniser's reading of a line hold a sign of a sum (:data:`SUM_SIGNS`) between digits?

    ``2+2``, ``2 + 4 - 3 = 3``: the capitals' engines have no ``+`` or ``=``
    and read them as ``T``, ``F`` or nothing. The sign must be read with at
    least ``confidence`` (``FrontEndParams.sum_confidence``).
    """
    chars = line_chars(line)
    text = "".join(c.label for c in chars)
    return any(c.label in SUM_SIGNS and c.confidence >= confidence and i and text[i - 1].isdigit()
               and text[i + 1:i + 2].isdigit() for i, c in enumerate(chars))


def line_confidence(line):
    """Mean log-confidence of a line's characters (``-inf`` for an empty line)."""
    conf = [c.confidence for c in line_chars(line)]
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
    :func:`recognise` asks it for those lines, and for lines holding an
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
