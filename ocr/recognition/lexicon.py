"""Lexicon-aware correction: an unsure word of letters only becomes a dictionary word when the recogniser agrees.

A word is considered only when it is letters only (codes, numbers and mixed
letter-digit words are never touched), at least ``min_length`` long, not
already a dictionary word, and its least confident character is below
``unsure``. Candidates are dictionary words one or two substitutions away, or
one letter longer or shorter with at most one substitution besides (CTC: two
touching letters read as one, FIVE as FNE). A candidate may replace the reading when
the recogniser's own log-probability for it is within ``margin`` nats of the
reading's; of those, the one with the best log-probability plus a Zipf prior
(``-log(1 + rank)`` in the word list's frequency order) does: TOOM becomes ROOM,
not the slightly likelier but rarer BOOM.
"""
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import OCRError
from .ctc import Decoded, encode, label_log_prob
from .glyph import CLASSES

LEXICON_CHOICES = ("en", "none")
DEFAULT_LEXICON = "en"
UNSURE = 0.99
MARGIN = 4.0
MIN_LENGTH = 3
COMMON_RANK = 10000
"""A word is common when it is among this many most frequent words of the lexicon (the English list's tail
holds abbreviations and names such as UST, ERS, HT that an engine's misreading easily spells)."""
LETTERS = re.compile("[A-Z]+")
LEXICON_SIZE = 30000
WORDS_FILE = Path(__file__).with_name("english_words.txt")


@lru_cache(maxsize=1)
def english_words():
    """English words, letters only, upper-cased, most frequent first (:data:`WORDS_FILE`).

    A snapshot of ``wordfreq``'s ``LEXICON_SIZE`` most frequent English words
    (its data no longer changes) kept in the package, so that start-up does not
    unpack wordfreq's tables (0.2-0.5 s); ``training.line_text.wordfreq_words``
    makes it and a test keeps the two equal.
    """
    return tuple(WORDS_FILE.read_text().split())


class LexiconError(OCRError):
    """A lexicon file is missing or holds no words."""


class Lexicon:
    """A word list indexed for near-miss look-up.

    Parameters
    ----------
    words : iterable of str
        Upper-case words; anything not letters only is dropped.
    """

    def __init__(self, words):
        words = [w for w in dict.fromkeys(str(w).strip().upper() for w in words) if LETTERS.fullmatch(w)]
        self.words = frozenset(words)
        self.rank = {w: k for k, w in enumerate(words)}
        by_length = defaultdict(list)
        for w in words:
            by_length[len(w)].append(w)
        self._by_length = {n: (ws, np.frombuffer("".join(ws).encode(), np.uint8).reshape(len(ws), n))
                           for n, ws in by_length.items()}

    def __len__(self):
        return len(self.words)

    def __contains__(self, word):
        return word in self.words

    def candidates(self, word, max_substitutions=2, max_indel_substitutions=1):
        """Dictionary words near ``word``.

        Parameters
        ----------
        word : str
        max_substitutions : int
            Same-length words this many substitutions away or fewer.
        max_indel_substitutions : int
            Words one letter longer or shorter: one insertion or deletion plus
            up to this many substitutions (a CTC reading merges or splits
            touching letters: FIVE read as FNE).

        Returns
        -------
        list of str
            Most frequent first; ``word`` itself excluded.
        """
        out = set()
        code = np.frombuffer(word.encode(), np.uint8)
        entry = self._by_length.get(len(word))
        if entry is not None:
            ws, arr = entry
            out.update(ws[i] for i in np.flatnonzero((arr != code).sum(axis=1) <= max_substitutions))
        longer = self._by_length.get(len(word) + 1)
        if longer is not None:
            ws, arr = longer
            for i in range(len(word) + 1):
                dist = (np.delete(arr, i, axis=1) != code).sum(axis=1)
                out.update(ws[k] for k in np.flatnonzero(dist <= max_indel_substitutions))
        shorter = self._by_length.get(len(word) - 1)
        if shorter is not None:
            ws, arr = shorter
            for i in range(len(word)):
                dist = (arr != np.delete(code, i)).sum(axis=1)
                out.update(ws[k] for k in np.flatnonzero(dist <= max_indel_substitutions))
        out.discard(word)
        return sorted(out, key=lambda w: self.rank[w])


def _letters_word(word):
    return len(word) >= 2 and LETTERS.fullmatch(word) is not None


def is_common(word, lexicon, common=COMMON_RANK):
    """Is ``word`` a letters-only word of two or more letters among the ``common`` most frequent of ``lexicon``?"""
    return lexicon is not None and _letters_word(word) and lexicon.rank.get(word, common) < common


def is_uncommon(word, lexicon, common=COMMON_RANK):
    """Is ``word`` a letters-only word of two or more letters that is not common (see :func:`is_common`)?"""
    return _letters_word(word) and not is_common(word, lexicon, common)


def load_lexicon(spec):
    """``'en'`` (the packaged English list), ``'none'`` (None) or a file of words, one per line.

    Raises
    ------
    LexiconError
    """
    if spec is None or spec == "none":
        return None
    if spec == "en":
        return Lexicon(english_words())
    path = Path(spec)
    if not path.is_file():
        raise LexiconError(f"{spec}: no such lexicon file (use en, none or a file of words)")
    try:
        lexicon = Lexicon(path.read_text(errors="replace").split())
    except OSError as exc:
        raise LexiconError(f"{spec}: cannot read lexicon ({type(exc).__name__})") from None
    if not len(lexicon):
        raise LexiconError(f"{spec}: no words of letters A-Z in the lexicon file")
    return lexicon


def _choose(word, confidence, score, lexicon, unsure, margin, min_length):
    """The replacement for ``word`` or ``word`` itself; ``score(text) -> log-probability`` (see the module notes)."""
    if (len(word) < min_length or not LETTERS.fullmatch(word) or word in lexicon
            or float(np.min(confidence)) >= unsure):
        return word
    floor = score(word) - margin
    best, best_key = word, -np.inf
    for cand in lexicon.candidates(word):
        s = score(cand)
        key = s - np.log1p(lexicon.rank[cand])
        if s > floor and key > best_key:
            best, best_key = cand, key
    return best


def correct_glyph_word(labels, probs, lexicon, classes, unsure=UNSURE, margin=MARGIN, min_length=MIN_LENGTH):
    """Lexicon correction of one word read glyph by glyph.

    Parameters
    ----------
    labels : str
        The word as read, one character per glyph.
    probs : (len(labels), len(classes)) array
        Classifier probabilities per glyph.
    lexicon : Lexicon or None
    classes : str
        Class characters of the probability columns.
    unsure, margin : float
        Least-confidence gate and log-probability margin (nats); see the module notes.
    min_length : int

    Returns
    -------
    str
        ``labels`` or a same-length dictionary word.
    """
    if lexicon is None or len(labels) == 0:
        return labels
    probs = np.asarray(probs, float)
    logp = np.log(np.clip(probs, 1e-12, None))
    conf = probs[np.arange(len(labels)), [classes.index(c) for c in labels]]
    index = {c: k for k, c in enumerate(classes)}

    def score(text):
        if len(text) != len(labels):
            return -np.inf
        return float(logp[np.arange(len(text)), [index[c] for c in text]].sum())

    return _choose(labels, conf, score, lexicon, unsure, margin, min_length)


def is_cased(alphabet):
    """Does a recogniser's alphabet hold lowercase letters (a mixed-case recogniser)?"""
    return any(c.islower() for c in alphabet)


def case_of(word):
    """``'upper'``, ``'lower'`` or ``'title'`` (``Word``): how a letters-only word is written; None otherwise."""
    if word.isupper():
        return "upper"
    if word.islower():
        return "lower"
    if word[:1].isupper() and word[1:].islower():
        return "title"
    return None


def in_case(word, case):
    """An upper-case lexicon ``word`` written in ``case`` (:func:`case_of`)."""
    return {"upper": word, "lower": word.lower(), "title": word[:1] + word[1:].lower()}[case]


CAPITALS_WORD = re.compile(r"()([A-Z]+)([.,!?:]*)")
CASED_WORD = re.compile(r"([\"'(]*)([A-Za-z]+)([.,;:!?'\")]*)")


def correct_ctc_line(decoded, probs, alphabet, lexicon, unsure=UNSURE, margin=MARGIN, min_length=MIN_LENGTH):
    """Lexicon correction of a CTC-decoded line, word by word.

    Each word is scored with the CTC forward probability over its own frames
    (from just after the previous character's run to just before the next one's).
    With a mixed-case ``alphabet`` (:func:`is_cased`) a word keeps how it was
    written (``upper``, ``lower`` or ``title``: a capitalised word stays
    capitalised, :func:`case_of`) and may have quotes or a bracket before it;
    a word of any other casing is left as read.

    Parameters
    ----------
    decoded : ocr.recognition.ctc.Decoded
    probs : (T, len(alphabet) + 1) array
    alphabet : str
    lexicon : Lexicon or None
    unsure, margin : float
    min_length : int

    Returns
    -------
    Decoded
        Changed words get per-character frames spread over the word's span and
        confidence ``exp(score / len)`` of the new word.
    """
    if lexicon is None or not decoded.text:
        return decoded
    pattern = CASED_WORD if is_cased(alphabet) else CAPITALS_WORD
    text, conf, frames = decoded.text, decoded.confidence, decoded.frames
    out_text, out_conf, out_frames = [], [], []
    pos = 0
    for match in re.finditer(r"[^ ]+", text):
        a0, b = match.span()
        out_text.append(text[pos:a0])
        out_conf.extend(conf[pos:a0])
        out_frames.extend(frames[pos:a0])
        token = text[a0:b]
        m = pattern.fullmatch(token)
        lead, core = (m.group(1), m.group(2)) if m else ("", "")
        case = case_of(core) if core else None
        if case is None:
            lead, core = "", ""
        a = a0 + len(lead)
        out_text.append(lead)
        out_conf.extend(conf[a0:a])
        out_frames.extend(frames[a0:a])
        c_end = a + len(core)
        start = frames[a - 1, 1] + 1 if a > 0 else 0
        stop = frames[c_end, 0] if c_end < len(text) else len(probs)
        segment = probs[start:stop]
        replacement = core
        if core:
            chosen = _choose(core.upper(), conf[a:c_end],
                             lambda w: label_log_prob(segment, encode(in_case(w, case), alphabet)),
                             lexicon, unsure, margin, min_length)
            replacement = core if chosen == core.upper() else in_case(chosen, case)
        if replacement != core:
            n = len(replacement)
            edges = np.linspace(frames[a, 0], frames[c_end - 1, 1] + 1, n + 1)
            out_frames.extend([int(edges[i]), max(int(edges[i]), int(edges[i + 1]) - 1)] for i in range(n))
            s = label_log_prob(segment, encode(replacement, alphabet))
            out_conf.extend([float(np.exp(s / n))] * n)
        else:
            out_frames.extend(frames[a:c_end])
            out_conf.extend(conf[a:c_end])
        out_text.append(replacement + token[len(lead) + len(core):])
        out_conf.extend(conf[c_end:b])
        out_frames.extend(frames[c_end:b])
        pos = b
    out_text.append(text[pos:])
    out_conf.extend(conf[pos:])
    out_frames.extend(frames[pos:])
    return Decoded("".join(out_text), np.array(out_conf, float), np.array(out_frames, int).reshape(-1, 2))


def correct_glyph_words(labels, conf, probs, words, lexicon, **kwargs):
    """Page labels and confidences with every unsure letters-only word corrected (:func:`correct_glyph_word`).

    Parameters
    ----------
    labels : list of str
        One class character per glyph of the page.
    conf : (N,) array
    probs : (N, 36) array
    words : iterable of lists of glyph indices
    lexicon : Lexicon or None
    kwargs
        ``unsure``, ``margin``, ``min_length`` of :func:`correct_glyph_word`.
    """
    if lexicon is None:
        return labels, conf
    labels, conf = list(labels), np.array(conf, float)
    for word in words:
        text = correct_glyph_word("".join(labels[i] for i in word), probs[word], lexicon, CLASSES, **kwargs)
        for i, ch in zip(word, text):
            if ch != labels[i]:
                labels[i], conf[i] = ch, probs[i, CLASSES.index(ch)]
    return labels, conf
