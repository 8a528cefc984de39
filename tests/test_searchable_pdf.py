"""The searchable PDF keeps the original image or PDF page untouched; its text layer is in reading order."""
import ctypes
import io

import numpy as np
import pytest
from click.testing import CliRunner
from ocr_drawing import blank, draw_letter
from PIL import Image

from handocr.commands.read import read
from ocr.decode.decoded import PDF_DPI


def run(args, **kwargs):
    return CliRunner().invoke(read, [str(a) for a in args], **kwargs)


def written_page(lines, scale=1, shape=(420, 900)):
    """A grey page of drawn words: ``lines`` of ``(word, height, top)``, words left to right; uint8."""
    page = blank(shape)
    for row in lines:
        x = 40
        for word, height, top in row:
            for ch in word:
                draw_letter(page, ch, top, x, height)
                x += int(0.8 * height) + 8
            x += 50
    page = (np.clip(page, 0, 1) * 255).astype(np.uint8)
    return np.kron(page, np.ones((scale, scale), np.uint8)) if scale > 1 else page


def images_of(pdf_bytes):
    """``(width, height, filter, raw stream bytes)`` of every image on every page."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return [[(int(im.Width), int(im.Height), str(im.get("/Filter")), im.read_raw_bytes())
                 for im in page.get_images().values()] for page in pdf.pages]


def test_a_photo_is_embedded_as_it_is_at_its_full_size(stub_model, tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.fromarray(written_page([[("THE", 40, 40), ("LIFT", 40, 40)]], scale=3)).save(photo, quality=85)
    assert Image.open(photo).size == (2700, 1260)           # larger than the reader's 2000-px working size
    res = run([photo, "-o", tmp_path / "out.pdf"])
    assert res.exit_code == 0, res.output
    (image,), = images_of((tmp_path / "out.pdf").read_bytes())
    assert image == (2700, 1260, "/DCTDecode", photo.read_bytes())


def test_a_png_is_embedded_losslessly_at_its_full_size(stub_model, tmp_path):
    import pikepdf

    pixels = written_page([[("THE", 40, 40)]], scale=3)
    png = tmp_path / "page.png"
    Image.fromarray(pixels).save(png)
    assert run([png, "-o", tmp_path / "out.pdf"]).exit_code == 0
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert np.array_equal(np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("L")), pixels)


def test_a_pdf_page_is_kept_untouched(stub_model, tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(source), invariant=1)
    for k in range(3):
        image = tmp_path / f"scan{k}.jpg"
        Image.fromarray(written_page([[("THE", 40, 40)] * (k + 1)])).save(image, quality=80)
        pdf.setPageSize((900 * 72 / 150, 420 * 72 / 150))
        pdf.drawImage(ImageReader(str(image)), 0, 0, 900 * 72 / 150, 420 * 72 / 150)
        pdf.showPage()
    pdf.save()
    read_text = run([source, "--format", "json"]).stdout
    res = run([source, "-o", tmp_path / "out.pdf"])
    assert res.exit_code == 0, res.output
    out = (tmp_path / "out.pdf").read_bytes()
    assert images_of(out) == images_of(source.read_bytes())    # the same JPEG streams, not a new rendering
    assert len(out) < len(source.read_bytes()) + 3 * 3000        # a text layer is all that is added
    import pypdfium2 as pdfium

    import json

    texts = [page["text"] for page in json.loads(read_text)]
    assert [t.count("EE") for t in texts] == [1, 2, 3]
    for k, page in enumerate(pdfium.PdfDocument(out)):
        assert page.get_size() == pytest.approx((900 * 72 / 150, 420 * 72 / 150))
        assert page.get_textpage().get_text_range() == texts[k].replace("\n", "\r\n")


def char_origins(textpage):
    """``(char, x, y)`` of every character of a pypdfium2 text page."""
    import pypdfium2.raw as pdfium_c

    out = []
    for i in range(textpage.count_chars()):
        x, y = ctypes.c_double(), ctypes.c_double()
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
        out.append((chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)), x.value, y.value))
    return out


def test_each_line_is_one_baseline_of_words_in_reading_order(stub_model, tmp_path):
    import pypdfium2 as pdfium

    page = tmp_path / "page.png"                # words of one line of different heights and tops
    Image.fromarray(written_page([[("THE", 40, 60), ("LIFTEZ", 56, 44), ("FEZ", 30, 66)],
                                  [("HEX", 36, 230), ("TEN", 48, 222)]])).save(page)
    lines = run([page]).stdout.splitlines()
    assert [len(line.split()) for line in lines] == [3, 2]
    assert run([page, "-o", tmp_path / "out.pdf"]).exit_code == 0
    text = pdfium.PdfDocument(tmp_path / "out.pdf")[0].get_textpage()
    assert text.get_text_range() == "\r\n".join(lines)
    origins = [o for o in char_origins(text) if o[0] not in "\r\n"]
    first = [y for ch, x, y in origins[:len(lines[0])]]
    second = [y for ch, x, y in origins[len(lines[0]):]]
    assert max(first) - min(first) < 1e-3 and max(second) - min(second) < 1e-3 and min(first) > max(second)
    xs = [x for ch, x, y in origins[:len(lines[0])]]
    assert xs == sorted(xs)


def test_the_working_image_is_drawn_only_when_no_original_is_at_hand(stub_model):
    import pikepdf

    from ocr.api import Reader
    from ocr.writers import render

    pixels = written_page([[("THE", 40, 40)]], scale=3)
    reading, = Reader("cnn").read(pixels)                      # an array: no encoded original
    with pikepdf.open(io.BytesIO(render([reading], "pdf"))) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert (int(image.Width), int(image.Height)) == reading.image.shape[::-1]
        assert [float(v) for v in pdf.pages[0].mediabox] == pytest.approx(
            [0, 0, 2700 * 72 / PDF_DPI, 1260 * 72 / PDF_DPI])
