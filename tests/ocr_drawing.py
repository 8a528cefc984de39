"""Draw simple stroke letters on synthetic pages for the OCR tests."""
import numpy as np
from scipy import ndimage as ndi
from skimage import draw

SEGMENTS = {
    "L": [(0, 0, 1, 0), (1, 0, 1, 0.7)],
    "T": [(0, 0, 0, 0.8), (0, 0.4, 1, 0.4)],
    "H": [(0, 0, 1, 0), (0, 0.7, 1, 0.7), (0.5, 0, 0.5, 0.7)],
    "E": [(0, 0, 1, 0), (0, 0, 0, 0.7), (0.5, 0, 0.5, 0.6), (1, 0, 1, 0.7)],
    "F": [(0, 0, 1, 0), (0, 0, 0, 0.7), (0.5, 0, 0.5, 0.6)],
    "X": [(0, 0, 1, 0.8), (0, 0.8, 1, 0)],
    "V": [(0, 0, 1, 0.4), (1, 0.4, 0, 0.8)],
    "N": [(1, 0, 0, 0), (0, 0, 1, 0.7), (1, 0.7, 0, 0.7)],
    "Z": [(0, 0, 0, 0.7), (0, 0.7, 1, 0), (1, 0, 1, 0.7)],
    "K": [(0, 0, 1, 0), (0.55, 0, 0, 0.7), (0.45, 0.1, 1, 0.7)],
    "I": [(0, 0.2, 1, 0.2)],
}


def blank(shape, level=0.9):
    return np.full(shape, level, float)


def draw_letter(page, ch, y, x, h, width=None, ink=0.15, gap=None):
    """Draw ``ch`` with its top-left at ``(y, x)`` and height ``h``.

    ``gap`` (fraction of height) cuts a horizontal break through the middle
    of the letter, making it two pieces.
    """
    width = width or max(2, h / 9)
    mask = np.zeros(page.shape, bool)
    for y0, x0, y1, x1 in SEGMENTS[ch]:
        rr, cc = draw.line(int(y + y0 * h), int(x + x0 * h), int(y + y1 * h), int(x + x1 * h))
        ok = (rr >= 0) & (rr < page.shape[0]) & (cc >= 0) & (cc < page.shape[1])
        mask[rr[ok], cc[ok]] = True
    mask = ndi.binary_dilation(mask, iterations=int(round(width / 2)))
    if gap:
        cut = int(y + 0.5 * h)
        mask[cut - int(gap * h / 2): cut + int(gap * h / 2) + 1] = False
    page[mask] = ink
    return page


def draw_dot(page, y, x, r, ink=0.15):
    rr, cc = draw.disk((y, x), r, shape=page.shape)
    page[rr, cc] = ink
    return page


def text_page(lines, h=40, shape=None, letter_gap=0.35, word_gap=1.6, line_gap=1.8, rotate=0.0, rng=None,
              jitter=0.0):
    """A page with ``lines`` (lists of words) drawn in stroke letters; returns page and box list."""
    rng = np.random.default_rng(rng)
    width = int(max(sum(len(w) for w in words) * h * 1.2 + len(words) * word_gap * h for words in lines) + 4 * h)
    shape = shape or (int(len(lines) * line_gap * h + 4 * h), width)
    page = blank(shape)
    y = 2 * h
    for words in lines:
        x = 2 * h
        for word in words:
            for ch in word:
                dy = rng.normal(0, jitter * h) if jitter else 0
                draw_letter(page, ch, y + dy, x, h)
                x += 0.8 * h + letter_gap * h
            x += word_gap * h - letter_gap * h
        y += line_gap * h
    if rotate:
        from skimage import transform

        page = transform.rotate(page, rotate, mode="constant", cval=0.9, order=1)
    noise = np.random.default_rng(0).normal(0, 0.01, page.shape)
    return np.clip(page + noise, 0, 1)
