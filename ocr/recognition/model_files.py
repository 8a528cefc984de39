"""The shipped models and model files, loaded for the reader's NumPy forward passes (torch never imported)."""
from importlib.resources import files
from pathlib import Path

from ..errors import ModelFormatError
from .numpy_classifier import load_numpy_classifier
from .numpy_models import load_numpy_model

MODELS_DIR = Path(str(files("ocr") / "models"))
SHIPPED = {
    "cnn": MODELS_DIR / "cnn.pt",
    "mlp": MODELS_DIR / "mlp.npz",
    "torch-mlp": MODELS_DIR / "torch_mlp.pt",
    "autoencoder": MODELS_DIR / "autoencoder.npz",
    "line": MODELS_DIR / "line.pt",
    "mixed": MODELS_DIR / "line_mixed.pt",
}


def resolve_model_path(spec):
    """Path of a shipped model name ('cnn', 'mlp', ...) or of a file path."""
    path = SHIPPED.get(spec, Path(spec))
    if not path.is_file():
        what = f"shipped model {spec!r}" if spec in SHIPPED else "model file"
        raise FileNotFoundError(f"{what} not found: {path}")
    return path


def is_numpy_file(path):
    """Whether a model file is a NumPy ``.npz`` model (by suffix, or a zip archive not named ``.pt``)."""
    path = Path(path)
    with open(path, "rb") as f:
        magic = f.read(4)
    return path.suffix == ".npz" or (magic.startswith(b"PK") and path.suffix != ".pt")


def load_model(spec):
    """Load a NumPy (``.npz``) or PyTorch (``.pt``) model for its forward pass in NumPy.

    A ``.pt`` classifier is evaluated in NumPy without importing torch
    (:mod:`ocr.recognition.numpy_classifier`; the same probabilities as the
    torch model to float32 rounding). Training and fine-tuning need the torch
    model: ``training.classifier.load_model``.

    Parameters
    ----------
    spec : str or Path
        Shipped model name or file path.

    Returns
    -------
    object with ``kind`` and ``predict_proba(rows)`` for classifiers or ``reconstruct(rows)`` for the autoencoder.

    Raises
    ------
    FileNotFoundError, ModelFormatError
    """
    path = resolve_model_path(spec)
    if is_numpy_file(path):
        return load_numpy_model(path)
    if path.suffix == ".pt":
        return load_numpy_classifier(path)
    raise ModelFormatError(f"{path}: not a model file (expected .npz or .pt)")


def as_classifier(model, spec):
    """``model`` when it classifies; ModelFormatError naming ``spec`` otherwise."""
    if not hasattr(model, "predict_proba") or getattr(model, "kind", None) == "autoencoder":
        raise ModelFormatError(f"{spec}: is a {getattr(model, 'kind', 'unknown')} model, not a classifier")
    return model


def load_classifier(spec):
    """Load a classifier ('cnn', 'mlp', 'torch-mlp' or a path) with ``predict_proba(rows) -> (N, 36)``, in NumPy."""
    return as_classifier(load_model(spec), spec)
