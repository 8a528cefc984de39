"""benchmarks/tilted_pages.py runs and reports one CER per page and angle."""
import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "tilted_pages.py"


@pytest.fixture(scope="module")
def tilted_pages():
    spec = importlib.util.spec_from_file_location("tilted_pages", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_cer_per_page_and_angle(tilted_pages, tmp_path, capsys, shipped_cnn):
    for suffix in (".png", ".txt"):
        shutil.copy(ROOT / "sample_images" / f"synth_01{suffix}", tmp_path)
    (tmp_path / "no_truth.png").write_bytes((ROOT / "sample_images" / "synth_02.png").read_bytes())
    tilted_pages.main([str(tmp_path), "--angles", "0", "4", "--rule-max-tilt", "15"])
    header, row = capsys.readouterr().out.splitlines()
    assert header == "rule_max_tilt page +0 +4"
    name, rates = row.split()[1], [float(v) for v in row.split()[2:]]
    assert name == "synth_01.png" and len(rates) == 2 and rates[0] == 0.0


def test_turned_page_grows_and_keeps_its_middle(tilted_pages):
    from PIL import Image

    page = Image.new("RGB", (200, 100), (250, 250, 250))
    out = tilted_pages.turned(page, 10, 20)
    assert out.shape[0] > 100 and out.shape[1] > 200
    assert tuple(out[0, 0]) == (20, 20, 20) and tuple(out[out.shape[0] // 2, out.shape[1] // 2]) == (250, 250, 250)


def test_no_pages_with_truths_is_a_one_line_error(tilted_pages, tmp_path):
    with pytest.raises(SystemExit, match="no page images with .txt truths"):
        tilted_pages.main([str(tmp_path)])
