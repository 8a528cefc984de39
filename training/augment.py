"""Random augmentation of upright ``(N, 32, 32)`` images (float in [0, 1], 0 = ink)."""
import numpy as np
from scipy import ndimage
from skimage import transform

from ocr.recognition.glyph import normalise_glyph

AUGMENT_VERSION = 2
"""Bump when any augmentation changes what it produces; model files record it."""
PAPER = 1.0
CROSS = ndimage.generate_binary_structure(2, 1)[None]


def random_affine_matrices(n, rng, side=32, max_rotation=12.0, scale=(0.85, 1.15), max_shift=2.0, max_shear=0.12):
    """Output-to-input affine maps ``(n, 2, 3)`` about the image centre for ``ndimage.affine_transform``."""
    theta = np.deg2rad(rng.uniform(-max_rotation, max_rotation, n))
    s = rng.uniform(*scale, n) * np.exp(rng.uniform(-0.05, 0.05, (2, n)))
    shear = rng.uniform(-max_shear, max_shear, n)
    shift = rng.uniform(-max_shift, max_shift, (n, 2))
    cos, sin = np.cos(theta), np.sin(theta)
    rot = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], 1)
    shr = np.zeros((n, 2, 2))
    shr[:, 0, 0] = shr[:, 1, 1] = 1.0
    shr[:, 0, 1] = shear
    forward = rot @ shr * s.T[:, :, None]
    inverse = np.linalg.inv(forward)
    centre = np.full(2, (side - 1) / 2.0)
    offset = centre - np.einsum("nij,nj->ni", inverse, centre + shift)
    return np.concatenate([inverse, offset[:, :, None]], axis=2)


def random_affine(images, rng, **kwargs):
    """Apply a random small rotation, anisotropic scale, shear and shift to each image."""
    mats = random_affine_matrices(len(images), rng, images.shape[-1], **kwargs)
    out = np.empty(images.shape, dtype=images.dtype)
    for i, (img, m) in enumerate(zip(images, mats)):
        ndimage.affine_transform(img, m, output=out[i], order=1, mode="constant", cval=PAPER)
    return out


def change_thickness(images, rng, p_thicker=0.25, p_thinner=0.25):
    """Thicken (grey erosion, ink is dark) or thin (grey dilation) strokes by one pixel at random."""
    out = images.copy()
    u = rng.random(len(images))
    thick, thin = u < p_thicker, (u >= p_thicker) & (u < p_thicker + p_thinner)
    if thick.any():
        out[thick] = ndimage.grey_erosion(images[thick], footprint=CROSS)
    if thin.any():
        thinned = ndimage.grey_dilation(images[thin], footprint=CROSS)
        keep = (thinned < 0.5).reshape(len(thinned), -1).sum(1) >= 12
        out[np.flatnonzero(thin)[keep]] = thinned[keep]
    return out


def blur_and_noise(images, rng, p_blur=0.2, max_sigma=0.8, p_noise=0.2, max_noise=0.08):
    """Mild Gaussian blur and additive Gaussian noise on random subsets, clipped to [0, 1]."""
    out = images.copy()
    blur = np.flatnonzero(rng.random(len(images)) < p_blur)
    for i, sigma in zip(blur, rng.uniform(0.3, max_sigma, len(blur))):
        out[i] = ndimage.gaussian_filter(out[i], sigma, mode="constant", cval=PAPER)
    noise = rng.random(len(images)) < p_noise
    if noise.any():
        level = rng.uniform(0, max_noise, noise.sum())[:, None, None]
        out[noise] += level * rng.standard_normal(out[noise].shape)
    return np.clip(out, 0.0, 1.0, out=out)


def page_look(images, rng, p=0.5, upscale=(1.3, 2.4)):
    """Re-render a random fraction of images as the OCR pipeline renders page crops.

    Each chosen image is enlarged, thresholded and passed through
    :func:`ocr.recognition.glyph.normalise_glyph` (binary ink, standard frame and stroke
    width), so the classifier learns shapes rather than the grey style of one
    data source.
    """
    out = np.array(images, copy=True)
    for i in np.flatnonzero(rng.random(len(images)) < p):
        ink = transform.rescale(out[i], rng.uniform(*upscale), order=1) < 0.5
        if ink.sum() >= 4:
            out[i] = normalise_glyph(ink)
    return out


def augment_batch(images, rng, thickness=True, blur=True, page=True, page_versions=None, p_page=0.5):
    """Randomly augment a batch of upright images.

    Parameters
    ----------
    images : (N, H, W) float array in [0, 1], 0 = ink
    rng : numpy.random.Generator
    thickness, blur, page : bool
        Also change stroke thickness / add mild blur and noise / re-render a
        fraction ``p_page`` of the images as page crops (:func:`page_look`).
    page_versions : (N, H, W) array, optional
        The images already rendered as page crops (``page_look(images, rng, p=1)``,
        computed once for a whole training set): a fraction ``p_page`` is taken
        from here, before the affine step, instead of being rendered again.
    p_page : float

    Returns
    -------
    (N, H, W) array of the same dtype, values in [0, 1]
    """
    images = np.asarray(images)
    if page and page_versions is not None:
        images = np.where((rng.random(len(images)) < p_page)[:, None, None], page_versions, images)
    out = random_affine(images, rng)
    if page and page_versions is None:
        out = page_look(out, rng, p=p_page)
    if thickness:
        out = change_thickness(out, rng)
    if blur:
        out = blur_and_noise(out, rng)
    return np.clip(out, 0.0, 1.0, out=out)
