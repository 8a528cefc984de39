import io
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.decode.sources import PDF_DPI, decode_pages, load_image
from ocr.errors import ImageError

SAMPLES = Path(__file__).resolve().parents[1] / "sample_images"
PAGE_1, PAGE_2 = SAMPLES / "synth_01.png", SAMPLES / "synth_02.png"
ORIENTATION = 0x0112


def grey(path):
    return np.asarray(Image.open(path).convert("L"))


def exif_rotated_jpeg(page, path):
    """``page`` stored turned 90 degrees anticlockwise with EXIF orientation 6 (a viewer turns it back)."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    Image.fromarray(np.rot90(page)).save(path, quality=95, exif=exif)
    return path


def sixteen_bit_png(page, path):
    Image.fromarray(page.astype(np.uint16) * 257).save(path)
    return path


def float_tiff(page, path):
    Image.fromarray(page.astype(np.float32) / 255).save(path)
    return path


def ink_as_alpha(page, path, mode):
    """Black ink whose opacity is the darkness of ``page`` on a transparent background."""
    alpha = 255 - page
    ink = np.zeros_like(page)
    layers = [ink, alpha] if mode == "LA" else [ink, ink, ink, alpha]
    Image.fromarray(np.dstack(layers), mode).save(path)
    return path


def multipage_tiff(pages, path):
    first, *rest = [Image.fromarray(p) for p in pages]
    first.save(path, save_all=True, append_images=rest)
    return path


def pdf_of(paths, path):
    """A PDF with one page per image, sized so that rendering at PDF_DPI gives the image's pixels."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for image_path in paths:
        width, height = Image.open(image_path).size
        size = (width * 72 / PDF_DPI, height * 72 / PDF_DPI)
        pdf.setPageSize(size)
        pdf.drawImage(str(image_path), 0, 0, *size)
        pdf.showPage()
    pdf.save()
    return path


def only_page(source, **kwargs):
    pages = list(decode_pages(source, **kwargs))
    assert len(pages) == 1
    return pages[0]


def test_exif_orientation_applied(tmp_path):
    page = grey(PAGE_1)
    decoded = only_page(exif_rotated_jpeg(page, tmp_path / "turned.jpg"))
    assert decoded.image.shape == page.shape and decoded.original_shape == page.shape
    assert np.mean(np.abs(decoded.image.astype(int) - page)) < 3


@pytest.mark.parametrize("writer", [sixteen_bit_png, float_tiff])
def test_sixteen_bit_and_float_scaled(tmp_path, writer):
    page = grey(PAGE_1)
    decoded = only_page(writer(page, tmp_path / f"page.{'png' if writer is sixteen_bit_png else 'tif'}"))
    assert decoded.image.dtype == np.uint8
    assert np.max(np.abs(decoded.image.astype(int) - page)) <= 1


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_alpha_composited_onto_white(tmp_path, mode):
    page = grey(PAGE_1)
    decoded = only_page(ink_as_alpha(page, tmp_path / "ink.png", mode))
    shown = decoded.image if decoded.image.ndim == 2 else decoded.image.mean(axis=2)
    assert np.max(np.abs(shown - page)) <= 1


def test_every_tiff_page_read(tmp_path):
    pages = [grey(PAGE_1), grey(PAGE_2)]
    decoded = list(decode_pages(multipage_tiff(pages, tmp_path / "two.tif")))
    assert [(d.page, d.page_count) for d in decoded] == [(1, 2), (2, 2)]
    for d, page in zip(decoded, pages):
        assert np.array_equal(d.image, page)


def test_every_pdf_page_rendered(tmp_path):
    decoded = list(decode_pages(pdf_of([PAGE_1, PAGE_2], tmp_path / "two.pdf")))
    assert [(d.page, d.page_count) for d in decoded] == [(1, 2), (2, 2)]
    for d, path in zip(decoded, (PAGE_1, PAGE_2)):
        page = grey(path)
        assert d.original_shape == d.image.shape[:2]
        assert np.all(np.abs(np.subtract(d.image.shape[:2], page.shape)) <= 1)
        h, w = page.shape
        assert np.mean(np.abs(d.image[:h, :w].mean(axis=2) - page[:d.image.shape[0], :d.image.shape[1]])) < 4


def test_stdin_bytes_and_arrays(tmp_path, monkeypatch):
    data = PAGE_1.read_bytes()
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BytesIO(data)})())
    from_stdin = only_page("-")
    assert from_stdin.source == "-" and np.array_equal(from_stdin.image, grey(PAGE_1))
    assert np.array_equal(only_page(data).image, grey(PAGE_1))
    assert np.array_equal(only_page(grey(PAGE_1) / 255.0).image, grey(PAGE_1))


def test_large_jpeg_read_downscaled_with_original_size_kept(tmp_path):
    big = np.kron(grey(PAGE_1), np.ones((4, 4), np.uint8))
    Image.fromarray(big).save(tmp_path / "big.jpg", quality=90)
    decoded = only_page(tmp_path / "big.jpg", max_pixels=big.size // 10)
    assert decoded.original_shape == big.shape
    assert decoded.image.size <= big.size // 10
    sy, sx = decoded.scale
    assert 0.2 < sy < 0.4 and abs(sy - sx) < 0.01


def test_bomb_guard_stays_on(tmp_path):
    import handocr.commands  # noqa: F401  (importing the whole program must not switch the guard off)
    import ocr.api  # noqa: F401

    assert Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS <= 200_000_000
    bomb = tmp_path / "bomb.png"
    Image.new("1", (15_000, 14_000)).save(bomb)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ImageError, match="bomb.png: refused") as info:
        load_image(bomb)
    assert "\n" not in str(info.value)
    assert Image.MAX_IMAGE_PIXELS is not None


def test_refuse_limit_checked_before_decoding(tmp_path):
    with pytest.raises(ImageError, match="refused, 1453 x 736"):
        load_image(PAGE_1, refuse_pixels=1_000_000)


def test_unreadable_inputs_are_one_line_errors(tmp_path):
    (tmp_path / "fake.pdf").write_bytes(b"%PDF-1.4 nothing else")
    for source, message in [(tmp_path / "none.png", "no such file"), (tmp_path, "is a directory"),
                            (b"not an image", "not a readable image"), (tmp_path / "fake.pdf", "not a readable PDF"),
                            (np.zeros((5, 5, 7)), "not a readable image")]:
        with pytest.raises(ImageError, match=message) as info:
            load_image(source)
        assert "\n" not in str(info.value)


VARIANTS = {
    "exif-rotated jpeg": lambda tmp: exif_rotated_jpeg(grey(PAGE_1), tmp / "turned.jpg"),
    "16-bit png": lambda tmp: sixteen_bit_png(grey(PAGE_1), tmp / "deep.png"),
    "float tiff": lambda tmp: float_tiff(grey(PAGE_1), tmp / "float.tif"),
    "rgba png": lambda tmp: ink_as_alpha(grey(PAGE_1), tmp / "rgba.png", "RGBA"),
    "la png": lambda tmp: ink_as_alpha(grey(PAGE_1), tmp / "la.png", "LA"),
}


@pytest.mark.slow
def test_every_encoding_reads_the_page_text(shipped_cnn, tmp_path):
    from ocr.api import Reader

    reader = Reader(shipped_cnn)
    truth_1 = PAGE_1.with_suffix(".txt").read_text().strip()
    truth_2 = PAGE_2.with_suffix(".txt").read_text().strip()
    plain = reader.read(PAGE_1)[0].text
    assert plain == truth_1
    for name, make in VARIANTS.items():
        assert [p.text for p in reader.read(make(tmp_path))] == [plain], name
    documents = [multipage_tiff([grey(PAGE_1), grey(PAGE_2)], tmp_path / "two.tif"),
                 pdf_of([PAGE_1, PAGE_2], tmp_path / "two.pdf")]
    plain_2 = reader.read(PAGE_2)[0].text
    for document in documents:
        assert [p.text for p in reader.read(document)] == [plain, plain_2], document.name
    assert plain_2.splitlines()[0] == truth_2.splitlines()[0]


@pytest.mark.parametrize("orientation", [5, 6, 7, 8])
def test_every_turning_exif_orientation_swaps_the_original_shape(tmp_path, orientation):
    page = grey(PAGE_1)[:200, :300]
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    Image.fromarray(page).save(tmp_path / "turned.jpg", quality=95, exif=exif)
    decoded = only_page(tmp_path / "turned.jpg")
    assert decoded.image.shape == decoded.original_shape == (300, 200)


def test_a_transparent_palette_entry_is_paper(tmp_path):
    indices = np.zeros((20, 30), np.uint8)
    indices[5:15, 10:20] = 1
    img = Image.fromarray(indices, "P")
    img.putpalette([0, 0, 0, 0, 0, 0] + [0] * 762)                  # both entries black, entry 0 transparent
    img.save(tmp_path / "palette.png", transparency=0)
    image = only_page(tmp_path / "palette.png").image
    assert image[0, 0].tolist() == [255, 255, 255] and image[10, 15].tolist() == [0, 0, 0]


def test_a_cmyk_jpeg_reads_as_its_rgb_conversion(tmp_path):
    rgb = np.stack([grey(PAGE_1)[:120, :160]] * 3, axis=2)
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "cmyk.jpg", quality=95)
    expected = np.asarray(Image.open(tmp_path / "cmyk.jpg").convert("RGB"))
    np.testing.assert_array_equal(only_page(tmp_path / "cmyk.jpg").image, expected)


def test_integer_and_float_arrays_scale_like_their_8_bit_page():
    page = grey(PAGE_1)
    np.testing.assert_array_equal(only_page(page.astype(np.int32)).image, page)
    spoilt = page / 255.0
    spoilt[3, 4] = np.nan
    decoded = only_page(spoilt).image
    assert decoded[3, 4] == 0
    decoded[3, 4] = page[3, 4]
    np.testing.assert_array_equal(decoded, page)


def test_a_pdf_after_some_leading_bytes_is_still_a_pdf(tmp_path):
    data = b"\r\n% junk\n" + pdf_of([PAGE_1], tmp_path / "one.pdf").read_bytes()
    decoded = only_page(data)
    assert decoded.page_count == 1 and np.abs(np.subtract(decoded.original_shape, grey(PAGE_1).shape)).max() <= 1


def test_a_pdf_read_at_a_working_size_keeps_its_rendered_size(tmp_path):
    path = pdf_of([PAGE_1], tmp_path / "one.pdf")
    full = only_page(path).original_shape
    assert np.abs(np.subtract(full, grey(PAGE_1).shape)).max() <= 1
    by_side = only_page(path, max_side=400)
    assert max(by_side.image.shape[:2]) == 400 and np.abs(np.subtract(by_side.original_shape, full)).max() <= 1
    by_pixels = only_page(path, max_pixels=50_000)
    assert abs(by_pixels.image.shape[0] * by_pixels.image.shape[1] / 50_000 - 1) < 0.02
    assert np.abs(np.subtract(by_pixels.original_shape, full)).max() <= 1       # the page's size in points, rounded


def test_a_pdf_without_pages_is_a_one_line_error(tmp_path, monkeypatch):
    """PDFium refuses a document whose page tree is empty; one that opened it would still give one line."""
    import pypdfium2 as pdfium

    class Empty:
        def __init__(self, data):
            pass

        def __len__(self):
            return 0

        def close(self):
            pass

    path = pdf_of([PAGE_1], tmp_path / "empty.pdf")
    monkeypatch.setattr(pdfium, "PdfDocument", Empty)
    with pytest.raises(ImageError, match=r"empty\.pdf: PDF has no pages$"):
        only_page(path)


def test_a_later_tiff_page_over_the_limit_is_refused(tmp_path):
    path = multipage_tiff([np.full((50, 50), 255, np.uint8), np.full((100, 100), 255, np.uint8)], tmp_path / "t.tif")
    pages = decode_pages(path, refuse_pixels=5000)
    assert next(pages).page == 1
    with pytest.raises(ImageError, match=r"t\.tif: refused, page of 100 x 100 = 0 MP$"):
        next(pages)


def test_a_well_formed_pdf_without_pages_says_so(tmp_path):
    """PDFium refuses such a file saying only "Success"."""
    import pikepdf

    path = tmp_path / "empty.pdf"
    pikepdf.new().save(path)
    with pytest.raises(ImageError, match=r"empty\.pdf: PDF has no pages$"):
        only_page(path)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n" + b"\0" * 64)
    with pytest.raises(ImageError, match=r"damaged\.pdf: not a readable PDF \(.+\)$") as info:
        only_page(damaged)
    assert "Success" not in str(info.value)


MEMORY_CAP = 1536 << 20
"""Address space for decoding a 60 MP RGBA PNG: its 240 MB of pixels, 180 MB as 8-bit RGB, and the libraries."""


@pytest.mark.slow
def test_a_60_mp_rgba_png_is_read_under_a_memory_cap(tmp_path):
    """The float arithmetic of alpha compositing holds one strip of rows, not the page (it took 3.8 GB)."""
    import resource
    import subprocess
    import sys

    from PIL import ImageDraw

    path = tmp_path / "big.png"
    image = Image.new("RGBA", (8944, 6708), (255, 255, 255, 0))
    ImageDraw.Draw(image).rectangle((1000, 1000, 1400, 1100), fill=(0, 0, 0, 255))
    image.save(path)
    del image
    root = Path(__file__).resolve().parents[1]
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from ocr.decode.sources import decode_pages; "
              "page = next(iter(decode_pages(sys.argv[2], max_side=2000))); "
              "print(page.image.shape, page.original_shape, page.image[235, 260], page.image[0, 0])")

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    done = subprocess.run([sys.executable, "-c", script, str(root), str(path)], capture_output=True, text=True,
                          preexec_fn=cap, env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split("\n")[0] == "(1499, 1999, 3) (6708, 8944) [0 0 0] [255 255 255]"
