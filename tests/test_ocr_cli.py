import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import StubClassifier
from ocr_drawing import text_page

from handocr.commands.evaluate import evaluate_ocr
from handocr.commands.read import read
from ocr.decode.sources import MAX_PIXELS, load_image
from ocr.errors import ImageError
from ocr.page import read_page
from ocr.writers.pictures import overlay
from training.data import CLASSES
from training.evaluate_pages import cer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_images"


def write_png(path, image):
    from skimage import io

    io.imsave(path, (np.clip(image, 0, 1) * 255).astype(np.uint8), check_contrast=False)
    return path


@pytest.fixture
def drawn_page(tmp_path):
    return write_png(tmp_path / "page.png", text_page([["THE", "LIFT"], ["FEZ"]]))


def test_read_text_and_json_with_stub(stub_model, drawn_page):
    runner = CliRunner()
    res = runner.invoke(read, [str(drawn_page)])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["EEE EEEE", "EEE"]
    res = runner.invoke(read, [str(drawn_page), "--format", "json"])
    assert res.exit_code == 0
    pages = json.loads(res.stdout)
    assert isinstance(pages, list) and len(pages) == 1
    page = pages[0]
    assert page["text"] == "EEE EEEE\nEEE"
    assert len(page["lines"]) == 2 and len(page["lines"][0]["words"]) == 2
    char = page["lines"][0]["words"][0]["chars"][0]
    assert len(char["box"]) == 4 and char["label"] == "E" and 0 < char["confidence"] <= 1


def test_overlay_and_crops_per_image(stub_model, drawn_page, tmp_path):
    other = write_png(tmp_path / "other.png", text_page([["ZEN"]]))
    res = CliRunner().invoke(read, [str(drawn_page), str(other), "--overlay", str(tmp_path / "o.png"),
                                    "--crops", str(tmp_path / "c.png")])
    assert res.exit_code == 0, res.output
    assert "==> " in res.stdout and res.stdout.count("==>") == 2
    for name in ("o-page.png", "o-other.png", "c-page.png", "c-other.png"):
        assert (tmp_path / name).stat().st_size > 1000


def test_bad_inputs_are_reported_and_others_processed(stub_model, drawn_page, tmp_path):
    text_file = tmp_path / "notes.png"
    text_file.write_text("not an image")
    res = CliRunner().invoke(read, [str(tmp_path / "nope.jpg"), str(text_file), str(drawn_page)])
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 2
    assert "nope.jpg" in errors[0] and "notes.png" in errors[1]
    assert "EEE EEEE" in res.stdout


def test_blank_page_prints_nothing(stub_model, tmp_path):
    blank = write_png(tmp_path / "blank.png", np.full((300, 400), 0.92))
    res = CliRunner().invoke(read, [str(blank)])
    assert res.exit_code == 0
    assert res.stdout == ""


def test_missing_model_is_one_line(stub_model, drawn_page):
    res = CliRunner().invoke(read, [str(drawn_page), "--model", "missing"])
    assert res.exit_code == 1
    assert res.stderr.strip().count("\n") == 0 and "missing" in res.stderr


def test_evaluate_ocr_with_stub(stub_model, tmp_path):
    write_png(tmp_path / "a.png", text_page([["THE"]]))
    (tmp_path / "a.txt").write_text("EEE\n")
    res = CliRunner().invoke(evaluate_ocr, ["--pages", str(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["overall"]["cer"] == 0 and out["pages"][0]["lines_match"]
    res = CliRunner().invoke(evaluate_ocr, ["--pages", str(tmp_path)])
    assert "overall" in res.stdout and "a.png" in res.stdout
    res = CliRunner().invoke(evaluate_ocr, ["--pages", str(tmp_path / "none")])
    assert res.exit_code == 1


def test_evaluate_ocr_reports_case_ignored_and_kept_per_category_and_source(stub_model, tmp_path):
    for name, truth in (("a", "EEE"), ("b", "Eee"), ("c", "eE")):
        write_png(tmp_path / f"{name}.png", text_page([["THE"]]))
        (tmp_path / f"{name}.txt").write_text(truth + "\n")
    (tmp_path / "sources.tsv").write_text("file\trepo\tcategory\na.png\tone\tCAPS\nb.png\ttwo\tMIXED\n"
                                          "c.png\ttwo\tMIXED\n")
    res = CliRunner().invoke(evaluate_ocr, ["--pages", str(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert [(r["page"], r["cer"], r["cer_cased"]) for r in out["pages"]] == [
        ("a.png", 0.0, 0.0), ("b.png", 0.0, 2 / 3), ("c.png", 0.5, 1.0)]
    assert out["categories"]["CAPS"]["cer_cased"] == 0.0
    assert out["categories"]["MIXED"]["cer"] == pytest.approx(1 / 5) and out["categories"]["MIXED"]["pages"] == 2
    assert out["categories"]["MIXED"]["cer_cased"] == pytest.approx(4 / 5)
    assert set(out["sources"]) == {"one", "two"} and out["overall"]["cer_cased"] == pytest.approx(4 / 8)
    text = CliRunner().invoke(evaluate_ocr, ["--pages", str(tmp_path)]).stdout
    assert "(category)" in text and "(source)" in text and "cased" in text.splitlines()[0]


def test_load_image_errors(tmp_path):
    with pytest.raises(ImageError, match="no such file"):
        load_image(tmp_path / "missing.png")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8 truncated")
    with pytest.raises(ImageError):
        load_image(bad)
    with pytest.raises(ImageError):
        load_image(tmp_path)


def test_large_image_is_downscaled_on_load(tmp_path):
    side = int(np.sqrt(MAX_PIXELS)) + 1500
    big = np.full((side, side), 230, np.uint8)
    big[1000:1400, 1000:1040] = 20
    path = tmp_path / "big.png"
    from skimage import io

    io.imsave(path, big, check_contrast=False)
    image = load_image(path)
    assert image.shape[0] * image.shape[1] <= MAX_PIXELS
    assert image.dtype == np.uint8
    assert image.shape[0] > 0.5 * side


def test_read_page_blank_and_overlay(tmp_path):
    result = read_page(np.full((200, 300, 3), 240, np.uint8), StubClassifier())
    assert result.text == "" and result.lines == [] and result.to_dict()["lines"] == []
    page = text_page([["THE"]])
    result = read_page(page, StubClassifier())
    assert result.text == "EEE"
    overlay(page, result, tmp_path / "o.png")
    assert (tmp_path / "o.png").stat().st_size > 1000


def test_word_context_resolves_lookalikes():
    from ocr.recognition.classify import word_context

    probs = np.full((4, 36), 0.001)
    probs[0, CLASSES.index("T")] = 0.9
    probs[1, CLASSES.index("0")] = 0.6
    probs[1, CLASSES.index("O")] = 0.3
    probs[2, CLASSES.index("1")] = 0.9
    probs[3, CLASSES.index("S")] = 0.5
    probs[3, CLASSES.index("5")] = 0.4
    labels, conf = word_context(probs, [[0, 1], [2, 3]])
    assert labels == ["T", "O", "1", "5"]
    assert conf.shape == (4,)


def test_read_sample_images_with_shipped_cnn(shipped_cnn):
    runner = CliRunner()
    res = runner.invoke(read, [str(SAMPLES), "--format", "json"])
    assert res.exit_code == 0, res.output
    pages = json.loads(res.stdout)
    assert len(pages) == len(list(SAMPLES.glob("*.png"))) >= 2
    for page in pages:
        truth = Path(page["file"]).with_suffix(".txt").read_text()
        assert len(page["lines"]) == len(truth.strip().splitlines())
        assert cer(page["text"], truth) < 0.1


def test_crops_grid_matches_what_was_read(shipped_cnn, tmp_path):
    from ocr.decode.sources import load_image
    from ocr.page import read_page
    from training.classifier import load_classifier

    page = sorted(SAMPLES.glob("*.png"))[0]
    result = read_page(load_image(page), load_classifier("cnn"))
    assert result.crops.shape == (len(result), 1024)
    assert "".join(result.crop_labels) == result.text.replace("\n", "").replace(" ", "")
    res = CliRunner().invoke(read, [str(page), "--crops", str(tmp_path / "crops.png")])
    assert res.exit_code == 0 and (tmp_path / "crops.png").stat().st_size > 0
