"""PyTorch classifiers (CNN and MLP) with a weights-only save/load format.

A saved file is ``torch.save({'kind', 'arch', 'state_dict', 'settings', 'metrics'})``
holding only dicts, tensors, strings and numbers, so ``torch.load(weights_only=True)`` reads it.
"""
import numpy as np
import torch
from torch import nn

from ocr.errors import ModelFormatError

from .data import CLASSES, IMAGE_SIDE, rows_to_images
from .recipes import ARCH

KINDS = ("cnn", "torch-mlp")


def rows_to_tensor(rows):
    """Dataset rows ``(N, 1024)`` (stored transposed, 0 = ink) to network input ``(N, 1, 32, 32)``, ink = 1."""
    images = rows_to_images(np.asarray(rows, dtype=np.float32))
    return images_to_tensor(images)


def images_to_tensor(images):
    """Upright images ``(N, 32, 32)`` (0 = ink) to network input ``(N, 1, 32, 32)``, ink = 1."""
    return torch.from_numpy(1.0 - np.asarray(images, dtype=np.float32)[:, None])


class SmallCNN(nn.Module):
    """Conv blocks, then dropout, a hidden layer and 36 logits.

    Each block is ``convs_per_block`` x (3x3 conv, BatchNorm, ReLU) and a 2x2 max-pool;
    input ``(N, 1, 32, 32)`` ink = 1, output logits ``(N, 36)``.
    """

    def __init__(self, channels=(32, 64, 128), n_classes=len(CLASSES), dropout=0.3, convs_per_block=1, hidden=128):
        super().__init__()
        layers, c_in = [], 1
        for c in channels:
            for _ in range(convs_per_block):
                layers += [nn.Conv2d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
                c_in = c
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        side = IMAGE_SIDE // 2 ** len(channels)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(c_in * side * side, hidden),
                                  nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden, n_classes))

    def forward(self, x):
        return self.head(self.features(x))


class TorchMLP(nn.Module):
    """``1024 - hidden (sigmoid) - 36`` perceptron, the PyTorch twin of the NumPy MLP."""

    def __init__(self, hidden=64, n_classes=len(CLASSES)):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(IMAGE_SIDE * IMAGE_SIDE, hidden), nn.Sigmoid(),
                                 nn.Linear(hidden, n_classes))

    def forward(self, x):
        return self.net(x)


def build(kind, arch=None):
    """Network for ``kind`` in :data:`KINDS` built from ``arch`` keyword arguments."""
    arch = dict(arch or {})
    if kind == "cnn":
        if "channels" in arch:
            arch["channels"] = tuple(int(c) for c in arch["channels"])
        return SmallCNN(**arch)
    if kind == "torch-mlp":
        return TorchMLP(**arch)
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def default_arch(kind):
    """Architecture keywords of a new ``kind`` network (:data:`training.recipes.ARCH`)."""
    return dict(ARCH[kind])


class TorchClassifier:
    """A trained network with ``predict_proba`` on dataset rows.

    Attributes
    ----------
    kind : str
    net : torch.nn.Module (eval mode)
    settings, metrics : dict
    class_bias : (36,) float array or None
        Per-class offsets added to the logits (see :mod:`training.calibrate`).
    """

    def __init__(self, kind, net, settings=None, metrics=None, arch=None, class_bias=None):
        self.kind = kind
        self.net = net.eval()
        self.arch = arch or {}
        self.settings = settings or {}
        self.metrics = metrics or {}
        self.class_bias = None if class_bias is None else np.asarray(class_bias, dtype=np.float64)

    def logits(self, rows, batch_size=512):
        """The network's logits ``(N, 36)`` float64, before any class bias, for rows ``(N, 1024)``."""
        rows = np.asarray(rows)
        if rows.ndim != 2 or rows.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
            raise ValueError(f"rows must be N x {IMAGE_SIDE * IMAGE_SIDE}, got shape {rows.shape}")
        self.net.eval()
        out = [np.empty((0, len(CLASSES)))]
        with torch.no_grad():
            for start in range(0, len(rows), batch_size):
                out.append(self.net(rows_to_tensor(rows[start:start + batch_size])).double().numpy())
        return np.concatenate(out)

    def predict_proba(self, rows, batch_size=512):
        """Softmax probabilities ``(N, 36)`` float64 for rows ``(N, 1024)`` in the stored (transposed) format."""
        logits = self.logits(rows, batch_size)
        if self.class_bias is not None:
            logits = logits + self.class_bias
        return torch.softmax(torch.from_numpy(logits), dim=1).numpy()

    def save(self, path):
        """Write this classifier (with its class bias) to ``path``."""
        return save_torch_classifier(path, self.kind, self.net, self.arch, self.settings, self.metrics,
                                     self.class_bias)

    def predict(self, rows):
        return self.predict_proba(rows).argmax(axis=1)


def save_torch_classifier(path, kind, net, arch, settings=None, metrics=None, class_bias=None):
    """Write a model file readable by :func:`load_torch_classifier`."""
    state = {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}
    blob = {"kind": kind, "arch": dict(arch), "state_dict": state,
            "settings": dict(settings or {}), "metrics": dict(metrics or {})}
    if class_bias is not None:
        blob["class_bias"] = torch.as_tensor(np.asarray(class_bias, dtype=np.float64))
    torch.save(blob, path)
    return path


def read_model_blob(path, what):
    """The dict of a weights-only PyTorch model file, checked for ``kind``, ``arch`` and ``state_dict``.

    Raises
    ------
    FileNotFoundError
    ModelFormatError
        The file is unreadable or truncated, or is not a saved ``what`` (one-line message).
    """
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as exc:  # torch raises many types for a bad file
        raise ModelFormatError(f"{path}: not a readable PyTorch model file ({type(exc).__name__})") from None
    if not isinstance(blob, dict) or not {"kind", "arch", "state_dict"} <= blob.keys():
        raise ModelFormatError(f"{path}: not a saved {what} (need keys kind, arch, state_dict)")
    if not isinstance(blob["arch"], dict) or not isinstance(blob["state_dict"], dict):
        raise ModelFormatError(f"{path}: 'arch' and 'state_dict' must be dicts")
    return blob


def load_torch_classifier(path):
    """Load a saved CNN or torch MLP.

    Raises
    ------
    ModelFormatError
        The file is unreadable, truncated, or not a model of a known kind and shape.
    """
    blob = read_model_blob(path, "classifier")
    kind, arch, state = blob["kind"], blob["arch"], blob["state_dict"]
    if kind not in KINDS:
        raise ModelFormatError(f"{path}: unknown model kind {kind!r}, expected one of {KINDS}")
    try:
        net = build(kind, arch)
        net.load_state_dict(state)
    except Exception as exc:
        msg = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ModelFormatError(f"{path}: weights do not fit a {kind} ({msg})") from None
    bias = blob.get("class_bias")
    if bias is not None and (not isinstance(bias, torch.Tensor) or tuple(bias.shape) != (len(CLASSES),)):
        raise ModelFormatError(f"{path}: class_bias must be a tensor of {len(CLASSES)} values")
    return TorchClassifier(kind, net, blob.get("settings"), blob.get("metrics"), arch,
                           None if bias is None else bias.numpy())
