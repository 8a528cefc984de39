import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from ocr.recognition.glyph import CLASSES  # noqa: E402


def _require_or_skip(message):
    if os.environ.get("OCR_REQUIRE_DATA") == "1":
        pytest.fail(f"{message} (OCR_REQUIRE_DATA=1)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def nist36_dir():
    """Folder with the NIST36 files; skipped when missing, failed when OCR_REQUIRE_DATA=1."""
    from training.data import DataNotFoundError, find_data_dir

    try:
        return find_data_dir()
    except DataNotFoundError as exc:
        _require_or_skip(str(exc))


@pytest.fixture(scope="session")
def nist36(nist36_dir):
    from training.data import load_all

    return load_all(nist36_dir)


@pytest.fixture(scope="session")
def shipped_cnn():
    """The shipped CNN; skipped when missing, failed when OCR_REQUIRE_DATA=1."""
    from training.classifier import load_classifier

    try:
        return load_classifier("cnn")
    except FileNotFoundError as exc:
        _require_or_skip(str(exc))


@pytest.fixture(scope="session")
def pool_file():
    """The EMNIST glyph pool (``$OCR_POOL_PATH``); skipped when missing, failed when OCR_REQUIRE_DATA=1."""
    path = os.environ.get("OCR_POOL_PATH")
    if not path or not Path(path).is_file():
        _require_or_skip(f"EMNIST glyph pool not found: set OCR_POOL_PATH (now {path!r})")
    return Path(path)


def _pages_folder(variable, what):
    """The folder ``$variable`` of page images with their ``.txt`` truth; skipped or failed when missing."""
    folder = os.environ.get(variable)
    if not folder or not any(Path(folder).glob("*.txt")):
        _require_or_skip(f"{what} not found: set {variable} (now {folder!r})")
    return Path(folder)


@pytest.fixture(scope="session")
def pages_dir():
    """Folder with real photographed pages and their text (``$OCR_PAGES_DIR``)."""
    return _pages_folder("OCR_PAGES_DIR", "real pages")


@pytest.fixture(scope="session")
def wild_dir():
    """Folder with real pages from other writers and their text (``$OCR_WILD_DIR``, e.g. ../shared/data/pages-wild)."""
    return _pages_folder("OCR_WILD_DIR", "real pages from other writers")


@pytest.fixture(scope="session")
def real_categories(real_dir):
    """Each page of ``$OCR_REAL_DIR`` and its category (``CAPS``, ``DIGITS``, ``MIXED_PRINT``) from ``sources.tsv``."""
    from training.evaluate_pages import read_sources

    return {name: row["category"] for name, row in read_sources(real_dir).items()}


@pytest.fixture(scope="session")
def real_dir():
    """Folder with real pages from seven more sources, grouped in ``sources.tsv`` (``$OCR_REAL_DIR``, e.g.
    ../shared/data/pages-real)."""
    return _pages_folder("OCR_REAL_DIR", "real pages from seven more sources")


@pytest.fixture(scope="session")
def small_nist36(nist36, tmp_path_factory):
    """A NIST36-format folder with a few real samples per class in each split."""
    import scipy.io

    folder = tmp_path_factory.mktemp("small_nist36")
    for name, split in nist36.items():
        idx = np.concatenate([np.flatnonzero(split.y == c)[:6] for c in range(36)])
        scipy.io.savemat(folder / f"nist36_{name}.mat", {
            f"{name}_data": split.x[idx], f"{name}_labels": split.onehot[idx].astype(np.uint8)})
    return folder


class StubClassifier:
    """Always most confident in 'E' (a letter), with a little mass on '3'."""

    def predict_proba(self, rows):
        probs = np.full((len(rows), len(CLASSES)), 0.01)
        probs[:, CLASSES.index("E")] = 0.6
        probs[:, CLASSES.index("3")] = 0.05
        return probs / probs.sum(axis=1, keepdims=True)


@pytest.fixture
def stub_model(monkeypatch):
    import ocr.api
    import ocr.recognition.model_files as model_files

    def fake(spec, inference=False):
        if spec == "missing":
            raise FileNotFoundError("shipped model 'missing' not found: models/missing.pt")
        return StubClassifier()

    monkeypatch.setattr(model_files, "load_classifier", fake)

    monkeypatch.setattr(ocr.api, "line_recogniser", lambda *args, **kwargs: None)   # no line models: auto is glyph
