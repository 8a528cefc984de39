import pytest

from ocr.evaluate import cer, edit_distance, evaluate_pages, score_text, wer

CER_FLOOR = 0.05


def test_edit_distance_and_rates():
    assert edit_distance("KITTEN", "SITTING") == 3
    assert edit_distance("", "ABC") == 3
    assert cer("AB C\nD", "ABCD") == 0
    assert cer("ABXD", "ABCD") == 0.25
    assert wer("TO DO LIST", "TO DO LIST") == 0
    assert wer("TODO LIST", "TO DO LIST") == pytest.approx(2 / 3)
    assert score_text("A\nB", "A\nB\nC")["lines_match"] is False


@pytest.mark.needs_pages
@pytest.mark.slow
def test_real_pages_cer_floor(pages_dir):
    from training.classifier import load_classifier

    rows = evaluate_pages(pages_dir, load_classifier("cnn"))
    assert rows
    for row in rows:
        assert row["cer"] <= CER_FLOOR, (row["page"], row["cer"], row["text"])
        assert row["lines_match"], (row["page"], row["text"])
