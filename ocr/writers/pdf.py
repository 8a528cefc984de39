"""Searchable PDF: each page image with an invisible text layer (render mode 3) at the words' positions.

ReportLab is imported when a PDF is written, not when the formats are listed
(it would add 40 ms to every ``read``).
"""
import io

from PIL import Image

from ..boxes import box_of
from ..decode.decoded import PDF_DPI
from .xmltree import SOFTWARE, VERSION

EXTENSION = ".pdf"
FONT = "Helvetica"
INVISIBLE = 3


def render(pages, dpi=PDF_DPI):
    """PDF bytes, one PDF page per page; ``dpi`` original pixels per inch sets the page size in points."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setCreator(f"{SOFTWARE} {VERSION}")
    points = 72.0 / dpi
    for page in pages:
        height, width = page.shape
        page_w, page_h = width * points, height * points
        pdf.setPageSize((page_w, page_h))
        pdf.drawImage(ImageReader(Image.fromarray(page.image)), 0, 0, page_w, page_h)
        for word in (w for line in page.lines for w in line.words):
            y1, x1, y2, x2 = box_of(word.chars)
            size = max((y2 - y1) * points, 1.0)
            natural = stringWidth(word.text, FONT, size)
            text = pdf.beginText()
            text.setTextRenderMode(INVISIBLE)
            text.setFont(FONT, size)
            text.setHorizScale(100.0 * (x2 - x1) * points / max(natural, 1e-6))
            text.setTextOrigin(x1 * points, page_h - y2 * points)
            text.textOut(word.text)
            pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
