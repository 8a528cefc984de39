"""Short fixed-seed training runs that fail when learning breaks.

Each run trains on a small class-balanced slice of NIST36 train and is judged on
a slice of valid: the loss must fall by a stated margin, accuracy must beat
chance (1/36) by a wide margin, and the saved (folded) model must compute what
the trainer measured.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import nn
from ocr.recognition.numpy_models import build_mlp
from training.data import CLASSES, one_hot
from training.torch_models import TorchMLP, load_torch_classifier
from training.train_numpy import train_autoencoder, train_mlp
from training.train_torch import train_torch

pytestmark = pytest.mark.needs_data
CHANCE = 1 / len(CLASSES)


def per_class(split, n, offset=0):
    return split.subset(np.concatenate([np.flatnonzero(split.y == c)[offset:offset + n] for c in range(36)]))


@pytest.fixture(scope="module")
def slices(nist36):
    return per_class(nist36["train"], 20), per_class(nist36["valid"], 10)


def test_numpy_mlp_loss_falls_and_model_is_what_was_trained(slices):
    train, valid = slices
    model, history, init_w, trained_w = train_mlp(train, valid, epochs=10, lr=0.1, seed=0, progress=False)
    assert history["train_loss"][0] > 2.5
    assert history["train_loss"][-1] < 0.3 * history["train_loss"][0]
    assert history["valid_acc"][-1] > 12 * CHANCE
    assert not np.allclose(init_w, trained_w)
    acc = np.mean(model.predict_proba(valid.x).argmax(1) == valid.y)
    assert acc == pytest.approx(history["valid_acc"][-1], abs=1e-12), "saved model differs from the trained one"


def test_autoencoder_psnr_rises_and_model_is_what_was_trained(slices):
    from training.metrics import psnr

    train, valid = slices
    model, history = train_autoencoder(train, valid, epochs=15, lr=3e-5, seed=0, progress=False)
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    assert history["valid_psnr"][-1] > history["valid_psnr"][0] + 3.0
    assert history["valid_psnr"][-1] > 11.0
    measured = float(np.mean(psnr(valid.x, model.reconstruct(valid.x))))
    assert measured == pytest.approx(history["valid_psnr"][-1], abs=1e-9)


@pytest.mark.parametrize("kind, arch", [("torch-mlp", None), ("cnn", {"channels": [8, 16, 32], "convs_per_block": 1})])
def test_torch_models_learn(slices, tmp_path, kind, arch):
    train, valid = slices
    path, history = train_torch(kind, train, valid, tmp_path / "m.pt", epochs=8, lr=1e-2, batch_size=32, seed=0,
                                threads=1, samples_per_epoch=None, balanced=False, augment=False, progress=False,
                                arch=arch)
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    best = history["best_epoch"] - 1
    assert history["valid_acc"][best] > 12 * CHANCE
    model = load_torch_classifier(path)
    assert np.mean(model.predict(valid.x) == valid.y) == pytest.approx(history["valid_acc"][best], abs=1e-12)


def test_numpy_and_torch_mlp_follow_the_same_loss_curve(slices):
    """Same init, same minibatches, SGD with momentum in float64: the two libraries agree to 1e-6."""
    train, _ = slices
    x, t = 1.0 - train.x, one_hot(train.y, 36)
    np_net = build_mlp(64, rng=np.random.default_rng(0))
    torch_net = TorchMLP(hidden=64).double()
    with torch.no_grad():
        for layer, np_layer in zip((torch_net.net[1], torch_net.net[3]), np_net.layers[::2]):
            layer.weight.copy_(torch.from_numpy(np_layer.params["W"].T))
            layer.bias.copy_(torch.from_numpy(np_layer.params["b"].reshape(-1)))
    np_opt = nn.SGD(np_net, lr=0.05, momentum=0.9)
    torch_opt = torch.optim.SGD(torch_net.parameters(), lr=0.05, momentum=0.9)
    np_losses, torch_losses = [], []
    for epoch in range(3):
        for idx in nn.minibatch_indices(len(x), 32, rng=epoch):
            out, cache = np_net.forward(x[idx])
            loss, dout = nn.softmax_cross_entropy(out, t[idx])
            np_net.backward(dout, cache)
            np_opt.step()
            np_losses.append(float(loss))
            logits = torch_net(torch.from_numpy(x[idx]))
            tl = F.cross_entropy(logits, torch.from_numpy(train.y[idx]))
            torch_opt.zero_grad()
            tl.backward()
            torch_opt.step()
            torch_losses.append(tl.item())
    np.testing.assert_allclose(np_losses, torch_losses, rtol=0, atol=1e-6)
    assert np_losses[-1] < 0.7 * np_losses[0]
