"""Per-class logit offsets fitted on validation data."""
import numpy as np
import pytest
import torch
from click.testing import CliRunner

from handocr.commands import cli
from ocr.errors import ModelFormatError
from training.calibrate import fit_class_bias
from training.torch_models import TorchMLP, default_arch, load_torch_classifier, save_torch_classifier


def test_fit_class_bias_undoes_a_known_lean():
    """Logits leaning towards class 1 by 2.0 (class 0 read as 1): the fit takes the lean back out."""
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(4), 500)
    logits = 1.5 * np.eye(4)[y] + rng.normal(size=(len(y), 4))
    lean = np.array([0.0, 2.0, 0.0, 0.0])
    bias = fit_class_bias(logits + lean, y)
    assert bias.mean() == pytest.approx(0.0, abs=1e-9)
    assert bias[1] - bias[[0, 2, 3]].mean() == pytest.approx(-2.0, abs=0.25)
    before = np.mean((logits + lean).argmax(1) == y)
    after = np.mean((logits + lean + bias).argmax(1) == y)
    assert after > before + 0.1


def test_class_bias_is_saved_loaded_and_applied(tmp_path):
    torch.manual_seed(0)
    net = TorchMLP().eval()
    rows = np.random.default_rng(1).uniform(size=(6, 1024))
    plain = save_torch_classifier(tmp_path / "plain.pt", "torch-mlp", net, default_arch("torch-mlp"))
    bias = np.zeros(36)
    bias[5] = 50.0
    biased = save_torch_classifier(tmp_path / "biased.pt", "torch-mlp", net, default_arch("torch-mlp"),
                                   class_bias=bias)
    assert np.all(load_torch_classifier(biased).predict(rows) == 5)
    assert not np.all(load_torch_classifier(plain).predict(rows) == 5)
    np.testing.assert_array_equal(load_torch_classifier(biased).logits(rows), load_torch_classifier(plain).logits(rows))
    blob = torch.load(biased, weights_only=True)
    blob["class_bias"] = torch.zeros(3)
    torch.save(blob, tmp_path / "bad.pt")
    with pytest.raises(ModelFormatError, match="class_bias"):
        load_torch_classifier(tmp_path / "bad.pt")
    from ocr.recognition.numpy_classifier import load_numpy_classifier

    np.testing.assert_allclose(load_numpy_classifier(biased).class_bias, bias)
    with pytest.raises(ModelFormatError, match="class_bias must hold 36 values"):
        load_numpy_classifier(tmp_path / "bad.pt")


@pytest.mark.needs_data
def test_calibrate_command_writes_a_model_that_records_its_calibration(small_nist36, tmp_path):
    torch.manual_seed(0)
    model = save_torch_classifier(tmp_path / "m.pt", "torch-mlp", TorchMLP(), default_arch("torch-mlp"))
    result = CliRunner().invoke(cli, ["calibrate", str(model), "--out", str(tmp_path / "cal.pt"), "--data-dir",
                                      str(small_nist36), "--extra-valid", str(small_nist36), "--format", "json"])
    assert result.exit_code == 0, result.output
    cal = load_torch_classifier(tmp_path / "cal.pt")
    assert cal.class_bias is not None and cal.class_bias.shape == (36,)
    assert set(cal.settings["calibration"]["valid"]) == {"valid", f"{small_nist36.name}/valid"}
    assert cal.settings["calibration"]["command"].startswith("cli.py calibrate ")


@pytest.mark.needs_data
def test_calibrate_refuses_a_numpy_model(small_nist36, tmp_path):
    result = CliRunner().invoke(cli, ["calibrate", "mlp", "--out", str(tmp_path / "x.pt"), "--data-dir",
                                      str(small_nist36)])
    assert result.exit_code == 1
    assert "PyTorch classifier" in result.output
    assert not (tmp_path / "x.pt").exists()
