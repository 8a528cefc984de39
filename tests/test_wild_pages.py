"""Real pages from other writers ($OCR_WILD_DIR = ../shared/data/pages-wild) read with the shipped CNN."""
import numpy as np
import pytest

from ocr.api import Reader
from ocr.decode.sources import decode_pages
from ocr.page import read_page
from ocr.params import DEFAULT
from training.evaluate_pages import cer

BIGCAPS = "photo_ruled_bigcaps.jpeg"


@pytest.fixture(scope="module")
def reader(shipped_cnn):
    return Reader("cnn")


@pytest.fixture(scope="module")
def readings(reader, wild_dir):
    """Text read from every page and its truth, by page name."""
    pages = sorted(p for p in wild_dir.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    return {p.name: (reader.read(p)[0].text, p.with_suffix(".txt").read_text()) for p in pages}


@pytest.fixture(scope="module")
def bigcaps(wild_dir):
    """The EXIF-rotated page of one big word across four ruled lines, on its working copy."""
    return next(iter(decode_pages(wild_dir / BIGCAPS, max_side=DEFAULT.work_side))).image


def test_big_word_across_ruled_lines_reads_exactly(readings):
    assert readings[BIGCAPS][0] == "KHUSHBOO"


@pytest.mark.parametrize("switched_off", [
    dict(row_min_letters=10 ** 6),       # letter height set by the binding's rings: the big letters are dropped
    dict(rule_pen_contrast=np.inf),      # the H bars and U foot lying on rules are removed with them
    dict(join_min_confidence=2.0),       # the second H, its bar broken, stays F + I
    dict(sliver_height=2.0),             # the next sheets' edge is read as an I
    dict(mark_column=10 ** 6, only_writing=False),       # pieces of that edge are read as commas
    dict(lone_min_confidence=0.0, only_writing=False),   # a lone unreadable shape beside the binding is read as E
], ids=["row-reference", "pen-on-rules", "join-pieces", "sliver", "mark-columns", "lone-guess"])
def test_each_front_end_mechanism_is_needed_on_the_big_word(shipped_cnn, bigcaps, switched_off):
    """Marks in a column and lone guesses are also judged non-writing by the writing model
    (``only_writing``): each is needed once that is off too."""
    from training.classifier import load_classifier

    classifier = load_classifier("cnn", inference=True)
    assert read_page(bigcaps, classifier).text == "KHUSHBOO"
    assert read_page(bigcaps, classifier, DEFAULT.with_(**switched_off)).text != "KHUSHBOO"


def test_scans_read_exactly(readings):
    assert readings["scan_digits.jpg"][0] == "0123456789\n0123456789\n0123456789"
    assert readings["scan_pangram.jpg"][0] == "THE QUICK BROWN FOX\nJUMPS OVER THE LAZY DOG"
    assert readings["scan_alphabet.jpg"][0] == "ABCDEFGHIJKLM\nNOPQRSTUVWXYZ\n" * 2 + "ABCDEFGHIJKLM\nNOPQRSTUVWXYZ"


def test_ruled_photos_floors(readings):
    text, truth = readings["photo_ruled_shadow.jpeg"]
    assert text == "HELLO EVERYONE\nWELCOME TO EARTH"   # the table's texture below the sheet is not a line
    text, truth = readings["photo_ruled_bluelight.jpeg"]
    assert len(text.splitlines()) == 4 and text.startswith("HI, MY NAME")   # its big comma is a comma
    assert text.splitlines()[1:3] == ["THIS IS THE TEST FOR", "IMAGE PROCESSING"]   # touching letters: line engine
    assert text.splitlines()[3] == "HAVE A LOVELY DAY"
    assert cer(text, truth) == pytest.approx(0.0441, abs=0.001)    # 3 of 68 letters: 15, RAGHHV


def test_mean_cer_over_the_six_pages(readings):
    assert len(readings) == 6
    assert np.mean([cer(text, truth) for text, truth in readings.values()]) == pytest.approx(0.0074, abs=0.001)
    assert all(len(text.splitlines()) == len(truth.splitlines()) for text, truth in readings.values())


def test_a_page_photographed_tilted_on_a_dark_desk_keeps_its_rules_apart_from_the_writing(reader, wild_dir):
    from PIL import Image, ImageOps

    page = ImageOps.exif_transpose(Image.open(wild_dir / "photo_ruled_bluelight.jpeg")).convert("RGB")
    tilted = np.asarray(page.rotate(5, expand=True, fillcolor=(39, 32, 109)))   # its rules now 8 degrees off
    assert reader.read(tilted)[0].text.splitlines() == [
        "HI MY NAME 15 RAGHAV BANSAL", "THIS IS THE, TEST FOR", "IMAGE PROCESSING", "HAVE A LOVELY DAY"]


def test_a_sheet_under_blue_light_on_a_desk_is_paper_where_the_light_is_bluest(reader, wild_dir):
    from PIL import Image, ImageOps

    page = ImageOps.exif_transpose(Image.open(wild_dir / "photo_ruled_bluelight.jpeg")).convert("RGB")
    page.thumbnail((2000, 2000))
    sheet = page.resize((page.width * 7 // 10, page.height * 7 // 10), Image.Resampling.LANCZOS)
    desk = Image.new("RGB", page.size, (60, 50, 45))
    desk.paste(sheet, ((page.width - sheet.width) // 2, (page.height - sheet.height) // 3))
    assert reader.read(np.asarray(desk))[0].text == (   # as the photo itself reads: its bluest part is paper
        "HI, MY NAME 15 RAGHHV BANSAL\nTHIS IS THE TEST FOR\nIMAGE PROCESSING\nHAVE A LOVELY DAY")


def test_a_thumbnail_of_a_page_is_read_on_an_enlarged_copy(reader, wild_dir):
    from PIL import Image, ImageOps

    page = ImageOps.exif_transpose(Image.open(wild_dir / "photo_ruled_shadow.jpeg")).convert("RGB")
    small = np.asarray(page.resize((page.width // 8, page.height // 8), Image.Resampling.BILINEAR))   # 390 x 520
    reading = reader.read(small)[0]
    assert reading.text == "HELLO EVERYONE\nWELCOME TO EARTH"      # letters 17 px tall: read at 32 px
    boxes = np.array([c.box for line in reading.result.lines for w in line.words for c in w.chars])
    assert boxes.min() >= 0 and boxes[:, 2].max() <= small.shape[0] and boxes[:, 3].max() <= small.shape[1]
    assert 12 <= np.median(boxes[:, 2] - boxes[:, 0]) <= 22                 # boxes in the thumbnail's pixels
    assert Reader("cnn", params=DEFAULT.with_(min_letter_height=0)).read(small)[0].text != reading.text
