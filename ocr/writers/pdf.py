"""Searchable PDF: each original page untouched, with an invisible text layer of what was read on it.

As OCRmyPDF does: an image input is embedded as it is (img2pdf: a JPEG's own
bytes, other formats losslessly at their full size, EXIF orientation as the
page's rotation); a page of a PDF input is copied from that PDF (pikepdf), its
content and images untouched. Over each page lies a text layer in render mode 3
(invisible) drawn with ReportLab: every line's words on one baseline, in
reading order, each word stretched to its box and followed by a space, so text
extraction (``pdftotext``, a viewer's copy) gives the lines as read.

A page whose original cannot be had (an array or bytes given to the Python API,
a file changed since it was read) falls back to the working image the page was
read on, drawn over the page's original size.

pikepdf, img2pdf and ReportLab are imported when a PDF is written, not when the
formats are listed.
"""
import io

import numpy as np
from PIL import Image

from ..boxes import box_of
from ..decode.decoded import PDF_DPI
from ..decode.sources import original_bytes
from .xmltree import SOFTWARE, VERSION

EXTENSION = ".pdf"
FONT = "Helvetica"
INVISIBLE = 3
SPACE = " "


def render(pages, dpi=PDF_DPI, originals=original_bytes):
    """PDF bytes, one PDF page per page read.

    Parameters
    ----------
    pages : list of PageReading
        Boxes in original pixels; ``page.shape`` the original ``(H, W)``.
    dpi : float
        Original pixels per inch of an image page (a PDF page keeps its own size);
        the decoder renders PDF pages at the same resolution, so boxes map back exactly.
    originals : callable
        ``originals(source) -> bytes or None``: the encoded document a page was read
        from (default: the file, or stdin's bytes for ``"-"``).
    """
    import pikepdf

    out = pikepdf.new()
    documents, opened = {}, []
    layers = pikepdf.open(io.BytesIO(text_layers(pages, dpi)))
    opened.append(layers)
    try:
        for page, layer in zip(pages, layers.pages):
            out.pages.append(_original_page(page, dpi, originals, documents, opened))
            target = out.pages[-1]
            target.add_overlay(out.copy_foreign(layer.as_form_xobject()), pikepdf.Rectangle(target.cropbox))
        out.docinfo["/Creator"] = f"{SOFTWARE} {VERSION}"
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
    finally:
        for pdf in opened:
            pdf.close()
    return buffer.getvalue()


def text_layers(pages, dpi=PDF_DPI):
    """A PDF of one page per page read, as large as the page shows, holding only its invisible text.

    Each line is one run of text on one baseline (the median bottom of its words)
    at one size (the median height of its characters); each word starts at its
    box's left edge and is stretched (with the space after it) to reach the next
    word, the last word to its box's right edge.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setCreator(f"{SOFTWARE} {VERSION}")
    points = 72.0 / dpi
    for page in pages:
        height, width = page.shape
        page_h = height * points
        pdf.setPageSize((width * points, page_h))
        for line in page.lines:
            words = [w for w in line.words if w.chars]
            if not words:
                continue
            boxes = [box_of(w.chars) for w in words]
            baseline = page_h - float(np.median([b[2] for b in boxes])) * points
            size = max(float(np.median([c.box[2] - c.box[0] for w in words for c in w.chars])) * points, 1.0)
            text = pdf.beginText()
            text.setTextRenderMode(INVISIBLE)
            text.setFont(FONT, size)
            for k, (word, box) in enumerate(zip(words, boxes)):
                last = k == len(words) - 1
                run = word.text if last else word.text + SPACE
                right = box[3] if last else max(boxes[k + 1][1], box[3])
                natural = stringWidth(run, FONT, size)
                text.setTextOrigin(box[1] * points, baseline)
                text.setHorizScale(100.0 * max(right - box[1], 1) * points / max(natural, 1e-6))
                text.textOut(run)
            pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _original_page(page, dpi, originals, documents, opened):
    """The page as a pikepdf page: from its original document when that matches, else from the working image.

    ``documents`` caches each source's document; every PDF opened is appended to ``opened``.
    """
    if page.source not in documents:
        documents[page.source] = _original_document(page.source, dpi, originals)
        if documents[page.source] is not None:
            opened.append(documents[page.source])
    document = documents[page.source]
    if document is not None and page.page <= len(document.pages):
        candidate = document.pages[page.page - 1]
        shown = _shown_size(candidate, dpi)
        if all(abs(a - b) <= 1 for a, b in zip(shown, page.shape)):
            return candidate
    if page.image is None:
        raise ValueError(f"{page.source}: cannot embed page {page.page}: its original is gone and its image was "
                         "not kept")
    opened.append(_working_image_pdf(page, dpi))
    return opened[-1].pages[0]


def _original_document(source, dpi, originals):
    """The document ``source`` as a pikepdf PDF (an image made into one by img2pdf), or None."""
    import pikepdf

    try:
        data = originals(source)
    except OSError:
        return None
    if data is None:
        return None
    try:
        if b"%PDF-" in data[:1024]:
            return pikepdf.open(io.BytesIO(data[data.index(b"%PDF-"):]))
        return pikepdf.open(io.BytesIO(_image_pdf(data, dpi)))
    except Exception:   # noqa: BLE001 -- any format img2pdf or qpdf cannot take: the working image is drawn instead
        return None


def _image_pdf(data, dpi):
    """PDF bytes of every frame of the encoded image ``data``, embedded as it is at ``dpi``."""
    import img2pdf

    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    try:
        return img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.auto, nodate=True)
    except Exception:   # noqa: BLE001 -- a mirrored EXIF orientation, an odd mode: transposed losslessly here
        return img2pdf.convert(_upright_png(data), layout_fun=layout, nodate=True)


def _upright_png(data):
    """A lossless PNG of the first frame of ``data`` as a viewer shows it (EXIF orientation applied)."""
    from PIL import ImageOps

    with Image.open(io.BytesIO(data)) as img:
        upright = ImageOps.exif_transpose(img)
        if upright.mode not in ("1", "L", "LA", "RGB", "RGBA"):
            upright = upright.convert("RGBA" if "A" in upright.getbands() or "transparency" in upright.info
                                      else "RGB")
        buffer = io.BytesIO()
        upright.save(buffer, "PNG")
    return buffer.getvalue()


def _working_image_pdf(page, dpi):
    """A one-page PDF of the working image stretched over the original size (nothing better is at hand)."""
    import img2pdf
    import pikepdf

    height, width = page.shape
    points = 72.0 / dpi
    buffer = io.BytesIO()
    Image.fromarray(page.image).save(buffer, "PNG")
    layout = img2pdf.get_layout_fun((width * points, height * points), fit=img2pdf.FitMode.exact)
    return pikepdf.open(io.BytesIO(img2pdf.convert(buffer.getvalue(), layout_fun=layout, nodate=True)))


def _shown_size(page, dpi):
    """``(H, W)`` in pixels at ``dpi`` of a pikepdf page as a viewer shows it (crop box, rotation, user unit)."""
    left, bottom, right, top = (float(v) for v in page.cropbox)
    unit = float(page.obj.get("/UserUnit", 1))
    width, height = abs(right - left) * unit, abs(top - bottom) * unit
    if int(page.obj.get("/Rotate", 0)) % 180:
        width, height = height, width
    return round(height * dpi / 72), round(width * dpi / 72)


