import numpy as np
import pytest
import torch

from ocr.errors import ModelFormatError
from ocr.recognition.line_image import LINE_HEIGHT
from training.line_model import build, load_line_model, save_line_model
from training.line_synth import bank_from_images, make_lines, render_line
from training.line_text import LINE_ALPHABET, random_line_text
from training.train_line import ctc_batch_loss

TINY = {"channels": [4, 8, 8, 8], "hidden": 16, "layers": 1, "dropout": 0.0}


def blob_bank():
    """A bank of simple drawn glyphs: a bar per character at a character-dependent position."""
    images, chars = [], []
    for k, ch in enumerate(LINE_ALPHABET.strip(" .,-'!?:/+")):
        img = np.ones((32, 32))
        img[4:28, 4 + (k % 6) * 4: 8 + (k % 6) * 4] = 0.0
        img[4 + (k // 6) * 4: 8 + (k // 6) * 4, 4:28] = 0.0
        images.append(img)
        chars.append(ch)
    return bank_from_images(np.array(images), chars)


def test_rendered_lines_have_fixed_height_and_ink():
    rng = np.random.default_rng(0)
    bank = blob_bank()
    for spacing in ("wide", "overlapping"):
        image = render_line("AB1 C-D.", bank, rng, spacing=spacing)
        assert image.shape[0] == LINE_HEIGHT and image.dtype == np.float32
        assert set(np.unique(image)) <= {0.0, 1.0} and image.mean() > 0.05
    wide = render_line("ABCDEFGH", bank, np.random.default_rng(1), spacing="wide").shape[1]
    tight = render_line("ABCDEFGH", bank, np.random.default_rng(1), spacing="overlapping").shape[1]
    assert tight < 0.8 * wide


def test_random_text_stays_in_alphabet():
    rng = np.random.default_rng(0)
    texts = [random_line_text(rng) for _ in range(200)]
    assert set("".join(texts)) <= set(LINE_ALPHABET)
    assert any(any(c.isdigit() for c in t) for t in texts) and any("/" in t or ":" in t for t in texts)


def test_tiny_training_run_reduces_ctc_loss():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    bank = blob_bank()
    strips, texts = make_lines(bank, 8, rng, clutter=False)
    net = build({**TINY, "alphabet": LINE_ALPHABET})
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        loss, _, _ = ctc_batch_loss(net, strips, texts, LINE_ALPHABET)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_saved_model_round_trips(tmp_path):
    net = build(TINY)
    path = save_line_model(tmp_path / "line.pt", net, TINY, {"seed": 0}, {"valid_cer": 0.5})
    model = load_line_model(path)
    assert model.metrics["valid_cer"] == 0.5 and model.alphabet == LINE_ALPHABET
    strips = [np.zeros((LINE_HEIGHT, 40), np.float32), np.ones((LINE_HEIGHT, 81), np.float32)]
    post = model.posteriors(strips)
    assert [p.shape for p in post] == [(10, len(LINE_ALPHABET) + 1), (20, len(LINE_ALPHABET) + 1)]
    np.testing.assert_allclose(post[1].sum(axis=1), 1.0, atol=1e-6)


def test_bad_model_files_raise_one_line_errors(tmp_path):
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"not a model")
    with pytest.raises(ModelFormatError, match="not a readable"):
        load_line_model(garbage)
    wrong_kind = tmp_path / "cnn.pt"
    torch.save({"kind": "cnn", "arch": {}, "state_dict": {}}, wrong_kind)
    with pytest.raises(ModelFormatError, match="expected 'line-ctc'"):
        load_line_model(wrong_kind)
    net = build(TINY)
    wrong_shape = tmp_path / "shape.pt"
    save_line_model(wrong_shape, net, {**TINY, "hidden": 32})
    with pytest.raises(ModelFormatError, match="do not fit") as err:
        load_line_model(wrong_shape)
    assert "\n" not in str(err.value)
    truncated = tmp_path / "truncated.pt"
    good = save_line_model(tmp_path / "good.pt", net, TINY)
    truncated.write_bytes(good.read_bytes()[:200])
    with pytest.raises(ModelFormatError):
        load_line_model(truncated)
    with pytest.raises(FileNotFoundError):
        load_line_model(tmp_path / "missing.pt")


def test_pool_errors_are_data_errors(tmp_path):
    from training.data import DataFormatError, DataNotFoundError
    from training.line_synth import pool_bank

    with pytest.raises(DataNotFoundError, match="glyph pool not found"):
        pool_bank(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"junk")
    with pytest.raises(DataFormatError):
        pool_bank(bad)
    good = tmp_path / "pool.npz"
    images = np.zeros((3, 28, 28), np.uint8)
    images[:, 4:24, 10:14] = 255
    np.savez(good, images=images, labels=np.array(["A", "a", "7"]))
    assert sorted(pool_bank(good).crops) == ["7", "A"]
