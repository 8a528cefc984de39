"""Random text for synthetic lines: English words mixed with codes, numbers, dates and punctuation.

The word list is ``wordfreq``'s English list (letters-only words, upper-cased,
kept as a snapshot beside the reader's lexicon, ``ocr.recognition.lexicon``),
shared with the lexicon used when decoding.
"""
import re

from ocr.recognition.glyph import CLASSES
from ocr.recognition.lexicon import LEXICON_SIZE, english_words
from ocr.recognition.line_image import LINE_ALPHABET, PUNCTUATION  # noqa: F401


def wordfreq_words(n=LEXICON_SIZE):
    """The ``n`` most frequent English words of ``wordfreq`` that are letters only, upper-cased, in frequency order."""
    from wordfreq import top_n_list

    seen, words = set(), []
    for word in top_n_list("en", n):
        upper = word.upper()
        if re.fullmatch("[A-Z]+", upper) and upper not in seen:
            seen.add(upper)
            words.append(upper)
    return tuple(words)


def _digits(rng, low, high):
    n = int(rng.integers(low, high + 1))
    return "".join(str(d) for d in rng.integers(0, 10, n))


def _word(rng, words, common=2000):
    pool = words[:common] if rng.random() < 0.5 else words
    return pool[int(rng.integers(len(pool)))]


def random_token(rng, words):
    """One token: a word (often with punctuation attached), a number, date, time, code or symbol group."""
    r = rng.random()
    if r < 0.62:
        word = _word(rng, words)
        p = rng.random()
        if p < 0.08:
            word += rng.choice([",", ".", "!", "?", ":"])
        elif p < 0.11 and len(word) > 2:
            word = word + "'" + rng.choice(["S", "T", "LL", "D"])
        elif p < 0.13:
            word = word + "-" + _word(rng, words)
        return word
    if r < 0.72:
        return _digits(rng, 1, 5) if rng.random() < 0.8 else _digits(rng, 1, 3) + "." + _digits(rng, 1, 2)
    if r < 0.78:
        d, m, y = int(rng.integers(1, 32)), int(rng.integers(1, 13)), int(rng.integers(1950, 2040))
        sep = rng.choice(["/", "-", "."])
        return f"{d:02d}{sep}{m:02d}{sep}{y}" if rng.random() < 0.6 else f"{y}-{m:02d}-{d:02d}"
    if r < 0.82:
        return f"{int(rng.integers(0, 24))}:{int(rng.integers(0, 60)):02d}"
    if r < 0.93:
        letters = "".join(rng.choice(list(CLASSES[:26]), int(rng.integers(1, 4))))
        code = letters + _digits(rng, 1, 4)
        return code if rng.random() < 0.6 else (_digits(rng, 1, 3) + letters if rng.random() < 0.5
                                                 else letters + "-" + _digits(rng, 2, 4))
    if r < 0.96:
        return "+" + _digits(rng, 1, 3) if rng.random() < 0.5 else _digits(rng, 1, 2) + "+" + _digits(rng, 1, 2)
    return "".join(rng.choice(list(CLASSES), int(rng.integers(2, 7))))


def random_line_text(rng, words=None, max_chars=24):
    """A line of 1 or more tokens joined by spaces, at most ``max_chars`` long (one token may be longer)."""
    words = words or english_words()
    tokens = [random_token(rng, words)]
    target = int(rng.integers(4, max_chars + 1))
    while True:
        token = random_token(rng, words)
        if len(" ".join(tokens)) + 1 + len(token) > target:
            break
        tokens.append(token)
    return " ".join(tokens)
