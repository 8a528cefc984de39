"""PAGE XML 2019-07-15: one Page > TextRegion > TextLine > Word > Glyph, each with Coords and TextEquiv."""
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from ..boxes import box_of, line_chars, polygon, word_confidence
from .xmltree import SOFTWARE, VERSION, XSI, element, serialise

EXTENSION = ".page.xml"
NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
SCHEMA = f"{NS}/pagecontent.xsd"


def coords(parent, box):
    element(parent, f"{{{NS}}}Coords", points=" ".join(f"{x},{y}" for x, y in polygon(box)))


def text_equiv(parent, text, conf=None):
    attrs = {} if conf is None else {"conf": f"{conf:.4f}"}
    element(element(parent, f"{{{NS}}}TextEquiv", **attrs), f"{{{NS}}}Unicode").text = text


def render(pages):
    """One page per PAGE document: ``pages`` must hold exactly one page."""
    if len(pages) != 1:
        raise ValueError(f"PAGE XML holds one page per file, got {len(pages)}: write one file per page "
                         "(--output-dir)")
    page = pages[0]
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = element(None, f"{{{NS}}}PcGts", **{f"{{{XSI}}}schemaLocation": f"{NS} {SCHEMA}"})
    metadata = element(root, f"{{{NS}}}Metadata")
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    element(metadata, f"{{{NS}}}Creator").text = f"{SOFTWARE} {VERSION}"
    element(metadata, f"{{{NS}}}Created").text = now
    element(metadata, f"{{{NS}}}LastChange").text = now
    height, width = page.shape
    page_el = element(root, f"{{{NS}}}Page", imageFilename=page.source, imageWidth=width, imageHeight=height)
    if not page.chars:
        return serialise(root)
    region = element(page_el, f"{{{NS}}}TextRegion", id="r1", type="paragraph")
    coords(region, box_of(page.chars))
    for ln, line in enumerate(page.lines, start=1):
        line_el = element(region, f"{{{NS}}}TextLine", id=f"r1_l{ln}")
        coords(line_el, box_of(line_chars(line)))
        for wn, word in enumerate(line.words, start=1):
            word_el = element(line_el, f"{{{NS}}}Word", id=f"r1_l{ln}_w{wn}")
            coords(word_el, box_of(word.chars))
            for cn, char in enumerate(word.chars, start=1):
                glyph = element(word_el, f"{{{NS}}}Glyph", id=f"r1_l{ln}_w{wn}_g{cn}")
                coords(glyph, char.box)
                text_equiv(glyph, char.label, char.confidence)
            text_equiv(word_el, word.text, word_confidence(word))
        text_equiv(line_el, line.text)
    text_equiv(region, page.text)
    return serialise(root)
