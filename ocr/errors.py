"""Errors raised by the OCR pipeline, each with a one-line message."""


class OCRError(Exception):
    """Base class for OCR failures reported to the user on one line."""


class ImageError(OCRError):
    """An image file is missing, unreadable or not an image."""


def first_line(exc, limit=None):
    """The first line of an exception's message, or its type name when it has none, cut at ``limit`` characters."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:limit]


class ModelFormatError(ValueError):
    """A file is not a model of the expected kind (wrong shapes, truncated, not a model)."""


class BatchError(OCRError):
    """A batch cannot start (e.g. no Dask scheduler at the address)."""
