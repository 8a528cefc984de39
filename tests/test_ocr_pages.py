import numpy as np
import pytest

from training.evaluate_pages import cer, edit_distance, evaluate_pages, page_pairs, score_text, wer


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
    from ocr.decode.sources import load_image
    from ocr.page import read_page

    for image_path, truth_path in page_pairs(pages_dir):
        truth = truth_path.read_text().strip("\n")
        image = load_image(image_path)
        for k in (1, 2, 3):
            result = read_page(np.rot90(image, k), shipped_cnn)
            assert result.text == truth, (image_path.name, k)
            assert result.to_dict()["rotation"] == 90 * (4 - k)


def test_lone_lines_that_are_not_writing_are_dropped():
    from ocr.recognition.lone import lone_guesses

    structure = [[[0, 1], [2]], [[3]]]
    conf = np.array([0.9, 0.9, 0.9, 0.95])
    thin = np.array([0.5, 0.5, 0.5, 0.6])
    assert lone_guesses(structure, conf, thin) == [False, False]                   # a lone letter read surely
    assert lone_guesses(structure, np.array([0.2, 0.2, 0.2, 0.3]), thin) == [False, True]   # read as nothing
    assert lone_guesses(structure, conf, np.array([0.5, 0.5, 0.5, 2.6])) == [False, True]   # a punch hole


def test_blob_radius_tells_a_filled_hole_from_a_pen_letter():
    from skimage import draw

    from ocr.recognition.lone import blob_radius

    ink = np.zeros((100, 200), bool)
    ink[20:80, 30:35] = True                        # a stroke 5 px wide
    rr, cc = draw.disk((50, 150), 20)
    ink[rr, cc] = True                              # a filled disc of radius 20
    radius = blob_radius(ink, np.array([[15, 25, 85, 40], [25, 125, 75, 175]]))
    assert 2 <= radius[0] <= 3.5 and 19 <= radius[1] <= 21
