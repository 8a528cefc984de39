"""Raster images (every frame of a TIFF) and arrays to upright 8-bit pages, reduced to the working size.

Sizes are checked from the header before any pixel is decoded; a JPEG is
decoded reduced by DCT scaling.
"""
import numpy as np
from PIL import Image, ImageOps, ImageSequence

from ..errors import ImageError, first_line
from .decoded import MESSAGE_LIMIT, DecodedPage


def image_pages(img, name, max_pixels, refuse_pixels, max_side=None):
    width, height = img.size
    if width * height > refuse_pixels:
        raise ImageError(f"{name}: refused, {width} x {height} = {width * height / 1e6:.0f} MP is more than "
                         f"{refuse_pixels / 1e6:.0f} MP")
    frames = ImageSequence.Iterator(img) if img.format == "TIFF" else [img]
    count = getattr(img, "n_frames", 1) if img.format == "TIFF" else 1
    for number, frame in enumerate(frames, start=1):
        try:
            image, original_shape = _decode_frame(frame, max_pixels, refuse_pixels, max_side)
        except ImageError as exc:
            raise ImageError(f"{name}: {exc}") from None
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            raise ImageError(f"{name}: not a readable image ({first_line(exc, MESSAGE_LIMIT)})") from None
        yield DecodedPage(image, original_shape, name, number, count)


def _decode_frame(frame, max_pixels, refuse_pixels, max_side=None):
    width, height = frame.size
    if width * height > refuse_pixels:
        raise ImageError(f"refused, page of {width} x {height} = {width * height / 1e6:.0f} MP")
    factor = _reduction(height, width, max_pixels, max_side)
    if factor > 1 and frame.format == "JPEG":
        frame.draft(frame.mode, (int(width / factor), int(height / factor)))
    if frame.mode in ("L", "RGB") and min(frame.size) >= 2:
        upright = ImageOps.exif_transpose(frame)
        return np.asarray(_fit_image(upright, max_pixels, max_side)), _shown_shape(frame, width, height)
    orientation = frame.getexif().get(0x0112, 1)
    if frame.format == "TIFF" and orientation != 1:     # Pillow turns a TIFF's frames its own way: as before
        upright = ImageOps.exif_transpose(frame)
        return fit(_uint8_in_strips(upright), max_pixels, max_side)[0], _shown_shape(frame, width, height)
    image = _oriented(_uint8_in_strips(frame), orientation)
    return fit(image, max_pixels, max_side)[0], _shown_shape(frame, width, height)


def _shown_shape(frame, width, height):
    """``(H, W)`` of the stored ``width`` x ``height`` as shown, by the EXIF orientation ``frame`` reports now."""
    return (width, height) if frame.getexif().get(0x0112, 1) in (5, 6, 7, 8) else (height, width)


STRIP_ROWS = 256
"""Rows converted at a time from an image that is not 8-bit grey or RGB (memory: one strip, not the page, in float)."""
ORIENTED = {2: lambda a: a[:, ::-1], 3: lambda a: a[::-1, ::-1], 4: lambda a: a[::-1],
            5: lambda a: a.swapaxes(0, 1), 6: lambda a: np.rot90(a, -1), 7: lambda a: a[::-1, ::-1].swapaxes(0, 1),
            8: lambda a: np.rot90(a, 1)}
"""EXIF orientation -> the array as a viewer shows it (the same pixels as ``ImageOps.exif_transpose``)."""


def _oriented(image, orientation):
    if orientation not in ORIENTED:
        return image
    return np.ascontiguousarray(ORIENTED[orientation](image))


def _uint8_in_strips(img):
    """``array_to_uint8(_pixels(img))``, converted :data:`STRIP_ROWS` rows at a time.

    Only the decoded image and the 8-bit result are ever whole; the float
    arithmetic of scaling and alpha compositing holds one strip. Images scaled by
    their own range (32-bit integer, float) are scanned for it first, strip by strip.
    """
    width, height = img.size
    if min(width, height) < 2:
        return array_to_uint8(_pixels(img), "image")
    strips = [(top, min(top + STRIP_ROWS, height)) for top in range(0, height, STRIP_ROWS)]

    def strip(top, bottom):
        return _pixels(img.crop((0, top, width, bottom)))

    value_range = None
    if img.mode in ("I", "F") or img.mode.startswith("I;"):
        lows, highs = zip(*(_range(strip(top, bottom)) for top, bottom in strips))
        value_range = (min(lows), max(highs))
    out = None
    for top, bottom in strips:
        part = _convert(strip(top, bottom), value_range)
        if out is None:
            out = np.empty((height, width) + part.shape[2:], np.uint8)
        out[top:bottom] = part
    return out


def _range(array):
    values = np.nan_to_num(array.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    return float(values.min()), float(values.max())


def _pixels(img):
    """Pixels as an array, palette and colour spaces expanded; alpha kept as the last channel."""
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif img.mode == "PA":
        img = img.convert("RGBA")
    elif img.mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        img = img.convert("RGB")
    elif img.mode == "1":
        img = img.convert("L")
    elif img.mode.startswith("I;16"):
        return np.asarray(img).astype(np.uint16)
    return np.asarray(img)


def array_to_uint8(array, name="<array>"):
    """Scale any numeric image to uint8 grey or RGB, alpha composited onto white.

    Parameters
    ----------
    array : (H, W), (H, W, 1), (H, W, 2), (H, W, 3) or (H, W, 4) array
        bool, uint8, uint16 (0..65535), other integers (0..65535 when they fit,
        else their range) or float (0..1 when they fit, else their range).
        Two and four channels carry alpha as the last channel.

    Returns
    -------
    (H, W) or (H, W, 3) uint8 array
    """
    array = np.asarray(array)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (2, 3, 4)) \
            or min(array.shape[:2]) < 2:
        raise ImageError(f"{name}: not a readable image (shape {array.shape})")
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise ImageError(f"{name}: not a readable image (dtype {array.dtype})")
    return _convert(array)


def _convert(array, value_range=None):
    """:func:`array_to_uint8` of a checked array; ``value_range`` the whole image's ``(low, high)`` for a strip."""
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.dtype == np.uint8 and (array.ndim == 2 or array.shape[2] == 3):
        return array
    unit = _to_unit(array, value_range)
    if unit.ndim == 3 and unit.shape[2] in (2, 4):
        alpha = unit[:, :, -1:]
        unit = unit[:, :, :-1] * alpha + (1.0 - alpha)
        if unit.shape[2] == 1:
            unit = unit[:, :, 0]
    return (unit * 255.0).round().astype(np.uint8)


def _to_unit(array, value_range=None):
    if array.dtype == bool:
        return array.astype(np.float32)
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255.0
    if array.dtype == np.uint16:
        return array.astype(np.float32) / 65535.0
    values = np.nan_to_num(array.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    low, high = value_range if value_range is not None else (float(values.min()), float(values.max()))
    if np.issubdtype(array.dtype, np.integer):
        if low >= 0 and high <= 65535:
            return (values / (255.0 if high <= 255 else 65535.0)).astype(np.float32)
    elif low >= 0 and high <= 1:
        return values.astype(np.float32)
    return ((values - low) / max(high - low, 1e-12)).astype(np.float32)


def _reduction(height, width, max_pixels, max_side=None):
    """Factor (>= 1) by which a page must shrink to hold at most ``max_pixels`` and ``max_side``."""
    factor = max(1.0, np.sqrt(height * width / max_pixels))
    if max_side:
        factor = max(factor, max(height, width) / max_side)
    return factor


def reduce_to_side(image, max_side):
    """An 8-bit page (see :func:`array_to_uint8`) reduced so its longer side is at most ``max_side``.

    The same reduction as decoding with ``max_side`` (Pillow's anti-aliasing bilinear filter).

    Returns
    -------
    small : (h, w) or (h, w, 3) uint8 array
    scale : float
        ``small``'s longer side over the input's.
    """
    image = array_to_uint8(image)
    small = fit(image, np.inf, max_side)[0]
    return small, max(small.shape[:2]) / max(image.shape[:2])


def enlarge(image, factor):
    """An 8-bit page (see :func:`array_to_uint8`) enlarged ``factor`` (> 1) times (Pillow's Lanczos filter).

    Returns
    -------
    big : (h, w) or (h, w, 3) uint8 array
    scale : float
        ``big``'s longer side over the input's.
    """
    image = array_to_uint8(image)
    height, width = image.shape[:2]
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    big = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.LANCZOS))
    return big, max(big.shape[:2]) / max(height, width)


def fit(image, max_pixels, max_side=None):
    """``(image downscaled to at most max_pixels and max_side, its original (H, W))``.

    Reduced with Pillow's anti-aliasing bilinear filter (its support widened by the factor).
    """
    height, width = image.shape[:2]
    if _reduction(height, width, max_pixels, max_side) <= 1:
        return image, (height, width)
    return np.asarray(_fit_image(Image.fromarray(image), max_pixels, max_side)), (height, width)


def _fit_image(img, max_pixels, max_side=None):
    """A PIL image downscaled as :func:`_fit` downscales an array (the same pixels, without a round trip)."""
    width, height = img.size
    factor = _reduction(height, width, max_pixels, max_side)
    if factor <= 1:
        return img
    size = (max(1, int(width / factor)), max(1, int(height / factor)))
    return img.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


