"""Quarter-turn detection: a turn needs a clearly better and a confident reading."""
import numpy as np
from ocr_drawing import draw_letter

from ocr.frontend.letters import find_letters
from ocr.layout.orientation import detect_orientation, rotate_boxes


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


def page_and_reader(sure, unsure):
    from ocr.recognition.crops import normalise_crops

    page = np.full((200, 500), 0.9)
    for k in range(6):
        draw_letter(page, "L", 60, 30 + 70 * k, 50)
    boxes, binary = find_letters(page)
    turned = 1
    reference = [normalise_crops(np.rot90(binary, k), rotate_boxes(boxes[:1], binary.shape, k))[0]
                 for k in (turned, 0, 2, 3)]
    return binary, boxes, TurnedReader(reference, sure, unsure), turned


def test_a_clearly_better_confident_turn_is_taken():
    binary, boxes, reader, turned = page_and_reader(sure=0.97, unsure=0.5)
    assert detect_orientation(binary, boxes, reader) == turned


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
