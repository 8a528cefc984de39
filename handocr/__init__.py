"""handocr: read hand-printed capitals on photographed or scanned pages.

>>> from handocr import Reader
>>> pages = Reader("cnn").read("page.jpg")  # doctest: +SKIP
"""
from ocr import __version__
from ocr.api import Reader
from ocr.result import PageFailure, PageReading

__all__ = ["Reader", "PageReading", "PageFailure", "__version__"]
