import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from click.testing import CliRunner
from ocr_drawing import text_page
from PIL import Image

from handocr.commands import cli
from handocr.commands.read import read
from ocr import __version__
from ocr.api import Reader
from ocr.decode.inputs import unique_stems

ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"


def page_png(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray((np.clip(text_page(lines), 0, 1) * 255).astype(np.uint8)).save(path)
    return path


@pytest.fixture
def two_same_named(tmp_path):
    """``a/page.png`` (one line) and ``b/page.png`` (two lines)."""
    return (page_png(tmp_path / "a" / "page.png", [["THE"]]),
            page_png(tmp_path / "b" / "page.png", [["THE", "LIFT"], ["FEZ"]]))


def run(args, **kwargs):
    return CliRunner().invoke(read, [str(a) for a in args], **kwargs)


def test_json_is_a_list_for_one_file_and_failures_are_entries(stub_model, two_same_named, tmp_path):
    res = run([two_same_named[0], "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["text"] == "EEE"
    res = run([tmp_path / "missing.png", "--format", "json"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == [{"file": str(tmp_path / "missing.png"), "page": None,
                                       "error": f"{tmp_path / 'missing.png'}: no such file"}]
    res = run([two_same_named[0], tmp_path / "missing.png", "--format", "jsonl"])
    assert res.exit_code == 1
    entries = [json.loads(line) for line in res.stdout.splitlines()]
    assert entries[0]["text"] == "EEE" and "no such file" in entries[1]["error"]


def test_output_dir_one_file_per_page_without_clobbering(stub_model, two_same_named, tmp_path):
    tiff = tmp_path / "c" / "doc.tif"
    tiff.parent.mkdir()
    first, second = (Image.open(p) for p in two_same_named)
    first.save(tiff, save_all=True, append_images=[second])
    out = tmp_path / "out"
    res = run([*two_same_named, tiff, "--format", "text", "--output-dir", out])
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["a-page.txt", "b-page.txt", "doc-p1.txt", "doc-p2.txt"]
    assert (out / "a-page.txt").read_text() == "EEE\n" and (out / "b-page.txt").read_text() == "EEE EEEE\nEEE\n"
    assert (out / "doc-p2.txt").read_text() == "EEE EEEE\nEEE\n"
    res = run([*two_same_named, "--format", "alto", "--output-dir", out])
    assert res.exit_code == 0
    root = ET.parse(out / "b-page.alto.xml").getroot()
    assert [s.get("CONTENT") for s in root.iter(f"{ALTO}String")] == ["EEE", "EEEE", "EEE"]
    res = run([tiff, "--format", "pdf", "--output-dir", out])
    assert res.exit_code == 0 and (out / "doc.pdf").read_bytes().startswith(b"%PDF")


def test_unique_stems():
    assert unique_stems(["-"]) == ["stdin"]
    from pathlib import Path

    stems = unique_stems([Path("x/a/page.png"), Path("x/b/page.png"), Path("x/b/page.jpg"), Path("x/other.png")])
    assert len(set(stems)) == 4 and stems[0] == "a-page" and stems[3] == "other"


def test_recursive_and_stdin(stub_model, two_same_named, tmp_path):
    res = run([tmp_path, "--format", "json"])
    assert res.exit_code == 1 and "no images found" in res.stderr
    res = run([tmp_path, "--recursive", "--format", "json"])
    assert res.exit_code == 0
    assert [p["text"] for p in json.loads(res.stdout)] == ["EEE", "EEE EEEE\nEEE"]
    res = run(["-"], input=two_same_named[1].read_bytes())
    assert res.exit_code == 0 and res.stdout == "EEE EEEE\nEEE\n"


def test_version():
    res = CliRunner().invoke(cli, ["--version"])
    assert res.exit_code == 0 and __version__ in res.stdout


def test_an_overlay_into_a_missing_folder_is_refused_before_reading(stub_model, two_same_named, tmp_path):
    res = run([two_same_named[1], "--overlay", tmp_path / "no" / "such" / "o.png"])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == f"Error: {tmp_path / 'no' / 'such' / 'o.png'}: cannot write (no folder {tmp_path / 'no' / 'such'})\n"


def test_an_overlay_that_fails_while_writing_is_an_error_after_the_text(stub_model, two_same_named, tmp_path):
    (tmp_path / "o-b-page.png").mkdir()                  # the second overlay's name is taken by a folder
    res = run([*two_same_named, "--overlay", tmp_path / "o.png"])
    assert res.stdout == "==> " + str(two_same_named[0]) + " <==\nEEE\n==> " + str(two_same_named[1]) + " <==\nEEE EEEE\nEEE\n"
    assert res.exit_code == 1 and (tmp_path / "o-a-page.png").is_file()
    errors = res.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"Error: overlay {tmp_path / 'o-b-page.png'}: cannot write")


def test_same_named_inputs_keep_their_own_overlays(stub_model, two_same_named, tmp_path):
    res = run([*two_same_named, "--overlay", tmp_path / "o.png"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o-a-page.png").is_file() and (tmp_path / "o-b-page.png").is_file()


def test_pdf_output_needs_a_file_and_format_follows_the_file_name(stub_model, two_same_named, tmp_path):
    res = run([two_same_named[0], "--format", "pdf"])
    assert res.exit_code == 1 and "-o FILE.pdf" in res.stderr
    res = run([two_same_named[0], "-o", tmp_path / "out.hocr"])
    assert res.exit_code == 0 and res.stdout == ""
    assert "ocrx_word" in (tmp_path / "out.hocr").read_text()


def test_boxes_in_original_pixels_when_read_downscaled():
    from conftest import StubClassifier

    small = (np.clip(text_page([["THE", "LIFT"]]), 0, 1) * 255).astype(np.uint8)
    big = np.kron(small, np.ones((3, 3), np.uint8))
    plain = Reader(StubClassifier()).read(small)[0]
    shrunk = Reader(StubClassifier(), max_pixels=small.size).read(big)[0]
    assert shrunk.scale == pytest.approx((1 / 3, 1 / 3), abs=0.01)
    assert shrunk.shape == big.shape
    assert shrunk.text == plain.text
    for a, b in zip(plain.chars, shrunk.chars):
        assert np.allclose(np.array(a.box) * 3, b.box, atol=3)
