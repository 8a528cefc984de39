"""The shipped mixed-case line recogniser (ocr/models/line_mixed.pt) as `read` uses it, on real and synthetic lines.

Floors of issue 22 on the 21 MIXED_PRINT pages of pages-real; capital and digit pages keep printing capitals;
sums keep their signs; the half turn settled by the mixed-case reading, and switched off on the page that needs it.
"""
import json

import pytest
from click.testing import CliRunner

from ocr.api import Reader
from ocr.params import DEFAULT
from training.evaluate_pages import page_score, pooled

pytestmark = [pytest.mark.needs_data, pytest.mark.slow]

MIXED_CER, MIXED_CER_CASED = 0.27, 0.30        # measured 25.9% and 28.6% (README "Mixed-case print")
POOL_LINES_CER = 0.11                           # measured 10.1% on these 150 lines


@pytest.fixture(scope="module")
def reader(shipped_cnn):
    return Reader("cnn")


@pytest.fixture(scope="module")
def categories(real_categories):
    return real_categories


@pytest.fixture(scope="module")
def readings(reader, real_dir, categories):
    return {name: (reader.read(real_dir / name)[0], (real_dir / name).with_suffix(".txt").read_text())
            for name in categories}


def read(reader, path, **changed):
    reader.read_options["params"] = DEFAULT.with_(**changed)
    try:
        return reader.read(path)[0]
    finally:
        reader.read_options.pop("params")


def test_mixed_case_pages_floors(readings, categories):
    scores = [page_score(reading.text, truth) for name, (reading, truth) in readings.items()
              if categories[name] == "MIXED_PRINT"]
    assert len(scores) == 21
    total = pooled(scores)
    assert total["cer_ci"] <= MIXED_CER and total["cer_cs"] <= MIXED_CER_CASED


def test_capital_and_digit_pages_print_no_lowercase(readings, categories):
    texts = {name: reading.text for name, (reading, _) in readings.items() if categories[name] in ("CAPS", "DIGITS")}
    assert len(texts) == 16
    assert {name: text for name, text in texts.items() if any(c.islower() for c in text)} == {}


def test_sums_keep_their_signs(readings):
    assert readings["hiren483_2_plus_4_minus_3.jpg"][0].text == "2 + 4 - 3"


def test_a_page_the_glyphs_stand_on_its_head_is_turned_back_by_the_mixed_case_reading(reader, real_dir):
    """Upside down, lowercase print reads as capitals letter by letter; whole lines read far less surely."""
    page = real_dir / "alexanderampah_i_went_to_the_store_teal.jpg"
    turned = read(reader, page)
    assert turned.result.rotation == 0 and "store" in turned.text
    assert read(reader, page, half_turn_prior=float("inf")).result.rotation == 180


def test_synthetic_test_lines_from_held_out_glyphs(pool_file, tmp_path):
    """The pool's held-out glyphs alone (CI has no typefaces); the README gives the figure with typefaces."""
    from handocr.commands import cli

    runner = CliRunner()
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    lines = tmp_path / "test.npz"
    made = runner.invoke(cli, ["train", "line-set", "--split", "test", "--lines", "150", "--pool", str(pool_file),
                               "--fonts", str(empty), "--out", str(lines), "--seed", "5", "--no-progress"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(cli, ["evaluate-lines", "--line-set", str(lines), "--lexicon", "none", "--format", "json"],
                           catch_exceptions=False)
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["lines"] >= 140 and report["cer"] <= POOL_LINES_CER
