import numpy as np
import pytest

from ocr.evaluate import cer, edit_distance, evaluate_pages, page_pairs, score_text, wer


def test_edit_distance_and_rates():
    assert edit_distance("KITTEN", "SITTING") == 3
    assert edit_distance("", "ABC") == 3
    assert cer("AB C\nD", "ABCD") == 0
    assert cer("ABXD", "ABCD") == 0.25
    assert cer("HI MY", "HI, MY") == pytest.approx(1 / 5)
    assert wer("TO DO LIST", "TO DO LIST") == 0
    assert wer("TODO LIST", "TO DO LIST") == pytest.approx(2 / 3)
    assert score_text("A\nB", "A\nB\nC")["lines_match"] is False


@pytest.mark.needs_pages
@pytest.mark.slow
def test_course_pages_read_exactly(pages_dir, shipped_cnn):
    rows = evaluate_pages(pages_dir, shipped_cnn)
    assert rows
    for row in rows:
        assert row["text"] == row["truth"], row["page"]


@pytest.mark.needs_pages
@pytest.mark.slow
def test_turned_pages_are_read_upright(pages_dir, shipped_cnn):
    from ocr.decode import load_image
    from ocr.page import read_page

    for image_path, truth_path in page_pairs(pages_dir):
        truth = truth_path.read_text().strip("\n")
        image = load_image(image_path)
        for k in (1, 2, 3):
            result = read_page(np.rot90(image, k), shipped_cnn)
            assert result.text == truth, (image_path.name, k)
            assert result.to_dict()["rotation"] == 90 * (4 - k)
