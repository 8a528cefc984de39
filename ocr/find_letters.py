"""Locate handwritten characters on a page image.

The page is converted to grey, its illumination is flattened by dividing by a
smooth background estimate, ink is thresholded relative to the page's own
noise level, anything outside the sheet of paper is masked out, and connected
components are filtered and merged relative to the median character height.
"""
import numpy as np
from scipy import ndimage as ndi
from skimage import filters, measure, morphology, transform

WORK_SIDE = 2000


def to_grey(image):
    """Return a float32 grey image in ``[0, 1]``.

    Colour images take the darkest channel, so that blue or coloured ink is
    as dark as black ink against white paper.

    Parameters
    ----------
    image : (H, W) or (H, W, 3|4) array
        Any integer or float dtype.

    Returns
    -------
    grey : (H, W) float32 array
    """
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[..., :3]
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim == 3 and image.dtype != bool:
        image = image.min(axis=2)
    if image.dtype == bool:
        grey = image.astype(np.float32)
    elif np.issubdtype(image.dtype, np.integer):
        grey = image.astype(np.float32) / np.float32(np.iinfo(image.dtype).max)
    else:
        grey = image.astype(np.float32)
        top = float(grey.max()) if grey.size else 1.0
        if top > 1.0:
            grey = grey / np.float32(top)
    if grey.ndim != 2:
        raise ValueError(f"expected a 2-D grey or RGB image, got shape {image.shape}")
    return np.clip(grey, 0, 1).astype(np.float32)


def working_copy(grey, max_side=WORK_SIDE):
    """Downscale ``grey`` so its longer side is at most ``max_side``.

    Returns
    -------
    small : 2-D float32 array
    scale : float
        ``small`` coordinates times ``1 / scale`` give input coordinates.
    """
    side = max(grey.shape)
    if side <= max_side:
        return grey, 1.0
    scale = max_side / side
    small = transform.rescale(grey, scale, anti_aliasing=True, preserve_range=True)
    return small.astype(np.float32), scale


def flatten_illumination(grey):
    """Divide the page by a smooth estimate of its background brightness.

    The background is the grey closing (ink removed) of a coarse copy,
    followed by a median and Gaussian smoothing, resized back.

    Returns
    -------
    flat : 2-D float32 array, about 1 on paper and lower on ink
    """
    h, w = grey.shape
    factor = max(1, min(int(round(max(h, w) / 400)), h, w))
    ch, cw = h // factor, w // factor
    coarse = grey[: ch * factor, : cw * factor].reshape(ch, factor, cw, factor).max(axis=(1, 3))
    radius = max(2, int(round(max(ch, cw) / 60)))
    background = ndi.grey_closing(coarse, footprint=morphology.disk(radius))
    background = ndi.median_filter(background, size=2 * radius + 1)
    background = filters.gaussian(background, sigma=radius, preserve_range=True)
    background = transform.resize(background, grey.shape, order=1, preserve_range=True)
    return (grey / np.maximum(background, 1e-3)).astype(np.float32)


def paper_mask(grey):
    """Mask of the sheet of paper, excluding a clearly darker surround.

    When a bright region is separated from a much darker surround by a sharp
    edge (e.g. a sheet on a desk), the largest bright connected region (holes
    filled) is returned; otherwise, including a gradual shadow across the
    sheet (many pixels between the two levels), the whole image counts as paper.

    Returns
    -------
    mask : 2-D bool array
    """
    h, w = grey.shape
    sigma = max(h, w) / 200
    smooth = filters.gaussian(grey, sigma=sigma, preserve_range=True)
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
    mask = labels == sizes.argmax()
    mask = ndi.binary_fill_holes(mask)
    margin = max(2, int(round(max(h, w) / 150)))
    return ndi.binary_erosion(mask, structure=morphology.disk(margin))


def ink_threshold(flat, mask):
    """Ink/paper threshold on a flattened page from its own statistics.

    The paper level and its noise are estimated with the median and the
    median absolute deviation; the threshold is the lower of a noise-based
    limit and an Otsu split between paper and ink.
    """
    values = flat[mask]
    if values.size == 0:
        values = flat.ravel()
    med = np.median(values)
    mad = np.median(np.abs(values - med)) * 1.4826
    noise_level = med - max(6 * mad, 0.08 * med)
    dark = values[values < med - 3 * mad]
    if dark.size > 50 and dark.max() - dark.min() > 1e-3:
        otsu = filters.threshold_otsu(np.concatenate([dark, np.full(dark.size, med)]))
        return float(min(max(otsu, noise_level - 0.1 * med), noise_level))
    return float(noise_level)


def ruled_lines(ink, span=0.5):
    """Mask of straight ruled or grid lines: thin horizontal or vertical ink runs.

    A run counts when it survives an opening with a line an eighth of the page
    long and, after that, spans at least ``span`` of the page; no handwritten
    stroke does both.
    """
    h, w = ink.shape
    mask = np.zeros_like(ink)
    for axis, length, extent in ((1, w, w), (0, h, h)):
        size = max(3, length // 8)
        footprint = np.ones((1, size) if axis == 1 else (size, 1), bool)
        opened = ndi.binary_opening(ink, structure=footprint)
        if not opened.any():
            continue
        labels, n = ndi.label(opened, structure=np.ones((3, 3)))
        for k, sl in enumerate(ndi.find_objects(labels), start=1):
            if sl[axis].stop - sl[axis].start >= span * extent:
                mask[sl] |= labels[sl] == k
    if mask.any():
        mask = ndi.binary_dilation(mask, iterations=1) & ink
    return mask


def binarise(image, max_side=WORK_SIDE):
    """Binary ink mask of a page on a working copy.

    Returns
    -------
    ink : 2-D bool array on the working copy
    scale : float
        Working-copy coordinates over input coordinates.
    """
    grey, scale = working_copy(to_grey(image), max_side)
    grey = filters.gaussian(grey, sigma=1.0, preserve_range=True).astype(np.float32)
    flat = flatten_illumination(grey)
    mask = paper_mask(grey)
    level = ink_threshold(flat, mask)
    ink = (flat < level) & mask
    ink &= ~ruled_lines(ink)
    labels, n = ndi.label(ink, structure=np.ones((3, 3)))
    if n:
        sizes = np.bincount(labels.ravel())
        sizes[0] = 0
        ink = sizes[labels] >= max(3, int(ink.size * 2e-6))
    return ink, scale


def _stroke_width(ink):
    if not ink.any():
        return 1.0
    dist = ndi.distance_transform_edt(ink)
    skel = morphology.skeletonize(ink)
    values = dist[skel]
    return float(2 * np.median(values)) if values.size else 1.0


def _reference_height(heights):
    heights = np.asarray(heights, float)
    if heights.size == 0:
        return 0.0
    big = heights[heights >= 0.35 * np.percentile(heights, 90)]
    return float(np.median(big))


def _merge_pieces(boxes, ref):
    boxes = [list(b) for b in boxes]
    changed = True
    while changed:
        changed = False
        boxes = [b for b in boxes if b is not None]
        order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
        for a_i in range(len(order)):
            a = boxes[order[a_i]]
            if a is None:
                continue
            for b_i in range(a_i + 1, len(order)):
                b = boxes[order[b_i]]
                if b is None:
                    continue
                if b[1] >= a[3]:
                    break
                overlap = min(a[3], b[3]) - max(a[1], b[1])
                narrow = min(a[3] - a[1], b[3] - b[1])
                vgap = max(a[0], b[0]) - min(a[2], b[2])
                merged_h = max(a[2], b[2]) - min(a[0], b[0])
                if overlap >= 0.5 * narrow and vgap < 0.35 * ref and merged_h < 1.6 * ref:
                    a[:] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    boxes[order[b_i]] = None
                    changed = True
    return [b for b in boxes if b is not None]


def find_letters(image, max_side=WORK_SIDE):
    """Find character boxes on a page.

    Parameters
    ----------
    image : (H, W) or (H, W, 3) array
        Grey or RGB page of any size and dtype, dark ink on light paper.
    max_side : int, optional
        The page is processed on a copy whose longer side is at most this.

    Returns
    -------
    boxes : (K, 4) int array
        ``[y1, x1, y2, x2]`` in input coordinates, ``y2``/``x2`` exclusive,
        ordered top-to-bottom then left-to-right by their top-left corner.
    binary : (H, W) float array
        0 = ink, 1 = paper, at the input's size.
    """
    image = np.asarray(image)
    shape = image.shape[:2]
    if image.ndim < 2 or min(shape) < 4:
        return np.zeros((0, 4), int), np.ones(shape, np.float32)
    ink, scale = binarise(image, max_side)
    boxes = np.zeros((0, 4), int)
    if ink.any():
        width = _stroke_width(ink)
        radius = max(1, int(round(width / 2)))
        padded = np.pad(ink, radius + 1)
        joined = ndi.binary_closing(padded, structure=morphology.disk(radius))[radius + 1:-radius - 1, radius + 1:-radius - 1]
        regions = measure.regionprops(measure.label(joined, connectivity=2))
        raw = np.array([r.bbox for r in regions], float).reshape(-1, 4)
        boxes = _filter_boxes(raw, ink.shape)
    binary = _binary_at(ink, shape)
    if len(boxes):
        boxes = np.round(boxes / scale).astype(int)
        boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, shape[0])
        boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, shape[1])
        boxes = boxes[np.lexsort((boxes[:, 1], boxes[:, 0]))]
    return boxes.astype(int).reshape(-1, 4), binary


def _filter_boxes(raw, shape):
    h = raw[:, 2] - raw[:, 0]
    w = raw[:, 3] - raw[:, 1]
    size = np.maximum(h, w)
    keep = size >= max(4, 0.004 * max(shape))
    raw, h, w = raw[keep], h[keep], w[keep]
    if len(raw) == 0:
        return np.zeros((0, 4))
    ref = _reference_height(h[(h < 0.5 * shape[0])] if (h < 0.5 * shape[0]).any() else h)
    plausible = (h < 3 * ref) & ((w < 3 * ref) | _letter_run(h, w, ref))
    merged = np.array(_merge_pieces(raw[plausible], ref), float).reshape(-1, 4)
    h = merged[:, 2] - merged[:, 0]
    w = merged[:, 3] - merged[:, 1]
    ref = _reference_height(h)
    keep = (h >= 0.4 * ref) & (h <= 2.5 * ref) & ((w <= 2.5 * ref) | _letter_run(h, w, ref))
    keep &= ~((h > 4 * w) & (h > 2 * ref))
    touching = (merged[:, 0] <= 0) | (merged[:, 1] <= 0) | (merged[:, 2] >= shape[0]) | (merged[:, 3] >= shape[1])
    keep &= ~touching
    return merged[keep]


def _letter_run(h, w, ref):
    """Boxes as tall as a letter but several letters wide: touching letters, split later."""
    return (h >= 0.6 * ref) & (h <= 1.8 * ref) & (w <= 15 * ref)


def _binary_at(ink, shape):
    paper = (~ink).astype(np.float32)
    if paper.shape != tuple(shape):
        paper = transform.resize(paper, shape, order=1, preserve_range=True, anti_aliasing=False)
        paper = (paper > 0.5).astype(np.float32)
    return paper
