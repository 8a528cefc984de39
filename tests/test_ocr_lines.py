import numpy as np
import pytest

from ocr.layout.lines import estimate_skew, group_lines, layout, split_words
from ocr.params import DEFAULT


def grid_boxes(words_per_line, h=40, w=28, letter_gap=8, word_gap=50, line_step=80, angle=0.0,
               jitter=0.0, size_jitter=0.0, rng=0):
    """Boxes for lines of words (given as letter counts), optionally rotated and jittered."""
    rng = np.random.default_rng(rng)
    boxes, truth = [], []
    t = np.deg2rad(angle)
    for li, words in enumerate(words_per_line):
        x = 100.0
        line = []
        for n in words:
            word = []
            for _ in range(n):
                hh = h * (1 + rng.uniform(-size_jitter, size_jitter))
                cy = 100 + li * line_step + rng.normal(0, jitter * h)
                cx = x + w / 2
                ry = cy + np.tan(t) * cx
                boxes.append([ry - hh / 2, cx - w / 2, ry + hh / 2, cx + w / 2])
                word.append(len(boxes) - 1)
                x += w + letter_gap
            line.append(word)
            x += word_gap - letter_gap
        truth.append(line)
    return np.round(np.array(boxes)).astype(int), truth


def shuffled(boxes, truth, rng=0):
    perm = np.random.default_rng(rng).permutation(len(boxes))
    inverse = np.argsort(perm)
    return boxes[perm], [[[int(inverse[i]) for i in word] for word in line] for line in truth]


@pytest.mark.parametrize("angle", [-28, -10, -4, 0, 3, 10, 25])
def test_lines_survive_rotation(angle):
    boxes, truth = grid_boxes([[5, 3, 4], [6, 6], [2, 7, 3], [4]], angle=angle)
    boxes, truth = shuffled(boxes, truth)
    assert abs(estimate_skew(boxes) - angle) < 1.5
    assert layout(boxes) == truth


def test_jittered_and_mixed_heights():
    boxes, truth = grid_boxes([[4, 5], [3, 3, 3], [8]], jitter=0.08, size_jitter=0.25, angle=2)
    boxes, truth = shuffled(boxes, truth, rng=3)
    lines = group_lines(boxes)
    assert lines == [[i for word in line for i in word] for line in truth]


def test_word_split_uses_page_gaps():
    boxes, truth = grid_boxes([[3, 4, 2], [5, 1]], letter_gap=6, word_gap=45)
    assert layout(boxes) == truth


def test_even_spacing_is_one_word():
    boxes, _ = grid_boxes([[7], [7], [5]], letter_gap=30)
    lines = layout(boxes)
    assert [len(line) for line in lines] == [1, 1, 1]


def test_narrow_letter_gap_is_not_a_word_space():
    boxes, _ = grid_boxes([[6], [6]], letter_gap=10)
    boxes[0, 1] += 10
    boxes[0, 3] -= 10
    assert [len(line) for line in layout(boxes)] == [1, 1]


def test_split_words_threshold():
    boxes = np.array([[0, 0, 40, 30], [0, 40, 40, 70], [0, 150, 40, 180]])
    assert split_words(boxes, [0, 1, 2], threshold=1.0) == [[0, 1], [2]]
    assert split_words(boxes, [0, 1, 2], threshold=3.0) == [[0, 1, 2]]


def test_empty():
    assert layout(np.zeros((0, 4), int)) == []
    assert group_lines(np.array([[0, 0, 10, 10]])) == [[0]]


def test_word_spacing_is_measured_per_line():
    tight, truth_tight = grid_boxes([[4, 5, 3]], letter_gap=4, word_gap=24)
    loose, truth_loose = grid_boxes([[3, 4, 3]], letter_gap=30, word_gap=90)
    loose[:, [0, 2]] += 120
    boxes = np.concatenate([tight, loose])
    shift = len(tight)
    truth = truth_tight + [[[i + shift for i in word] for word in line] for line in truth_loose]
    assert layout(boxes) == truth


def test_a_line_drifting_off_the_page_skew_stays_one_line():
    """Thirteen letters whose line sinks 2.5 degrees while the line below is level (as on scan_alphabet)."""
    first = [[100 + k * 70 * np.tan(np.deg2rad(2.5)), 50 + 70 * k, 130 + k * 70 * np.tan(np.deg2rad(2.5)), 75 + 70 * k]
             for k in range(13)]
    second = [[190, 50 + 70 * k, 220, 75 + 70 * k] for k in range(13)]
    boxes = np.array(first + second)
    assert group_lines(boxes, angle=0.0) == [list(range(13)), list(range(13, 26))]
    assert len(group_lines(boxes, angle=0.0, bend=0.0)) > 2


def test_a_descender_that_starts_a_line_of_its_own_is_put_back_into_its_line():
    from ocr.layout.lines import absorb_strays, group_lines, layout

    # "please" in mixed case: x-height letters 20 px tall on a baseline at 100, a tall l, and a p reaching 14 px lower
    boxes = np.array([[80, 0, 114, 14],                                   # p: x-height body and descender
                      [66, 18, 100, 22], [80, 26, 100, 40], [80, 44, 100, 58], [80, 62, 100, 76], [80, 80, 100, 94]])
    lines = group_lines(boxes, 0.0, join=0.3)
    assert len(lines) == 2                                                  # the p's centre is too low to join
    assert absorb_strays(boxes, lines, 0.0) == [[0, 1, 2, 3, 4, 5]]
    assert absorb_strays(boxes, lines, 0.0, max_boxes=0) == lines
    assert absorb_strays(boxes, lines, 0.0, overlap=0.99) == lines          # 20 of its 34 rows are in the line's
    assert absorb_strays(boxes, lines, 0.0, min_height=2.0) == lines
    assert sum(map(len, layout(boxes, 0.0, DEFAULT.with_(line_join=0.3)))) == 1


def test_a_short_line_beside_another_line_or_outside_its_letters_stays_a_line():
    from ocr.layout.lines import absorb_strays

    line = [[80, 20 * k, 100, 20 * k + 14] for k in range(5)]
    below = np.array(line + [[130, 30, 150, 44]])                          # a letter on the next line
    assert absorb_strays(below, [[0, 1, 2, 3, 4], [5]], 0.0) == [[0, 1, 2, 3, 4], [5]]
    after = np.array(line + [[84, 160, 118, 174]])                          # level with the line, 66 px past its end
    assert absorb_strays(after, [[0, 1, 2, 3, 4], [5]], 0.0) == [[0, 1, 2, 3, 4], [5]]
