"""Errors raised by the OCR pipeline, each with a one-line message."""


class OCRError(Exception):
    """Base class for OCR failures reported to the user on one line."""


class ImageError(OCRError):
    """An image file is missing, unreadable or not an image."""
