"""Read a whole page: find letters, group them, classify them."""
import os
from dataclasses import asdict, dataclass, field

import numpy as np

from .errors import ImageError
from .find_letters import find_letters
from .lexicon import correct_glyph_words
from .line_engine import line_positions, read_lines, replace_lines, touching_lines
from .lines import estimate_skew, layout
from .normalise import normalise_crops
from .recognise import predict_proba, word_context
from .split import split_touching

MAX_PIXELS = 40_000_000
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".gif", ".webp")


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


def read_page(image, classifier, engine="glyph", recogniser=None, lexicon=None):
    """Recognise the block capitals on a page image.

    Parameters
    ----------
    image : (H, W) or (H, W, 3) array
    classifier : object with ``predict_proba(rows) -> (N, 36)``
    engine : {'glyph', 'line', 'auto'}
        'glyph' cuts letters and classifies each; 'line' reads every line with
        ``recogniser`` (``ocr.line_engine``); 'auto' reads lines holding
        touching letters with the line engine and the rest glyph by glyph.
    recogniser : training.line_model.LineRecogniser, optional
        Needed for 'line' and 'auto'.
    lexicon : ocr.lexicon.Lexicon, optional
        Corrects unsure letters-only words (both engines).

    Returns
    -------
    PageResult
        Empty (no lines) for a blank page; ``crops`` holds the normalised
        32x32 rows the classifier saw, in reading order, with ``crop_labels``.
    """
    image = np.asarray(image)
    boxes, binary = find_letters(image)
    shape = tuple(image.shape[:2])
    if len(boxes) == 0:
        return PageResult([], shape, 0.0)
    skew = estimate_skew(boxes)
    if engine == "line":
        return PageResult(_line_engine(binary, boxes, layout(boxes, skew), skew, recogniser, lexicon), shape, skew)
    found = boxes
    rows = normalise_crops(binary, boxes, skew)
    probs = predict_proba(rows, classifier)
    boxes, rows, probs = split_touching(binary, boxes, rows, probs, classifier, skew)
    structure = layout(boxes, skew)
    labels, conf = word_context(probs, [word for line in structure for word in line])
    labels, conf = correct_glyph_words(labels, conf, probs, [word for line in structure for word in line], lexicon)
    lines = []
    for line in structure:
        words = [Word([Char([int(v) for v in boxes[i]], labels[i], round(float(conf[i]), 4)) for i in word])
                 for word in line]
        lines.append(Line(words))
    order = [i for line in structure for word in line for i in word]
    result = PageResult(lines, shape, skew, rows[order], [labels[i] for i in order])
    if engine == "auto":
        whole = layout(found, skew)
        chosen = [line for line, touching in zip(whole, touching_lines(found, whole)) if touching]
        if chosen:
            height = float(np.median(found[:, 2] - found[:, 0]))
            result.lines = replace_lines(lines, line_positions(boxes, structure, skew),
                                         _line_engine(binary, found, chosen, skew, recogniser, lexicon, keep_empty=True),
                                         line_positions(found, chosen, skew), 0.5 * height)
            result.lines = [line for line in result.lines if line.words]
    return result


def _line_engine(binary, boxes, structure, skew, recogniser, lexicon, keep_empty=False):
    lines = [Line([Word([Char(box, label, round(conf, 4)) for box, label, conf in word]) for word in words])
             for words in read_lines(binary, boxes, structure, skew, recogniser, lexicon)]
    return lines if keep_empty else [line for line in lines if line.words]


def _decode(path):
    try:
        from PIL import Image
    except ImportError:
        import imageio.v3 as iio

        return iio.imread(path)
    Image.MAX_IMAGE_PIXELS = None
    with Image.open(path) as img:
        w, h = img.size
        if w * h > MAX_PIXELS:
            factor = float(np.sqrt(w * h / MAX_PIXELS))
            target = (max(1, int(w / factor)), max(1, int(h / factor)))
            img.draft("RGB", target)
            img = img.convert("RGB") if img.mode not in ("RGB", "L") else img
            img = img.resize(target, reducing_gap=2.0)
        elif img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        return np.asarray(img)


def load_image(path):
    """Load an image file as a uint8 array, downscaled when over ~40 MP.

    Raises
    ------
    ImageError
        Missing, unreadable or non-image file (one-line message).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ImageError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ImageError(f"{path}: is a directory, not an image")
    try:
        image = _decode(path)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImageError(f"{path}: not a readable image ({reason[:120]})") from None
    image = np.asarray(image)
    if image.ndim == 4:
        image = image[0]
    if image.ndim not in (2, 3) or image.size == 0 or min(image.shape[:2]) < 2:
        raise ImageError(f"{path}: not a readable image (shape {image.shape})")
    if image.ndim == 3 and image.shape[2] not in (1, 3, 4):
        raise ImageError(f"{path}: not a readable image (shape {image.shape})")
    if image.dtype != np.uint8:
        image = _to_uint8(image)
    if image.shape[0] * image.shape[1] > MAX_PIXELS:
        factor = int(np.ceil(np.sqrt(image.shape[0] * image.shape[1] / MAX_PIXELS)))
        image = image[::factor, ::factor].copy()
    return image


def _to_uint8(image):
    if image.dtype == bool:
        return image.astype(np.uint8) * 255
    if np.issubdtype(image.dtype, np.integer):
        top = np.iinfo(image.dtype).max
        return (image.astype(np.float32) * (255.0 / top)).round().astype(np.uint8)
    image = image.astype(np.float32)
    top = float(np.nanmax(image)) if image.size else 1.0
    if top > 1.0:
        image = image / top
    return (np.clip(np.nan_to_num(image), 0, 1) * 255).round().astype(np.uint8)


def overlay(image, result, path):
    """Draw every box with its predicted character above it and save a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    image = np.asarray(image)
    h, w = image.shape[:2]
    step = max(1, int(np.ceil(max(h, w) / 2000)))
    shown = image[::step, ::step]
    fig_w = 12
    fig, ax = plt.subplots(figsize=(fig_w, fig_w * h / max(w, 1)))
    ax.imshow(shown, cmap="gray" if shown.ndim == 2 else None, extent=(0, w, h, 0))
    chars = result.chars
    heights = [c.box[2] - c.box[0] for c in chars]
    size = 12
    if heights:
        size = float(np.clip(np.median(heights) / h * fig_w * h / max(w, 1) * 72 * 0.6, 6, 28))
    for c in chars:
        y1, x1, y2, x2 = c.box
        colour = "tab:red" if c.confidence < 0.5 else "tab:green"
        ax.add_patch(plt.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, ec=colour, lw=1))
        ax.text(x1, y1 - 2, c.label, color=colour, fontsize=size, va="bottom", ha="left",
                fontweight="bold")
    if heights:
        ax.set_ylim(h, min(0, min(c.box[0] for c in chars) - 1.2 * float(np.median(heights))))
    ax.set_xlim(0, w)
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
