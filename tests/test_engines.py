"""Which engine's reading a line keeps: the mixed-case recogniser's on lines of mixed-case print."""
import pytest

from ocr.recognition.engines import is_mixed_case
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
