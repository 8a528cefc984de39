"""The dependency direction handocr -> training -> ocr -> nn, kept by import-linter (pyproject.toml's contracts)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("handocr", "training", "ocr", "nn")


def lint_imports(folder):
    """``lint-imports`` run on the packages and pyproject.toml in ``folder``: (exit code, output)."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    res = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=folder, env=env,
                         capture_output=True, text=True)
    return res.returncode, res.stdout + res.stderr


@pytest.fixture
def copy(tmp_path):
    """The four packages (sources only) and pyproject.toml copied to a temporary folder."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pt", "*.npz",
                                                                                   "*.png", "*.txt"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_project_keeps_both_contracts():
    code, out = lint_imports(ROOT)
    assert code == 0, out
    assert "2 kept, 0 broken" in out


@pytest.mark.parametrize("module, line", [
    ("ocr/boxes.py", "import training.data"),
    ("ocr/recognition/lexicon.py", "    from training.line_text import random_line_text"),
    ("ocr/writers/text.py", "import torch"),
    ("ocr/page.py", "from handocr import Reader"),
    ("nn/layers.py", "import ocr.errors"),
    ("training/metrics.py", "from handocr.commands import options"),
])
def test_a_reverse_import_anywhere_breaks_a_contract(copy, module, line):
    assert lint_imports(copy)[0] == 0
    path = copy / module
    body = f"def _reverse():\n{line}\n" if line.startswith(" ") else f"{line}\n"
    path.write_text(path.read_text() + "\n" + body)
    code, out = lint_imports(copy)
    assert code != 0 and "BROKEN" in out, out
