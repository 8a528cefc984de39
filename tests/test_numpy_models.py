import numpy as np
import pytest

from ocr.errors import ModelFormatError
from ocr.recognition.numpy_models import NumpyModel, build_autoencoder, build_mlp, load_numpy_model
from training.train_numpy import fold_inverted_input


def test_fold_inverted_input_is_same_function():
    rng = np.random.default_rng(0)
    net = build_mlp(16, n_in=30, n_classes=5, rng=rng)
    net.layers[0].params["b"][:] = rng.normal(size=16)
    x = rng.uniform(size=(7, 30))
    before = net(1.0 - x)
    fold_inverted_input(net.layers[0])
    np.testing.assert_allclose(net(x), before, atol=1e-12)


def test_save_load_round_trip(tmp_path):
    net = build_mlp(8, rng=1)
    model = NumpyModel("mlp", net, (1024, 8, 36), ("sigmoid", None), {"lr": 0.1}, {"valid_accuracy": 0.5})
    model.save(tmp_path / "m.npz")
    loaded = load_numpy_model(tmp_path / "m.npz")
    x = np.random.default_rng(2).uniform(size=(3, 1024))
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))
    np.testing.assert_allclose(loaded.predict_proba(x).sum(axis=1), 1.0)
    assert loaded.settings == {"lr": 0.1}
    with pytest.raises(ModelFormatError, match="autoencoder"):
        load_numpy_model(tmp_path / "m.npz", expect_kind="autoencoder")
    with pytest.raises(ModelFormatError):
        loaded.reconstruct(x)


def test_autoencoder_reconstruct_shape():
    ae = NumpyModel("autoencoder", build_autoencoder(rng=0), (1024, 32, 32, 32, 1024),
                    ("relu", "relu", "relu", "sigmoid"))
    out = ae.reconstruct(np.ones((2, 1024)))
    assert out.shape == (2, 1024) and out.min() >= 0 and out.max() <= 1


def test_fold_inverted_autoencoder_is_same_function():
    from training.train_numpy import fold_inverted_output

    rng = np.random.default_rng(3)
    net = build_autoencoder(hidden=8, n_in=20, rng=rng)
    for layer in net.layers[::2]:
        layer.params["b"][:] = rng.normal(size=layer.params["b"].shape)
    x = rng.uniform(size=(4, 20))
    before = 1.0 - net(1.0 - x)
    fold_inverted_input(net.layers[0])
    fold_inverted_output(net.layers[-2])
    np.testing.assert_allclose(net(x), before, atol=1e-12)
