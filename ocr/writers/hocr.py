"""hOCR 1.2: ocr_page > ocr_carea > ocr_par > ocr_line > ocrx_word, each with ``bbox``; words with ``x_wconf``."""
from ..boxes import box_of, line_chars, word_confidence
from .xmltree import SOFTWARE, VERSION, element, serialise, xml_safe

EXTENSION = ".hocr"
XHTML = "http://www.w3.org/1999/xhtml"
DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"


def quoted(value):
    """An hOCR property string value: in double quotes, ``\\`` and ``"`` escaped with a backslash."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bbox(box):
    """``bbox x0 y0 x1 y1`` of a ``[y1, x1, y2, x2]`` box."""
    y1, x1, y2, x2 = box
    return f"bbox {x1} {y1} {x2} {y2}"


def render(pages):
    html = element(None, "html", xmlns=XHTML, lang="en")
    head = element(html, "head")
    element(head, "title").text = ""
    element(head, "meta", **{"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"})
    element(head, "meta", name="ocr-system", content=f"{SOFTWARE} {VERSION}")
    element(head, "meta", name="ocr-capabilities", content=CAPABILITIES)
    body = element(html, "body")
    for n, page in enumerate(pages, start=1):
        height, width = page.shape
        page_div = element(body, "div", **{"class": "ocr_page", "id": f"page_{n}",
                                           "title": f"image {quoted(xml_safe(page.source))}; bbox 0 0 {width} {height}; "
                                                    f"ppageno {n - 1}"})
        if not page.chars:
            continue
        area = element(page_div, "div", **{"class": "ocr_carea", "id": f"block_{n}_1",
                                           "title": bbox(box_of(page.chars))})
        par = element(area, "p", **{"class": "ocr_par", "id": f"par_{n}_1", "title": bbox(box_of(page.chars))})
        for ln, line in enumerate(page.lines, start=1):
            line_span = element(par, "span", **{"class": "ocr_line", "id": f"line_{n}_{ln}",
                                                "title": bbox(box_of(line_chars(line)))})
            for wn, word in enumerate(line.words, start=1):
                conf = round(100 * word_confidence(word))
                span = element(line_span, "span", **{"class": "ocrx_word", "id": f"word_{n}_{ln}_{wn}",
                                                     "title": f"{bbox(box_of(word.chars))}; x_wconf {conf}"})
                span.text = word.text
    return serialise(html, DOCTYPE)
