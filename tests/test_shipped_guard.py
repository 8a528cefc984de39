"""The shipped models and sample pages are never a default or accepted output of train, calibrate, make-samples."""
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from handocr.commands import cli
from ocr.recognition.model_files import MODELS_DIR

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_images"


def fingerprint(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def untouched():
    """Fails the test if a shipped file changed or a file appeared among them."""
    before = fingerprint(MODELS_DIR), fingerprint(SAMPLES)
    yield
    assert (fingerprint(MODELS_DIR), fingerprint(SAMPLES)) == before


def run(args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def missing_data(tmp_path):
    return ["--data-dir", tmp_path / "no-data"]


COMMANDS = {
    "train mlp": lambda out, tmp: ["train", "mlp", "--out-dir", out, *missing_data(tmp)],
    "train autoencoder": lambda out, tmp: ["train", "autoencoder", "--out-dir", out, *missing_data(tmp)],
    "train cnn": lambda out, tmp: ["train", "cnn", "--out-dir", out, *missing_data(tmp)],
    "train torch-mlp": lambda out, tmp: ["train", "torch-mlp", "--out-dir", out, *missing_data(tmp)],
    "train line": lambda out, tmp: ["train", "line", "--out-dir", out, *missing_data(tmp)],
    "train line-set": lambda out, tmp: ["train", "line-set", "--out", Path(out) / "lines.npz", "--lines", 1],
    "calibrate": lambda out, tmp: ["calibrate", tmp / "no-model.pt", "--out", Path(out) / "cnn.pt",
                                   *missing_data(tmp)],
    "make-samples": lambda out, tmp: ["make-samples", "--out", out, *missing_data(tmp)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("shipped", ["models", "samples", "models-link"])
def test_shipped_folders_are_refused_before_anything_is_loaded(command, shipped, tmp_path, untouched):
    folder = MODELS_DIR if shipped.startswith("models") else SAMPLES
    if shipped == "models-link":
        (tmp_path / "link").symlink_to(MODELS_DIR)
        out = tmp_path / "link"
    else:
        out = folder
    args = COMMANDS[command](out, tmp_path)
    target = args[args.index("--out-dir" if "--out-dir" in args else "--out") + 1]
    res = run(args)
    assert res.exit_code == 1
    assert res.output == (f"Error: {target}: is inside the shipped {folder.name}/ folder; "
                          "write elsewhere and copy it there by hand\n")


def test_make_samples_does_not_write_the_shipped_pages_by_default(monkeypatch, untouched):
    import training.sample_pages

    asked = []
    monkeypatch.setattr(training.sample_pages, "write_samples", lambda folder, *args: asked.append(folder) or [])
    monkeypatch.chdir(ROOT)
    res = run(["make-samples"])
    assert res.exit_code == 0 and asked == ["samples"]
    res = run(["make-samples", "--out", "sample_images"])
    assert res.exit_code == 1 and asked == ["samples"]
    assert res.output.startswith("Error: sample_images: is inside the shipped sample_images/ folder")
