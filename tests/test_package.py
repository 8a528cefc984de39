import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_images" / "synth_01.png"


def readme_python_example():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow
def test_readme_python_example_runs(shipped_cnn, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exec(compile(readme_python_example(), "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("ROOM R [")


@pytest.fixture(scope="module")
def installed(tmp_path_factory, shipped_cnn):
    """A fresh venv with ``pip install .`` of a copy of the project; torch & co. seen from this environment."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "tests", "runs", "data", "out", "build", "*.egg-info", "sample_images"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", str(source)], check=True, env=env, cwd=tmp)
    shutil.rmtree(source)
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    for name in ("cli.py", "models.py"):
        (elsewhere / name).write_text(f"raise SystemExit('the unrelated {name} of the current folder was imported')\n")
    return venv, env, elsewhere


def site_packages(venv):
    return Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())


@pytest.mark.slow
def test_the_wheel_installs_only_the_project_packages(installed):
    venv, _, _ = installed
    purelib = site_packages(venv)
    record = next(purelib.glob("handocr-*.dist-info")) / "RECORD"
    top = {line.split(",")[0].split("/")[0] for line in record.read_text().splitlines()}
    assert {t for t in top if not t.endswith(".dist-info") and t != "bin" and not t.startswith("..")} == {
        "handocr", "nn", "ocr", "training"}
    assert not (purelib / "cli.py").exists() and not (purelib / "models").exists()
    assert (purelib / "ocr" / "models" / "cnn.pt").is_file() and (purelib / "ocr" / "models" / "README.md").is_file()


@pytest.mark.slow
def test_installed_command_reads_from_another_folder(installed):
    venv, env, elsewhere = installed
    res = subprocess.run([str(venv / "bin" / "handocr"), "read", str(SAMPLE)], capture_output=True, text=True,
                         env=env, cwd=elsewhere)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == SAMPLE.with_suffix(".txt").read_text().strip()
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import ocr, ocr.recognition.model_files as m; print(ocr.__file__); print(m.SHIPPED['cnn'])"],
                           capture_output=True, text=True, env=env, cwd=elsewhere).stdout.split()
    assert all(p.startswith(str(venv)) for p in where) and Path(where[1]).is_file()


@pytest.mark.slow
def test_python_m_entry_and_version_beside_an_unrelated_cli_and_models(installed):
    from ocr import __version__

    venv, env, elsewhere = installed
    assert (elsewhere / "cli.py").is_file() and (elsewhere / "models.py").is_file()
    res = subprocess.run([str(venv / "bin" / "python"), "-m", "handocr", "--version"], capture_output=True,
                         text=True, env=env, cwd=elsewhere)
    assert res.returncode == 0 and res.stdout.strip() == f"handocr, version {__version__}", res.stderr
    res = subprocess.run([str(venv / "bin" / "python"), "-m", "handocr", "read", str(SAMPLE)], capture_output=True,
                         text=True, env=env, cwd=elsewhere)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == SAMPLE.with_suffix(".txt").read_text().strip()
