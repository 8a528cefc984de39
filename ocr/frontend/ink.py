"""Separate ink from paper under shadows, colour casts and thin pens.

Each colour channel is divided by its own local paper brightness, so a colour
cast or a shadow cancels out; a pixel's ink contrast is the strongest of its
channels (blue ink on white paper is darkest in red). Ink is grown by
hysteresis from clearly dark seeds, which keeps a thin, faint ballpoint stroke
in one piece. The local background's scale follows the page's stroke width.
"""
import numpy as np
from PIL import Image
from scipy import ndimage as ndi
from skimage import morphology

from ..params import DEFAULT
from .paper import held_sheet
from .strokes import ink_blocks, stroke_width


def to_planes(image):
    """Float32 colour planes in ``[0, 1]``, one contiguous ``(H, W)`` plane per channel.

    Every per-channel filter of the page (blur, background, contrast) then
    runs over contiguous memory, not over every third value of an
    interleaved ``(H, W, 3)`` array.

    Parameters
    ----------
    image : (H, W) or (H, W, C) array, any integer, float or bool dtype
        A fourth channel (alpha) is ignored.

    Returns
    -------
    planes : (C, H, W) float32 array, ``C`` 1 or 3
    """
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim != 3:
        raise ValueError(f"expected a 2-D grey or RGB image, got shape {image.shape}")
    if image.shape[2] in (2, 4):
        image = image[..., : image.shape[2] - 1]
    image = image.transpose(2, 0, 1)
    if image.dtype == bool:
        return np.ascontiguousarray(image, np.float32)
    if np.issubdtype(image.dtype, np.integer) and np.iinfo(image.dtype).min == 0:
        out = np.ascontiguousarray(image, np.float32)
        out /= np.float32(np.iinfo(image.dtype).max)
        return out
    if np.issubdtype(image.dtype, np.integer):
        out = np.ascontiguousarray(image, np.float32) / np.float32(np.iinfo(image.dtype).max)
    else:
        out = np.nan_to_num(np.ascontiguousarray(image, np.float32))
        top = float(out.max()) if out.size else 1.0
        if top > 1.0:
            out = out / np.float32(top)
    return np.clip(out, 0, 1)


def distinct_planes(planes):
    """``planes``, or only its first plane when every plane equals it.

    Parameters
    ----------
    planes : (C, H, W) array

    Returns
    -------
    (C, H, W) or (1, H, W) array
    """
    if len(planes) > 1 and all(np.array_equal(planes[0], plane) for plane in planes[1:]):
        return planes[:1]
    return planes


def blur_planes(planes, sigma):
    """Gaussian blur of each ``(H, W)`` plane of ``planes`` (edges repeated), in place.

    Parameters
    ----------
    planes : (C, H, W) float32 array
    sigma : float
        In px.

    Returns
    -------
    planes : the same array
    """
    for plane in planes:
        ndi.gaussian_filter(plane, sigma, mode="nearest", output=plane)
    return planes


def channel_mean(planes):
    """The mean of the colour planes, the same values as ``planes.mean(axis=0)``.

    Parameters
    ----------
    planes : (C, H, W) float32 array

    Returns
    -------
    (H, W) float32 array
    """
    total = planes[0].copy()
    for plane in planes[1:]:
        total += plane
    total /= np.float32(len(planes))
    return total


def local_background(channel, block, radius):
    """Paper brightness of one channel with dark details removed.

    The channel is max-pooled in ``block`` x ``block`` cells (strokes thinner
    than a cell vanish), grey-closed with a disk of ``radius`` cells, lightly
    smoothed and resized back.

    Parameters
    ----------
    channel : (H, W) float array
    block : int
        Cell side in px; set from the stroke width.
    radius : int
        Closing radius in cells.

    Returns
    -------
    background : (H, W) float32 array
    """
    h, w = channel.shape
    block = int(max(1, min(block, h, w)))
    coarse = block_max(np.asarray(channel, np.float32), block)
    ch, cw = coarse.shape
    coarse = disk_grey_closing(coarse, max(1, int(radius)))
    coarse = ndi.gaussian_filter(coarse, sigma=1.0, mode="nearest")
    up = Image.fromarray(np.ascontiguousarray(coarse, np.float32), mode="F").resize((cw * block, ch * block),
                                                                                   Image.Resampling.BILINEAR)
    return np.frombuffer(up.tobytes(), np.float32).reshape(ch * block, cw * block)[:h, :w]


def block_max(image, block):
    """Maximum of each ``block`` x ``block`` cell of a 2-D image; the last row and column of cells may be partial.

    The same values as padding the image by repeating its edges to whole
    cells and max-pooling, without the padded copy: rows are reduced as
    contiguous blocks, then columns by a running maximum over strided views.

    Parameters
    ----------
    image : (H, W) array
    block : int

    Returns
    -------
    (ceil(H / block), ceil(W / block)) array
    """
    h, w = image.shape
    hb, wb = h // block, w // block
    rows = image[:hb * block].reshape(hb, block, w).max(axis=1)
    if h % block:
        rows = np.concatenate([rows, image[hb * block:].max(axis=0, keepdims=True)])
    out = rows[:, 0:wb * block:block].copy()
    for k in range(1, block):
        np.maximum(out, rows[:, k:wb * block:block], out=out)
    if w % block:
        out = np.concatenate([out, rows[:, wb * block:].max(axis=1, keepdims=True)], axis=1)
    return out


def disk_grey_closing(image, radius):
    """Grey closing of a 2-D image with ``skimage.morphology.disk(radius)``, edges reflected.

    The same values as ``ndi.grey_closing(image, footprint=disk(radius))``: the
    disk is taken as its rows, so each dilation and erosion is one 1-D maximum
    (minimum) filter per row width and a maximum (minimum) over the rows' shifts.

    Parameters
    ----------
    image : (H, W) float array
    radius : int

    Returns
    -------
    (H, W) array
    """
    rows = [(dy, int(count) // 2) for dy, count in enumerate(morphology.disk(radius).sum(axis=1))]
    dilated = _disk_extreme(np.asarray(image), radius, rows, ndi.maximum_filter1d, np.maximum)
    return _disk_extreme(dilated, radius, rows, ndi.minimum_filter1d, np.minimum)


def _disk_extreme(image, radius, rows, filter1d, pick):
    """Maximum (or minimum) of ``image`` over a disk given as ``rows`` of ``(dy, half-width)``."""
    h, w = image.shape
    padded = np.pad(image, radius, mode="symmetric")
    spans = {half: filter1d(padded, size=2 * half + 1, axis=1) for half in {half for _, half in rows}}
    out = None
    for dy, half in rows:
        shifted = spans[half][dy:dy + h, radius:radius + w]
        out = shifted.copy() if out is None else pick(out, shifted, out=out)
    return out


def ink_contrast(planes, block, radius, return_paper=False):
    """Darkening below the local paper, the strongest over the colour channels.

    Each channel's darkening ``background - value`` is measured against the
    brightest channel's background, so a channel that a colour cast leaves
    dark (little signal, much noise) counts for little.

    Parameters
    ----------
    planes : (C, H, W) float array
    block, radius : int
        See ``local_background``.
    return_paper : bool
        Also return the brightest channel's local background.

    Returns
    -------
    contrast : (H, W) float32 array, about 0 on paper, up to 1 on ink
    paper : (H, W) float32 array, 0..1
        Only with ``return_paper``: the local paper (or surround) brightness.
    """
    darkening, brightest = None, None
    for plane in planes:
        background = local_background(plane, block, radius)
        dark = background - plane
        if darkening is None:
            darkening, brightest = dark, np.array(background, np.float32)
        else:
            np.maximum(darkening, dark, out=darkening)
            np.maximum(brightest, background, out=brightest)
    contrast = np.asarray(darkening, np.float32)
    contrast /= np.maximum(brightest, np.float32(1e-3))
    np.clip(contrast, -1, 1, out=contrast)
    return (contrast, brightest) if return_paper else contrast


def hysteresis_ink(contrast, mask, stroke=None, params=DEFAULT, statistics=None):
    """Ink grown from dark seeds over fainter connected pixels.

    Seeds are pixels whose contrast stands ``seed_noise`` noise deviations
    (and ``seed_min_contrast``) above the paper's; ink grows over connected
    pixels above ``grow_ratio`` of that level which are also, when ``stroke``
    is given, at least ``edge_fraction`` of the darkest contrast within
    ``peak_strokes`` stroke widths.

    Parameters
    ----------
    contrast : (H, W) float array
    mask : (H, W) bool array
        Paper area; its contrast statistics (median and spread, measured on
        every ``statistics_step``-th pixel of each axis) set the levels.
    stroke : float, optional
        Stroke width in px.
    statistics : (H, W) bool array, optional
        Where the paper's statistics are measured instead of ``mask`` (the
        core of a held sheet, :func:`ocr.frontend.paper.held_sheet`).

    Returns
    -------
    ink : (H, W) bool array
    loose : (H, W) bool array
        The same growth without the half-maximum edge test (continuous
        faint lines such as rules stay whole in it).
    """
    step = params.statistics_step
    measured = mask if statistics is None else statistics
    sample, inside = contrast[::step, ::step], measured[::step, ::step]
    values = sample[inside] if inside.any() else sample.ravel()
    med = float(np.median(values))
    mad = float(np.median(np.abs(values - med))) * 1.4826
    high = med + max(params.seed_noise * mad, params.seed_min_contrast)
    low = med + params.grow_ratio * (high - med)
    loose = _seeded(contrast, (contrast > low) & mask, high)
    if not stroke:
        return loose, loose
    size = 2 * int(np.ceil(params.peak_strokes * stroke)) + 1
    edge = contrast >= params.edge_fraction * maximum_filter_at(contrast, loose, size)
    return _seeded(contrast, loose & edge, high), loose


def maximum_filter_at(image, where, size):
    """``ndi.maximum_filter(image, size=size)`` in the blocks holding ``where``, ``inf`` outside them.

    Filtered block by block (the boxes of :func:`ocr.frontend.strokes.ink_blocks`
    of ``where``, each with the ``size // 2`` margin its windows reach): a
    page's ink covers a fraction of it.

    Parameters
    ----------
    image : (H, W) float array
    where : (H, W) bool array
    size : int
        Odd side of the square window.

    Returns
    -------
    (H, W) array of ``image``'s dtype
    """
    reach = size // 2
    h, w = image.shape
    out = np.full(image.shape, np.inf, image.dtype)
    for y1, x1, y2, x2 in ink_blocks(where):
        top, left = max(0, y1 - reach), max(0, x1 - reach)
        window = ndi.maximum_filter(image[top:min(h, y2 + reach), left:min(w, x2 + reach)], size=size)
        out[y1:y2, x1:x2] = window[y1 - top:y2 - top, x1 - left:x2 - left]
    return out


def _seeded(contrast, weak, high):
    """Connected parts of ``weak`` holding a pixel above ``high``."""
    labels, n = ndi.label(weak, structure=np.ones((3, 3)))
    if n == 0:
        return weak
    seeded = np.zeros(n + 1, bool)
    seeded[np.unique(labels[(contrast > high) & weak])] = True
    seeded[0] = False
    return seeded[labels]


def page_stroke_width(planes, mask, params=DEFAULT, statistics=None):
    """Median stroke width (px) of the page's ink, from a coarse first pass over its ``(C, H, W)`` planes.

    ``statistics`` is where the paper's contrast statistics are measured, ``mask`` by default
    (see :func:`hysteresis_ink`).
    """
    h, w = planes.shape[1:]
    block = max(1, int(round(max(h, w) / 400)))
    radius = max(2, int(round(max(h, w) / block / 60)))
    contrast = ink_contrast(planes, block, radius)
    ink, _ = hysteresis_ink(contrast, mask, None, params, statistics)
    return max(1.0, stroke_width(ink)) if ink.any() else 1.0


def binarise_planes(planes, mask, params=DEFAULT):
    """Ink mask of a working copy, with the background scaled to the strokes.

    Parameters
    ----------
    planes : (C, H, W) float array, already on the working copy
    mask : (H, W) bool array
        Paper area. When it is the whole frame and the frame shows a sheet
        held up in a scene (:func:`ocr.frontend.paper.held_sheet`), the sheet
        is the paper area and its own statistics set the ink levels.

    Returns
    -------
    ink : (H, W) bool array
    loose : (H, W) bool array
        Ink without the half-maximum edge test (see ``hysteresis_ink``).
    stroke : float
        The page's median stroke width in px (from a coarse first pass).
    contrast : (H, W) float32 array
        Each pixel's darkening below the local paper (see ``ink_contrast``).
    paper : (H, W) float32 array
        The local paper brightness, 0..1 (a dark desk around the sheet is dark).
    sheet : (H, W) bool array or None
        The smooth paper of a sheet held up in a scene (its core: see
        :func:`ocr.frontend.paper.held_sheet`), None when there is none.
    """
    stroke = page_stroke_width(planes, mask, params)
    block = max(1, int(np.ceil(stroke)))
    radius = max(1, int(np.ceil(params.background_strokes)))
    contrast, paper = ink_contrast(planes, block, radius, return_paper=True)
    core = None
    if mask.all():
        coarse = max(block, int(round(max(mask.shape) * params.sheet_block)))
        step = params.statistics_step
        black = float(np.percentile(channel_mean(planes[:, ::step, ::step]), params.sheet_black))
        sheet = held_sheet(*((contrast, paper) if coarse == block else
                             ink_contrast(planes, coarse, radius, return_paper=True)), params, black)
        if sheet is not None:
            core, mask = sheet
            stroke = page_stroke_width(planes, mask, params, core)
            if max(1, int(np.ceil(stroke))) != block:
                contrast, paper = ink_contrast(planes, max(1, int(np.ceil(stroke))), radius, return_paper=True)
    ink, loose = hysteresis_ink(contrast, mask, stroke, params, core)
    return ink, loose, stroke, contrast, paper, core
