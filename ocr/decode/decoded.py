"""A decoded page, and the decoder's size limits and resolution."""
from dataclasses import dataclass

import numpy as np

MAX_PIXELS = 40_000_000
REFUSE_PIXELS = 120_000_000
PDF_DPI = 200
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".gif", ".webp", ".pdf")
STDIN = "-"
MESSAGE_LIMIT = 160
"""Characters of a decoder's own error message kept in a one-line error."""


@dataclass
class DecodedPage:
    """One page of a document, ready for reading.

    Attributes
    ----------
    image : (H, W) or (H, W, 3) uint8 array
        Working image: upright, alpha composited onto white, at most ``max_pixels``.
    original_shape : (int, int)
        ``(H0, W0)`` of the page as a viewer shows it (for a PDF, rendered at ``PDF_DPI``).
    source : str
        File name, ``"-"`` for stdin, or ``"<array>"`` / ``"<bytes>"``.
    page : int
        1-based page number within the document.
    page_count : int
        Pages in the document.
    """

    image: np.ndarray
    original_shape: tuple
    source: str = "<array>"
    page: int = 1
    page_count: int = 1

    @property
    def scale(self):
        """``(sy, sx)``: working-image pixels per original pixel along each axis (1 when not downscaled)."""
        h, w = self.image.shape[:2]
        return h / self.original_shape[0], w / self.original_shape[1]
