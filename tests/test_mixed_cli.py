"""The mixed-case commands end to end: a line set, a recogniser trained on it, its CER measured on another set."""
import json

import pytest
from click.testing import CliRunner

from handocr.commands import cli
from ocr.recognition.line_image import MIXED_ALPHABET
from training.line_model import load_line_model
from training.mixed_lines import load_line_set


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


def test_line_set_without_pool_or_typefaces_says_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.delenv("OCR_POOL_PATH", raising=False)
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    out = tmp_path / "set.npz"
    result = run("train", "line-set", "--lines", 3, "--fonts", empty, "--out", out, "--no-progress")
    assert result.exit_code != 0
    assert "--pool FILE" in result.output and "apt-get install" in result.output
    assert not out.exists() and not list(tmp_path.glob(".*tmp*"))


@pytest.mark.slow
def test_line_set_then_train_then_evaluate_lines(pool_file, tmp_path):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    sets = {}
    for split, n in (("train", 16), ("test", 6)):
        sets[split] = tmp_path / f"{split}.npz"
        result = run("train", "line-set", "--split", split, "--lines", n, "--pool", pool_file, "--fonts", empty,
                     "--out", sets[split], "--seed", 3, "--no-progress", "--format", "json")
        assert result.exit_code == 0, result.output
        made = last_json(result.output)
        assert made["fonts"] == 0 and made["pool_glyphs"] > 0 and made["lines"] + made["missed"] == n
        strips, texts, _ = load_line_set(sets[split])
        assert len(strips) == len(texts) == made["lines"] > 0
    out = tmp_path / "mixed"
    result = run("train", "line", "--line-set", sets["train"], "--valid-set", sets["test"], "--epochs", 1,
                 "--steps", 2, "--batch-size", 4, "--valid-lines", 4, "--threads", 1, "--out-dir", out,
                 "--no-progress", "--format", "json")
    assert result.exit_code == 0, result.output
    model = load_line_model(out / "line.pt")
    assert "".join(model.alphabet) == MIXED_ALPHABET
    result = run("evaluate-lines", "--line-model", out / "line.pt", "--line-set", sets["test"], "--lexicon", "none",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = last_json(result.output)
    assert report["lines"] == made["lines"] and report["line_set"] == str(sets["test"])
    assert 0 <= report["cer_uncased"] <= report["cer"]
