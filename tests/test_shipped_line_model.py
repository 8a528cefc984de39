"""The shipped CTC line recogniser (models/line.pt): its test-line CER, touching pages, and engine auto."""
import json

import pytest
from click.testing import CliRunner

from training.evaluate_pages import evaluate_pages, overall

pytestmark = [pytest.mark.needs_data, pytest.mark.slow]


def generated(nist36_dir, tmp_path_factory, touching):
    from training.sample_pages import write_samples

    folder = tmp_path_factory.mktemp("touching" if touching else "ordinary")
    write_samples(folder, nist36_dir, n_pages=4, seed=7, touching=touching)
    return folder


@pytest.fixture(scope="module")
def touching_pages(nist36_dir, tmp_path_factory):
    return generated(nist36_dir, tmp_path_factory, True)


@pytest.fixture(scope="module")
def ordinary_pages(nist36_dir, tmp_path_factory):
    return generated(nist36_dir, tmp_path_factory, False)


@pytest.fixture(scope="module")
def engines(shipped_cnn):
    from ocr.recognition.lexicon import load_lexicon
    from ocr.recognition.numpy_line import load_numpy_line_model
    from training.classifier import load_classifier, resolve_model_path

    return (load_classifier("cnn", inference=True), load_numpy_line_model(resolve_model_path("line")),
            load_lexicon("en"))


def cer(folder, engines, engine, lexicon=True, key="cer"):
    classifier, recogniser, words = engines
    return overall(evaluate_pages(folder, classifier, engine=engine, recogniser=recogniser,
                                  lexicon=words if lexicon else None))[key]


def test_test_line_cer_is_what_models_readme_states(nist36_dir):
    from handocr.commands import cli

    result = CliRunner().invoke(cli, ["evaluate-lines", "--data-dir", str(nist36_dir), "--split", "test",
                                      "--format", "json"], catch_exceptions=False)
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["lines"] == 500
    assert report["cer"] == pytest.approx(0.0571, abs=0.002)          # models/README.md: 5.71%
    assert report["cer_lexicon"] == pytest.approx(0.0441, abs=0.001)  # 4.41% with --lexicon en
    assert report["digit_words_changed"] == 0


def test_line_engine_reads_touching_pages_far_better_than_the_glyph_engine(touching_pages, engines):
    line = cer(touching_pages, engines, "line", lexicon=False)
    assert line == pytest.approx(0.0829, abs=0.002)                    # glyph engine 35.9%
    assert line < cer(touching_pages, engines, "glyph", lexicon=False) - 0.2


def test_auto_beats_glyph_on_touching_pages_and_matches_it_on_ordinary_ones(touching_pages, ordinary_pages, engines):
    assert cer(touching_pages, engines, "auto") == pytest.approx(0.0221, abs=0.002)   # glyph 32.0%
    assert cer(touching_pages, engines, "auto") < cer(touching_pages, engines, "glyph") - 0.1
    assert cer(ordinary_pages, engines, "auto") == 0.0                 # glyph 0.55%
    assert cer(ordinary_pages, engines, "auto", key="cer_cased") == 0.0   # capitals print capitals
    assert cer(ordinary_pages, engines, "glyph") == pytest.approx(0.0055, abs=0.001)
