import numpy as np
from ocr_drawing import draw_letter

from ocr.frontend.letters import find_letters
from ocr.layout.split import segment_box, split_touching, typical_width
from ocr.recognition.crops import normalise_crops
from ocr.recognition.glyph import CLASSES, rows_to_images


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


def test_split_with_shipped_cnn_reads_more_letters():
    from ocr.page import read_page
    from training.classifier import load_classifier

    text = read_page(touching_page(), load_classifier("cnn")).text
    assert len(text.replace(" ", "")) >= 4


class Sure:
    """Reads every piece it is shown as 'C' with probability ``confidence`` and counts the pieces."""

    def __init__(self, confidence=0.8):
        self.confidence, self.shown = confidence, 0

    def predict_proba(self, rows):
        self.shown += len(rows)
        probs = np.full((len(rows), 36), (1 - self.confidence) / 35)
        probs[:, CLASSES.index("C")] = self.confidence
        return probs


def wide_ring_page():
    """Three narrow letters and one wide ring (a round 0 drawn 1.7 letter-widths wide)."""
    from skimage import draw

    page = np.full((160, 600), 0.9)
    for k, ch in enumerate("HTL"):
        draw_letter(page, ch, 60, 40 + 60 * k, 40)
    rr, cc = draw.ellipse(80, 300, 21, 33, shape=page.shape)
    inner_r, inner_c = draw.ellipse(80, 300, 16, 28, shape=page.shape)
    page[rr, cc] = 0.15
    page[inner_r, inner_c] = 0.9
    return page


def test_a_glyph_sure_to_be_o_or_zero_is_not_cut():
    """Its probability split between the twins O and 0 is not doubt: pieces read at 0.8 must not beat it."""
    from training.data import CLASSES

    boxes, binary = find_letters(wide_ring_page())
    assert len(boxes) == 4
    ring = int(np.argmax(boxes[:, 3] - boxes[:, 1]))
    ratio = (boxes[ring, 3] - boxes[ring, 1]) / typical_width(boxes)
    assert 1.3 < ratio < 2.2
    probs = np.full((len(boxes), 36), 0.02 / 34)
    probs[ring, CLASSES.index("O")] = probs[ring, CLASSES.index("0")] = 0.49
    out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, Sure())
    np.testing.assert_array_equal(out, boxes)
    probs[ring, CLASSES.index("0")] = 0.02 / 34
    probs[ring, CLASSES.index("D")] = 0.49
    out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, Sure())
    assert len(out) > len(boxes), "split between two unrelated classes is doubt: the sure pieces win"


def test_lookalike_confidence_adds_twins_only():
    from ocr.recognition.classify import lookalike_confidence
    from training.data import CLASSES

    probs = np.zeros((2, 36))
    probs[0, [CLASSES.index("I"), CLASSES.index("1")]] = 0.45
    probs[0, CLASSES.index("T")] = 0.1
    probs[1, [CLASSES.index("I"), CLASSES.index("T")]] = 0.45
    probs[1, CLASSES.index("1")] = 0.1
    np.testing.assert_allclose(lookalike_confidence(probs), [0.9, 0.55])


class Templates:
    """Reads a crop as the nearest of a few letters drawn by the test (probabilities from distances)."""

    def __init__(self, rows, labels):
        self.rows = np.asarray(rows, float)
        self.index = [CLASSES.index(c) for c in labels]

    def predict_proba(self, rows):
        d = ((np.asarray(rows, float)[:, None, :] - self.rows[None]) ** 2).sum(axis=2)
        logits = -d / 20.0
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        out = np.full((len(rows), 36), 1e-6)
        for j, c in enumerate(self.index):
            out[:, c] = np.maximum(out[:, c], p[:, j])
        return out / out.sum(axis=1, keepdims=True)


def test_cut_search_follows_the_classifier_not_equal_widths():
    page = np.full((200, 700), 0.9)
    for k, ch in enumerate("LTLT"):
        draw_letter(page, ch, 60, 30 + 50 * k, 40)
    x = 300
    draw_letter(page, "L", 76, x, 40)
    draw_letter(page, "T", 60, x + 38, 56)
    draw_letter(page, "L", 76, x + 96, 40)
    page[113:117, x + 26: x + 64] = 0.15
    page[113:117, x + 64: x + 100] = 0.15
    boxes, binary = find_letters(page)
    assert len(boxes) == 5
    single = boxes[boxes[:, 1] < 250]
    letters = "LTLT"
    classifier = Templates(normalise_crops(binary, single[np.argsort(single[:, 1])]), letters)
    probs = classifier.predict_proba(normalise_crops(binary, boxes))
    split, _, split_probs = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, classifier)
    in_run = np.flatnonzero(split[:, 1] >= 250)
    in_run = in_run[np.argsort(split[in_run, 1])]
    run = split[in_run]
    assert "".join(CLASSES[i] for i in split_probs[in_run].argmax(axis=1)) == "LTL"
    assert abs(run[1, 1] - (x + 38)) <= 8 and abs(run[1, 3] - (x + 38 + 0.8 * 56)) <= 8


def test_a_box_read_surely_as_one_letter_is_not_searched_for_a_split():
    boxes, binary = find_letters(wide_ring_page())
    for whole, searched in ((0.92, False), (0.9, False), (0.89, True), (0.85, True)):
        probs = np.full((len(boxes), 36), (1 - whole) / 35)
        probs[:, CLASSES.index("D")] = whole
        reader = Sure(0.95)
        out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, reader)
        assert (reader.shown > 0) == searched
        assert (len(out) > len(boxes)) == searched, "pieces read at 0.95 beat a whole read under 0.9"
    reader = Sure(0.95)
    out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, reader, sure_confidence=0.8)
    assert reader.shown == 0 and len(out) == len(boxes)


def test_letters_as_wide_as_tall_are_not_searched_for_a_split_however_unsure_their_reading():
    """Square letters (an H 40 px wide and tall): only their width, under 1.3 of the page's letters, keeps them whole."""
    page = np.full((160, 400), 0.9)
    for k in range(4):
        page[60:100, 40 + 80 * k:44 + 80 * k] = page[60:100, 76 + 80 * k:80 + 80 * k] = 0.15
        page[78:82, 40 + 80 * k:80 + 80 * k] = 0.15
    boxes, binary = find_letters(page)
    assert len(boxes) == 4 and np.all(boxes[:, 3] - boxes[:, 1] > 0.9 * (boxes[:, 2] - boxes[:, 0]))
    reader = Sure(0.95)
    out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), np.full((len(boxes), 36), 1 / 36), reader)
    assert reader.shown == 0
    np.testing.assert_array_equal(out, boxes)


class Lopsided:
    """Reads a crop as 'C' at 0.95 when most of its ink is in its left half, else at 0.3."""

    def predict_proba(self, rows):
        ink = 1 - rows_to_images(np.asarray(rows, float))
        confidence = np.where(ink[:, :, :16].sum(axis=(1, 2)) > ink[:, :, 16:].sum(axis=(1, 2)), 0.95, 0.3)
        probs = np.tile(((1 - confidence) / 35)[:, None], (1, 36))
        probs[:, CLASSES.index("C")] = confidence
        return probs


def test_a_box_is_split_only_when_every_piece_reads_more_surely_than_the_whole():
    """The ring's best cut gives a left arc read at 0.95 and a right arc at 0.3: their mean beats a whole read at 0.5."""
    boxes, binary = find_letters(wide_ring_page())
    for whole, split in ((0.5, False), (0.2, True)):
        probs = np.full((len(boxes), 36), (1 - whole) / 35)
        probs[:, CLASSES.index("D")] = whole
        out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, Lopsided())
        assert len(out) == len(boxes) + split


def _page_with_a_wide_h(width, height, stroke=4):
    page = np.full((200, 500), 0.9)
    for k, ch in enumerate("HTL"):
        draw_letter(page, ch, 60, 40 + 60 * k, 40)
    top, left = 100 - height // 2, 260
    page[top:top + height, left:left + stroke] = 0.15
    page[top:top + height, left + width - stroke:left + width] = 0.15
    page[top + height // 2 - stroke // 2:top + height // 2 + stroke // 2, left:left + width] = 0.15
    boxes, binary = find_letters(page)
    assert len(boxes) == 4
    return boxes, binary, int(np.argmax(boxes[:, 1]))


def test_a_box_the_cut_search_keeps_whole_is_cut_at_the_equal_division_when_those_pieces_read_better():
    """1.6 letters wide, read whole at 0.5: any chain of pieces at 0.6 scores less (0.36), so the search keeps it
    whole; its two pieces at the equal division (:func:`segment_box`) each read better than the whole and replace it."""
    boxes, binary, wide = _page_with_a_wide_h(54, 44)
    width = typical_width(boxes)
    assert 1.5 < (boxes[wide, 3] - boxes[wide, 1]) / width < 1.7
    probs = np.full((len(boxes), 36), 0.5 / 35)
    probs[:, CLASSES.index("D")] = 0.5
    out, _, _ = split_touching(binary, boxes, np.ones((len(boxes), 1024)), probs, Sure(0.6))
    assert len(out) == 5
    np.testing.assert_array_equal(out[out[:, 1] >= boxes[wide, 1]], segment_box(binary, boxes[wide], width))


def test_a_box_taller_than_wide_is_not_searched_for_a_split():
    """1.4 letters wide: searched when about as wide as tall, not when its height is more than 1 / 0.9 of its width."""
    for height, searched in ((44, True), (60, False)):
        boxes, binary, wide = _page_with_a_wide_h(48, height)
        assert 1.35 < (boxes[wide, 3] - boxes[wide, 1]) / typical_width(boxes) < 1.45
        reader = Sure(0.95)
        split_touching(binary, boxes, np.ones((len(boxes), 1024)), np.full((len(boxes), 36), 1 / 36), reader)
        assert (reader.shown > 0) == searched, height


def test_typical_width_is_the_median_of_boxes_up_to_1_2_times_as_wide_as_tall():
    boxes = np.array([[0, 0, 50, 55], [0, 0, 50, 60], [0, 0, 50, 58], [0, 0, 50, 61], [0, 0, 50, 140]])
    assert typical_width(boxes) == 58
    assert typical_width(boxes[[1, 3, 4]]) == 0.75 * 50


def test_cuts_fall_on_the_emptiest_column_within_0_3_of_a_step_of_each_equal_division():
    from ocr.layout.split import cut_columns

    for gap, n, cut in ((60, 2, 60), (40, 2, 40), (74, 3, 74), (78, 3, 56)):
        ink = np.ones((20, 100), bool)
        ink[:, gap] = False                         # 0.2, 0.2, 0.22 and 0.34 of a step off a division (the last too far)
        assert cut_columns(ink, n)[-1] == cut, (gap, n)
