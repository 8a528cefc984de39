"""Load any shipped or trained model by name or path, as the reader loads it or as a torch model to train on."""
from ocr.errors import ModelFormatError
from ocr.recognition import model_files
from ocr.recognition.model_files import as_classifier, is_numpy_file, resolve_model_path


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
        without importing torch (:func:`ocr.recognition.model_files.load_model`).
        Training and fine-tuning need the default torch model.

    Raises
    ------
    FileNotFoundError, ModelFormatError
    """
    path = resolve_model_path(spec)
    if inference or is_numpy_file(path):
        return model_files.load_model(path)
    if path.suffix == ".pt":
        from .torch_models import load_torch_classifier

        return load_torch_classifier(path)
    raise ModelFormatError(f"{path}: not a model file (expected .npz or .pt)")


def load_classifier(spec, inference=False):
    """Load a classifier ('cnn', 'mlp', 'torch-mlp' or a path) with ``predict_proba(rows) -> (N, 36)``.

    ``inference`` as in :func:`load_model`.
    """
    return as_classifier(load_model(spec, inference), spec)
