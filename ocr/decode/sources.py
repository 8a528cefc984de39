"""Decode image files, PDFs, bytes and arrays into upright 8-bit page images, as a viewer shows them.

Every decoded page keeps the size of its original (after EXIF orientation), so
boxes found on a downscaled working image can be reported in original pixels.
Pillow's decompression-bomb guard stays on: sizes are checked from the header
before any pixel is decoded.
"""
import io
import os
import sys
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..errors import ImageError, first_line
from .decoded import MAX_PIXELS, MESSAGE_LIMIT, PDF_DPI, REFUSE_PIXELS, STDIN, DecodedPage
from .images import array_to_uint8, fit, image_pages
from .pdf import pdf_pages


def decode_pages(source, max_pixels=MAX_PIXELS, refuse_pixels=REFUSE_PIXELS, pdf_dpi=PDF_DPI, max_side=None):
    """Yield the pages of an image file, PDF, stdin, bytes or array.

    Parameters
    ----------
    source : str, os.PathLike, bytes, (H, W) / (H, W, C) array or PIL.Image.Image
        ``"-"`` reads the bytes of stdin. Every frame of a TIFF and every page of a
        PDF is a page; other formats give their first frame.
    max_pixels : int
        Largest working image; larger pages are decoded downscaled (JPEG by DCT
        scaling, others by box reduction) to at most this many pixels.
    refuse_pixels : int
        Images whose header declares more pixels than this are refused before decoding.
    pdf_dpi : float
        Resolution at which PDF pages are rendered (their original pixel size).
    max_side : int, optional
        Also decode every page reduced so its longer side is at most this (the
        page reader's working size): a JPEG is decoded at the smallest DCT
        scale still larger, then every page is reduced with an anti-aliasing
        filter. Boxes still map to the original through ``DecodedPage.scale``.

    Yields
    ------
    DecodedPage

    Raises
    ------
    ImageError
        Missing, unreadable, absurdly large or empty input (one-line message).
    """
    if isinstance(source, np.ndarray):
        yield DecodedPage(*fit(array_to_uint8(source, "<array>"), max_pixels, max_side), source="<array>")
        return
    if isinstance(source, Image.Image):
        yield from image_pages(source, "<image>", max_pixels, refuse_pixels, max_side)
        return
    name, data = _open_source(source)
    if _is_pdf(name, data):
        yield from pdf_pages(data, name, max_pixels, pdf_dpi, max_side)
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(data)
    except Image.DecompressionBombError as exc:
        raise ImageError(f"{name}: refused, {first_line(exc, MESSAGE_LIMIT)}") from None
    except UnidentifiedImageError:
        raise ImageError(f"{name}: not a readable image (unknown or damaged format)") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError(f"{name}: not a readable image ({first_line(exc, MESSAGE_LIMIT)})") from None
    with img:
        yield from image_pages(img, name, max_pixels, refuse_pixels, max_side)


def original_bytes(source):
    """The encoded bytes of an input as it was given: a file's, or stdin's (read once, then kept).

    Returns None for what has no encoded original here (``"<array>"``, ``"<bytes>"``).
    The searchable PDF embeds these bytes rather than the working image.
    """
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else None
    if name is None or name.startswith("<"):
        return None
    if name == STDIN:
        return stdin_bytes()
    return Path(name).read_bytes()


def stdin_bytes():
    """All of standard input's bytes: read on the first call, the same bytes on later ones (same ``sys.stdin``)."""
    global _stdin
    if _stdin is None or _stdin[0] is not sys.stdin:
        _stdin = (sys.stdin, sys.stdin.buffer.read())
    return _stdin[1]


_stdin = None


def load_image(source, **kwargs):
    """The working image of the first page of ``source`` (see :func:`decode_pages`)."""
    return next(iter(decode_pages(source, **kwargs))).image


def _open_source(source):
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>", io.BytesIO(bytes(source))
    name = os.fspath(source)
    if name == STDIN:
        return STDIN, io.BytesIO(stdin_bytes())
    if not os.path.exists(name):
        raise ImageError(f"{name}: no such file")
    if os.path.isdir(name):
        raise ImageError(f"{name}: is a directory, not an image")
    try:
        return name, io.BytesIO(Path(name).read_bytes())
    except OSError as exc:
        raise ImageError(f"{name}: cannot read ({exc.strerror or first_line(exc, MESSAGE_LIMIT)})") from None


def _is_pdf(name, data):
    return b"%PDF-" in data.getvalue()[:1024]
