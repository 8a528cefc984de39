"""NumPy model definitions and their ``.npz`` files.

A file holds ``kind`` ('mlp' or 'autoencoder'), ``sizes``, ``activations``,
``settings`` and ``metrics`` (JSON strings) and one array per parameter
(``0.W``, ``0.b``, ...).
"""
import json
import zipfile
from dataclasses import dataclass, field

import numpy as np

import nn
from nn.activations import softmax

from ..errors import ModelFormatError

MLP_ACTIVATIONS = ("sigmoid", None)
AUTOENCODER_ACTIVATIONS = ("relu", "relu", "relu", "sigmoid")


def build_mlp(hidden=64, n_in=1024, n_classes=36, rng=None, dtype=np.float64):
    """1024-hidden-36 MLP: sigmoid hidden layer, linear logits (softmax in the loss)."""
    return nn.mlp((n_in, hidden, n_classes), MLP_ACTIVATIONS, rng=rng, dtype=dtype)


def build_autoencoder(hidden=32, n_in=1024, rng=None, dtype=np.float64):
    """1024-32-32-32-1024 autoencoder: ReLU x3, sigmoid output."""
    return nn.mlp((n_in, hidden, hidden, hidden, n_in), AUTOENCODER_ACTIVATIONS, rng=rng, dtype=dtype)


@dataclass
class NumpyModel:
    """A trained NumPy network with what is needed to rebuild and describe it."""

    kind: str
    net: nn.Sequential
    sizes: tuple
    activations: tuple
    settings: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)

    def predict_proba(self, rows, batch_size=4096):
        """Class probabilities ``(N, 36)`` for dataset-format rows (classifiers only)."""
        if self.kind != "mlp":
            raise ModelFormatError(f"a {self.kind} model does not classify")
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, self.sizes[0])
        return np.concatenate([softmax(self.net(rows[i:i + batch_size]))
                               for i in range(0, len(rows), batch_size)] or [np.zeros((0, self.sizes[-1]))])

    def reconstruct(self, rows):
        """Reconstructions of dataset-format rows (autoencoders only)."""
        if self.kind != "autoencoder":
            raise ModelFormatError(f"a {self.kind} model does not reconstruct")
        return self.net(np.asarray(rows, dtype=np.float64))

    def save(self, path):
        arrays = {name: p for name, p, _ in self.net.named_parameters()}
        np.savez_compressed(
            path, kind=self.kind, sizes=np.array(self.sizes),
            activations=json.dumps(list(self.activations)),
            settings=json.dumps(self.settings), metrics=json.dumps(self.metrics), **arrays)
        return path


def load_numpy_model(path, expect_kind=None):
    """Load a :class:`NumpyModel` from ``.npz``.

    Raises
    ------
    ModelFormatError
        When the file is not such a model, is truncated, or has wrong shapes.
    """
    try:
        with np.load(path, allow_pickle=False) as f:
            data = {k: f[k] for k in f.files}
        kind = str(data["kind"])
        sizes = tuple(int(s) for s in data["sizes"])
        activations = tuple(json.loads(str(data["activations"])))
        settings = json.loads(str(data.get("settings", "{}")))
        metrics = json.loads(str(data.get("metrics", "{}")))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"{path}: not a NumPy model file ({type(exc).__name__})") from None
    if kind not in ("mlp", "autoencoder"):
        raise ModelFormatError(f"{path}: unknown model kind {kind!r}")
    if expect_kind and kind != expect_kind:
        raise ModelFormatError(f"{path}: is a {kind} model, expected {expect_kind}")
    if len(activations) != len(sizes) - 1 or any(a not in nn.activations.ACTIVATIONS and a is not None
                                                 for a in activations):
        raise ModelFormatError(f"{path}: inconsistent architecture {sizes} / {activations}")
    net = nn.mlp(sizes, activations)
    try:
        net.load_state_dict(data)
    except ValueError as exc:
        raise ModelFormatError(f"{path}: {exc}") from None
    return NumpyModel(kind, net, sizes, activations, settings, metrics)
