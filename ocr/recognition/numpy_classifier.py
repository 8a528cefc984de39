"""Run the trained PyTorch classifiers' forward pass in NumPy, without importing torch.

Reading a page needs only the forward pass of the shipped CNN; importing torch
costs more than reading a page. :func:`load_numpy_classifier` reads the same
model file (:mod:`ocr.recognition.torch_file`), folds each BatchNorm into the
convolution before it, and evaluates the network in float32 with im2col
matrix products; its probabilities match the torch model's to float32
rounding (tested).
"""
import numpy as np

from nn.activations import sigmoid, softmax

from ..errors import ModelFormatError
from .glyph import CLASSES, IMAGE_SIDE, rows_to_images
from .torch_file import read_torch_file

BN_EPS = 1e-5
CHUNK_BYTES = 4e6
"""Default im2col chunk of :func:`conv3x3` (a few MB: a 2-core machine's L2 cache and more)."""


def conv3x3(x, weight, bias, chunk_bytes=CHUNK_BYTES):
    """3x3 convolution, padding 1, stride 1, of channels-last images.

    The images go through in chunks whose im2col matrix (9 shifted copies of
    their channels) takes about ``chunk_bytes``: a matrix that stays in the
    processor's cache is built and multiplied faster than one that does not.
    Each image's output is the same whatever the chunking, to float32 rounding.

    Parameters
    ----------
    x : (N, H, W, C) float32 array
    weight : (O, C, 3, 3) float32 array (PyTorch's layout)
    bias : (O,) float32 array
    chunk_bytes : float
        Size of the im2col matrix of one chunk (at least one image).

    Returns
    -------
    (N, H, W, O) float32 array
    """
    n, h, w, c = x.shape
    per_image = h * w * 9 * c * x.itemsize
    if n > 1 and n * per_image > chunk_bytes:
        step = max(1, int(chunk_bytes // per_image))
        return np.concatenate([conv3x3(x[start:start + step], weight, bias, np.inf) for start in range(0, n, step)])
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    cols = np.concatenate([padded[:, dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)], axis=3)
    out = cols.reshape(n * h * w, 9 * c) @ weight.transpose(2, 3, 1, 0).reshape(9 * c, len(weight))
    out += bias
    return out.reshape(n, h, w, len(weight))


def max_pool(x, rows=2, cols=2):
    """Max-pool ``(N, H, W, C)`` channels-last images over ``rows`` x ``cols`` cells, stride the same."""
    n, h, w, c = x.shape
    x = x[:, : h // rows * rows, : w // cols * cols]
    out = x[:, ::rows, ::cols]
    for dy in range(rows):
        for dx in range(cols):
            if dy or dx:
                out = np.maximum(out, x[:, dy::rows, dx::cols])
    return out


class NumpyClassifier:
    """A saved CNN or torch MLP evaluated in NumPy, with ``predict_proba`` on dataset rows.

    Attributes
    ----------
    kind : {'cnn', 'torch-mlp'}
    settings, metrics, arch : dict
    class_bias : (36,) float64 array or None
    """

    def __init__(self, kind, layers, settings=None, metrics=None, arch=None, class_bias=None):
        self.kind, self.layers = kind, layers
        self.settings, self.metrics, self.arch = settings or {}, metrics or {}, arch or {}
        self.class_bias = None if class_bias is None else np.asarray(class_bias, np.float64)

    def logits(self, rows, batch_size=16):
        """Logits ``(N, 36)`` float64, before any class bias, for rows ``(N, 1024)``."""
        rows = np.asarray(rows, np.float32)
        if rows.ndim != 2 or rows.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
            raise ValueError(f"rows must be N x {IMAGE_SIDE * IMAGE_SIDE}, got shape {rows.shape}")
        out = [np.empty((0, len(CLASSES)))]
        for start in range(0, len(rows), batch_size):
            ink = 1.0 - rows_to_images(rows[start:start + batch_size])
            out.append(self._forward(ink[..., None]).astype(np.float64))
        return np.concatenate(out)

    def _forward(self, x):
        for op, *params in self.layers:
            if op == "conv":
                x = conv3x3(x, *params)
                np.maximum(x, 0, out=x)
            elif op == "pool":
                x = max_pool(x)
            elif op == "flatten":
                x = x.transpose(0, 3, 1, 2).reshape(len(x), -1)
            elif op == "linear":
                x = x @ params[0].T + params[1]
            elif op == "relu":
                x = np.maximum(x, 0)
            elif op == "sigmoid":
                x = sigmoid(x)
        return x

    def predict_proba(self, rows, batch_size=16):
        """Softmax probabilities ``(N, 36)`` float64 for rows ``(N, 1024)`` in the stored (transposed) format."""
        logits = self.logits(rows, batch_size)
        if self.class_bias is not None:
            logits = logits + self.class_bias
        return softmax(logits, axis=1)

    def predict(self, rows):
        return self.predict_proba(rows).argmax(axis=1)


def folded_conv(state, conv, bn):
    """Weight and bias of a bias-free convolution ``conv`` followed by BatchNorm ``bn`` (state-dict prefixes)."""
    scale = state[f"{bn}.weight"] / np.sqrt(state[f"{bn}.running_var"] + BN_EPS)
    return ((state[f"{conv}.weight"] * scale[:, None, None, None]).astype(np.float32),
            (state[f"{bn}.bias"] - state[f"{bn}.running_mean"] * scale).astype(np.float32))


def cnn_layers(state, arch):
    """The CNN's layers as ``(op, *arrays)`` with each BatchNorm folded into its convolution."""
    channels = arch.get("channels", (32, 64, 128))
    per_block = int(arch.get("convs_per_block", 1))
    layers, index = [], 0
    for _ in channels:
        for _ in range(per_block):
            layers.append(("conv", *folded_conv(state, f"features.{index}", f"features.{index + 1}")))
            index += 3
        layers.append(("pool",))
        index += 1
    layers.append(("flatten",))
    layers.append(("linear", state["head.2.weight"], state["head.2.bias"]))
    layers.append(("relu",))
    layers.append(("linear", state["head.5.weight"], state["head.5.bias"]))
    return layers


def mlp_layers(state):
    """The torch MLP's layers as ``(op, *arrays)``."""
    return [("flatten",), ("linear", state["net.1.weight"], state["net.1.bias"]), ("sigmoid",),
            ("linear", state["net.3.weight"], state["net.3.bias"])]


def load_numpy_classifier(path):
    """Load a saved CNN or torch MLP (``.pt``) for NumPy inference.

    Raises
    ------
    FileNotFoundError
    ModelFormatError
    """
    blob = read_torch_file(path)
    if not isinstance(blob, dict) or not {"kind", "arch", "state_dict"} <= blob.keys():
        raise ModelFormatError(f"{path}: not a saved classifier (need keys kind, arch, state_dict)")
    kind, arch, state = blob["kind"], dict(blob["arch"]), blob["state_dict"]
    try:
        layers = cnn_layers(state, arch) if kind == "cnn" else mlp_layers(state) if kind == "torch-mlp" else None
    except KeyError as exc:
        raise ModelFormatError(f"{path}: weights do not fit a {kind} (missing {exc})") from None
    if layers is None:
        raise ModelFormatError(f"{path}: unknown model kind {kind!r}")
    bias = blob.get("class_bias")
    if bias is not None and np.shape(bias) != (len(CLASSES),):
        raise ModelFormatError(f"{path}: class_bias must hold {len(CLASSES)} values")
    return NumpyClassifier(kind, layers, blob.get("settings"), blob.get("metrics"), arch, bias)
