"""ALTO v4: Page > PrintSpace > TextBlock > TextLine > String (> Glyph), positions in pixels, WC in 0..1."""
import xml.etree.ElementTree as ET

from ..boxes import box_of, line_chars, ltwh, word_confidence
from .xmltree import SOFTWARE, VERSION, XSI, element, serialise

EXTENSION = ".alto.xml"
NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA = "http://www.loc.gov/alto/v4/alto-4-2.xsd"


def position(box):
    left, top, width, height = ltwh(box)
    return {"HPOS": left, "VPOS": top, "WIDTH": width, "HEIGHT": height}


def render(pages):
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    alto = element(None, f"{{{NS}}}alto", **{f"{{{XSI}}}schemaLocation": f"{NS} {SCHEMA}"})
    description = element(alto, f"{{{NS}}}Description")
    element(description, f"{{{NS}}}MeasurementUnit").text = "pixel"
    info = element(description, f"{{{NS}}}sourceImageInformation")
    element(info, f"{{{NS}}}fileName").text = pages[0].source if pages else ""
    step = element(element(description, f"{{{NS}}}OCRProcessing", ID="OCR_0"), f"{{{NS}}}ocrProcessingStep")
    software = element(step, f"{{{NS}}}processingSoftware")
    element(software, f"{{{NS}}}softwareName").text = SOFTWARE
    element(software, f"{{{NS}}}softwareVersion").text = VERSION
    layout = element(alto, f"{{{NS}}}Layout")
    for n, page in enumerate(pages, start=1):
        height, width = page.shape
        page_el = element(layout, f"{{{NS}}}Page", ID=f"page_{n}", PHYSICAL_IMG_NR=page.page,
                          WIDTH=width, HEIGHT=height)
        space = element(page_el, f"{{{NS}}}PrintSpace", HPOS=0, VPOS=0, WIDTH=width, HEIGHT=height)
        if not page.chars:
            continue
        block = element(space, f"{{{NS}}}TextBlock", ID=f"block_{n}_1", **position(box_of(page.chars)))
        for ln, line in enumerate(page.lines, start=1):
            line_el = element(block, f"{{{NS}}}TextLine", ID=f"line_{n}_{ln}",
                              **position(box_of(line_chars(line))))
            word_boxes = [box_of(word.chars) for word in line.words]
            for wn, (word, box) in enumerate(zip(line.words, word_boxes), start=1):
                if wn > 1:
                    before = word_boxes[wn - 2]
                    element(line_el, f"{{{NS}}}SP", WIDTH=max(box[1] - before[3], 0), HPOS=before[3], VPOS=box[0])
                string = element(line_el, f"{{{NS}}}String", ID=f"string_{n}_{ln}_{wn}", CONTENT=word.text,
                                 WC=f"{word_confidence(word):.4f}", **position(box))
                for cn, char in enumerate(word.chars, start=1):
                    element(string, f"{{{NS}}}Glyph", ID=f"glyph_{n}_{ln}_{wn}_{cn}", CONTENT=char.label,
                            GC=f"{char.confidence:.4f}", **position(char.box))
    return serialise(alto)
