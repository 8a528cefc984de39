"""The CTC line recogniser's forward pass in NumPy, without importing torch.

Reads the same weights-only model file as :func:`training.line_model.load_line_model`
(:mod:`ocr.recognition.torch_file`), folds each BatchNorm into its convolution and runs
the conv blocks, the bidirectional LSTM and the per-frame log-softmax in
float32 on the same zero-padded batches as the torch model, so its
posteriors match torch's to float32 rounding (tested).
"""
import numpy as np

from nn.activations import log_softmax, sigmoid

from ..errors import ModelFormatError
from .line_image import pad_strips, strip_geometry
from .numpy_classifier import conv3x3, folded_conv, max_pool
from .torch_file import read_torch_file

KIND = "line-ctc"


def lstm_direction(x, w_ih, w_hh, b_ih, b_hh, reverse=False):
    """One direction of a PyTorch LSTM layer (gates in the order input, forget, cell, output).

    Parameters
    ----------
    x : (T, N, I) float32 array
    w_ih : (4H, I), w_hh : (4H, H), b_ih, b_hh : (4H,) float32 arrays

    Returns
    -------
    (T, N, H) float32 array of hidden states, each at its own time step.
    """
    steps, n, _ = x.shape
    hidden = w_hh.shape[1]
    projected = (x.reshape(steps * n, -1) @ w_ih.T + (b_ih + b_hh)).reshape(steps, n, 4 * hidden)
    h = np.zeros((n, hidden), np.float32)
    c = np.zeros((n, hidden), np.float32)
    out = np.empty((steps, n, hidden), np.float32)
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        gates = projected[t] + h @ w_hh.T
        i, f, g, o = np.split(gates, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out[t] = h
    return out


class NumpyLineRecogniser:
    """A saved :class:`training.line_model.LineCTC` evaluated in NumPy, with the torch recogniser's ``posteriors``.

    Attributes
    ----------
    alphabet : str
        Characters of classes 1.. (class 0 is the blank).
    framing : {'band', 'spread'}
        How the reader frames a line for it (``ocr.recognition.line_engine``).
    strip_height : int
    spread : float or None
    strip_scale : float
        The strip geometry (``ocr.recognition.line_image``): a spread strip
        is made at ``spread`` and shrunk by ``strip_scale`` to ``strip_height`` rows.
    settings, metrics, arch : dict
    """

    kind = KIND
    POOLS = ((2, 2), (2, 2), (2, 1), (2, 1))

    def __init__(self, state, arch, settings=None, metrics=None):
        self.arch = dict(arch)
        vars(self).update(strip_geometry(self.arch))
        self.settings, self.metrics = settings or {}, metrics or {}
        self.convs = [folded_conv(state, f"features.{4 * k}", f"features.{4 * k + 1}") for k in range(4)]
        self.lstm = [[[np.asarray(state[f"rnn.{name}_l{layer}{suffix}"], np.float32)
                       for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")] for suffix in ("", "_reverse")]
                     for layer in range(int(self.arch.get("layers", 1)))]
        self.head = (np.asarray(state["head.weight"], np.float32), np.asarray(state["head.bias"], np.float32))

    def log_posteriors(self, batch):
        """Per-frame log-probabilities ``(T, N, len(alphabet) + 1)`` of a padded batch ``(N, 1, strip_height, W)``."""
        x = np.transpose(batch, (0, 2, 3, 1))
        for (weight, bias), (rows, cols) in zip(self.convs, self.POOLS):
            x = max_pool(np.maximum(conv3x3(x, weight, bias), 0), rows, cols)
        n, h, t, c = x.shape
        seq = np.ascontiguousarray(x.transpose(2, 0, 3, 1).reshape(t, n, c * h))
        for forward, backward in self.lstm:
            seq = np.concatenate([lstm_direction(seq, *forward), lstm_direction(seq, *backward, reverse=True)], axis=2)
        return log_softmax(seq @ self.head[0].T + self.head[1], axis=2)

    def posteriors(self, strips, batch_size=32):
        """Per-frame class probabilities for each strip: list of ``(T_i, len(alphabet) + 1)`` float64 arrays.

        Strips are batched by width as the torch recogniser the trainers use batches them.
        """
        order = np.argsort([s.shape[1] for s in strips])
        result = [None] * len(strips)
        for start in range(0, len(strips), batch_size):
            idx = order[start: start + batch_size]
            batch, frames = pad_strips([strips[i] for i in idx])
            probs = np.exp(self.log_posteriors(batch).astype(np.float64))
            for j, i in enumerate(idx):
                result[i] = probs[: frames[j], j]
        return result


def load_numpy_line_model(path):
    """Load a saved line recogniser for NumPy inference.

    Raises
    ------
    FileNotFoundError
    ModelFormatError
        The file is unreadable or not a line model of a fitting shape (one-line message).
    """
    blob = read_torch_file(path)
    if not isinstance(blob, dict) or not {"kind", "arch", "state_dict"} <= blob.keys():
        raise ModelFormatError(f"{path}: not a saved line model (need keys kind, arch, state_dict)")
    if blob["kind"] != KIND:
        raise ModelFormatError(f"{path}: model kind is {blob['kind']!r}, expected {KIND!r}")
    try:
        return NumpyLineRecogniser(blob["state_dict"], blob["arch"], blob.get("settings"), blob.get("metrics"))
    except (KeyError, ValueError) as exc:
        raise ModelFormatError(f"{path}: weights do not fit a {KIND} model ({exc})") from None
