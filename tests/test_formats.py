import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from ocr.boxes import box_of
from ocr.result import Char, Line, PageFailure, PageReading, PageResult, Word
from ocr.writers import format_of, render, save

HEIGHT, WIDTH = 300, 500
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
PAGE = "{http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LINES = [["HELLO", "BOX"], ["42"]]


def made_reading(source="page.png"):
    """A page of known words: letters 30 x 20 px, 8 px apart, words 40 px apart, lines 70 px apart."""
    image = np.full((HEIGHT, WIDTH), 235, np.uint8)
    lines, rng = [], np.random.default_rng(0)
    for ln, words in enumerate(LINES):
        y, x = 40 + 70 * ln, 30
        line = Line()
        for text in words:
            word = Word()
            for ch in text:
                box = [y, x, y + 30, x + 20]
                image[y:y + 30, x:x + 20] = 20
                word.chars.append(Char(box, ch, round(float(rng.uniform(0.5, 1)), 4)))
                x += 28
            line.words.append(word)
            x += 40
        lines.append(line)
    return PageReading(PageResult(lines, (HEIGHT, WIDTH)), source, image=image)


@pytest.fixture
def reading():
    return made_reading()


def json_words(reading):
    page = json.loads(render([reading], "json"))[0]
    return [w for line in page["lines"] for w in line["words"]]


def parse(text):
    return ET.fromstring(text.encode("utf-8"))


def inside_page(left, top, right, bottom):
    return 0 <= left <= right <= WIDTH and 0 <= top <= bottom <= HEIGHT


def test_json_is_always_a_list_with_errors_as_entries(reading):
    one = json.loads(render([reading], "json"))
    assert isinstance(one, list) and one[0]["text"] == "HELLO BOX\n42" and one[0]["shape"] == [HEIGHT, WIDTH]
    assert json.loads(render([], "json")) == []
    mixed = json.loads(render([PageFailure("bad.png", "bad.png: not a readable image"), reading], "json"))
    assert mixed[0] == {"file": "bad.png", "page": None, "error": "bad.png: not a readable image"}
    word = one[0]["lines"][0]["words"][0]
    assert word["box"] == [40, 30, 70, 162] and 0.5 <= word["confidence"] <= 1
    lines = render([reading, reading], "jsonl").splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["HELLO BOX\n42"] * 2


def test_tsv_has_tesseract_columns_and_the_words(reading):
    rows = [line.split("\t") for line in render([reading], "tsv").splitlines()]
    assert rows[0] == ["level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width",
                       "height", "conf", "text"]
    assert all(len(r) == 12 for r in rows)
    assert rows[1][:11] == ["1", "1", "0", "0", "0", "0", "0", "0", str(WIDTH), str(HEIGHT), "-1"]
    words = [r for r in rows[1:] if r[0] == "5"]
    assert [r[11] for r in words] == [w["text"] for w in json_words(reading)]
    for r, w in zip(words, json_words(reading)):
        y1, x1, y2, x2 = w["box"]
        assert [int(v) for v in r[6:10]] == [x1, y1, x2 - x1, y2 - y1]
        assert float(r[10]) == pytest.approx(100 * w["confidence"], abs=0.01)
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4", "5", "5", "4", "5"]


def hocr_bbox(title):
    fields = dict(part.strip().split(" ", 1) for part in title.split(";"))
    return [int(v) for v in fields["bbox"].split()], fields


def test_hocr_structure(reading):
    root = parse(render([reading], "hocr"))
    assert root.tag == f"{XHTML}html"
    capabilities = root.find(f"{XHTML}head/{XHTML}meta[@name='ocr-capabilities']").get("content").split()
    body = root.find(f"{XHTML}body")
    (page,) = body.findall(f"{XHTML}div[@class='ocr_page']")
    assert hocr_bbox(page.get("title"))[0] == [0, 0, WIDTH, HEIGHT]
    path = f"{XHTML}div[@class='ocr_carea']/{XHTML}p[@class='ocr_par']/{XHTML}span[@class='ocr_line']"
    lines = page.findall(path)
    assert len(lines) == len(LINES)
    words = [w for line in lines for w in line.findall(f"{XHTML}span[@class='ocrx_word']")]
    assert [w.text for w in words] == [w["text"] for w in json_words(reading)]
    for element in page.iter():
        if element.get("class", "").startswith("ocr"):
            assert element.get("class") in capabilities and element.get("id")
            assert inside_page(*hocr_bbox(element.get("title"))[0])
    for word, expected in zip(words, json_words(reading)):
        box, fields = hocr_bbox(word.get("title"))
        y1, x1, y2, x2 = expected["box"]
        assert box == [x1, y1, x2, y2] and int(fields["x_wconf"]) == round(100 * expected["confidence"])
    assert len({e.get("id") for e in page.iter() if e.get("id")}) == len([e for e in page.iter() if e.get("id")])


def alto_box(element):
    left, top = int(element.get("HPOS")), int(element.get("VPOS"))
    return left, top, left + int(element.get("WIDTH")), top + int(element.get("HEIGHT", 0))


def test_alto_v4_structure(reading):
    root = parse(render([reading], "alto"))
    assert root.tag == f"{ALTO}alto"
    assert root.find(f"{ALTO}Description/{ALTO}MeasurementUnit").text == "pixel"
    (page,) = root.findall(f"{ALTO}Layout/{ALTO}Page")
    assert (int(page.get("WIDTH")), int(page.get("HEIGHT"))) == (WIDTH, HEIGHT)
    assert page.get("ID") and page.get("PHYSICAL_IMG_NR") == "1"
    lines = page.findall(f"{ALTO}PrintSpace/{ALTO}TextBlock/{ALTO}TextLine")
    assert len(lines) == len(LINES)
    strings = [s for line in lines for s in line.findall(f"{ALTO}String")]
    assert [s.get("CONTENT") for s in strings] == [w["text"] for w in json_words(reading)]
    for element in page.iter():
        if element.get("HPOS") is not None:
            assert inside_page(*alto_box(element))
    for line in lines:
        line_box = alto_box(line)
        for s in line.findall(f"{ALTO}String"):
            box = alto_box(s)
            assert line_box[0] <= box[0] and box[2] <= line_box[2]
            assert 0 <= float(s.get("WC")) <= 1
            assert "".join(g.get("CONTENT") for g in s.findall(f"{ALTO}Glyph")) == s.get("CONTENT")
        assert [c.tag for c in line][::2] == [f"{ALTO}String"] * len(line.findall(f"{ALTO}String"))
        assert all(c.tag == f"{ALTO}SP" for c in list(line)[1::2])


def page_points(element):
    coords = element[0]
    assert coords.tag == f"{PAGE}Coords"
    points = [tuple(int(v) for v in p.split(",")) for p in coords.get("points").split()]
    assert len(points) >= 3
    return points


def test_page_xml_2019_structure(reading):
    root = parse(render([reading], "page"))
    assert root.tag == f"{PAGE}PcGts"
    assert [c.tag for c in root] == [f"{PAGE}Metadata", f"{PAGE}Page"]
    assert [c.tag for c in root.find(f"{PAGE}Metadata")] == [f"{PAGE}{t}" for t in ("Creator", "Created",
                                                                                       "LastChange")]
    page = root.find(f"{PAGE}Page")
    assert (int(page.get("imageWidth")), int(page.get("imageHeight"))) == (WIDTH, HEIGHT)
    assert page.get("imageFilename") == "page.png"
    ids = []
    for level, child in [("TextRegion", "TextLine"), ("TextLine", "Word"), ("Word", "Glyph"), ("Glyph", None)]:
        for element in page.iter(f"{PAGE}{level}"):
            ids.append(element.get("id"))
            for x, y in page_points(element):
                assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT
            tags = [c.tag for c in element]
            expected = [f"{PAGE}Coords"] + [f"{PAGE}{child}"] * (len(tags) - 2) + [f"{PAGE}TextEquiv"]
            assert tags == expected
            assert element[-1].find(f"{PAGE}Unicode") is not None
    assert all(ids) and len(set(ids)) == len(ids)
    words = list(page.iter(f"{PAGE}Word"))
    assert [w.find(f"{PAGE}TextEquiv/{PAGE}Unicode").text for w in words] == [w["text"] for w in json_words(reading)]
    for word in words:
        assert 0 <= float(word.find(f"{PAGE}TextEquiv").get("conf")) <= 1
        glyphs = word.findall(f"{PAGE}Glyph")
        assert "".join(g.find(f"{PAGE}TextEquiv/{PAGE}Unicode").text for g in glyphs) == \
            word.find(f"{PAGE}TextEquiv/{PAGE}Unicode").text
    with pytest.raises(ValueError, match="one page per file"):
        render([reading, reading], "page")


def test_searchable_pdf_has_invisible_words_where_they_are(reading, tmp_path):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from ocr.decode.sources import PDF_DPI

    path = save([reading, made_reading("other.png")], tmp_path / "out.pdf")
    pdf = pdfium.PdfDocument(str(path))
    assert len(pdf) == 2
    points = 72 / PDF_DPI
    for page in pdf:
        assert page.get_size() == pytest.approx((WIDTH * points, HEIGHT * points), abs=0.01)
        text = page.get_textpage()
        assert text.get_text_range().split() == "HELLO BOX 42".split()
        for w in json_words(reading):
            y1, x1, y2, x2 = w["box"]
            found = text.get_text_bounded(left=x1 * points - 1, bottom=(HEIGHT - y2) * points - 1,
                                          right=x2 * points + 1, top=(HEIGHT - y1) * points + 1)
            assert found.strip() == w["text"]
        modes = [pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) for obj in page.get_objects()
                 if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT]
        assert modes and set(modes) == {pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE}
        shown = np.asarray(page.render(scale=PDF_DPI / 72).to_pil().convert("L"), float)
        assert np.mean(np.abs(shown[:HEIGHT, :WIDTH] - reading.image[:shown.shape[0], :shown.shape[1]])) < 3
    pdf.close()


def test_writer_methods_and_format_from_file_name(reading, tmp_path):
    assert reading.render("text") == "HELLO BOX\n42\n"
    for name, fmt in [("a.txt", "text"), ("a.json", "json"), ("a.hocr", "hocr"), ("a.alto.xml", "alto"),
                      ("a.page.xml", "page"), ("a.tsv", "tsv"), ("a.pdf", "pdf"), ("a.jsonl", "jsonl")]:
        assert format_of(name) == fmt
        reading.save(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0
    with pytest.raises(ValueError, match="cannot tell the format"):
        format_of("a.xml")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_box_of_words():
    chars = [Char([10, 5, 20, 15], "A", 1.0), Char([8, 18, 22, 30], "B", 1.0)]
    assert box_of(chars) == [8, 5, 22, 30]


def hocr_properties(title):
    """hOCR ``title`` properties: name -> value, a double-quoted value unescaped (``\\"``, ``\\\\``)."""
    props, k = {}, 0
    while k < len(title):
        while k < len(title) and title[k] in " ;":
            k += 1
        start = k
        while k < len(title) and title[k] != " ":
            k += 1
        name, k = title[start:k], k + 1
        if k < len(title) and title[k] == '"':
            value, k = "", k + 1
            while title[k] != '"':
                if title[k] == "\\":
                    k += 1
                value, k = value + title[k], k + 1
            k += 1
        else:
            end = title.find(";", k)
            end = len(title) if end < 0 else end
            value, k = title[k:end].strip(), end
        props[name] = value
    return props


ODD_NAMES = {                        # file name -> how the XML formats show it
    "ctl\x01name.png": "ctl\\x01name.png",
    'quote"and;semi.png': 'quote"and;semi.png',
    "back\\slash.png": "back\\slash.png",
    os.fsdecode(b"caf\xe9.png"): "caf\\xe9.png",          # not UTF-8: Python decodes the byte as a surrogate
    "amp&<lt>.png": "amp&<lt>.png",
    "\ufffe.png": "\\ufffe.png",
}


@pytest.mark.parametrize("name", list(ODD_NAMES))
def test_xml_outputs_are_well_formed_whatever_the_file_name(name):
    shown = ODD_NAMES[name]
    reading = made_reading(name)
    hocr = parse(render([reading], "hocr"))
    page = hocr.find(f".//{XHTML}div[@class='ocr_page']")
    assert hocr_properties(page.get("title")) == {"image": shown, "bbox": f"0 0 {WIDTH} {HEIGHT}", "ppageno": "0"}
    alto = parse(render([reading], "alto"))
    assert alto.find(f"{ALTO}Description/{ALTO}sourceImageInformation/{ALTO}fileName").text == shown
    page_xml = parse(render([reading], "page"))
    assert page_xml.find(f"{PAGE}Page").get("imageFilename") == shown
    for fmt in ("hocr", "alto", "page"):
        save([reading], Path(tempfile.mkdtemp()) / "out.xml", fmt)
