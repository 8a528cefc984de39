"""The sheet of paper: where it is on a photo, and which shapes lie off it (on a desk)."""
import numpy as np
from scipy import ndimage as ndi
from skimage import filters, measure

from ..params import DEFAULT


def paper_mask(grey):
    """Mask of the sheet of paper, excluding a clearly darker surround.

    When a bright region is separated from a much darker surround by a sharp
    edge (e.g. a sheet on a desk), the largest bright connected region (holes
    filled) is returned; otherwise, including a gradual shadow across the
    sheet (many pixels between the two levels), the whole image counts as paper.
    The sheet is found on a copy reduced so the page's 1/200 smoothing scale
    is 2 px (the mask's edge is that coarse), and eroded by 1/150 of the page
    through a distance threshold.

    Parameters
    ----------
    grey : (H, W) float array
        Brightness; :func:`binarise` passes the mean of the colour channels (a
        sheet under blue light is dark in its red channel, as dark as a desk).

    Returns
    -------
    mask : (H, W) bool array
    """
    h, w = grey.shape
    sigma = max(h, w) / 200
    factor = max(1, int(sigma // 2))
    coarse = _block_mean(np.asarray(grey, np.float32), factor)
    smooth = ndi.gaussian_filter(coarse, sigma / factor, mode="nearest")
    if smooth.max() - smooth.min() < 1e-3:
        return np.ones_like(grey, dtype=bool)
    level = filters.threshold_otsu(smooth)
    bright = smooth > level
    dark_mean = smooth[~bright].mean() if (~bright).any() else 0.0
    bright_mean = smooth[bright].mean()
    if (~bright).mean() < 0.02 or dark_mean > 0.7 * bright_mean:
        return np.ones_like(grey, dtype=bool)
    span = bright_mean - dark_mean
    between = (smooth > dark_mean + 0.25 * span) & (smooth < bright_mean - 0.25 * span)
    if between.mean() > 0.15:
        return np.ones_like(grey, dtype=bool)
    labels = measure.label(bright)
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    mask = ndi.binary_fill_holes(labels == sizes.argmax())
    margin = max(2, int(round(max(h, w) / 150)))
    mask = ndi.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1] > margin / factor
    return np.repeat(np.repeat(mask, factor, axis=0), factor, axis=1)[:h, :w]


def _block_mean(image, factor):
    """Mean of ``factor`` x ``factor`` cells of a 2-D image (edges padded by repetition)."""
    if factor == 1:
        return image
    h, w = image.shape
    ch, cw = -(-h // factor), -(-w // factor)
    padded = np.pad(image, ((0, ch * factor - h), (0, cw * factor - w)), mode="edge")
    return padded.reshape(ch, factor, cw * factor).mean(axis=1).reshape(ch, cw, factor).mean(axis=2)


def off_paper_boxes(boxes, paper, min_paper_ratio=DEFAULT.min_paper_ratio):
    """Boxes whose surround is much darker than the page's paper: shapes on a desk, not on the sheet.

    Parameters
    ----------
    boxes : (K, 4) array
    paper : (h, w) float array
        Local paper brightness.
    min_paper_ratio : float
        A box is off the paper when the median paper brightness in it is under
        this fraction of the median over all boxes.

    Returns
    -------
    off : (K,) bool array
    """
    level = np.array([np.median(paper[y1:y2, x1:x2]) if y2 > y1 and x2 > x1 else 0.0
                      for y1, x1, y2, x2 in np.asarray(boxes, int)])
    return level < min_paper_ratio * np.median(level)


def texture(paper, scale, black=0.0):
    """Local relative roughness of the paper brightness, in a Gaussian window.

    The root mean square, in the window, of the brightness less its own
    Gaussian mean (so a gradual shadow or vignette, locally a linear ramp,
    counts for nothing), over that mean above the frame's ``black`` level (a
    hazy or low-contrast frame, its black lifted, is as rough as a crisp
    one). ``paper`` is the brightness with the
    strokes already removed (:func:`ocr.frontend.ink.local_background`), so
    writing on a sheet leaves it smooth, while a scene (cloth, foliage, a
    face, a room) is rough at every scale.

    Parameters
    ----------
    paper : (H, W) float array
    scale : float
        Gaussian sigma in px.
    black : float
        The frame's black level (brightness of its darkest pixels).

    Returns
    -------
    (H, W) float32 array
    """
    paper = np.asarray(paper, np.float32)
    factor = max(1, int(scale // 4))
    coarse = _block_mean(paper, factor)
    mean = ndi.gaussian_filter(coarse, scale / factor, mode="nearest")
    rest = coarse - mean
    spread = np.sqrt(ndi.gaussian_filter(rest * rest, scale / factor, mode="nearest")) / np.maximum(mean - black, 1e-3)
    h, w = paper.shape
    return np.repeat(np.repeat(spread, factor, axis=0), factor, axis=1)[:h, :w]


def held_sheet(contrast, paper, params=DEFAULT, black=0.0):
    """The sheet of paper in a frame that shows a scene around it (a sheet held up to a webcam), or None.

    A frame of which less than ``sheet_max_share`` is smooth (:func:`texture`
    at ``sheet_scale`` of the page's longer side under ``sheet_texture``)
    shows a scene; a page filling the frame is smooth nearly all over, also
    where a hard shadow's edge cuts it in two. The sheet is smooth paper in
    one connected region; of the smooth regions of at least
    ``sheet_min_share`` of the frame (a wall and a sheet are both smooth) it
    is the one that holds the most ink seeds measured against its own paper
    (``seed_noise``, ``seed_min_contrast``). Writing is ink on that paper,
    so its noise statistics, not the scene's, set the ink levels.

    Parameters
    ----------
    contrast : (H, W) float array
        Ink contrast (:func:`ocr.frontend.ink.ink_contrast`).
    paper : (H, W) float array
        Local paper brightness.
    params : FrontEndParams
    black : float
        The frame's black level (:func:`texture`).

    Returns
    -------
    (core, reach) : two (H, W) bool arrays, or None
        ``core`` is the smooth region (holes filled), where the paper's
        statistics are measured; ``reach`` is it grown by ``sheet_scale`` of
        the page (the texture window blurs the sheet's edge inward), where ink
        may lie. None when the frame is mostly smooth (a page filling the
        frame, or on a plain desk): the whole frame is then paper.
    """
    h, w = contrast.shape
    scale = params.sheet_scale * max(h, w)
    smooth = texture(paper, scale, black) < params.sheet_texture
    labels, n = ndi.label(smooth)
    if n == 0:
        return None
    if smooth.mean() >= params.sheet_max_share:
        return None
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    best, best_seeds = None, 0
    for k in np.flatnonzero(sizes >= params.sheet_min_share * h * w):
        region = ndi.binary_fill_holes(labels == k)
        values = contrast[region]
        med = float(np.median(values))
        mad = float(np.median(np.abs(values - med))) * 1.4826
        seeds = int(np.count_nonzero(contrast[region] > med + max(params.seed_noise * mad, params.seed_min_contrast)))
        if seeds > best_seeds:
            best, best_seeds = region, seeds
    if best is None:
        return None
    reach = ndi.distance_transform_edt(~best) <= scale
    return best, reach
