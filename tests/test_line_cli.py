import json

import pytest
import torch
from click.testing import CliRunner

from handocr.commands import cli
from training.line_model import load_line_model


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.slow
def test_train_line_then_evaluate_lines(small_nist36, tmp_path, monkeypatch):
    monkeypatch.delenv("OCR_POOL_PATH", raising=False)
    out = tmp_path / "line"
    result = run("train", "line", "--data-dir", small_nist36, "--epochs", 1, "--steps", 2, "--batch-size", 4,
                 "--valid-lines", 4, "--threads", 1, "--out-dir", out, "--no-progress", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = last_json(result.output)
    assert summary["best_epoch"] == 1 and summary["glyphs"] == 216
    assert {"line.pt", "line.last.pt", "loss.png", "cer.png"} <= {p.name for p in out.iterdir()}
    assert load_line_model(out / "line.pt").settings["steps_per_epoch"] == 2
    result = run("evaluate-lines", "--line-model", out / "line.pt", "--data-dir", small_nist36, "--lines", 5,
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = last_json(result.output)
    assert report["lines"] == 5 and report["digit_words_changed"] == 0 and 0 <= report["cer"]
    again = tmp_path / "again"
    result = run("train", "line", "--data-dir", small_nist36, "--epochs", 1, "--steps", 1, "--batch-size", 4,
                 "--valid-lines", 4, "--threads", 1, "--init", out / "line.pt", "--lr", 1e-9, "--out-dir", again,
                 "--no-progress")
    assert result.exit_code == 0, result.output
    first, continued = load_line_model(out / "line.pt"), load_line_model(again / "line.pt")
    assert continued.settings["init"]["settings"]["steps_per_epoch"] == 2
    continued_weights = dict(continued.net.named_parameters())
    for name, value in first.net.named_parameters():      # a step at lr 1e-9 leaves the starting weights
        assert torch.allclose(value, continued_weights[name], atol=1e-5), name
    result = run("train", "line", "--data-dir", small_nist36, "--init", tmp_path / "none.pt", "--out-dir", again)
    assert result.exit_code == 1 and result.output.count("\n") == 1 and "not found" in result.output


def test_engine_and_lexicon_errors_are_one_line(tmp_path):
    page = "sample_images/synth_01.png"
    for args, message in ((["--engine", "line", "--line-model", tmp_path / "none.pt"], "not found"),
                          (["--lexicon", tmp_path / "none.txt"], "no such lexicon")):
        result = run("read", page, *args)
        assert result.exit_code == 1
        assert result.output.count("\n") == 1 and message in result.output
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"junk")
    result = run("read", page, "--engine", "line", "--line-model", bad)
    assert result.exit_code == 1 and "not a readable PyTorch model file" in result.output
