"""The weights shipped in models/: floors, and the figures models/README.md states, pinned.

A stale, swapped or retrained-without-updating model fails here loudly.
"""
import os
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from handocr.commands import cli
from ocr.recognition.model_files import MODELS_DIR
from training.classifier import load_classifier, load_model
from training.evaluate import evaluate_autoencoder, evaluate_classifier
from training.provenance import data_mismatch

pytestmark = pytest.mark.needs_data
README = (MODELS_DIR / "README.md").read_text()


def stated(model_file):
    """The first bold figure on the table row of ``model_file`` in models/README.md (percent or dB)."""
    row = next(line for line in README.splitlines() if line.startswith(f"| `{model_file}`"))
    return float(re.search(r"\*\*([\d.]+)(?:%| dB)\*\*", row).group(1))


@pytest.fixture(scope="module")
def results(nist36):
    return {name: evaluate_classifier(load_classifier(name), nist36["test"]) for name in ("cnn", "mlp", "torch-mlp")}


@pytest.mark.parametrize("name, model_file", [("cnn", "cnn.pt"), ("mlp", "mlp.npz"), ("torch-mlp", "torch_mlp.pt")])
def test_test_accuracy_is_what_models_readme_states(results, name, model_file):
    assert 100 * results[name]["accuracy"] == pytest.approx(stated(model_file), abs=0.5)


def test_autoencoder_psnr_is_what_models_readme_states(nist36):
    psnr_db = evaluate_autoencoder(load_model("autoencoder"), nist36["valid"])["psnr_db"]
    assert psnr_db == pytest.approx(stated("autoencoder.npz"), abs=0.1)
    assert psnr_db >= 16.5


def test_card_floors(results):
    assert results["mlp"]["accuracy"] >= 0.77
    assert results["torch-mlp"]["accuracy"] >= 0.75


def test_production_cnn_floors(results):
    assert results["cnn"]["accuracy"] >= 0.95
    assert results["cnn"]["accuracy_folded"] >= 0.98
    assert min(v for v in results["cnn"]["per_class"].values()) >= 0.70, "no class may collapse (I read as 1 ...)"


@pytest.fixture(scope="module")
def mixed_test():
    """The photographed glyphs of nist36-mixed test (``$OCR_MIXED_DIR``)."""
    from training.sources import load_folder_split

    folder = os.environ.get("OCR_MIXED_DIR")
    if not folder or not (Path(folder) / "nist36_test.mat").is_file():
        if os.environ.get("OCR_REQUIRE_DATA") == "1":
            pytest.fail(f"nist36-mixed not found: set OCR_MIXED_DIR (now {folder!r}) (OCR_REQUIRE_DATA=1)")
        pytest.skip(f"nist36-mixed not found: set OCR_MIXED_DIR (now {folder!r})")
    return load_folder_split(folder, "test")


def test_cnn_reads_photographed_glyphs(mixed_test):
    """Issue 7 asks 95%; the shipped CNN reads 93.89% (O read as 0, see models/README.md): pinned there."""
    photographed = mixed_test.subset(np.flatnonzero(mixed_test.source == 2))
    assert len(photographed) == 720
    result = evaluate_classifier(load_classifier("cnn"), photographed)
    assert result["accuracy"] >= 0.935
    assert result["accuracy_folded"] >= 0.97


@pytest.mark.parametrize("name", ["cnn", "mlp", "torch-mlp", "autoencoder"])
def test_shipped_models_record_the_data_they_were_measured_on(nist36, name):
    model = load_model(name)
    for split in ("train", "valid", "test"):
        assert data_mismatch(model.settings, nist36[split]) is None
    assert model.settings["command"].startswith("cli.py train")
    assert "augment_version" in model.settings


def test_evaluate_says_when_data_differs(small_nist36):
    result = CliRunner().invoke(cli, ["evaluate", "--model", "mlp", "--data-dir", str(small_nist36)])
    assert result.exit_code == 0, result.output
    assert "is not the data the model was trained and measured on" in result.output


def test_autoencoder_is_not_a_classifier():
    from ocr.errors import ModelFormatError

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
    from training.augment import page_look
    from training.data import images_to_rows
    from training.metrics import accuracy

    test = nist36["test"]
    rendered = page_look(test.images(), np.random.default_rng(0), p=1.0)
    pred = load_classifier("cnn").predict_proba(images_to_rows(rendered)).argmax(axis=1)
    assert accuracy(test.y, pred) >= 0.935
