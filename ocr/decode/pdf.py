"""PDF pages rendered with PDFium (pypdfium2) at the decoder's resolution, reduced to the working size."""
import io

import numpy as np

from ..errors import ImageError, first_line
from .decoded import MESSAGE_LIMIT, DecodedPage
from .images import array_to_uint8


def _unloadable(data, exc):
    """Why PDFium would not load ``data``, in one line.

    PDFium refuses a well-formed PDF without pages, and its reason is its last
    error, which may be "Success" or an earlier document's; qpdf (pikepdf) tells
    a PDF without pages, and gives its own reason where PDFium gives none.
    """
    import pikepdf

    reason = first_line(exc, MESSAGE_LIMIT)
    try:
        with pikepdf.open(io.BytesIO(data[data.index(b"%PDF-"):])) as pdf:
            if len(pdf.pages) == 0:
                return "PDF has no pages"
    except Exception as qpdf_exc:   # noqa: BLE001 -- qpdf's own reason for any damage it finds
        if "PDFium: Success" in reason:
            reason = first_line(qpdf_exc, MESSAGE_LIMIT)
    else:
        if "PDFium: Success" in reason:
            reason = "PDFium cannot load it"
    return f"not a readable PDF ({reason})"


def pdf_pages(data, name, max_pixels, dpi, max_side=None):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data.getvalue())
    except pdfium.PdfiumError as exc:
        raise ImageError(f"{name}: {_unloadable(data.getvalue(), exc)}") from None
    try:
        count = len(pdf)
        if count == 0:
            raise ImageError(f"{name}: PDF has no pages")
        for index in range(count):
            page = pdf[index]
            width_pt, height_pt = page.get_size()
            full = dpi / 72
            scale = min(full, np.sqrt(max_pixels / max(width_pt * height_pt, 1e-6)))
            if max_side:
                scale = min(scale, max_side / max(width_pt, height_pt, 1e-6))
            image = array_to_uint8(np.asarray(page.render(scale=scale).to_pil().convert("RGB")), name)
            page.close()
            original = image.shape[:2] if scale == full else (round(height_pt * full), round(width_pt * full))
            yield DecodedPage(image, original, name, index + 1, count)
    finally:
        pdf.close()
