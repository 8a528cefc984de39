"""NIST36 data access.

The files ``nist36_{train,valid,test}.mat`` hold ``{split}_data`` (N x 1024,
0 = ink, 1 = paper, each row a transposed 32x32 image) and ``{split}_labels``
(N x 36 one-hot, classes A-Z then 0-9). An optional ``{split}_source`` key is
kept when present.
"""
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ocr.recognition.glyph import CLASSES, IMAGE_SIDE, images_to_rows, rows_to_images  # noqa: F401

SPLITS = ("train", "valid", "test")
DATA_URL = "http://www.cs.cmu.edu/~lkeselma/16720a_data/data.zip"
ENV_VAR = "OCR_DATA_DIR"
DEFAULT_DIR = Path("data") / "nist36"
SOURCE_NAMES = {0: "NIST SD19", 1: "MNIST digits", 2: "photographed"}


class DataNotFoundError(FileNotFoundError):
    """The NIST36 files are not where we looked."""


class DataFormatError(ValueError):
    """A NIST36 file is corrupt or has the wrong layout."""


@dataclass
class Split:
    """One split of NIST36.

    Attributes
    ----------
    x : (N, 1024) float array, rows stored transposed as in the files
    y : (N,) int array of class indices
    source : (N,) int array or None
    name : str
    """

    x: np.ndarray
    y: np.ndarray
    source: np.ndarray | None
    name: str

    def __len__(self):
        return len(self.y)

    @property
    def onehot(self):
        return one_hot(self.y, len(CLASSES))

    def images(self):
        """Upright ``(N, 32, 32)`` images."""
        return rows_to_images(self.x)

    def fingerprint(self):
        """Short hash of the split's pixels and labels: equal splits, equal fingerprints."""
        return split_fingerprint(self.x, self.y)

    def subset(self, idx):
        idx = np.asarray(idx)
        source = None if self.source is None else self.source[idx]
        return Split(self.x[idx], self.y[idx], source, self.name)


def split_fingerprint(x, y):
    """First 16 hex digits of the SHA-256 of ``x`` (as float64) and ``y`` (as int64)."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(x, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    return digest.hexdigest()[:16]


def one_hot(y, n_classes):
    out = np.zeros((len(y), n_classes))
    out[np.arange(len(y)), y] = 1.0
    return out


def chosen_dir(data_dir=None):
    """The one folder to use: ``data_dir`` if given, else ``$OCR_DATA_DIR`` if set, else ``./data/nist36``.

    Returns
    -------
    folder : Path
    how : str
        How it was chosen (``--data-dir``, ``$OCR_DATA_DIR`` or ``default``), for error messages.
    """
    if data_dir:
        return Path(data_dir), "--data-dir"
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]), f"${ENV_VAR}"
    return DEFAULT_DIR, "default"


def file_names():
    return [f"nist36_{s}.mat" for s in SPLITS]


def find_data_dir(data_dir=None):
    """Return the chosen NIST36 folder (see :func:`chosen_dir`) once it holds all three files; never another.

    Raises
    ------
    DataNotFoundError
        Naming the folder and how it was chosen when it is missing, else the missing
        files, the folder and where to download them.
    """
    folder, how = chosen_dir(data_dir)
    hint = f"pass --data-dir or set {ENV_VAR}; download data.zip from {DATA_URL} and unzip it there"
    if how != "default" and not folder.is_dir():
        raise DataNotFoundError(f"NIST36 data folder {folder} (from {how}) does not exist ({hint})")
    missing = [f for f in file_names() if not (folder / f).is_file()]
    if missing:
        raise DataNotFoundError(f"NIST36 data not found: {', '.join(missing)} missing in {folder} "
                                f"(from {how}; {hint})")
    return folder


def load_split(split, data_dir=None):
    """Load one split ('train', 'valid' or 'test') as a :class:`Split`."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    path = find_data_dir(data_dir) / f"nist36_{split}.mat"
    return read_split_file(path, split)


def read_split_file(path, split):
    """Read and validate one ``.mat`` split file."""
    import scipy.io

    try:
        mat = scipy.io.loadmat(path)
    except Exception as exc:  # scipy raises many types for a bad file
        raise DataFormatError(f"{path}: not a readable .mat file ({type(exc).__name__}: {exc})") from None
    data_key, label_key = f"{split}_data", f"{split}_labels"
    missing = [k for k in (data_key, label_key) if k not in mat]
    if missing:
        raise DataFormatError(f"{path}: missing key(s) {', '.join(missing)}")
    try:
        x = np.asarray(mat[data_key], dtype=np.float64)
        labels = np.asarray(mat[label_key], dtype=np.float64)
    except (TypeError, ValueError):
        raise DataFormatError(f"{path}: {data_key} / {label_key} are not numeric arrays") from None
    if x.ndim != 2 or x.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
        raise DataFormatError(f"{path}: {data_key} has shape {x.shape}, expected N x 1024")
    if labels.shape != (x.shape[0], len(CLASSES)):
        raise DataFormatError(f"{path}: {label_key} has shape {labels.shape}, expected {x.shape[0]} x 36")
    if not np.all(labels.sum(axis=1) == 1):
        raise DataFormatError(f"{path}: {label_key} rows are not one-hot")
    source = None
    if f"{split}_source" in mat and mat[f"{split}_source"].size == x.shape[0]:
        source = np.asarray(mat[f"{split}_source"]).reshape(-1).astype(int)
    return Split(x, labels.argmax(axis=1), source, split)


def load_all(data_dir=None):
    """Load train, valid and test as a dict of :class:`Split`."""
    return {s: load_split(s, data_dir) for s in SPLITS}
