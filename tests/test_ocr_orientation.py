"""Quarter-turn detection: a turn needs a clearly better and a confident reading."""
import numpy as np
from ocr_drawing import draw_letter

from ocr.frontend.letters import find_letters
from ocr.layout.orientation import detect_orientation, rotate_boxes
from ocr.params import DEFAULT


class TurnedReader:
    """Reads crops of the page turned ``best`` quarter turns with ``sure``, every other turn with ``unsure``.

    It tells the turns apart by the crop's ink: the test page holds only 'L', whose
    crops differ between the four turns.
    """

    def __init__(self, reference_rows, sure, unsure):
        self.reference = np.asarray(reference_rows)
        self.sure, self.unsure = sure, unsure

    def predict_proba(self, rows):
        rows = np.asarray(rows)
        dist = np.abs(rows[:, None, :] - self.reference[None]).sum(axis=2)
        top = np.where(dist.argmin(axis=1) == 0, self.sure, self.unsure)
        probs = np.repeat(((1 - top) / 35)[:, None], 36, axis=1)
        probs[:, 11] = top
        return probs


def page_and_reader(sure, unsure, turned=2, letters=6, column=False):
    """A row (or a column) of ``letters`` L's, and a reader that reads them ``sure`` in the ``turned`` turn."""
    from ocr.recognition.crops import normalise_crops

    page = np.full((200, 500), 0.9) if not column else np.full((500, 200), 0.9)
    for k in range(letters):
        if column:
            draw_letter(page, "L", 30 + 70 * k, 60, 50)
        else:
            draw_letter(page, "L", 60, 30 + 70 * k, 50)
    boxes, binary = find_letters(page)
    reference = [normalise_crops(np.rot90(binary, k), rotate_boxes(boxes[:1], binary.shape, k))[0]
                 for k in [turned] + [k for k in range(4) if k != turned]]
    return binary, boxes, TurnedReader(reference, sure, unsure), turned


def test_a_clearly_better_confident_turn_is_taken():
    binary, boxes, reader, turned = page_and_reader(sure=0.97, unsure=0.5)
    assert detect_orientation(binary, boxes, reader) == turned


def test_a_short_text_is_not_turned_on_a_small_margin():
    """Three glyphs read a little more surely upside down (0.97 against 0.7 each: 1.0 nat in all) stay as they are;
    eight such glyphs are turned."""
    binary, boxes, reader, _ = page_and_reader(sure=0.97, unsure=0.7, letters=3)
    assert detect_orientation(binary, boxes, reader) == 0
    binary, boxes, reader, turned = page_and_reader(sure=0.97, unsure=0.7, letters=8)
    assert detect_orientation(binary, boxes, reader) == turned
    binary, boxes, reader, _ = page_and_reader(sure=0.97, unsure=0.7, letters=3)
    assert detect_orientation(binary, boxes, reader, DEFAULT.with_(orientation_prior=0.0)) == 2


def test_letters_lined_up_in_a_column_are_evidence_of_a_quarter_turn():
    """Three glyphs standing one below the other, read no better in a quarter turn than as they stand, are
    turned by the quarter turn that reads them best; in a row they are not; without the layout's weight neither."""
    binary, boxes, reader, turned = page_and_reader(sure=0.9, unsure=0.88, turned=3, letters=3, column=True)
    assert detect_orientation(binary, boxes, reader) == turned
    assert detect_orientation(binary, boxes, reader, DEFAULT.with_(orientation_layout=0.0)) == 0
    binary, boxes, reader, turned = page_and_reader(sure=0.9, unsure=0.88, turned=3, letters=3)
    assert detect_orientation(binary, boxes, reader) == 0


def test_a_turn_that_reads_better_but_unsure_is_not_taken():
    """Blobs of touching letters read badly in every turn: a slightly less bad turn is no evidence."""
    binary, boxes, reader, _ = page_and_reader(sure=0.6, unsure=0.4)
    assert detect_orientation(binary, boxes, reader) == 0


class TwinReader(TurnedReader):
    """Reads the turned crops as 'L' at 0.9 and the upright ones as O or 0, half and half (0.96 together)."""

    def predict_proba(self, rows):
        dist = np.abs(np.asarray(rows)[:, None, :] - self.reference[None]).sum(axis=2)
        turned = dist.argmin(axis=1) == 0
        probs = np.full((len(rows), 36), 0.04 / 34)
        probs[:, 14] = probs[:, 26] = np.where(turned, 0.04 / 34, 0.48)
        probs[turned, 11] = 0.9
        probs[turned] /= probs[turned].sum(axis=1, keepdims=True)
        return probs


def test_twins_sharing_the_vote_do_not_lose_to_a_turned_page():
    binary, boxes, turned_reader, _ = page_and_reader(0.9, 0.5)
    reader = TwinReader(turned_reader.reference, 0.9, 0.5)
    assert detect_orientation(binary, boxes, reader) == 0
