"""benchmarks/page_speed.py times pages as `read` reads them, with the BLAS threads it was asked for."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_timings_run_read_s_numpy_classifier_with_the_asked_blas_threads(tmp_path, shipped_cnn):
    shutil.copy(ROOT / "sample_images" / "synth_02.png", tmp_path)
    out = tmp_path / "speed.json"
    done = subprocess.run([sys.executable, "benchmarks/page_speed.py", str(tmp_path), "--repeats", "1",
                           "--commands", "0", "--threads", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]
    report = json.loads(out.read_text())
    assert report["summary"]["blas_threads"] == [1]
    assert report["summary"]["classifier"] == "NumpyClassifier" and report["summary"]["torch_loaded"] is False
    assert [row["page"] for row in report["pages"]] == ["synth_02.png"] and report["pages"][0]["letters"] > 0
