import numpy as np

from ocr.find_letters import find_letters
from ocr.split import segment_box, split_touching, typical_width
from ocr_drawing import draw_letter


class Uniform:
    """A classifier that is never sure of anything."""

    def predict_proba(self, rows):
        return np.full((len(rows), 36), 1 / 36)


def touching_page():
    page = np.full((160, 700), 0.9)
    draw_letter(page, "H", 60, 40, 40)
    draw_letter(page, "T", 60, 100, 40)
    for k, ch in enumerate("HELL"):
        draw_letter(page, ch, 60, 220 + 30 * k, 40)
    return page


def test_touching_letters_are_found_and_split():
    page = touching_page()
    boxes, binary = find_letters(page)
    assert len(boxes) == 3
    width = typical_width(boxes)
    wide = boxes[np.argmax(boxes[:, 3] - boxes[:, 1])]
    pieces = segment_box(binary, wide, width)
    assert len(pieces) == 4
    assert np.all(np.diff(pieces[:, 1]) > 0)
    probs = Uniform().predict_proba(boxes)
    split, split_rows, split_probs = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, Uniform())
    assert len(split) == len(split_rows) == len(split_probs)
    assert 5 <= len(split) <= 6


def test_single_letters_are_not_split():
    page = np.full((160, 400), 0.9)
    for k, ch in enumerate("HTLE"):
        draw_letter(page, ch, 60, 40 + 60 * k, 40)
    boxes, binary = find_letters(page)
    probs = np.eye(36)[:len(boxes)]
    out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, Uniform())
    np.testing.assert_array_equal(out, boxes)


def test_split_with_shipped_cnn_reads_more_letters():
    from ocr.page import read_page
    from training.classifier import load_classifier

    text = read_page(touching_page(), load_classifier("cnn")).text
    assert len(text.replace(" ", "")) >= 4
