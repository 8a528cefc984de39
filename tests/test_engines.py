"""Which engine's reading a line keeps: the mixed-case recogniser's on lines of mixed-case print."""
import numpy as np
import pytest

from ocr.params import DEFAULT
from ocr.recognition.engines import case_by_size, is_mixed_case, is_sum, keeps_mixed_reading
from ocr.result import Char, Line, Word


def line(text):
    return Line([Word([Char([0, 0, 1, 1], c, 0.9) for c in word]) for word in text.split()])


@pytest.mark.parametrize("text, mixed", [
    ("I went to the store", True),
    ("Like", True),
    ("a", True),
    ("HELLO THERE", False),
    ("HELLO THeRE", False),          # one stray lowercase e among ten letters
    ("cows sox", False),             # only letters whose capitals look the same
    ("2 + 4 - 3", False),
])
def test_a_line_is_mixed_case_when_enough_of_its_letters_are_distinct_lowercase(text, mixed):
    assert is_mixed_case(line(text), 0.25) is mixed


def test_the_share_of_distinct_lowercase_letters_is_the_bar():
    assert not is_mixed_case(line("HELLO THeRe"), 0.25)          # 2 of 10
    assert is_mixed_case(line("HELLO THeRe"), 0.2)


@pytest.mark.parametrize("text, total", [
    ("2+2", True),
    ("2 + 4 - 3", True),
    ("7 = 3+4", True),
    ("x = 2", False),                # no digit before the sign
    ("A+B", False),
    ("+2 and 2+", False),
    ("2 - 3", False),                # a dash the capitals' engines write too
])
def test_a_line_is_a_sum_when_a_plus_or_equals_sign_stands_between_digits(text, total):
    assert is_sum(line(text)) is total


def test_a_sign_read_unsurely_between_digits_is_no_sum():
    digits = line("0 1 2=34")
    assert is_sum(digits, 0.9)
    digits.words[2].chars[1].confidence = 0.8
    assert not is_sum(digits, 0.9) and is_sum(digits, 0.8)


def confident(text, conf):
    return Line([Word([Char([0, 0, 1, 1], c, conf) for c in word]) for word in text.split()])


@pytest.mark.parametrize("caps, mixed, kept", [
    (confident("HCIIO", 0.5), confident("Hello", 0.9), True),
    (confident("HELLO", 0.95), confident("Hello", 0.6), False),     # capitals read surely: a misread stays out
    (confident("HELLO", 0.5), confident("HELLO", 0.9), False),      # not mixed-case: the capitals' engines read it
    (confident("ZTZ", 0.6), confident("2+2", 0.9), True),           # a sum
    (confident("0123", 0.9), confident("0=123", 0.7), False),       # a sign misread in digits, less surely
])
def test_auto_keeps_the_mixed_reading_of_mixed_case_and_sums_read_more_surely(caps, mixed, kept):
    assert keeps_mixed_reading(caps, mixed) is kept
    if case_by_size(caps, mixed) is None:
        assert keeps_mixed_reading(caps, mixed, DEFAULT.with_(mixed_margin=-10.0)) is (is_mixed_case(mixed)
                                                                                        or is_sum(mixed))


def test_only_a_page_whose_letters_read_unsurely_is_read_again_for_the_half_turn():
    from ocr.layout.glyphs import Glyphs
    from ocr.page import reads_surely

    sure, unsure = np.full((4, 36), 0.1 / 35), np.full((4, 36), 0.3 / 35)
    sure[:, 0], unsure[:, 0] = 0.9, 0.7
    boxes = np.zeros((4, 4), int)
    assert reads_surely(Glyphs(boxes, probs=sure)) and not reads_surely(Glyphs(boxes, probs=unsure))
    assert reads_surely(Glyphs(boxes, probs=unsure), DEFAULT.with_(orientation_confidence=0.6))
    assert reads_surely(Glyphs(boxes))


def test_a_capitals_reading_of_common_words_only_is_not_given_up_for_fewer():
    from ocr.recognition.lexicon import load_lexicon

    words = load_lexicon("en")
    caps, mixed = confident("7 JUMPS", 0.6), confident("7 Junyrs", 0.8)
    assert keeps_mixed_reading(caps, mixed) and not keeps_mixed_reading(caps, mixed, lexicon=words)
    caps, mixed = confident("UD YOU FROUMC!", 0.5), confident("Lan y0u readme;", 0.8)     # not all common
    assert keeps_mixed_reading(caps, mixed, lexicon=words)


def sized(text, heights, conf=0.9):
    return Line([Word([Char([0, 0, h, 10], c, conf) for c, h in zip(word, hs)])
                 for word, hs in zip(text.split(), heights)])


def test_a_reading_that_differs_in_case_alone_is_decided_by_the_letters_sizes():
    capitals = sized("ROOM 9", [[40, 40, 41, 39], [40]], 0.7)
    assert case_by_size(capitals, confident("Room 9", 0.9)) is False
    assert not keeps_mixed_reading(capitals, confident("Room 9", 0.9))
    print_ = sized("ROOM 9", [[40, 24, 23, 25], [40]], 0.7)
    assert case_by_size(print_, confident("Room 9", 0.9)) is True and keeps_mixed_reading(print_, confident("Room 9", 0.9))
    assert case_by_size(capitals, confident("Roam 9", 0.9)) is None          # more than case
    assert case_by_size(sized("NOW", [[20, 20, 20]]), confident("now", 0.9)) is None   # no tall letter to compare
