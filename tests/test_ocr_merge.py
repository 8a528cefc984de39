import numpy as np
from scipy import ndimage as ndi

from ocr.layout.merge import join_broken
from ocr.params import DEFAULT
from ocr.recognition.crops import normalise_crops
from ocr.recognition.glyph import CLASSES


class BarCounter:
    """Reads a crop with two separate strokes as a sure H, one stroke as an I with ``single`` confidence."""

    def __init__(self, single):
        self.single = single

    def predict_proba(self, rows):
        out = np.full((len(rows), len(CLASSES)), 0.0)
        for k, row in enumerate(np.asarray(rows)):
            strokes = ndi.label(row.reshape(32, 32) < 0.5)[1]
            if strokes == 2:
                out[k] = 0.05 / (len(CLASSES) - 1)
                out[k, CLASSES.index("H")] = 0.95
            else:
                out[k] = (1 - self.single) / (len(CLASSES) - 1)
                out[k, CLASSES.index("I")] = self.single
        return out


def page_with_pairs():
    """Two bars 40 px tall 12 px apart (a broken letter), and two bars 40 px apart (two letters)."""
    binary = np.ones((100, 400), np.float32)
    for x in (50, 62, 200, 245):
        binary[30:70, x:x + 4] = 0
    boxes = np.array([[30, 50, 70, 54], [30, 62, 70, 66], [30, 200, 70, 204], [30, 245, 70, 249]])
    return binary, boxes


def read(classifier):
    binary, boxes = page_with_pairs()
    rows = normalise_crops(binary, boxes)
    return join_broken(binary, boxes, rows, classifier.predict_proba(rows), classifier, 0.0, DEFAULT)


def test_unsure_pieces_that_read_as_a_sure_letter_together_are_joined():
    boxes, rows, probs = read(BarCounter(single=0.3))
    assert boxes.tolist() == [[30, 50, 70, 66], [30, 200, 70, 204], [30, 245, 70, 249]]
    assert [CLASSES[k] for k in probs.argmax(axis=1)] == ["H", "I", "I"]
    assert rows.shape == (3, 1024)


def test_surely_read_pieces_stay_apart():
    boxes, _, _ = read(BarCounter(single=0.9))
    assert len(boxes) == 4
