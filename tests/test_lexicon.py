import numpy as np
import pytest

from ocr.recognition.ctc import greedy_decode
from ocr.recognition.lexicon import Lexicon, LexiconError, correct_ctc_line, correct_glyph_word, load_lexicon
from training.data import CLASSES
from training.line_text import LINE_ALPHABET

WORDS = Lexicon(["HELLO", "WORLD", "HELP", "CAT", "CART"])


def glyph_probs(word, second=None, p=0.99):
    """One row per character: ``p`` on it, ``second = {i: (char, q)}`` puts ``q`` on another, the rest spread."""
    probs = np.zeros((len(word), len(CLASSES)))
    for i, ch in enumerate(word):
        row = {CLASSES.index(ch): p}
        if second and i in second:
            row[CLASSES.index(second[i][0])] = second[i][1]
        probs[i] = (1 - sum(row.values())) / (len(CLASSES) - len(row))
        for k, v in row.items():
            probs[i, k] = v
    return probs


def test_candidates_cover_substitutions_insertions_deletions():
    assert set(WORDS.candidates("HELLX")) == {"HELLO", "HELP"}
    assert set(WORDS.candidates("HELLX", max_indel_substitutions=0)) == {"HELLO"}
    assert "CART" in WORDS.candidates("CAT") and "CAT" in WORDS.candidates("CART")
    assert "HELP" in WORDS.candidates("HELPS")


def test_candidates_one_letter_longer_or_shorter_may_also_differ_by_one_substitution():
    words = Lexicon(["FIVE", "FINE", "FEN", "HOUSE", "HOSE", "MOUSE", "FOX"])
    assert set(words.candidates("FNE")) == {"FIVE", "FINE", "FEN", "FOX"}
    assert set(words.candidates("FNE", max_indel_substitutions=0)) == {"FINE", "FEN", "FOX"}
    assert set(words.candidates("HQSE")) == {"HOSE", "HOUSE"}
    assert "HOSE" in words.candidates("HXUSE") and "MOUSE" not in words.candidates("HXUSE", max_substitutions=1)


def test_unsure_glyph_word_is_fixed():
    probs = glyph_probs("HELLX", {4: ("O", 0.4)}, p=0.55)
    assert correct_glyph_word("HELLX", probs, WORDS, CLASSES) == "HELLO"
    assert correct_glyph_word("HELLX", probs, None, CLASSES) == "HELLX"


def test_confident_glyph_word_is_never_changed():
    probs = glyph_probs("HELLX", {4: ("O", 0.005)}, p=0.99)
    assert correct_glyph_word("HELLX", probs, WORDS, CLASSES) == "HELLX"


def test_margin_limits_how_far_the_reading_may_move():
    probs = glyph_probs("HELLX", {4: ("O", 1e-5)}, p=0.6)
    assert correct_glyph_word("HELLX", probs, WORDS, CLASSES, margin=4.0) == "HELLX"
    assert correct_glyph_word("HELLX", probs, WORDS, CLASSES, margin=20.0) == "HELLO"


def test_of_the_candidates_within_the_margin_the_more_frequent_word_wins():
    probs = glyph_probs("TOOM", {0: ("B", 0.3)}, p=0.4)
    probs[0, CLASSES.index("R")] = 0.25
    assert correct_glyph_word("TOOM", probs, Lexicon(["ROOM", "BOOM"]), CLASSES) == "ROOM"
    assert correct_glyph_word("TOOM", probs, Lexicon(["BOOM", "ROOM"]), CLASSES) == "BOOM"
    assert correct_glyph_word("TOOM", probs, Lexicon(["ROOM", "BOOM"]), CLASSES, margin=0.3) == "BOOM"
    assert correct_glyph_word("TOOM", probs, Lexicon(["ROOM", "BOOM"]), CLASSES, margin=0.1) == "TOOM"


@pytest.mark.parametrize("word", ["12345", "HE1LO", "A1B2", "4ELLO"])
def test_digit_and_mixed_words_are_never_changed(word):
    lexicon = Lexicon(["HELLO", "ABBA", "AIBZ"])
    probs = glyph_probs(word, p=0.3)
    assert correct_glyph_word(word, probs, lexicon, CLASSES, margin=100.0) == word


def ctc_probs(text, unsure=None, alphabet=LINE_ALPHABET):
    """Posteriors for ``text``: each character 2 frames then a blank; ``unsure = {i: (char, p)}``."""
    rows = []
    for i, ch in enumerate(text):
        row = np.full(len(alphabet) + 1, 1e-4)
        row[alphabet.index(ch) + 1] = 0.95
        if unsure and i in unsure:
            alt, p = unsure[i]
            row[alphabet.index(ch) + 1] = 0.5
            row[alphabet.index(alt) + 1] = p
        rows += [row / row.sum()] * 2
        blank = np.full(len(alphabet) + 1, 1e-4)
        blank[0] = 0.99
        rows.append(blank / blank.sum())
    return np.array(rows)


def test_ctc_line_fixes_unsure_word_keeps_codes_numbers_and_frames():
    text = "4512 HELLX AB12 CAT."
    probs = ctc_probs(text, {9: ("O", 0.45), 0: ("A", 0.45), 13: ("R", 0.45)})
    decoded = greedy_decode(probs, LINE_ALPHABET)
    assert decoded.text == text
    fixed = correct_ctc_line(decoded, probs, LINE_ALPHABET, WORDS)
    assert fixed.text == "4512 HELLO AB12 CAT."
    assert len(fixed.confidence) == len(fixed.text) == len(fixed.frames)
    assert fixed.frames.tolist()[:5] == decoded.frames.tolist()[:5]
    assert np.all(np.diff(fixed.frames[:, 0]) > 0)


def test_ctc_line_restores_two_touching_letters_read_as_one():
    words = Lexicon(["FIVE", "BOX"])
    probs = ctc_probs("7 FNE BOX", {3: ("V", 0.3)})
    decoded = greedy_decode(probs, LINE_ALPHABET)
    assert decoded.text == "7 FNE BOX"
    two = np.full(len(LINE_ALPHABET) + 1, 1e-4)
    two[[LINE_ALPHABET.index("I") + 1, LINE_ALPHABET.index("N") + 1]] = [0.45, 0.5]
    probs[9] = two / two.sum()
    assert correct_ctc_line(decoded, probs, LINE_ALPHABET, words).text == "7 FIVE BOX"
    assert correct_ctc_line(decoded, probs, LINE_ALPHABET, words, margin=0.5).text == "7 FNE BOX"


def test_a_mixed_case_line_is_corrected_word_by_word_keeping_how_each_word_is_written():
    from ocr.recognition.line_image import MIXED_ALPHABET

    text = 'Hellx hellx HELLX "Hellx, HeLLx cat'
    unsure = {i: ("o" if ch == "x" else "O", 0.45) for i, ch in enumerate(text) if ch in "xX"}
    probs = ctc_probs(text, unsure, MIXED_ALPHABET)
    decoded = greedy_decode(probs, MIXED_ALPHABET)
    assert decoded.text == text
    fixed = correct_ctc_line(decoded, probs, MIXED_ALPHABET, WORDS)
    assert fixed.text == 'Hello hello HELLO "Hello, HeLLx cat'
    assert len(fixed.confidence) == len(fixed.text) == len(fixed.frames)


def test_ctc_confident_word_unchanged():
    probs = ctc_probs("HELLX")
    decoded = greedy_decode(probs, LINE_ALPHABET)
    assert correct_ctc_line(decoded, probs, LINE_ALPHABET, WORDS).text == "HELLX"


def test_load_lexicon(tmp_path):
    assert load_lexicon("none") is None
    english = load_lexicon("en")
    assert "THE" in english and "HOUSE" in english and len(english) > 10000
    f = tmp_path / "words.txt"
    f.write_text("hello\nworld\n1234\n")
    assert load_lexicon(str(f)).words == {"HELLO", "WORLD"}
    f.write_text("1234\n")
    with pytest.raises(LexiconError, match="no words"):
        load_lexicon(str(f))
    with pytest.raises(LexiconError, match="no such lexicon"):
        load_lexicon(str(tmp_path / "missing.txt"))


def test_packaged_word_list_is_wordfreqs():
    from training.line_text import english_words, wordfreq_words

    assert english_words() == wordfreq_words(), (
        "ocr/recognition/english_words.txt is stale: rewrite it from training.line_text.wordfreq_words()")
    assert len(english_words()) == 29152 and english_words()[:3] == ("THE", "TO", "AND")


def test_ctc_word_context_makes_each_word_letters_or_digits():
    from ocr.recognition.classify import ctc_word_context

    text = "E6G5 2024 3:15 B12 A4 7 X"
    probs = ctc_probs(text, {1: ("G", 0.4), 3: ("S", 0.4),          # E6G5: 6 and 5 half G and S
                             5: ("Z", 0.3),                            # 2024: one 2 a third Z
                             15: ("8", 0.2)})                          # B12: B a fifth 8
    decoded = greedy_decode(probs, LINE_ALPHABET)
    assert decoded.text == text
    settled = ctc_word_context(decoded, probs, LINE_ALPHABET)
    assert settled.text == "EGGS 2024 3:15 812 AA 7 X"   # as the glyph engine's word_context: ties go to letters
    assert np.array_equal(settled.frames, decoded.frames)
    assert settled.confidence[1] == pytest.approx(0.4 / (0.9 + 35 * 1e-4 + 1e-4 * 11), rel=0.05)
