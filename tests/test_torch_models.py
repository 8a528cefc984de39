import numpy as np
import pytest
import torch

from ocr.errors import ModelFormatError
from training.augment import augment_batch
from training.data import CLASSES, images_to_rows
from training.torch_models import (
    TorchMLP,
    build,
    default_arch,
    load_torch_classifier,
    rows_to_tensor,
    save_torch_classifier,
)
from training.train_torch import train_torch


def _strokes(n=8, seed=0):
    rng = np.random.default_rng(seed)
    images = np.ones((n, 32, 32))
    for i in range(n):
        r, c = rng.integers(6, 20, 2)
        images[i, r:r + 10, c:c + 3] = 0.0
        images[i, r + 8:r + 11, c:c + 9] = 0.0
    return images


def test_augment_keeps_shape_range_and_is_seeded():
    images = _strokes()
    a = augment_batch(images, np.random.default_rng(3))
    b = augment_batch(images, np.random.default_rng(3))
    c = augment_batch(images, np.random.default_rng(4))
    assert a.shape == images.shape and a.dtype == images.dtype
    assert a.min() >= 0.0 and a.max() <= 1.0
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, images)
    assert np.all((a < 0.5).sum(axis=(1, 2)) > 0), "ink must survive augmentation"


def test_rows_to_tensor_is_upright_with_ink_one():
    images = _strokes(2)
    x = rows_to_tensor(images_to_rows(images))
    assert x.shape == (2, 1, 32, 32)
    np.testing.assert_allclose(x[:, 0].numpy(), 1.0 - images)


@pytest.mark.parametrize("kind", ["cnn", "torch-mlp"])
def test_save_load_round_trip(tmp_path, kind):
    torch.manual_seed(0)
    net = build(kind, default_arch(kind)).eval()
    path = save_torch_classifier(tmp_path / "m.pt", kind, net, default_arch(kind), {"seed": 0}, {"acc": 0.5})
    model = load_torch_classifier(path)
    rows = images_to_rows(_strokes(5))
    with torch.no_grad():
        expected = torch.softmax(net(rows_to_tensor(rows)).double(), 1).numpy()
    proba = model.predict_proba(rows)
    assert model.kind == kind and proba.shape == (5, len(CLASSES)) and proba.dtype == np.float64
    np.testing.assert_allclose(proba, expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(load_torch_classifier(path).predict_proba(rows), proba)


def _bad_files(tmp_path):
    good = save_torch_classifier(tmp_path / "good.pt", "torch-mlp", TorchMLP(), default_arch("torch-mlp"))
    data = good.read_bytes()
    files = {
        "random.pt": np.random.default_rng(0).bytes(4096),
        "truncated.pt": data[: len(data) // 2],
        "empty.pt": b"",
    }
    for name, blob in files.items():
        (tmp_path / name).write_bytes(blob)
    np.savez(tmp_path / "weights.npz", W=np.zeros((3, 3)))
    torch.save({"weights": torch.zeros(3)}, tmp_path / "wrong_keys.pt")
    torch.save({"kind": "svm", "arch": {}, "state_dict": {}}, tmp_path / "wrong_kind.pt")
    wrong = {k: v for k, v in torch.load(good, weights_only=True).items()}
    wrong["arch"] = {"hidden": 32}
    torch.save(wrong, tmp_path / "wrong_shapes.pt")
    return sorted(p for p in tmp_path.iterdir() if p.name != "good.pt")


def test_bad_model_files_raise_model_format_error(tmp_path):
    for path in _bad_files(tmp_path):
        with pytest.raises(ModelFormatError) as info:
            load_torch_classifier(path)
        assert "\n" not in str(info.value), path.name


def test_cnn_trains_on_small_slice(nist36, tmp_path):
    train, valid = nist36["train"], nist36["valid"]
    pick = np.concatenate([np.flatnonzero(train.y == c)[:40] for c in range(len(CLASSES))])
    path, history = train_torch("cnn", train.subset(pick), valid, tmp_path / "cnn.pt", epochs=2, lr=3e-3,
                                batch_size=64, seed=1, progress=False, arch={"channels": [16, 32, 64]}, threads=1,
                                samples_per_epoch=None, log=False)
    assert set(history) >= {"train_acc", "valid_acc", "train_loss", "valid_loss"}
    assert len(history["valid_acc"]) == 2
    model = load_torch_classifier(path)
    acc = np.mean(model.predict(valid.x) == valid.y)
    assert acc > 3 / len(CLASSES)
    assert np.isclose(acc, history["valid_acc"][history["best_epoch"] - 1])
