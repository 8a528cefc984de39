"""Tests for three mutations the suite used to let through (issue 24)."""
import numpy as np
import pytest

from ocr.recognition.ctc import BLANK, encode, greedy_decode
from ocr.recognition.glyph import CLASSES


def test_the_training_loss_takes_the_blank_the_decoder_reads(monkeypatch):
    """Frames sure of the path blank-A-A-blank-B (blank = class 0, as decoding reads it) cost almost nothing."""
    torch = pytest.importorskip("torch")
    from ocr.recognition.line_image import FRAME_STEP, LINE_HEIGHT
    from training.line_text import LINE_ALPHABET
    from training.train_line import ctc_batch_loss

    classes = len(LINE_ALPHABET) + 1
    a, b = encode("AB", LINE_ALPHABET)
    path = [BLANK, a, a, BLANK, b, b, BLANK, BLANK]
    probs = np.full((len(path), classes), 1e-4)
    probs[np.arange(len(path)), path] = 1.0
    probs /= probs.sum(axis=1, keepdims=True)
    assert greedy_decode(probs, LINE_ALPHABET).text == "AB"

    def net(x):
        return torch.log(torch.from_numpy(probs)).float()[:, None, :].expand(-1, x.shape[0], -1)

    strips = [np.zeros((LINE_HEIGHT, FRAME_STEP * len(path)), np.float32)]
    loss, _, lengths = ctc_batch_loss(net, strips, ["AB"], LINE_ALPHABET)
    assert lengths.tolist() == [len(path)]
    assert loss.item() < 0.05           # with blank = the last class it is over 10 nats per character


def ruled_stroke(gap):
    """A 2-px rule across a 200 x 600 page and a 3-px stroke crossing it, broken ``gap`` rows above and below it."""
    ink = np.zeros((200, 600), bool)
    ink[100:102, :] = True
    ink[60:100 - gap, 300:303] = True
    ink[102 + gap:140, 300:303] = True
    return ink


@pytest.mark.parametrize("gap, kept", [(0, True), (6, True), (7, False)])
def test_a_stroke_is_bridged_across_a_rule_within_two_stroke_widths(gap, kept):
    """Rule pixels stay where ink lies within the rule's thickness + ``rule_bridge_strokes`` (2) strokes of them.

    Here 2 + 2 x 3 = 8 rows: a stroke broken 6 rows from the rule is bridged, 7 rows is not.
    """
    from ocr.frontend.rules import remove_rules

    ink, rules = remove_rules(ruled_stroke(gap), stroke=3.0)
    assert rules[100:102, :290].all() and not ink[100:102, :290].any()       # the rule itself goes
    assert ink[100:102, 300:303].all() == kept and rules[100:102, 300:303].any() != kept


def test_pieces_join_only_when_the_joint_reading_beats_the_surer_piece():
    """Pieces read at 0.9 and 0.3: a joint reading of 0.85 beats only the less sure piece, and they stay apart."""
    from test_ocr_merge import page_with_pairs

    from ocr.layout.merge import join_broken
    from ocr.params import DEFAULT
    from ocr.recognition.crops import normalise_crops

    binary, boxes = page_with_pairs()
    binary[45:52, 62:66] = 1                    # the second piece notched: a crop of its own, read unsurely
    rows = normalise_crops(binary, boxes)
    alone = {rows[0].tobytes(): 0.9, rows[1].tobytes(): 0.3}    # the far pair reads as the first piece
    assert len(alone) == 2 and rows[2].tobytes() in alone and rows[3].tobytes() in alone

    class Scripted:
        """Each piece at its own confidence (an I), any other crop (the two pieces together) an H at ``joint``."""

        def __init__(self, joint):
            self.joint = joint

        def predict_proba(self, crops):
            out = np.zeros((len(crops), len(CLASSES)))
            for k, crop in enumerate(np.asarray(crops)):
                sure = alone.get(crop.tobytes(), self.joint)
                out[k] = (1 - sure) / (len(CLASSES) - 1)
                out[k, CLASSES.index("I" if crop.tobytes() in alone else "H")] = sure
            return out

    assert DEFAULT.join_min_confidence <= 0.85 and DEFAULT.join_unsure > 0.3
    for joint, joined in ((0.85, False), (0.95, True)):
        classifier = Scripted(joint)
        new_boxes, _, probs = join_broken(binary, boxes, rows, classifier.predict_proba(rows), classifier, 0.0,
                                          DEFAULT)
        if joined:
            assert new_boxes.tolist() == [[30, 50, 70, 66], [30, 200, 70, 204], [30, 245, 70, 249]]
        else:
            assert new_boxes.tolist() == boxes.tolist()
