"""PDF pages rendered with PDFium (pypdfium2) at the decoder's resolution, reduced to the working size."""
import numpy as np

from ..errors import ImageError, first_line
from .decoded import MESSAGE_LIMIT, DecodedPage
from .images import array_to_uint8


def pdf_pages(data, name, max_pixels, dpi, max_side=None):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data.getvalue())
    except pdfium.PdfiumError as exc:
        raise ImageError(f"{name}: not a readable PDF ({first_line(exc, MESSAGE_LIMIT)})") from None
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
