"""benchmarks/page_variants.py runs and reports one CER per page and copy."""
import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "page_variants.py"


@pytest.fixture(scope="module")
def page_variants():
    spec = importlib.util.spec_from_file_location("page_variants", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_cer_per_page_and_angle(page_variants, tmp_path, capsys, shipped_cnn):
    for suffix in (".png", ".txt"):
        shutil.copy(ROOT / "sample_images" / f"synth_01{suffix}", tmp_path)
    (tmp_path / "no_truth.png").write_bytes((ROOT / "sample_images" / "synth_02.png").read_bytes())
    page_variants.main([str(tmp_path), "--angles", "0", "4", "--shrink", "1", "--set", "rule_max_tilt=6"])
    header, *rows = capsys.readouterr().out.splitlines()
    assert header == "params page turn+0 turn+4 1/1"
    assert [row.split()[:2] for row in rows] == [["defaults", "synth_01.png"], ["rule_max_tilt=6", "synth_01.png"]]
    rates = [float(v) for v in rows[0].split()[2:]]
    assert len(rates) == 3 and rates[0] == 0.0 and rates[2] == 0.0


def test_unknown_parameter_is_a_one_line_error(page_variants):
    with pytest.raises(SystemExit, match="no_such_field=1: expected NAME=VALUE"):
        page_variants.parameter_sets(["no_such_field=1"])
    assert page_variants.parameter_sets(["work_side=900"])[1][1].work_side == 900


def test_shrunk_copy_is_a_fraction_of_the_page(page_variants):
    from PIL import Image

    assert page_variants.shrunk(Image.new("RGB", (200, 100)), 4).shape == (25, 50, 3)


def test_turned_page_grows_and_keeps_its_middle(page_variants):
    from PIL import Image

    page = Image.new("RGB", (200, 100), (250, 250, 250))
    out = page_variants.turned(page, 10, 20)
    assert out.shape[0] > 100 and out.shape[1] > 200
    assert tuple(out[0, 0]) == (20, 20, 20) and tuple(out[out.shape[0] // 2, out.shape[1] // 2]) == (250, 250, 250)


def test_no_pages_with_truths_is_a_one_line_error(page_variants, tmp_path):
    with pytest.raises(SystemExit, match="no page images with .txt truths"):
        page_variants.main([str(tmp_path)])
