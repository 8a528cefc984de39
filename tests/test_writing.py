"""Only the writing: the learnt writing / non-writing decision on lines and marks (ocr.layout.writing)."""
import numpy as np
import pytest
from ocr_drawing import draw_dot, draw_letter

from ocr.layout.writing import LINE_FEATURES, MARK_FEATURES, WRITING_MODEL, load_writing_model
from ocr.page import read_page
from ocr.params import DEFAULT


@pytest.fixture(scope="module")
def classifier(shipped_cnn):
    from ocr.recognition.model_files import load_classifier

    return load_classifier("cnn")


def torn_pad_page(seed=0):
    """HELT on a torn pad: punch holes along the top, the tear's edge, faint rules broken into pieces."""
    rng = np.random.default_rng(seed)
    page = np.full((480, 640), 0.85)
    for x in range(40, 620, 38):
        draw_dot(page, 30, x, 11, ink=0.25)
    page[48:51, 10:630] = 0.45
    for x in range(25, 640, 31):
        for y0 in range(70, 470, 90):
            if rng.random() < 0.7 and not 160 < y0 < 300:
                page[y0:y0 + int(rng.uniform(20, 60)), x:x + 2] = 0.72
    for k, ch in enumerate("HELT"):
        draw_letter(page, ch, 220, 150 + 48 * k, 50, ink=0.15, width=5)
    return np.clip(page + rng.normal(0, 0.01, page.shape), 0, 1)


def test_only_the_writing_of_a_torn_pad_is_read(classifier):
    """The holes, the tear and the rule pieces make lines of 1s; the writing model leaves the written line alone."""
    page = torn_pad_page()
    assert read_page(page, classifier).text == "HELT"
    everything = read_page(page, classifier, DEFAULT.with_(only_writing=False)).text.splitlines()
    assert len(everything) >= 4 and "HELT" in everything


def test_a_pale_speck_beside_a_line_is_not_a_comma_and_a_written_one_is(classifier):
    page = np.full((300, 700), 0.85)
    for k, ch in enumerate("HELT"):
        draw_letter(page, ch, 100, 150 + 48 * k, 50, ink=0.15, width=5)
    for k, ch in enumerate("LIFE"):
        draw_letter(page, ch, 100, 400 + 48 * k, 50, ink=0.15, width=5)
    page = np.clip(page + np.random.default_rng(0).normal(0, 0.01, page.shape), 0, 1)
    speck, comma = page.copy(), page.copy()
    speck[146:158, 345:349] = 0.72
    comma[146:158, 345:349] = 0.15
    assert read_page(speck, classifier).text == "HELT LIFE"
    assert read_page(speck, classifier, DEFAULT.with_(only_writing=False)).text == "HELT, LIFE"
    assert read_page(comma, classifier).text == "HELT, LIFE"


def test_the_shipped_model_reads_the_reader_s_features():
    model = load_writing_model()
    assert model is not None and WRITING_MODEL.is_file()
    assert model.line["weights"].shape == (len(LINE_FEATURES),) and model.mark["weights"].shape == (len(MARK_FEATURES),)
    with np.load(WRITING_MODEL) as arrays:
        assert "train writing" in str(arrays["command"]) and "--seed" in str(arrays["command"])


def test_the_shipped_model_judges_the_shipped_cnn_s_readings_and_no_other(classifier):
    """Its features hold the CNN's confidences: a classifier that reads differently (the MLP, a stub) is not
    judged, and its pages keep every line; replacing cnn.pt needs a new writing model."""
    from conftest import StubClassifier

    from ocr.recognition.model_files import load_classifier

    model = load_writing_model()
    assert model.judges(classifier)
    assert not model.judges(load_classifier("mlp")) and not model.judges(StubClassifier())
    page = torn_pad_page()
    assert len(read_page(page, load_classifier("mlp")).text.splitlines()) >= 4


def test_the_numpy_forward_is_the_trained_logistic_model(tmp_path):
    from ocr.layout.writing import WritingModel
    from training.writing_model import THRESHOLD, fit_logistic, predict, save_model

    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, (200, len(LINE_FEATURES)))
    y = (x[:, 1] + 0.5 * x[:, 4] > 0).astype(int)
    xm = rng.normal(0, 1, (100, len(MARK_FEATURES)))
    ym = (xm[:, 0] > 0).astype(int)
    line, mark = fit_logistic(x, y), fit_logistic(xm, ym)
    arrays = {f"line_{k}": v for k, v in line.items()}
    arrays.update({f"mark_{k}": v for k, v in mark.items()})
    arrays.update(threshold=np.array(THRESHOLD), line_features=np.array(LINE_FEATURES),
                  mark_features=np.array(MARK_FEATURES))
    save_model(tmp_path / "w.npz", arrays, "cli.py train writing --seed 0", 0)
    model = load_writing_model(tmp_path / "w.npz")
    np.testing.assert_allclose(model.line_probability(x), predict(line, x), rtol=1e-12)
    np.testing.assert_allclose(model.mark_probability(xm), predict(mark, xm), rtol=1e-12)
    assert np.mean((model.line_probability(x) >= model.threshold) == y) > 0.95
    arrays["line_features"] = np.array(LINE_FEATURES[::-1])
    with pytest.raises(ValueError, match="features"):
        WritingModel(arrays)


def test_synthetic_examples_are_labelled_and_reproducible_with_a_seed(classifier, nist36):
    from training.sample_pages import glyph_bank
    from training.writing_model import synthetic_examples

    bank = glyph_bank(nist36["train"].images(), nist36["train"].y)
    first = synthetic_examples(bank, classifier, 4, np.random.default_rng(3))
    again = synthetic_examples(bank, classifier, 4, np.random.default_rng(3))
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    line_x, line_y, _, _ = first
    assert len(line_y) and set(line_y.tolist()) <= {0, 1} and line_x.shape[1] == len(LINE_FEATURES)
