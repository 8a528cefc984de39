"""Synthetic photographed pages with writing and the things that are not writing, for the writing model.

:func:`synth_page` draws lines of real glyphs (NIST36 train) on paper of a
colour, in a frame from 320x240 upwards, and around and across them what
people's photos hold besides writing: ruled lines and grids at any angle,
faint, broken and fanned by perspective; a torn pad edge with punch holes;
spiral rings; creases and a shadow's edge; specks; printed digits; a pen
lying on the page; boxes of a form; ghosts of erased writing; and, for a
sheet held up to a camera, a scene around it (cloth, foliage, a face, a
hand). It returns the boxes of the written glyphs and punctuation so that
each candidate the reader finds can be labelled.
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from scipy import ndimage as ndi
from skimage import draw, transform

PAPERS = ((236, 236, 232), (205, 207, 207), (238, 228, 200), (196, 160, 118), (120, 214, 200), (245, 232, 150))
INKS = ((30, 50, 150), (25, 25, 30), (90, 90, 95), (15, 15, 20), (20, 40, 170), (180, 30, 35))
SKIN = ((224, 172, 140), (198, 134, 100), (141, 85, 60), (240, 200, 170))
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LOWERCASE_LINES = 0.3
"""Share of written lines in mixed-case hand print when the bank holds lowercase glyphs."""


def lowercase_bank(path):
    """Lowercase glyphs of an EMNIST-style pool ``.npz`` (28 px, 255 = ink) resized to NIST36's 32 px frame.

    Returns
    -------
    dict char -> (n, 32, 32) ink strength (1 = ink), as ``training.sample_pages.glyph_bank`` gives
    """
    from .sources import read_pool_file

    images, labels = read_pool_file(path)
    out = {}
    for char in "abcdefghijklmnopqrstuvwxyz":
        chosen = images[labels == char][:400].astype(np.float32) / 255
        if len(chosen):
            out[char] = np.stack([transform.resize(g, (32, 32), order=1, anti_aliasing=False) for g in chosen])
    return out


def _font(size):
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _smooth_noise(rng, shape, cell):
    small = rng.normal(0, 1, (max(2, shape[0] // cell + 2), max(2, shape[1] // cell + 2)))
    big = transform.resize(small, shape, order=3, mode="reflect")
    return big / max(big.std(), 1e-6)


def _scene(rng, shape):
    """A textured surround: cloth, foliage, a room (RGB floats 0..1)."""
    h, w = shape
    base = rng.uniform(0.1, 0.8, 3)
    out = np.ones((h, w, 3)) * base
    for cell in (rng.integers(4, 12), rng.integers(15, 40), rng.integers(50, 120)):
        out += rng.uniform(0.05, 0.2) * _smooth_noise(rng, shape, int(cell))[..., None] * rng.uniform(0.5, 1, 3)
    if rng.random() < 0.5:
        period = rng.uniform(15, 60)
        yy, xx = np.mgrid[0:h, 0:w]
        stripes = (np.sin(xx / period * 2 * np.pi) > 0.3) ^ (np.sin(yy / period * 2 * np.pi) > 0.3)
        out[stripes] *= rng.uniform(0.3, 0.8, 3)
    for _ in range(rng.integers(0, 6)):
        rr, cc = draw.ellipse(rng.uniform(0, h), rng.uniform(0, w), rng.uniform(10, h / 4), rng.uniform(10, w / 4),
                              shape=shape, rotation=rng.uniform(0, np.pi))
        out[rr, cc] = rng.uniform(0, 1, 3)
    if rng.random() < 0.4:
        cy, cx, r = rng.uniform(0.1, 0.5) * h, rng.uniform(0.2, 0.8) * w, rng.uniform(0.1, 0.25) * min(h, w)
        rr, cc = draw.ellipse(cy, cx, 1.3 * r, r, shape=shape)
        skin = np.array(SKIN[rng.integers(len(SKIN))]) / 255
        out[rr, cc] = skin * (1 + 0.08 * _smooth_noise(rng, shape, 6)[rr, cc, None])      # skin is not flat
        for dx in (-0.4, 0.4):
            rr, cc = draw.ellipse(cy - 0.2 * r, cx + dx * r, 0.06 * r, 0.12 * r, shape=shape)
            out[rr, cc] = 0.1
    return np.clip(out, 0, 1)


def _glyph_ink(bank, ch, height, rng):
    pool = bank[ch]
    g = pool[rng.integers(len(pool))]
    g = transform.rescale(g, height / 25.0 * rng.uniform(0.85, 1.15), order=1, anti_aliasing=height < 25)
    g = transform.rotate(g, rng.uniform(-6, 6), order=1, resize=True)
    rows, cols = np.flatnonzero(g.max(axis=1) > 0.3), np.flatnonzero(g.max(axis=0) > 0.3)
    if rows.size == 0 or cols.size == 0:
        return None
    return g[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _mark_ink(kind, height, stroke, rng):
    """A punctuation mark drawn as a stroke: ``.`` ``,`` ``-``."""
    size = int(max(4, height * 0.6))
    canvas = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(canvas)
    width = max(1, int(round(stroke)))
    if kind == ".":
        r = max(1.0, stroke * 0.7)
        d.ellipse([size / 2 - r, size / 2 - r, size / 2 + r, size / 2 + r], fill=255)
    elif kind == ",":
        d.line([(size * 0.55, size * 0.2), (size * 0.5, size * 0.55), (size * 0.35, size * 0.85)], fill=255,
               width=width)
    else:
        d.line([(size * 0.1, size * 0.5), (size * 0.9, size * 0.5 + rng.uniform(-1, 1))], fill=255, width=width)
    g = np.asarray(canvas, float) / 255
    rows, cols = np.flatnonzero(g.max(axis=1) > 0.3), np.flatnonzero(g.max(axis=0) > 0.3)
    return g[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _paste(ink, g, y, x):
    h, w = g.shape
    y, x = int(y), int(x)
    if y < 0 or x < 0 or y + h > ink.shape[0] or x + w > ink.shape[1]:
        return None
    ink[y:y + h, x:x + w] = np.maximum(ink[y:y + h, x:x + w], g)
    return [y, x, y + h, x + w]


def _line_mask(shape, y0, x0, y1, x1, width, gaps=0.0, rng=None):
    mask = np.zeros(shape, bool)
    rr, cc = draw.line(int(y0), int(x0), int(y1), int(x1))
    keep = (rr >= 0) & (rr < shape[0]) & (cc >= 0) & (cc < shape[1])
    rr, cc = rr[keep], cc[keep]
    if gaps and rng is not None and len(rr):
        on = np.ones(len(rr), bool)
        for _ in range(rng.integers(1, 8)):
            start = rng.integers(0, len(rr))
            on[start:start + int(rng.uniform(0.02, 0.3) * len(rr))] = False
        rr, cc = rr[on], cc[on]
    mask[rr, cc] = True
    if width > 1:
        mask = ndi.binary_dilation(mask, iterations=int(width // 2))
    return mask


def _rules(rng, shape, sheet_box, letter):
    """A family of ruled lines (or a grid, or dots) at any angle, fanned a little, faint and broken."""
    h, w = shape
    y1, x1, y2, x2 = sheet_box
    mask = np.zeros(shape, float)
    angle = rng.choice([0.0, 90.0, rng.uniform(-90, 90)], p=[0.45, 0.35, 0.2]) + rng.normal(0, 3)
    spacing = letter * rng.uniform(0.5, 1.6)
    fan = rng.uniform(0, 4) * rng.choice([-1, 1])
    darkness = rng.uniform(0.08, 0.5)
    width = rng.choice([1, 1, 2, 3])
    broken = rng.uniform(0, 1) if rng.random() < 0.6 else 0.0
    dotted = rng.random() < 0.1
    for direction in ([angle, angle + 90] if rng.random() < 0.2 else [angle]):
        t = np.deg2rad(direction)
        along, across = np.array([np.sin(t), np.cos(t)]), np.array([np.cos(t), -np.sin(t)])
        centre = np.array([(y1 + y2) / 2, (x1 + x2) / 2])
        reach = np.hypot(y2 - y1, x2 - x1)
        n = int(reach / spacing)
        for k in range(-n // 2 - 1, n // 2 + 2):
            tilt = np.deg2rad(fan * k / max(n, 1))
            a = np.array([np.sin(t + tilt), np.cos(t + tilt)])
            p = centre + across * k * spacing
            q0, q1 = p - a * reach, p + a * reach
            line = _line_mask(shape, q0[0], q0[1], q1[0], q1[1], width, broken, rng)
            if dotted:
                yy, xx = np.nonzero(line)
                line[yy[(yy + xx) % int(max(4, spacing / 3)) > 1], xx[(yy + xx) % int(max(4, spacing / 3)) > 1]] = False
            mask = np.maximum(mask, line * darkness * rng.uniform(0.6, 1.0))
        _ = along
    box = np.zeros(shape, bool)
    box[y1:y2, x1:x2] = True
    return mask * box


def _edge_and_holes(rng, shape, sheet_box, letter):
    """A torn edge with punch holes, or spiral rings across the sheet's edge, along one side.

    Returns
    -------
    dark : (H, W) float array
        Darkening on the sheet (the torn edge's line, the holes).
    rings : (H, W) float array
        Darkening drawn over sheet and scene alike (spiral rings stand out of the sheet).
    """
    y1, x1, y2, x2 = sheet_box
    dark, rings = np.zeros(shape, float), np.zeros(shape, float)
    r = letter * rng.uniform(0.15, 0.45)
    step = r * rng.uniform(2.5, 4)
    if rng.random() < 0.5:
        for x in np.arange(x1 + step, x2 - step, step):
            rr, cc = draw.ellipse_perimeter(int(y1), int(x), int(rng.uniform(1.3, 2.2) * r), int(r), shape=shape)
            rings[rr, cc] = rng.uniform(0.6, 0.95)
            rr, cc = draw.disk((y1 + 1.6 * r, x), 0.5 * r, shape=shape)
            dark[rr, cc] = 0.8
        rings = ndi.grey_dilation(rings, size=int(max(2, r / 3)))
        return dark, rings
    y = y1 + r * rng.uniform(1.5, 3)
    for x in np.arange(x1 + step, x2 - step, step):
        rr, cc = draw.disk((y, x), r, shape=shape)
        dark[rr, cc] = rng.uniform(0.5, 0.9)
    if rng.random() < 0.7:
        xs = np.arange(x1, x2)
        ys = (y1 + r * rng.uniform(0, 1.5) + np.cumsum(rng.normal(0, 0.8, len(xs)))).astype(int)
        for x, yy in zip(xs, ys):
            if 0 <= yy < shape[0]:
                dark[max(0, yy - 2):yy + 1, x] = 0.8
    return dark, rings


def _creases(rng, shape, sheet_box):
    y1, x1, y2, x2 = sheet_box
    dark = np.zeros(shape, float)
    for _ in range(rng.integers(1, 4)):
        ys = np.linspace(rng.uniform(y1, y2), rng.uniform(y1, y2), 200)
        xs = np.linspace(x1, x2, 200) + 20 * np.sin(np.linspace(0, rng.uniform(1, 6), 200))
        if rng.random() < 0.5:
            ys, xs = np.linspace(y1, y2, 200), np.linspace(rng.uniform(x1, x2), rng.uniform(x1, x2), 200)
        for a, b, c, d in zip(ys[:-1], xs[:-1], ys[1:], xs[1:]):
            rr, cc = draw.line(int(a), int(b), int(c), int(d))
            ok = (rr >= 0) & (rr < shape[0]) & (cc >= 0) & (cc < shape[1])
            dark[rr[ok], cc[ok]] = rng.uniform(0.1, 0.35)
    return ndi.gaussian_filter(dark, 0.8) * 1.5


def _shadow(rng, shape, sheet_box):
    y1, x1, y2, x2 = sheet_box
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    t = rng.uniform(0, np.pi)
    d = (yy - rng.uniform(y1, y2)) * np.cos(t) + (xx - rng.uniform(x1, x2)) * np.sin(t)
    return 1 - rng.uniform(0.2, 0.5) * (d > 0) * (1 - np.exp(-np.maximum(d, 0) / rng.uniform(2, 30)))


def synth_page(bank, rng, held=None):
    """A synthetic photographed page and the boxes of its writing.

    Parameters
    ----------
    bank : dict char -> (n, 32, 32) ink images (``training.sample_pages.glyph_bank``, and
        :func:`lowercase_bank`: ``LOWERCASE_LINES`` of the lines are then mixed-case)
    rng : numpy Generator
    held : bool, optional
        A sheet held up in a scene (drawn at random when None).

    Returns
    -------
    image : (H, W, 3) uint8
    glyphs : (G, 4) int array of the written glyphs' boxes
    marks : (M, 4) int array of the written punctuation marks' boxes
    """
    width = int(rng.choice([320, 480, 640, 800, 1024]))
    height = int(width * rng.uniform(0.6, 1.3))
    shape = (height, width)
    held = rng.random() < 0.35 if held is None else held
    if held:
        sh, sw = int(height * rng.uniform(0.35, 0.75)), int(width * rng.uniform(0.35, 0.75))
        y1, x1 = rng.integers(0, height - sh), rng.integers(0, width - sw)
        sheet_box = (int(y1), int(x1), int(y1 + sh), int(x1 + sw))
    else:
        sheet_box = (0, 0, height, width)
    y1, x1, y2, x2 = sheet_box
    paper_rgb = np.array(PAPERS[rng.choice(len(PAPERS), p=[0.45, 0.15, 0.12, 0.1, 0.08, 0.1])]) / 255
    ink_rgb = np.array(INKS[rng.integers(len(INKS))]) / 255
    letter = float(np.clip(rng.uniform(15, max(16.0, 0.16 * (y2 - y1))), 12, 160))
    stroke = max(1.0, letter / 10)
    ink = np.zeros(shape, float)
    glyphs, marks = [], []
    n_lines = int(rng.integers(1, 5))
    y = y1 + letter * rng.uniform(0.8, 2.5)
    lower = [c for c in bank if c.islower()]
    for _ in range(n_lines):
        if y + 1.5 * letter > y2:
            break
        chars = ALPHABET if not lower or rng.random() >= LOWERCASE_LINES else "".join(lower) + ALPHABET[:26]
        x = x1 + letter * rng.uniform(0.5, 2.5)
        for _ in range(int(rng.integers(1, 4))):
            for _ in range(int(rng.integers(1, 9))):
                g = _glyph_ink(bank, chars[rng.integers(len(chars))], letter, rng)
                if g is None:
                    continue
                if x + g.shape[1] > x2 - 2:
                    break
                box = _paste(ink, g, y + rng.normal(0, 0.05) * letter + (letter - g.shape[0]), x)
                if box is None:
                    break
                glyphs.append(box)
                x = box[3] + rng.uniform(0.1, 0.4) * letter
            if rng.random() < 0.25:
                kind = rng.choice([".", ",", "-"])
                m = _mark_ink(kind, letter, stroke, rng)
                my = y + (0.45 * letter if kind == "-" else letter - 0.5 * m.shape[0])
                box = _paste(ink, m, my, x) if x + m.shape[1] < x2 - 2 else None
                if box is not None:
                    marks.append(box)
                    x = box[3] + 0.2 * letter
            x += rng.uniform(0.6, 1.2) * letter
        y += letter * rng.uniform(1.5, 2.5)
    dark, rings = np.zeros(shape, float), np.zeros(shape, float)
    if rng.random() < 0.5:
        dark = np.maximum(dark, _rules(rng, shape, sheet_box, letter))
    if rng.random() < 0.45:
        holes, rings = _edge_and_holes(rng, shape, sheet_box, letter)
        dark = np.maximum(dark, holes)
    if rng.random() < 0.3:
        dark = np.maximum(dark, _creases(rng, shape, sheet_box))
    if rng.random() < 0.15:
        g = np.zeros(shape, float)
        for _ in range(rng.integers(3, 12)):
            c = _glyph_ink(bank, ALPHABET[rng.integers(len(ALPHABET))], letter * rng.uniform(0.7, 1.3), rng)
            if c is not None:
                _paste(g, c, rng.uniform(y1, y2 - c.shape[0]), rng.uniform(x1, x2 - c.shape[1]))
        dark = np.maximum(dark, g * rng.uniform(0.06, 0.2))
    if rng.random() < 0.5:
        for _ in range(rng.integers(1, 15)):
            centre = (rng.uniform(y1, y2), rng.uniform(x1, x2))
            rr, cc = draw.disk(centre, rng.uniform(0.5, 0.1 * letter + 1), shape=shape)
            dark[rr, cc] = np.maximum(dark[rr, cc], rng.uniform(0.1, 0.6))
    if rng.random() < 0.15:
        a = rng.uniform(0, np.pi)
        length = rng.uniform(3, 8) * letter
        cy, cx = rng.uniform(y1, y2), rng.uniform(x1, x2)
        pen = _line_mask(shape, cy, cx, cy + length * np.sin(a), cx + length * np.cos(a), max(3, letter / 4))
        dark = np.maximum(dark, pen * 0.8)
    if rng.random() < 0.15 and glyphs:
        for gy1, gx1, gy2, gx2 in glyphs:
            pad = int(0.25 * letter)
            frame = np.zeros(shape, bool)
            rr, cc = draw.rectangle_perimeter((gy1 - pad, gx1 - pad), (gy2 + pad, gx2 + pad), shape=shape)
            frame[rr, cc] = True
            dark = np.maximum(dark, frame * rng.uniform(0.2, 0.6))
    paper = np.ones(shape) * rng.uniform(0.75, 1.0)
    paper *= 1 + rng.uniform(0.01, 0.05) * _smooth_noise(rng, shape, max(8, width // 4))
    if rng.random() < 0.3:
        paper *= _shadow(rng, shape, sheet_box)
    image = paper[..., None] * paper_rgb
    image = image * (1 - dark[..., None] * 0.9)
    strength = rng.uniform(0.55, 1.0)
    ink_layer = np.clip(ink, 0, 1)[..., None] * strength
    image = image * (1 - ink_layer) + ink_layer * ink_rgb * paper[..., None]
    if rng.random() < 0.2:
        pil = Image.fromarray((np.clip(image, 0, 1) * 255).astype(np.uint8))
        d = ImageDraw.Draw(pil)
        size = int(max(8, letter * rng.uniform(0.3, 0.6)))
        d.text((rng.uniform(x1, max(x1 + 1, x2 - 4 * size)), rng.uniform(y1, max(y1 + 1, y2 - size))),
               str(rng.integers(1, 300)), fill=(40, 40, 40), font=_font(size))
        image = np.asarray(pil, float) / 255
    if held:
        scene = _scene(rng, shape)
        inside = np.zeros(shape, bool)
        inside[y1:y2, x1:x2] = True
        image = np.where(inside[..., None], image, scene)
        if rng.random() < 0.6:
            side = rng.integers(4)
            cy = [y2, y1, rng.uniform(y1, y2), rng.uniform(y1, y2)][side]
            cx = [rng.uniform(x1, x2), rng.uniform(x1, x2), x1, x2][side]
            rr, cc = draw.ellipse(cy, cx, 0.6 * letter + 10, 1.2 * letter + 10, shape=shape,
                                  rotation=rng.uniform(0, np.pi))
            image[rr, cc] = np.array(SKIN[rng.integers(len(SKIN))]) / 255 * rng.uniform(0.8, 1.0)
    image = image * (1 - rings[..., None])
    image = ndi.gaussian_filter(image, (rng.uniform(0.3, 1.2), rng.uniform(0.3, 1.2), 0))
    image = image + rng.normal(0, rng.uniform(0.005, 0.03), image.shape)
    out = (np.clip(image, 0, 1) * 255).astype(np.uint8)
    if rng.random() < 0.3:
        out = np.asarray(Image.fromarray(out).filter(ImageFilter.SMOOTH))
    return out, np.array(glyphs, int).reshape(-1, 4), np.array(marks, int).reshape(-1, 4)
