"""Load any shipped or trained model by name or path."""
from importlib.resources import files
from pathlib import Path

from .model_errors import ModelFormatError
from .numpy_inference import load_numpy_classifier
from .numpy_models import load_numpy_model

MODELS_DIR = Path(str(files("models")))
SHIPPED = {
    "cnn": MODELS_DIR / "cnn.pt",
    "mlp": MODELS_DIR / "mlp.npz",
    "torch-mlp": MODELS_DIR / "torch_mlp.pt",
    "autoencoder": MODELS_DIR / "autoencoder.npz",
    "line": MODELS_DIR / "line.pt",
}


def resolve_model_path(spec):
    """Path of a shipped model name ('cnn', 'mlp', ...) or of a file path."""
    path = SHIPPED.get(spec, Path(spec))
    if not path.is_file():
        what = f"shipped model {spec!r}" if spec in SHIPPED else "model file"
        raise FileNotFoundError(f"{what} not found: {path}")
    return path


def load_model(spec, inference=False):
    """Load a NumPy (``.npz``) or PyTorch (``.pt``) model.

    Returns an object with ``kind`` and ``predict_proba(rows)`` for classifiers
    or ``reconstruct(rows)`` for the autoencoder.

    Parameters
    ----------
    spec : str or Path
        Shipped model name or file path.
    inference : bool
        Load a ``.pt`` classifier for its forward pass only, evaluated in NumPy
        without importing torch (:mod:`training.numpy_inference`; same
        probabilities to float32 rounding). Training and fine-tuning need the
        default torch model.

    Raises
    ------
    FileNotFoundError, ModelFormatError
    """
    path = resolve_model_path(spec)
    with open(path, "rb") as f:
        magic = f.read(4)
    if path.suffix == ".npz" or (magic.startswith(b"PK") and path.suffix != ".pt"):
        return load_numpy_model(path)
    if path.suffix == ".pt" and inference:
        return load_numpy_classifier(path)
    if path.suffix == ".pt":
        from .torch_models import load_torch_classifier

        return load_torch_classifier(path)
    raise ModelFormatError(f"{path}: not a model file (expected .npz or .pt)")


def load_classifier(spec, inference=False):
    """Load a classifier ('cnn', 'mlp', 'torch-mlp' or a path) with ``predict_proba(rows) -> (N, 36)``.

    ``inference`` as in :func:`load_model`.
    """
    model = load_model(spec, inference)
    if not hasattr(model, "predict_proba") or getattr(model, "kind", None) == "autoencoder":
        raise ModelFormatError(f"{spec}: is a {getattr(model, 'kind', 'unknown')} model, not a classifier")
    return model
