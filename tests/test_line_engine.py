
import numpy as np
from ocr_drawing import draw_letter, text_page

from ocr.frontend.letters import find_letters
from ocr.page import read_page
from ocr.recognition.line_engine import line_frame, sample_crop
from ocr.recognition.line_image import FRAME_STEP, LETTER_HEIGHT, MIXED_ALPHABET, SPREAD, line_input
from training.line_text import LINE_ALPHABET


class StubRecogniser:
    """Emits ``text`` with its characters evenly spread over each strip's ink; keeps the strips it saw."""

    alphabet = LINE_ALPHABET

    def __init__(self, text):
        self.text = text
        self.strips = []

    def posteriors(self, strips):
        out = []
        for strip in strips:
            self.strips.append(strip)
            frames = strip.shape[1] // FRAME_STEP
            probs = np.full((frames, len(self.alphabet) + 1), 1e-4)
            probs[:, 0] = 1.0
            cols = np.flatnonzero(strip.any(axis=0))
            if cols.size == 0:
                out.append(probs / probs.sum(axis=1, keepdims=True))
                continue
            step = (cols[-1] + 1 - cols[0]) / len(self.text)
            for k, ch in enumerate(self.text):
                t = int((cols[0] + (k + 0.5) * step) // FRAME_STEP)
                probs[t] = 1e-4
                probs[t, self.alphabet.index(ch) + 1] = 1.0
            out.append(probs / probs.sum(axis=1, keepdims=True))
        return out


class Uniform:
    def predict_proba(self, rows):
        return np.full((len(rows), 36), 1 / 36)


def test_line_engine_boxes_follow_the_letters():
    h = 40
    page = text_page([["HELTEX"]], h=h)
    result = read_page(page, None, engine="line", recogniser=StubRecogniser("HELTEX"))
    assert result.text == "HELTEX"
    chars = result.chars
    true_centres = 2 * h + np.arange(6) * 1.15 * h + 0.4 * h
    for c, x in zip(chars, true_centres):
        y1, x1, y2, x2 = c.box
        assert abs((x1 + x2) / 2 - x) < 0.5 * h
        assert 0.7 * h <= y2 - y1 <= 1.5 * h and 1.5 * h < (y1 + y2) / 2 < 3.0 * h
        assert c.confidence > 0.99
    assert result.to_dict()["lines"][0]["words"][0]["text"] == "HELTEX"


def test_skewed_line_is_levelled_and_scaled():
    h = 36
    page = text_page([["HELLTEXT", "FLIT"]], h=h, rotate=6)
    boxes, binary = find_letters(page)
    strips = {}
    for angle in (-6.0, 0.0):
        origin, along, across, shape, height = line_frame(boxes, angle)
        strips[angle], _, _ = line_input(sample_crop(binary, origin, along, across, shape), height)
    rows = np.flatnonzero(strips[-6.0].sum(axis=1) > 0.02 * strips[-6.0].shape[1])
    assert 0.75 * LETTER_HEIGHT <= rows[-1] - rows[0] + 1 <= 1.3 * LETTER_HEIGHT
    assert strips[-6.0].sum() > 1.15 * strips[0.0].sum()


class Sure:
    def predict_proba(self, rows):
        out = np.full((len(rows), 36), 0.01 / 35)
        out[:, 0] = 0.99
        return out


def two_line_page():
    page = np.full((300, 700), 0.9)
    for k, ch in enumerate("HELL"):
        draw_letter(page, ch, 60, 60 + 30 * k, 40)
    for k, ch in enumerate("TEXT"):
        draw_letter(page, ch, 180, 60 + 60 * k, 40)
    return page


def test_auto_reads_cut_or_unsure_lines_with_the_line_engine():
    stub = StubRecogniser("ZZZ")
    result = read_page(two_line_page(), Uniform(), engine="auto", recogniser=stub)
    assert [line.text for line in result.lines] == ["ZZZ", "ZZZ"]      # glyphs at 1/36 against CTC peaks near 1
    assert len(stub.strips) == 2                                     # each line read once, in one batch
    result = read_page(two_line_page(), Sure(), engine="auto", recogniser=StubRecogniser("ZZZ"))
    assert result.lines[0].text == "ZZZ"                             # HELL touches: the glyph engine had to cut it
    assert set(result.lines[1].text.replace(" ", "")) == {"A"}       # TEXT stands apart and reads surely


def test_auto_leaves_out_lines_the_line_engine_cannot_win():
    stub = StubRecogniser("ZZZ")
    read_page(two_line_page(), Sure(), engine="auto", recogniser=stub)
    cut_line, sure_line = stub.strips                                 # one batch, both in their places
    assert cut_line.any()                                            # HELL had to be cut: read
    assert not sure_line.any()                                       # TEXT at 0.99 a letter: left blank ...
    all_read = StubRecogniser("ZZZ")
    read_page(two_line_page(), Uniform(), engine="auto", recogniser=all_read)
    assert [s.shape for s in stub.strips] == [s.shape for s in all_read.strips]   # ... at its own width


def test_a_line_left_out_keeps_the_others_reading_exact():
    from ocr.layout.lines import layout
    from ocr.recognition.line_engine import read_lines
    from ocr.recognition.model_files import SHIPPED
    from ocr.recognition.numpy_line import load_numpy_line_model

    recogniser = load_numpy_line_model(SHIPPED["line"])
    page = text_page([["FLIT"], ["HELLZ", "VEXT", "KNIFE"]], h=36)
    boxes, binary = find_letters(page)
    structure = layout(boxes, 0.0)
    assert len(structure) == 2
    every = read_lines(binary, boxes, structure, 0.0, recogniser)
    first = read_lines(binary, boxes, structure, 0.0, recogniser, wanted=[True, False])
    assert first == [every[0], []]                                   # same letters, boxes and confidences
    assert every[0] and every[1]


def test_an_uncommon_word_gives_way_to_the_other_engines_common_word():
    from ocr.recognition.lexicon import Lexicon

    page = text_page([["TEXT"]], h=40)
    words = Lexicon(["TEXT"])
    assert read_page(page, Sure(), engine="auto", recogniser=StubRecogniser("TEXT"), lexicon=None).text == "AAAA"
    stub = StubRecogniser("TEXT")
    assert read_page(page, Sure(), engine="auto", recogniser=stub, lexicon=words).text == "TEXT"
    assert stub.strips[0].any()                                      # a sure line, read for its uncommon word


def test_prefer_common_words():
    from ocr.recognition.engines import prefer_common_words
    from ocr.recognition.lexicon import Lexicon
    from ocr.result import Char, Line, Word

    def line(*words):
        return Line([Word([Char([0, 0, 1, 1], ch, 0.9) for ch in w]) for w in words])

    lexicon = Lexicon(["THE", "JUMPS", "AT", "BOX"] + [f"W{'X' * k}" for k in range(10000)] + ["UST"])
    kept = [line("THE", "TUMPS"), line("UST", "6OX"), line("HT", "BOX"), line("TUMPS"), line("X")]
    other = [line("THE", "JUMPS"), line("THE", "BOX"), line("AT", "BIX"), line("JUMPS", "AT"), line("AT")]
    assert [x.text for x in prefer_common_words(kept, other, lexicon)] == [
        "THE JUMPS",      # a misreading gives way to a common word
        "THE 6OX",        # UST is in the list but rare (rank 10004); words with digits are never exchanged
        "AT BOX",         # a common word is kept against an uncommon one
        "TUMPS",          # readings of different word counts are not compared
        "X"]              # nor single letters
    assert prefer_common_words(kept, other, None) == kept


def test_choose_lines_needs_the_margin_or_a_cut():
    from ocr.recognition.engines import choose_lines
    from ocr.result import Char, Line, Word

    def line(text, conf):
        return Line([Word([Char([0, 0, 1, 1], ch, conf) for ch in text])])

    glyph = [line("THB", 0.6), line("HAVE", 0.6)]
    other = [line("THIS", 0.99), line("H4VE", 0.75)]           # log gains 0.50 and 0.22
    assert [x.text for x in choose_lines(glyph, other, 0.3)] == ["THIS", "HAVE"]
    assert [x.text for x in choose_lines(glyph, other, 0.1)] == ["THIS", "H4VE"]
    assert [x.text for x in choose_lines(glyph, other, 0.6)] == ["THB", "HAVE"]
    assert [x.text for x in choose_lines(glyph, other, 0.6, [False, True])] == ["THB", "H4VE"]
    assert [x.text for x in choose_lines(glyph, [Line([]), other[1]], 0.3, [True, False])] == ["THB", "HAVE"]


def test_a_line_crop_is_widened_over_ink_of_its_band_just_beyond_its_boxes():
    from ocr.recognition.line_engine import EXTEND_GAP, extend_ends, line_frame

    binary = np.ones((200, 600), np.float32)
    boxes = np.array([[80, 100 + 40 * k, 110, 130 + 40 * k] for k in range(4)])   # four letters 30 px tall
    for y1, x1, y2, x2 in boxes:
        binary[y1:y2, x1:x2:6] = 0
    binary[60:110, 84:88] = 0                             # a tall l the filters left out, 12 px before the first box
    binary[80:110, 330:334] = 0                           # ink 60 px (2 heights) past the last box: another word
    origin, along, across, shape, _ = line_frame(boxes, 0.0, reach=3.0)
    wide_origin, wide_shape = extend_ends(binary, boxes, origin, along, across, shape)
    assert wide_origin[1] <= 84 < origin[1]              # the l is in, on the left
    assert wide_origin[1] + wide_shape[1] < 330 and wide_shape[1] > shape[1]
    far = binary.copy()
    far[60:110, 84:88] = 1
    far[60:110, 100 - 12 - int(EXTEND_GAP * 30) - 16:100 - 12 - int(EXTEND_GAP * 30) - 12] = 0   # beyond the gap
    assert extend_ends(far, boxes, origin, along, across, shape)[1] == shape


def test_a_stray_first_letter_written_apart_joins_its_line_within_reach():
    from ocr.layout.lines import absorb_strays

    line = [[80, 200 + 20 * k, 100, 214 + 20 * k] for k in range(5)]
    boxes = np.array(line + [[80, 150, 114, 164]])     # a p 36 px (under two heights) before the line's first box
    assert absorb_strays(boxes, [[0, 1, 2, 3, 4], [5]], 0.0) == [[5, 0, 1, 2, 3, 4]]
    assert absorb_strays(boxes, [[0, 1, 2, 3, 4], [5]], 0.0, reach_heights=1.0) == [[0, 1, 2, 3, 4], [5]]


def test_a_line_s_strip_holds_none_of_the_other_lines_ink():
    """On a page of close lines the spread frame reaches the lines above and below: their letters are cleared."""
    from ocr.recognition.line_engine import without_other_lines

    binary = np.ones((60, 40), bool)
    binary[5:15, 5:15] = False             # the line above
    binary[20:35, 5:15] = False            # the line's own letter, its top reaching into the box above
    boxes = np.array([[5, 5, 22, 15], [20, 5, 35, 15]])
    alone = without_other_lines(binary, boxes, [1])
    assert alone[5:20, 5:15].all() and not alone[20:35, 5:15].any()
    assert not binary[5:15, 5:15].any()                        # the page itself is left as it was
    assert without_other_lines(binary, boxes[1:], [0]) is binary


def test_a_half_turn_turns_every_map_and_box_and_twice_gives_the_page_back():
    from ocr.frontend.letters import locate
    from ocr.recognition.half_turn import half_turned

    page = text_page([["FLIT"], ["HELLZ", "VEXT"]], h=36)
    found = locate((np.clip(page, 0, 1) * 255).astype(np.uint8))
    turned = half_turned(found)
    h, w = found.ink.shape
    assert np.array_equal(turned.ink, found.ink[::-1, ::-1])
    assert np.array_equal(turned.boxes, np.stack([h - found.boxes[:, 2], w - found.boxes[:, 3],
                                                  h - found.boxes[:, 0], w - found.boxes[:, 1]], axis=1))
    back = half_turned(turned)
    assert np.array_equal(back.boxes, found.boxes) and np.array_equal(back.marks, found.marks)
    assert back.stroke == found.stroke and back.scale == found.scale


class MixedStub(StubRecogniser):
    """A stand-in mixed-case recogniser: spread-framed strips, the mixed alphabet."""

    alphabet = MIXED_ALPHABET
    framing, spread, strip_scale = "spread", SPREAD, 2 / 3


def test_auto_reads_with_the_mixed_case_recogniser_only_the_lines_it_could_change():
    mixed = MixedStub("then")
    read_page(two_line_page(), Sure(), engine="auto", recogniser=StubRecogniser("ZZZ"), mixed=mixed)
    cut_line, sure_line = mixed.strips                                # one batch, both in their places
    assert cut_line.any() and not sure_line.any()                    # TEXT at 0.99 a letter: left blank
