"""The CTC line recogniser (conv features + BiLSTM) and its weights-only model file.

A saved file is ``torch.save({'kind': 'line-ctc', 'arch', 'state_dict', 'settings', 'metrics'})``
holding only dicts, lists, tensors, strings and numbers, so ``torch.load(weights_only=True)`` reads it.
Output class 0 is the CTC blank; class ``k >= 1`` is ``alphabet[k - 1]``.
"""
import numpy as np
import torch
from torch import nn

from ocr.errors import ModelFormatError
from ocr.recognition.line_image import LINE_HEIGHT, MIXED_ALPHABET, SPREAD, SPREAD_HEIGHT, pad_strips, strip_geometry

from .line_text import LINE_ALPHABET
from .torch_models import read_model_blob

KIND = "line-ctc"


class LineCTC(nn.Module):
    """Conv blocks shrinking the strip's height 16 times and its width by ``FRAME_STEP``, then BiLSTMs and logits.

    Input ``(N, 1, strip_height, W)`` (1 = ink); output ``(T, N, len(alphabet) + 1)`` log-probabilities,
    ``T = W // FRAME_STEP``. ``framing``, ``spread`` and ``strip_scale`` say how the reader makes its strips
    (``ocr.recognition.line_engine``): 'band' scales a line's capitals to ``LETTER_HEIGHT``, 'spread' scales
    its ink rows' spread to ``spread`` in ``SPREAD_HEIGHT`` rows, then shrinks the strip by ``strip_scale``
    to ``strip_height`` rows.
    """

    def __init__(self, alphabet=LINE_ALPHABET, channels=(16, 32, 48, 64), hidden=96, layers=1, dropout=0.2,
                 strip_height=LINE_HEIGHT, framing="band", spread=None, strip_scale=1.0):
        super().__init__()
        c1, c2, c3, c4 = channels
        block = lambda i, o: [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]  # noqa: E731
        self.features = nn.Sequential(
            *block(1, c1), nn.MaxPool2d(2),
            *block(c1, c2), nn.MaxPool2d(2),
            *block(c2, c3), nn.MaxPool2d((2, 1)),
            *block(c3, c4), nn.MaxPool2d((2, 1)))
        self.rnn = nn.LSTM(c4 * (strip_height // 16), hidden, num_layers=layers, bidirectional=True,
                           dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(2 * hidden, len(alphabet) + 1)

    def forward(self, x):
        f = self.features(x)
        n, c, h, t = f.shape
        seq = f.permute(3, 0, 1, 2).reshape(t, n, c * h)
        out, _ = self.rnn(seq)
        return torch.log_softmax(self.head(self.drop(out)), dim=2)


def default_arch():
    """The capitals' line recogniser (the shipped ``line.pt``)."""
    return {"alphabet": LINE_ALPHABET, "channels": [16, 32, 48, 64], "hidden": 96, "layers": 1, "dropout": 0.2}


MIXED_STRIP_SCALE = 2 / 3
"""The mixed-case recogniser reads spread strips shrunk to 32 rows (capitals about 16 px, x-height about 10 px):
2.5 times fewer multiply-adds than at 48 rows, for training on two cores and reading pages."""


def mixed_arch():
    """The mixed-case line recogniser: 81 characters, strips framed by their ink's spread, two BiLSTM layers."""
    return {"alphabet": MIXED_ALPHABET, "channels": [16, 32, 64, 96], "hidden": 96, "layers": 2, "dropout": 0.25,
            "strip_height": int(round(SPREAD_HEIGHT * MIXED_STRIP_SCALE)), "framing": "spread", "spread": SPREAD,
            "strip_scale": MIXED_STRIP_SCALE}


def build(arch=None):
    arch = {**default_arch(), **dict(arch or {})}
    arch["channels"] = tuple(int(c) for c in arch["channels"])
    return LineCTC(**arch)


def strips_to_tensor(strips):
    """:func:`ocr.recognition.line_image.pad_strips` as a tensor batch and frame counts."""
    batch, frames = pad_strips(strips)
    return torch.from_numpy(batch), frames


class LineRecogniser:
    """A trained :class:`LineCTC` with ``posteriors`` on line strips.

    Attributes
    ----------
    alphabet : str
        Characters of classes 1.. (class 0 is the blank).
    net : LineCTC (eval mode)
    settings, metrics, arch : dict
    """

    kind = KIND

    def __init__(self, net, arch, settings=None, metrics=None):
        self.net = net.eval()
        self.arch = dict(arch)
        vars(self).update(strip_geometry(self.arch))
        self.settings = settings or {}
        self.metrics = metrics or {}

    def posteriors(self, strips, batch_size=32):
        """Per-frame class probabilities for each strip: list of ``(T_i, len(alphabet) + 1)`` float64 arrays."""
        out = []
        self.net.eval()
        order = np.argsort([s.shape[1] for s in strips])
        result = [None] * len(strips)
        with torch.no_grad():
            for start in range(0, len(strips), batch_size):
                idx = order[start: start + batch_size]
                x, frames = strips_to_tensor([strips[i] for i in idx])
                logp = self.net(x).double().exp().numpy()
                for j, i in enumerate(idx):
                    result[i] = logp[: frames[j], j]
        out.extend(result)
        return out


def save_line_model(path, net, arch, settings=None, metrics=None):
    """Write a model file readable by :func:`load_line_model`."""
    state = {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}
    arch = {k: (list(v) if isinstance(v, tuple) else v) for k, v in dict(arch).items()}
    torch.save({"kind": KIND, "arch": arch, "state_dict": state,
                "settings": dict(settings or {}), "metrics": dict(metrics or {})}, path)
    return path


def load_line_model(path):
    """Load a saved line recogniser.

    Raises
    ------
    ModelFormatError
        The file is unreadable, truncated, or not a line model of a fitting shape (one-line message).
    """
    blob = read_model_blob(path, "line model")
    if blob["kind"] != KIND:
        raise ModelFormatError(f"{path}: model kind is {blob['kind']!r}, expected {KIND!r}")
    arch, state = blob["arch"], blob["state_dict"]
    try:
        net = build(arch)
        net.load_state_dict(state)
    except Exception as exc:
        msg = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ModelFormatError(f"{path}: weights do not fit a {KIND} model ({msg})") from None
    return LineRecogniser(net, {**default_arch(), **arch}, blob.get("settings"), blob.get("metrics"))
