import json

import numpy as np
import pytest
from click.testing import CliRunner

from handocr.commands import cli
from training.metrics import psnr

pytestmark = pytest.mark.needs_data


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


def test_help_lists_commands():
    result = run("--help")
    for name in ("gradcheck", "data", "train", "evaluate"):
        assert name in result.output


def test_data_command(small_nist36, tmp_path):
    result = run("data", "--data-dir", small_nist36, "--grid", tmp_path / "grid.png")
    assert result.exit_code == 0, result.output
    assert "total     216    216    216" in result.output
    assert (tmp_path / "grid.png").stat().st_size > 1000


def test_missing_data_is_one_line_error(tmp_path, monkeypatch):
    monkeypatch.delenv("OCR_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    result = run("data", "--data-dir", tmp_path / "nothing")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "data.zip" in result.output


def test_train_mlp_and_evaluate(small_nist36, tmp_path):
    out = tmp_path / "mlp"
    result = run("train", "mlp", "--data-dir", small_nist36, "--epochs", 3, "--out-dir", out, "--no-progress",
                 "--format", "json", "--seed", 1)
    assert result.exit_code == 0, result.output
    runs = last_json(result.stdout)["runs"]
    assert len(runs) == 1
    for name in ("mlp.npz", "accuracy.png", "loss.png", "weights_init.png", "weights_trained.png"):
        assert (out / name).stat().st_size > 0
    again = run("train", "mlp", "--data-dir", small_nist36, "--epochs", 3, "--out-dir", tmp_path / "again",
                "--no-progress", "--format", "json", "--seed", 1)
    assert last_json(again.stdout)["runs"][0]["valid_accuracy"] == runs[0]["valid_accuracy"]
    ev = run("evaluate", "--model", out / "mlp.npz", "--data-dir", small_nist36, "--split", "valid",
             "--format", "json", "--confusion", tmp_path / "cm.png")
    assert ev.exit_code == 0, ev.output
    report = last_json(ev.stdout)
    assert report["split"] == "valid" and report["n"] == 216 and report["model"].endswith("mlp.npz")
    assert report["accuracy"] == pytest.approx(runs[0]["valid_accuracy"])
    assert (tmp_path / "cm.png").stat().st_size > 0


def test_lr_sweep_writes_three_models(small_nist36, tmp_path):
    result = run("train", "mlp", "--data-dir", small_nist36, "--epochs", 1, "--out-dir", tmp_path, "--no-progress",
                 "--lr-sweep", "--lr", 0.01, "--no-augment")
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("mlp*.npz"))) == 3
    assert len((tmp_path / "final_accuracies.txt").read_text().splitlines()) == 4
    assert "0.1" in result.output and "0.001" in result.output


def test_train_autoencoder_and_evaluate(small_nist36, tmp_path):
    result = run("train", "autoencoder", "--data-dir", small_nist36, "--epochs", 2, "--out-dir", tmp_path,
                 "--no-progress", "--format", "json")
    assert result.exit_code == 0, result.output
    for name in ("autoencoder.npz", "loss.png", "reconstructions.png"):
        assert (tmp_path / name).stat().st_size > 0
    ev = run("evaluate", "--model", tmp_path / "autoencoder.npz", "--data-dir", small_nist36, "--split", "valid",
             "--format", "json")
    report = last_json(ev.stdout)
    assert set(report) >= {"psnr_db", "split", "n", "model"}
    assert report["psnr_db"] == pytest.approx(last_json(result.stdout)["valid_psnr_db"])


@pytest.mark.parametrize("content", [b"garbage bytes", b"PK\x03\x04truncated", b""])
def test_bad_model_file(tmp_path, small_nist36, content):
    for suffix in (".npz", ".pt"):
        bad = tmp_path / f"bad{suffix}"
        bad.write_bytes(content)
        result = run("evaluate", "--model", bad, "--data-dir", small_nist36)
        assert result.exit_code == 1
        assert result.output.count("\n") == 1 and "bad" in result.output


def test_wrong_shapes_model(tmp_path, small_nist36):
    np.savez(tmp_path / "m.npz", kind="mlp", sizes=np.array([1024, 64, 36]), activations='["sigmoid", null]',
             **{"0.W": np.zeros((10, 64)), "0.b": np.zeros(64), "2.W": np.zeros((64, 36)), "2.b": np.zeros(36)})
    result = run("evaluate", "--model", tmp_path / "m.npz", "--data-dir", small_nist36)
    assert result.exit_code == 1 and "shape" in result.output


def test_missing_model_file(tmp_path):
    result = run("evaluate", "--model", tmp_path / "none.npz")
    assert result.exit_code == 1 and "not found" in result.output


def test_psnr_by_hand():
    a = np.zeros((1, 4))
    b = np.array([[0.1, 0.1, 0.1, 0.1]])
    assert psnr(a, b)[0] == pytest.approx(20.0)
    c = np.array([[0.5, 0.0, 0.0, 0.0]])
    assert psnr(a, c, max_value=2.0)[0] == pytest.approx(20 * np.log10(2) - 10 * np.log10(0.0625))


def test_make_samples_reproducible(small_nist36, tmp_path):
    for name in ("a", "b"):
        result = run("make-samples", "--out", tmp_path / name, "--pages", 1, "--data-dir", small_nist36, "--seed", 3)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "synth_01.png").read_bytes() == (tmp_path / "b" / "synth_01.png").read_bytes()
    assert (tmp_path / "a" / "synth_01.txt").read_text().strip()


@pytest.mark.parametrize("kind, filename", [("cnn", "cnn.pt"), ("torch-mlp", "torch_mlp.pt")])
def test_train_torch_and_evaluate(small_nist36, tmp_path, kind, filename):
    result = run("train", kind, "--data-dir", small_nist36, "--epochs", 2, "--samples-per-epoch", 216,
                 "--out-dir", tmp_path, "--no-progress", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = last_json(result.stdout)
    assert summary["best_epoch"] in (1, 2)
    for name in (filename, "accuracy.png", "loss.png"):
        assert (tmp_path / name).stat().st_size > 0
    ev = run("evaluate", "--model", tmp_path / filename, "--data-dir", small_nist36, "--split", "valid",
             "--format", "json")
    assert ev.exit_code == 0, ev.output
    report = last_json(ev.stdout)
    assert report["accuracy"] == pytest.approx(summary["valid_accuracy"])
    assert len(report["top_confusions"]) <= 10
    assert report["data_matches_model"] is True and "data_note" not in report


def test_train_cnn_with_pool_and_extra_folder_records_them(small_nist36, tmp_path):
    """Extra training sets are loaded (pool capitals and digits, x kept as X, lowercase dropped) and recorded."""
    import numpy as np
    import torch

    rng = np.random.default_rng(0)
    labels = np.array(["A", "7", "x", "e", "Q", "k"] * 5)
    images = (rng.random((len(labels), 28, 28)) > 0.8).astype(np.uint8) * 255
    np.savez(tmp_path / "pool.npz", images=images, labels=labels)
    result = run("train", "cnn", "--data-dir", small_nist36, "--pool", tmp_path / "pool.npz", "--extra-train",
                 small_nist36, "--epochs", 1, "--samples-per-epoch", 64, "--out-dir", tmp_path / "out",
                 "--no-progress", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = last_json(result.stdout)
    assert summary["n_train"] == 2 * 36 * 6 + 4 * 5
    settings = torch.load(summary["model"], weights_only=True)["settings"]
    assert set(settings["extra_train"]) == {"pool", f"{small_nist36.name}/train"}
    assert settings["command"].startswith("cli.py train cnn --data-dir ")
    assert settings["augment_version"] >= 1


def test_train_cnn_with_missing_pool_fails_in_one_line(small_nist36, tmp_path):
    result = run("train", "cnn", "--data-dir", small_nist36, "--pool", tmp_path / "nope.npz", "--out-dir", tmp_path)
    assert result.exit_code == 1
    assert "glyph pool not found" in result.output and len(result.output.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())
