"""Accuracy floors of the weights shipped in models/ (issue 3), measured on the test split."""
import pytest
from click.testing import CliRunner

from cli import cli
from training.classifier import load_classifier, load_model
from training.evaluate import evaluate_autoencoder, evaluate_classifier

pytestmark = pytest.mark.needs_data


@pytest.mark.parametrize("name, floor", [("cnn", 0.90), ("mlp", 0.70), ("torch-mlp", 0.70)])
def test_classifier_floor(nist36, name, floor):
    result = evaluate_classifier(load_classifier(name), nist36["test"])
    assert result["accuracy"] >= floor
    assert result["n"] == len(nist36["test"])


def test_cnn_per_source_floor(nist36):
    per_source = evaluate_classifier(load_classifier("cnn"), nist36["test"]).get("per_source")
    if per_source is None:
        pytest.skip("split has no source key")
    assert min(per_source.values()) >= 0.85


def test_autoencoder_psnr_floor(nist36):
    assert evaluate_autoencoder(load_model("autoencoder"), nist36["valid"])["psnr_db"] >= 15.0


def test_autoencoder_is_not_a_classifier():
    from training.model_errors import ModelFormatError

    with pytest.raises(ModelFormatError, match="not a classifier"):
        load_classifier("autoencoder")


def test_gradcheck_command_passes():
    result = CliRunner().invoke(cli, ["gradcheck"])
    assert result.exit_code == 0, result.output
    assert "worst" in result.output and "FAIL" not in result.output


def test_gradcheck_command_fails_on_impossible_tolerance():
    assert CliRunner().invoke(cli, ["gradcheck", "--tol", "1e-30"]).exit_code == 1


def test_cnn_reads_glyphs_rendered_like_page_crops(nist36):
    """Test glyphs enlarged, thresholded and re-normalised as the OCR pipeline does it."""
    import numpy as np

    from training.augment import page_look
    from training.data import images_to_rows
    from training.metrics import accuracy

    test = nist36["test"]
    rendered = page_look(test.images(), np.random.default_rng(0), p=1.0)
    pred = load_classifier("cnn").predict_proba(images_to_rows(rendered)).argmax(axis=1)
    assert accuracy(test.y, pred) >= 0.88
