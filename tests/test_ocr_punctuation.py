import numpy as np
from ocr_drawing import draw_dot, text_page
from skimage import draw

from ocr.layout.punctuation import hanging_marks, mark_label
from ocr.page import read_page
from ocr.params import DEFAULT
from ocr.recognition.glyph import CLASSES


class AlwaysT:
    """Reads every crop as T."""

    def predict_proba(self, rows):
        probs = np.full((len(rows), 36), 0.1 / 35)
        probs[:, CLASSES.index("T")] = 0.9
        return probs


def stroke(page, y0, x0, y1, x1, width=4, ink=0.15):
    for d in range(width):
        rr, cc = draw.line(y0, x0 + d, y1, x1 + d)
        page[rr, cc] = ink
    return page


def test_marks_are_read_from_shape_and_position():
    page = text_page([["THE", "LIFT"], ["TE", "LT"]])
    draw_dot(page, 117, 224, 4)
    stroke(page, 112, 452, 128, 446)
    stroke(page, 172, 176, 172, 206)
    stroke(page, 173, 176, 173, 206)
    stroke(page, 174, 176, 174, 206)
    assert read_page(page, AlwaysT(), DEFAULT.with_(marks=".,-'")).text == "TTT. TTTT,\nTT- TT"
    assert read_page(page, AlwaysT()).text == "TTT TTTT,\nTT- TT"


def test_mark_label_by_position_in_the_line():
    top, bottom = 100, 140
    assert mark_label([134, 0, 140, 6], top, bottom) == "."
    assert mark_label([132, 0, 146, 5], top, bottom) == ","
    assert mark_label([118, 0, 122, 20], top, bottom) == "-"
    assert mark_label([100, 0, 112, 4], top, bottom) == "'"
    assert mark_label([110, 0, 130, 20], top, bottom) is None


def test_a_big_comma_hanging_below_a_line_is_a_mark_of_that_line():
    line = [[100, 50 + 60 * k, 150, 90 + 60 * k] for k in range(4)]
    comma = [[135, 100, 170, 110]]                  # 0.7 of the line tall, top inside the line, below the baseline
    below = [[260, 50, 310, 90], [260, 110, 310, 150]]
    boxes = np.array(line + comma + below)
    structure = [[[0], [1, 2, 3]], [[4]], [[5, 6]]]
    kept, hanging = hanging_marks(structure, boxes, 0.0)
    assert kept == [[[0], [1, 2, 3]], [[5, 6]]] and hanging == [4]
    assert mark_label(boxes[4], 100, 150) == ","
    tall = boxes.copy()
    tall[4] = [135, 100, 180, 110]                  # 0.9 of the line: a letter, not a comma
    assert hanging_marks(structure, tall, 0.0) == (structure, [])
    low = boxes.copy()
    low[4] = [155, 100, 190, 110]                   # its top below the line: a line of its own
    assert hanging_marks(structure, low, 0.0) == (structure, [])
