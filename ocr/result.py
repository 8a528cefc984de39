"""What reading one page gives: the page's text, lines, words and characters with their boxes.

A :class:`PageResult` is the reader's result on its working copy of the page;
a :class:`PageReading` is the same in the original image's pixels with the
page's place in its document, as the writers take it.
"""
from dataclasses import asdict, dataclass, field

import numpy as np

from .boxes import box_of, line_chars, unscaled_box, word_confidence
from .writers import render, save


@dataclass
class Char:
    """One recognised character: ``box`` is ``[y1, x1, y2, x2]``."""

    box: list
    label: str
    confidence: float


@dataclass
class Word:
    chars: list = field(default_factory=list)

    @property
    def text(self):
        return "".join(c.label for c in self.chars)


@dataclass
class Line:
    words: list = field(default_factory=list)

    @property
    def text(self):
        return " ".join(w.text for w in self.words)


@dataclass
class PageResult:
    """Recognised text of a page as lines of words of characters."""

    lines: list = field(default_factory=list)
    shape: tuple = (0, 0)
    skew: float = 0.0
    rotation: int = 0
    crops: np.ndarray = field(default_factory=lambda: np.zeros((0, 1024)), repr=False)
    crop_labels: list = field(default_factory=list, repr=False)

    @property
    def text(self):
        return "\n".join(line.text for line in self.lines)

    @property
    def chars(self):
        return [c for line in self.lines for w in line.words for c in w.chars]

    def __len__(self):
        return len(self.chars)

    def to_dict(self):
        """JSON-ready dict with per-line, per-word, per-character detail."""
        return {
            "text": self.text,
            "shape": [int(s) for s in self.shape],
            "skew_degrees": round(float(self.skew), 2),
            "rotation": int(self.rotation),
            "lines": [
                {
                    "text": line.text,
                    "words": [
                        {"text": w.text, "chars": [asdict(c) for c in w.chars]} for w in line.words
                    ],
                }
                for line in self.lines
            ],
        }


@dataclass
class PageReading:
    """The result of reading one page of a document.

    Attributes
    ----------
    result : PageResult
        Lines of words of characters; every ``box`` is ``[y1, x1, y2, x2]`` in the
        original image's pixels (``y2``, ``x2`` exclusive) and ``result.shape`` is the
        original ``(H, W)``.
    source : str
        File name, ``"-"`` (stdin), ``"<array>"`` or ``"<bytes>"``.
    page, page_count : int
        1-based page number and number of pages of the document.
    scale : (float, float)
        ``(sy, sx)`` working-image pixels per original pixel the page was read at.
    image : (h, w) or (h, w, 3) uint8 array
        The working image that was read (for overlays and searchable PDFs).
    """

    result: object
    source: str = "<array>"
    page: int = 1
    page_count: int = 1
    scale: tuple = (1.0, 1.0)
    image: np.ndarray = field(default=None, repr=False)

    ok = True

    @property
    def text(self):
        return self.result.text

    @property
    def lines(self):
        return self.result.lines

    @property
    def words(self):
        return [w for line in self.result.lines for w in line.words]

    @property
    def chars(self):
        return self.result.chars

    @property
    def shape(self):
        """``(H, W)`` of the original page."""
        return tuple(int(s) for s in self.result.shape)

    def to_dict(self):
        """JSON-ready dict: the page result's fields plus file, page numbers, scale and line/word boxes."""
        out = {"file": self.source, "page": self.page, "page_count": self.page_count,
               "scale": [round(float(s), 6) for s in self.scale]}
        out.update(self.result.to_dict())
        for line, line_dict in zip(self.lines, out["lines"]):
            line_dict["box"] = box_of(line_chars(line))
            for word, word_dict in zip(line.words, line_dict["words"]):
                word_dict["box"] = box_of(word.chars)
                word_dict["confidence"] = word_confidence(word)
        return out

    def render(self, fmt):
        """This page in output format ``fmt`` ('text', 'json', 'tsv', 'hocr', 'alto', 'page'): str."""
        return render([self], fmt)

    def save(self, path, fmt=None):
        """Write this page to ``path`` in ``fmt`` (default: from the file extension, e.g. ``.hocr``, ``.pdf``)."""
        return save([self], path, fmt)


@dataclass
class PageFailure:
    """An input (or one page of it) that could not be read."""

    source: str
    message: str
    page: int = None

    ok = False

    def to_dict(self):
        return {"file": self.source, "page": self.page, "error": self.message}


def to_original_pixels(result, scale, original_shape):
    """Rescale ``result``'s character boxes in place from the working image to the original page.

    Parameters
    ----------
    result : PageResult
        Read on a working image that is ``scale = (sy, sx)`` times the original.
    original_shape : (int, int)
        ``(H0, W0)``; boxes are clipped to it.
    """
    for char in result.chars:
        char.box = unscaled_box(char.box, scale, original_shape)
    result.shape = tuple(int(s) for s in original_shape)
    return result
