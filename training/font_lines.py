"""Mixed-case text lines rendered from handwriting typefaces of Debian and npm packages.

Each character is drawn on its own with a small random size, baseline shift
and rotation, all sheared by the line's slant; the line is then given a pen
width (strokes thickened or thinned to a width drawn per line), an elastic
distortion, uneven ink and broken strokes. The output follows
:func:`pool_lines.compose_line`: float32 ink in [0, 1] and one ink box per character.

A typeface stands for one writer: :func:`font_split` holds whole typefaces out
for validation. :data:`FONTS` records every typeface used with its package and
licence, :data:`SKIPPED_FONTS` those left out and why; :func:`fonts_help` tells
how to install them.
"""
import os
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage as ndi

from .mixed_text import MIXED_ALPHABET, PUNCTUATION

NPM_DIR = Path("fonts") / "node_modules" / "@fontsource"
"""Where the README's ``npm install`` puts the npm typefaces, relative to the folder it is run in."""
DEFAULT_FONT_DIRS = ("/usr/share/fonts", str(Path.home() / ".local" / "share" / "fonts"), str(NPM_DIR))
FONT_DIRS_ENV_VAR = "OCR_FONT_DIRS"
"""``os.pathsep``-separated folders searched instead of :data:`DEFAULT_FONT_DIRS` when set."""

APT_PACKAGES = ("fonts-dkg-handwriting", "fonts-breip", "fonts-bwht", "fonts-rufscript", "fonts-humor-sans",
                "fonts-sjfonts", "fonts-tomsontalks", "fonts-comic-neue", "fonts-tlwg-purisa-otf",
                "fonts-yusei-magic", "fonts-klee")
NPM_FAMILIES = ("annie-use-your-telescope", "architects-daughter", "caveat", "chilanka", "coming-soon",
                "covered-by-your-grace", "dekko", "delicious-handrawn", "delius", "edu-sa-beginner", "gaegu",
                "gamja-flower", "gloria-hallelujah", "gochi-hand", "handlee", "indie-flower", "itim",
                "just-another-hand", "kalam", "mali", "mansalva", "nanum-pen-script", "neucha",
                "nothing-you-could-do", "pangolin", "patrick-hand", "permanent-marker", "playpen-sans",
                "poor-story", "reenie-beanie", "rock-salt", "schoolbell", "shadows-into-light", "shantell-sans",
                "short-stack", "sriracha", "sue-ellen-francisco", "swanky-and-moo-moo", "the-girl-next-door",
                "walter-turncoat", "yomogi")
_APACHE = {"coming-soon", "just-another-hand", "permanent-marker", "rock-salt", "schoolbell", "walter-turncoat",
           "homemade-apple"}
_CAPS_NPM = {"permanent-marker", "walter-turncoat", "rock-salt"}

FONTS = {
    "dkg.ttf": ("fonts-dkg-handwriting", "GPL-3+ (font source OFL-1.1)", "mixed"),
    "Breip.ttf": ("fonts-breip", "OFL-1.0", "mixed"),
    "Rufscript010.ttf": ("fonts-rufscript", "GPL-3+ with font exception", "mixed"),
    "Delphine.ttf": ("fonts-sjfonts", "GPL with font exception", "mixed"),
    "SteveHand.ttf": ("fonts-sjfonts", "GPL with font exception", "mixed"),
    "ComicNeue-Regular.otf": ("fonts-comic-neue", "OFL-1.1", "mixed"),
    "Purisa.otf": ("fonts-tlwg-purisa-otf", "GPL-2+ with font exception", "mixed"),
    "YuseiMagic-Regular.ttf": ("fonts-yusei-magic", "OFL-1.1", "mixed"),
    "KleeOne-Regular.ttf": ("fonts-klee", "OFL-1.1", "mixed"),
    "Humor-Sans.ttf": ("fonts-humor-sans", "OFL-1.1", "caps"),
    "TomsonTalks.ttf": ("fonts-tomsontalks", "OFL-1.1", "caps"),
    **{f"BecauseWe{w}-Regular.otf": ("fonts-bwht", "OFL-1.1", "caps")
       for w in ("Build", "Connect", "Create", "Learn", "Mentor", "Organize")},
    **{f"{n}-latin-400-normal.woff": (f"@fontsource/{n}", "Apache-2.0" if n in _APACHE else "OFL-1.1",
                                      "caps" if n in _CAPS_NPM else "mixed") for n in NPM_FAMILIES},
}
"""Typefaces by file name: ``(package, licence, kind)``. ``kind`` is ``'mixed'`` (real lower
case) or ``'caps'`` (lower case drawn as small capitals: usable only for text without
lower-case letters, see :func:`can_render`). Files of the npm packages are
``files/<name>-latin-400-normal.woff`` (the Latin subset, regular weight: one file per family)."""

SKIPPED_FONTS = {
    "homemade-apple-latin-400-normal.woff": "@fontsource/homemade-apple: joined cursive script, not print",
    "femkeklaver.ttf": "fonts-femkeklaver: hollow (outlined) letters",
    "breipfont.ttf": "fonts-breip: the same glyphs as Breip.ttf",
    "dkgBd.ttf": "fonts-dkg-handwriting: bold of dkg.ttf (one file per writer)",
    "dkgIt.ttf": "fonts-dkg-handwriting: italic of dkg.ttf (one file per writer)",
    "dkgBI.ttf": "fonts-dkg-handwriting: bold italic of dkg.ttf (one file per writer)",
}
"""Typefaces of the installed packages that :func:`find_fonts` leaves out, and why. Other
weights, styles and subsets of a family (``ComicNeue-Bold``, ``Purisa-Oblique``,
``caveat-latin-700``, ``.woff2`` copies) are left out too: one file per writer."""

VALID_EVERY = 5
"""A typeface is a validation typeface when ``crc32(family) % VALID_EVERY == 0`` (see :func:`font_split`)."""


def fonts_help():
    """How to install the handwriting typefaces (shell commands), for when :func:`find_fonts` finds none."""
    npm = " ".join(f"@fontsource/{n}" for n in NPM_FAMILIES)
    return (
        "No handwriting typefaces found. Install them with:\n\n"
        "  apt-get update\n"
        f"  apt-get install -y {' '.join(APT_PACKAGES)}\n\n"
        f"  mkdir -p {NPM_DIR.parent.parent} && cd {NPM_DIR.parent.parent} && npm init -y\n"
        f"  npm install --no-audit --no-fund {npm}\n\n"
        "Debian puts its typefaces under /usr/share/fonts; npm's go to "
        f"{NPM_DIR}. Other folders can be named in ${FONT_DIRS_ENV_VAR} (separated by '{os.pathsep}').\n"
        "Pillow reads the .woff files directly (FreeType with zlib); no conversion is needed."
    )


def font_dirs():
    """Folders to search: ``$OCR_FONT_DIRS`` if set, else :data:`DEFAULT_FONT_DIRS`."""
    value = os.environ.get(FONT_DIRS_ENV_VAR)
    return tuple(value.split(os.pathsep)) if value else DEFAULT_FONT_DIRS


def find_fonts(dirs=None, known_only=True):
    """Typeface files under ``dirs``, sorted by file name.

    Parameters
    ----------
    dirs : sequence of str or Path, optional
        Folders searched recursively (default :func:`font_dirs`).
    known_only : bool
        Only the files of :data:`FONTS` (else every ``.ttf``/``.otf``/``.woff`` not in
        :data:`SKIPPED_FONTS`: for trying a typeface not yet listed).

    Returns
    -------
    paths : list of str
        One path per file name (the first found).
    """
    found = {}
    for d in dirs if dirs is not None else font_dirs():
        for root, _, files in os.walk(d):
            for name in sorted(files):
                if name in found or name in SKIPPED_FONTS:
                    continue
                if (name in FONTS) if known_only else name.lower().endswith((".ttf", ".otf", ".woff")):
                    found[name] = os.path.join(root, name)
    return [found[k] for k in sorted(found, key=str.lower)]


def font_info(path):
    """``(package, licence, kind)`` of a typeface file (``('?', '?', kind)`` for an unlisted file,
    its kind from :func:`looks_unicase`)."""
    name = os.path.basename(path)
    if name in FONTS:
        return FONTS[name]
    return ("?", "?", "caps" if looks_unicase(path) else "mixed")


def family(path):
    """A typeface's writer key: the file name without weight, subset and extension, lower case."""
    name = os.path.basename(path).lower()
    for cut in ("-latin-", "-regular", "."):
        name = name.split(cut)[0]
    return name


def is_valid_font(path, every=VALID_EVERY):
    """True when the typeface is held out for validation: ``crc32(family(path)) % every == 0``.

    The rule reads only the family name, so a typeface's side never depends on
    which other typefaces are installed.
    """
    return zlib.crc32(family(path).encode()) % every == 0


def font_split(paths, every=VALID_EVERY):
    """Whole typefaces to training or validation: ``(train_paths, valid_paths)`` (see :func:`is_valid_font`)."""
    valid = [p for p in paths if is_valid_font(p, every)]
    return [p for p in paths if not is_valid_font(p, every)], valid


def font_table(paths=None):
    """One row per typeface: ``family, file, package, licence, kind, split, missing`` (``missing``:
    characters drawn with pen strokes instead), for :func:`find_fonts` by default."""
    paths = find_fonts() if paths is None else paths
    rows = []
    for path in paths:
        package, licence, kind = font_info(path)
        rows.append(dict(family=family(path), file=str(path), package=package, licence=licence, kind=kind,
                         split="valid" if is_valid_font(path) else "train", missing=missing_chars(path)))
    return rows


@lru_cache(maxsize=256)
def _font(path, size):
    return ImageFont.truetype(str(path), int(size))


@lru_cache(maxsize=128)
def _cmap(path):
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as tt:
        return frozenset((tt.getBestCmap() or {}).keys())


def _bitmap(font, ch):
    """Glyph ``ch`` as float32 ink ``(h, w)`` and its top-left offset ``(dy, dx)`` from the pen
    point on the baseline; ``None`` ink for an empty glyph."""
    left, top, right, bottom = font.getbbox(ch, anchor="ls")
    if right <= left or bottom <= top:
        return None, (0, 0)
    im = Image.new("L", (right - left + 2, bottom - top + 2), 0)
    ImageDraw.Draw(im).text((1 - left, 1 - top), ch, font=font, fill=255, anchor="ls")
    return np.asarray(im, np.float32) / 255.0, (top - 1, left - 1)


@lru_cache(maxsize=20000)
def _glyph(path, size, ch):
    """:func:`_bitmap` of typeface ``path`` at ``size``, cached (read-only ink)."""
    ink, offset = _bitmap(_font(path, size), ch)
    if ink is not None:
        ink.setflags(write=False)
    return ink, offset


@lru_cache(maxsize=128)
def font_metrics(path):
    """Per-size metrics of a typeface: capital height, x-height, descender and stroke width,
    each in px per px of font size (measured at size 100 on ``H``, ``x``, ``g`` and ``Hamburg``)."""
    font = _font(path, 100)
    cap = -font.getbbox("H", anchor="ls")[1] / 100
    xh = -font.getbbox("x", anchor="ls")[1] / 100
    desc = font.getbbox("g", anchor="ls")[3] / 100
    ink, _ = _bitmap(font, "Hamburg")
    return {"cap": cap, "x_height": xh, "descender": desc, "stroke": stroke_width(ink > 0.5) / 100}


def stroke_width(mask):
    """Typical stroke width of a boolean ink mask in px: twice the median inner distance on the centre line."""
    if not mask.any():
        return 0.0
    from skimage.morphology import skeletonize

    dist = ndi.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]
    on = dist[skeletonize(mask)]
    return float(2 * np.median(on) - 1) if on.size else 1.0


@lru_cache(maxsize=256)
def missing_chars(path):
    """Characters of :data:`mixed_text.MIXED_ALPHABET` (but space) the typeface has no glyph for,
    or draws empty: a string. Missing punctuation is drawn with pen strokes; a typeface
    missing letters or digits cannot draw text that has them."""
    cmap = _cmap(path)
    font = _font(path, 48)
    out = []
    for ch in MIXED_ALPHABET[1:]:
        if ord(ch) not in cmap or _bitmap(font, ch)[0] is None:
            out.append(ch)
    return "".join(out)


def looks_unicase(path, threshold=0.5):
    """True when a typeface's lower case is drawn as capitals: the mean overlap (IoU) of ``a b d e g q r``
    with ``A B D E G Q R``, both scaled to 24 x 24, is over ``threshold``."""
    font = _font(path, 60)
    ious = []
    for ch in "abdegqr":
        pair = []
        for c in (ch, ch.upper()):
            ink, _ = _bitmap(font, c)
            if ink is None:
                return False
            pair.append(np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).resize((24, 24))) > 127)
        ious.append((pair[0] & pair[1]).sum() / max((pair[0] | pair[1]).sum(), 1))
    return float(np.mean(ious)) > threshold


def can_render(text, path):
    """True when the typeface can draw ``text`` with the right labels: no missing letter or digit,
    and no lower-case letter if the typeface is caps-only (:data:`FONTS` kind ``'caps'``)."""
    missing = set(missing_chars(path)) - set(PUNCTUATION)
    if missing & set(text):
        return False
    if font_info(path)[2] == "caps" and any(c.islower() for c in text):
        return False
    return True


STYLE_DEFAULTS = dict(
    cap_height=(24, 64), slant=0.12, size_jitter=0.04, baseline_jitter=0.025, rotation_jitter=2.0,
    tracking=(-0.03, 0.12), letter_gap=0.02, word_space=(0.8, 1.5), slope=0.02, pen=(0.05, 0.14),
    pen_change=0.7, max_thinning=0.35, min_pen_px=1.5, elastic=(0.0, 0.035), elastic_scale=(0.3, 0.9), ink_noise=0.25,
    breaks=0.03, margin=(0.15, 0.6),
)
"""Defaults of :func:`render_line`'s style keywords (documented there)."""


def _uniform(rng, value):
    if np.ndim(value) == 0:
        return float(value)
    return float(rng.uniform(*value))


def _pen_mark(ch, rng, H, xh, pen):
    """A punctuation mark the typeface lacks, drawn with pen strokes (:func:`pool_lines.mark_strokes`)."""
    from .pool_lines import _polyline_points, brush, mark_strokes

    paths = mark_strokes(ch, rng, xh, pen / H)
    pts = np.vstack([_polyline_points(p * H) for p in paths])
    r = max(pen / 2, 0.6)
    pad = int(np.ceil(r)) + 2
    low = np.floor(pts.min(0)) - pad
    ip = np.round(pts - low).astype(int)
    shape = tuple(int(v) for v in ip.max(0) + pad + 1)
    return brush(ip, np.full(len(ip), r, np.float32), shape), (int(low[0]), int(low[1]))


def change_pen_width(ink, delta):
    """Thicken (``delta`` > 0) or thin (< 0) strokes by ``delta`` px on each side.

    The ink's signed distance to the stroke edge (from two Euclidean distance
    transforms) is shifted by ``delta``, which keeps the strokes' shape and gives
    anti-aliased edges.

    Parameters
    ----------
    ink : (h, w) float array
        Ink in [0, 1].
    delta : float

    Returns
    -------
    ink : (h + 2p, w + 2p) float32 array
        Padded by ``p = max(ceil(delta), 0) + 1`` px on each side.
    p : int
    """
    p = max(int(np.ceil(delta)), 0) + 1
    mask = np.pad(ink > 0.5, p)
    inside = ndi.distance_transform_edt(mask)
    outside = ndi.distance_transform_edt(~mask)
    sdf = np.where(mask, inside - 0.5, 0.5 - outside)
    new = np.clip(sdf + delta + 0.5, 0, 1).astype(np.float32)
    if delta < 0:
        new = np.minimum(new, np.pad(ink, p))
    return new, p


def displacement_field(rng, shape, amplitude, scale):
    """A smooth random displacement: ``(2, gh, gw)`` values on a grid of ``scale`` px steps
    covering ``shape``, standard deviation ``amplitude`` px (read with :func:`displace`)."""
    step = max(scale, 2.0)
    gh, gw = int(np.ceil(shape[0] / step)) + 2, int(np.ceil(shape[1] / step)) + 2
    return rng.normal(0, amplitude, (2, gh, gw)), step


def displace(field, step, ys, xs):
    """The displacement ``(dy, dx)`` at canvas points ``ys``, ``xs`` (bilinear on the grid)."""
    grid = np.stack([ys / step, xs / step])
    return (ndi.map_coordinates(field[0], grid, order=1, mode="nearest"),
            ndi.map_coordinates(field[1], grid, order=1, mode="nearest"))


def ink_effects(ink, rng, noise, breaks, n_chars, pen):
    """Uneven ink (a smooth multiplicative field and grain, ``noise`` its depth) and
    ``Poisson(breaks * n_chars)`` pen skips (discs of about the pen width wiped out)."""
    h, w = ink.shape
    if noise:
        small = Image.fromarray(rng.random((max(h // 12, 2), max(w // 12, 2)), dtype=np.float32), mode="F")
        low = np.asarray(small.resize((w, h), Image.BILINEAR))
        grain = rng.random((h, w), dtype=np.float32)
        ink = ink * (1 - np.float32(noise) * (0.7 * low + 0.3 * grain))
    if breaks:
        ys, xs = np.nonzero(ink > 0.5)
        for _ in range(rng.poisson(breaks * n_chars) if ys.size else 0):
            k = int(rng.integers(ys.size))
            r = pen * rng.uniform(0.5, 0.9) + 0.5
            y0, x0 = ys[k], xs[k]
            sl = (slice(max(int(y0 - r), 0), int(y0 + r) + 1), slice(max(int(x0 - r), 0), int(x0 + r) + 1))
            yy, xx = np.mgrid[sl]
            ink[sl][(yy - y0) ** 2 + (xx - x0) ** 2 <= r * r] = 0
    return ink


def render_line(text, font_path, rng, **style):
    """Draw ``text`` in a handwriting typeface, each character jittered, as one hand-printed line.

    Parameters
    ----------
    text : str
        Characters of :data:`mixed_text.MIXED_ALPHABET` the typeface can draw
        (:func:`can_render`); punctuation it lacks is drawn with pen strokes.
    font_path : str or Path
    rng : numpy.random.Generator
        The only source of randomness: the same state gives the same image.
    **style
        Any of :data:`STYLE_DEFAULTS`; a ``(low, high)`` pair is drawn uniformly per line.
        Lengths are in capital heights ``H`` unless said otherwise.

        cap_height : (24, 64)
            ``H``, the typeface's capital height in px: scales the line.
        slant : 0.12
            Standard deviation of the line's shear (x shift per unit height, positive
            leans right; clipped at 2.5 standard deviations), added to the typeface's own.
        size_jitter : 0.04
            Relative standard deviation of each character's size.
        baseline_jitter : 0.025
            Standard deviation of each character's baseline shift.
        rotation_jitter : 2.0
            Standard deviation of each character's rotation, degrees.
        tracking : (-0.03, 0.12)
            Space added to every advance (negative: letters closer or touching).
        letter_gap : 0.02
            Standard deviation of each advance's extra space.
        word_space : (0.8, 1.5)
            Width of a space, in the typeface's own space widths.
        slope : 0.02
            Largest baseline slope (rows per column), drawn in +-slope.
        pen : (0.05, 0.14)
            Pen width the strokes are thickened or thinned to.
        pen_change : 0.7
            Share of lines whose pen width is changed (the others keep the typeface's).
        max_thinning : 0.35
            Strokes lose at most this share of their width.
        min_pen_px : 1.5
            Strokes are not thinned below this width, in px.
        elastic : (0.0, 0.035)
            Standard deviation of the elastic displacement.
        elastic_scale : (0.3, 0.9)
            Distance over which the displacement varies (larger: smoother).
        ink_noise : 0.25
            Depth of the uneven-ink field (0: even ink).
        breaks : 0.03
            Pen skips per character (Poisson mean per line: ``breaks x len(text)``).
        margin : (0.15, 0.6)
            Paper around the line, each side drawn separately.

    Returns
    -------
    ink : (h, w) float32 array
        Ink strength in [0, 1], 1 = full ink.
    boxes : (len(text), 4) int array
        ``[y1, x1, y2, x2]`` ink box of each character (``y2``, ``x2`` exclusive;
        pixels of ink at least 0.1 owned by the character), after every distortion.
        A space has an empty box (``y1 == y2``, ``x1 == x2``) at the baseline in
        the middle of its gap.

    Raises
    ------
    ValueError
        The typeface cannot draw the text (:func:`can_render`).
    """
    unknown = set(style) - set(STYLE_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown style keywords: {sorted(unknown)}")
    if not can_render(text, font_path):
        raise ValueError(f"{os.path.basename(str(font_path))} cannot draw {text!r}")
    st = {**STYLE_DEFAULTS, **style}
    font_path = str(font_path)
    metrics = font_metrics(font_path)
    H = _uniform(rng, st["cap_height"])
    size = max(int(round(H / metrics["cap"])), 4)
    H = metrics["cap"] * size
    font = _font(font_path, size)
    lacking = set(missing_chars(font_path))
    slant = float(np.clip(rng.normal(0, st["slant"]), -2.5 * st["slant"], 2.5 * st["slant"])) if st["slant"] else 0.0
    slope = _uniform(rng, (-st["slope"], st["slope"])) if st["slope"] else 0.0
    tracking = _uniform(rng, st["tracking"]) * H
    space = font.getlength(" ") * _uniform(rng, st["word_space"])
    pen_now = metrics["stroke"] * size
    pen = _uniform(rng, st["pen"]) * H if rng.random() < st["pen_change"] else pen_now
    if pen != pen_now and pen_now > 0:
        delta = max((pen - pen_now) / 2, -st["max_thinning"] * pen_now / 2, min((st["min_pen_px"] - pen_now) / 2, 0.0))
    else:
        delta = 0.0
    pieces = []
    x = 0.0
    for k, ch in enumerate(text):
        if ch == " ":
            x += space
            pieces.append((None, None, None, None, x))
            continue
        if ch in lacking:
            glyph, (oy, ox) = _pen_mark(ch, rng, H, metrics["x_height"] / metrics["cap"], pen_now)
            advance = glyph.shape[1] + 0.1 * H
        else:
            glyph, (oy, ox) = _glyph(font_path, size, ch)
            advance = font.getlength(ch)
        if glyph is None:
            x += advance
            pieces.append((None, None, None, None, x))
            continue
        if delta:
            glyph, pad = change_pen_width(glyph, delta)
            oy, ox = oy - pad, ox - pad
        scale = 1 + rng.normal(0, st["size_jitter"]) if st["size_jitter"] else 1.0
        angle = np.deg2rad(rng.normal(0, st["rotation_jitter"])) if st["rotation_jitter"] else 0.0
        base = slope * x + (rng.normal(0, st["baseline_jitter"]) * H if st["baseline_jitter"] else 0.0)
        c, s_ = np.cos(angle), np.sin(angle)
        forward = np.array([[c, s_], [-s_, c]]) @ np.array([[1.0, 0.0], [-slant, 1.0]]) * scale
        h, w = glyph.shape
        corners = (np.array([[0, 0], [0, w], [h, 0], [h, w]], float) + [oy, ox]) @ forward.T + [base, x]
        pieces.append((glyph, forward, np.array([oy, ox], float), corners, x, base))
        x += advance * scale + tracking + (rng.normal(0, st["letter_gap"]) * H if st["letter_gap"] else 0.0)
    drawn = [p for p in pieces if p[0] is not None]
    amp = _uniform(rng, st["elastic"]) * H
    reach = 3 * amp + 1
    margins = [_uniform(rng, st["margin"]) * H for _ in range(4)]
    top = min([min(0.0, slope * x) - 1.15 * H] + [p[3][:, 0].min() - reach for p in drawn]) - margins[0]
    floor = max(0.0, slope * x) + metrics["descender"] * size + 0.1 * H
    bottom = max([floor] + [p[3][:, 0].max() + reach for p in drawn]) + margins[1]
    left = min([0.0] + [p[3][:, 1].min() - reach for p in drawn]) - margins[2]
    right = max([x] + [p[3][:, 1].max() + reach for p in drawn]) + margins[3]
    oy, ox = -int(np.floor(top)), -int(np.floor(left))
    shape = (int(np.ceil(bottom)) + oy + 1, int(np.ceil(right)) + ox + 1)
    field, step = displacement_field(rng, shape, amp, _uniform(rng, st["elastic_scale"]) * H) if amp > 0 else (None, 1)
    ink = np.zeros(shape, np.float32)
    owner = np.full(shape, -1, np.int32)
    for k, piece in enumerate(pieces):
        if piece[0] is None:
            continue
        glyph, forward, origin, corners, gx, gbase = piece
        y0 = max(int(np.floor(corners[:, 0].min() - reach)) + oy, 0)
        x0 = max(int(np.floor(corners[:, 1].min() - reach)) + ox, 0)
        y1 = min(int(np.ceil(corners[:, 0].max() + reach)) + oy + 1, shape[0])
        x1 = min(int(np.ceil(corners[:, 1].max() + reach)) + ox + 1, shape[1])
        qy, qx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        if field is not None:
            dy, dx = displace(field, step, qy, qx)
            qy, qx = qy + dy, qx + dx
        inverse = np.linalg.inv(forward)
        ry, rx = qy - oy - gbase, qx - ox - gx
        u = inverse[0, 0] * ry + inverse[0, 1] * rx - origin[0]
        v = inverse[1, 0] * ry + inverse[1, 1] * rx - origin[1]
        g = ndi.map_coordinates(glyph, np.stack([u, v]), order=1, cval=0.0).astype(np.float32)
        region = ink[y0:y1, x0:x1]
        win = g > region
        region[win] = g[win]
        owner[y0:y1, x0:x1][win] = k
    ink = ink_effects(ink, rng, st["ink_noise"], st["breaks"], len(text), pen)
    boxes = np.zeros((len(text), 4), int)
    labels = np.where(ink >= 0.1, owner + 1, 0)
    found = ndi.find_objects(labels, max_label=len(text))
    for k, sl in enumerate(found):
        if sl is not None:
            boxes[k] = [sl[0].start, sl[1].start, sl[0].stop, sl[1].stop]
    for k, piece in enumerate(pieces):
        xk = piece[4]
        if text[k] == " " or boxes[k].sum() == 0:
            prev = next((boxes[j, 3] for j in range(k - 1, -1, -1) if boxes[j, 3] > boxes[j, 1]), None)
            nxt = next((boxes[j, 1] for j in range(k + 1, len(text)) if boxes[j, 3] > boxes[j, 1]), None)
            lo = prev if prev is not None else int(round(xk + ox))
            hi = nxt if nxt is not None else lo
            cx = (lo + max(hi, lo)) // 2
            by = int(np.clip(round(oy + slope * (cx - ox)), 0, shape[0]))
            boxes[k] = [by, cx, by, cx]
    return np.clip(ink, 0, 1), boxes
