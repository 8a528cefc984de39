"""Training loops for the NumPy MLP and autoencoder."""
import numpy as np
from tqdm import tqdm

import nn
from ocr.recognition.numpy_models import (
    AUTOENCODER_ACTIVATIONS,
    MLP_ACTIVATIONS,
    NumpyModel,
    build_autoencoder,
    build_mlp,
)

from .augment import augment_batch
from .data import images_to_rows, one_hot, rows_to_images
from .metrics import psnr
from .recipes import AUTOENCODER, MLP


def augment_rows(rows, rng):
    """Random affine, stroke, page-crop and blur/noise augmentation of dataset-format rows."""
    return images_to_rows(augment_batch(rows_to_images(rows), rng))


def classifier_scores(net, x, y, batch_size=2048):
    """Mean cross-entropy and accuracy of ``net`` (logits) on ``x`` with labels ``y``."""
    loss, correct = 0.0, 0
    for i in range(0, len(x), batch_size):
        logits = net(x[i:i + batch_size])
        yb = y[i:i + batch_size]
        loss += float(nn.softmax_cross_entropy(logits, one_hot(yb, logits.shape[1]), "sum")[0])
        correct += int(np.sum(logits.argmax(axis=1) == yb))
    return loss / len(x), correct / len(x)


def train_mlp(train, valid, hidden=MLP["hidden"], epochs=MLP["epochs"], lr=MLP["lr"], batch_size=MLP["batch_size"],
              momentum=MLP["momentum"], weight_decay=MLP["weight_decay"], seed=0, augment=None, progress=True,
              label="", provenance=None):
    """Train the 1024-hidden-36 NumPy MLP with minibatch SGD.

    The network trains on ink = 1 inputs (``1 - rows``), which centres the
    mostly-white images and speeds up SGD; the returned model has the
    equivalent first layer folded in, so it takes dataset rows directly.

    Parameters
    ----------
    train, valid : training.data.Split
    augment : callable, optional
        ``augment(rows, rng) -> rows`` applied to each training minibatch.
    provenance : dict, optional
        Stored in the model's settings (see :func:`training.provenance.provenance`).

    Returns
    -------
    model : NumpyModel
    history : dict of lists ``train_acc``, ``valid_acc``, ``train_loss``, ``valid_loss``
    init_weights, trained_weights : (1024, hidden) first-layer weights at init and after training (ink = 1 space)
    """
    rng = np.random.default_rng(seed)
    net = build_mlp(hidden, n_in=train.x.shape[1], rng=rng)
    init_weights = net.layers[0].params["W"].copy()
    opt = nn.SGD(net, lr=lr, momentum=momentum, weight_decay=weight_decay)
    targets = one_hot(train.y, 36)
    history = {k: [] for k in ("train_acc", "valid_acc", "train_loss", "valid_loss")}
    bar = tqdm(range(epochs), desc=f"mlp {label}".strip(), disable=not progress, unit="epoch")
    for _ in bar:
        for idx in nn.minibatch_indices(len(train), batch_size, rng):
            xb = train.x[idx] if augment is None else augment(train.x[idx], rng)
            out, cache = net.forward(1.0 - xb)
            _, dout = nn.softmax_cross_entropy(out, targets[idx])
            net.backward(dout, cache)
            opt.step()
        for split, data in (("train", train), ("valid", valid)):
            loss, acc = classifier_scores(net, 1.0 - data.x, data.y)
            history[f"{split}_loss"].append(loss)
            history[f"{split}_acc"].append(acc)
        bar.set_postfix(train=f"{history['train_acc'][-1]:.3f}", valid=f"{history['valid_acc'][-1]:.3f}")
    trained_weights = net.layers[0].params["W"].copy()
    fold_inverted_input(net.layers[0])
    settings = dict(hidden=hidden, epochs=epochs, lr=lr, batch_size=batch_size, momentum=momentum,
                    weight_decay=weight_decay, seed=seed, augment=augment is not None, **(provenance or {}))
    metrics = {"valid_accuracy": history["valid_acc"][-1], "train_accuracy": history["train_acc"][-1]}
    model = NumpyModel("mlp", net, (train.x.shape[1], hidden, 36), MLP_ACTIVATIONS, settings, metrics)
    return model, history, init_weights, trained_weights


def fold_inverted_input(layer):
    """Turn a layer on ``1 - x`` into the same function of ``x``: ``W' = -W``, ``b' = b + sum(W)``."""
    W, b = layer.params["W"], layer.params["b"]
    b += W.sum(axis=0)
    W *= -1.0


def train_autoencoder(train, valid, hidden=AUTOENCODER["hidden"], epochs=AUTOENCODER["epochs"], lr=AUTOENCODER["lr"],
                      batch_size=AUTOENCODER["batch_size"], momentum=AUTOENCODER["momentum"], seed=0, progress=True,
                      provenance=None):
    """Train the 1024-32-32-32-1024 autoencoder on total squared error with SGD + momentum.

    Like the MLP it learns on ink = 1 images (``1 - rows`` in and out); the
    returned model has both ends folded back so it maps dataset rows to
    dataset rows (``1 - sigmoid(z) = sigmoid(-z)``), with the same PSNR.

    Returns
    -------
    model : NumpyModel
    history : dict of lists ``train_loss`` (mean total squared error per image) and ``valid_psnr``
    """
    rng = np.random.default_rng(seed)
    net = build_autoencoder(hidden, n_in=train.x.shape[1], rng=rng)
    opt = nn.SGD(net, lr=lr, momentum=momentum)
    history = {"train_loss": [], "valid_loss": [], "valid_psnr": []}
    bar = tqdm(range(epochs), desc="autoencoder", disable=not progress, unit="epoch")
    for _ in bar:
        total = 0.0
        for idx in nn.minibatch_indices(len(train), batch_size, rng):
            xb = 1.0 - train.x[idx]
            out, cache = net.forward(xb)
            loss, dout = nn.squared_error(out, xb)
            total += float(loss)
            net.backward(dout, cache)
            opt.step()
        recon = 1.0 - net(1.0 - valid.x)
        history["train_loss"].append(total / len(train))
        history["valid_loss"].append(float(np.sum((recon - valid.x) ** 2)) / len(valid))
        history["valid_psnr"].append(float(np.mean(psnr(valid.x, recon))))
        bar.set_postfix(loss=f"{history['train_loss'][-1]:.1f}", psnr=f"{history['valid_psnr'][-1]:.2f}")
    fold_inverted_input(net.layers[0])
    fold_inverted_output(net.layers[-2])
    settings = dict(hidden=hidden, epochs=epochs, lr=lr, batch_size=batch_size, momentum=momentum, seed=seed,
                    **(provenance or {}))
    metrics = {"valid_psnr_db": history["valid_psnr"][-1]}
    model = NumpyModel("autoencoder", net, (train.x.shape[1],) + (hidden,) * 3 + (train.x.shape[1],),
                       AUTOENCODER_ACTIVATIONS, settings, metrics)
    return model, history


def fold_inverted_output(layer):
    """Negate a layer feeding a sigmoid so that its output becomes ``1 - output``."""
    layer.params["W"] *= -1.0
    layer.params["b"] *= -1.0
