from pathlib import Path

import numpy as np
import pytest
import scipy.io

from training.data import (
    CLASSES,
    DATA_URL,
    DataFormatError,
    DataNotFoundError,
    find_data_dir,
    images_to_rows,
    load_split,
    rows_to_images,
)


def test_missing_data_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("OCR_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataNotFoundError) as info:
        find_data_dir()
    msg = str(info.value)
    for part in ("nist36_train.mat", "nist36_valid.mat", "nist36_test.mat", "data/nist36", DATA_URL, "--data-dir",
                 "OCR_DATA_DIR"):
        assert part in msg
    assert "\n" not in msg


def test_missing_folder_is_an_error_never_a_fallback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake_dataset_dir = tmp_path / "data" / "nist36"
    fake_dataset_dir.mkdir(parents=True)
    fake_dataset(fake_dataset_dir)
    monkeypatch.delenv("OCR_DATA_DIR", raising=False)
    with pytest.raises(DataNotFoundError, match=r"given .*from --data-dir\) does not exist"):
        find_data_dir(tmp_path / "given")
    monkeypatch.setenv("OCR_DATA_DIR", str(tmp_path / "env"))
    with pytest.raises(DataNotFoundError, match=r"env .*from \$OCR_DATA_DIR\) does not exist"):
        find_data_dir()
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataNotFoundError, match="nist36_train.mat.* missing in .*empty"):
        find_data_dir(tmp_path / "empty")
    monkeypatch.delenv("OCR_DATA_DIR")
    assert find_data_dir() == Path("data") / "nist36"


def write_split(folder, split, data, labels, **extra):
    scipy.io.savemat(folder / f"nist36_{split}.mat", {f"{split}_data": data, f"{split}_labels": labels, **extra})


def fake_dataset(folder, n=72):
    rng = np.random.default_rng(0)
    for split in ("train", "valid", "test"):
        write_split(folder, split, rng.uniform(size=(n, 1024)), np.eye(36)[np.arange(n) % 36])


def test_lookup_order(tmp_path, monkeypatch):
    given, env = tmp_path / "given", tmp_path / "env"
    for d in (given, env):
        d.mkdir()
        fake_dataset(d)
    monkeypatch.setenv("OCR_DATA_DIR", str(env))
    assert find_data_dir(given) == given
    assert find_data_dir() == env


def test_sizes_from_files_and_extra_keys(tmp_path):
    fake_dataset(tmp_path, n=108)
    write_split(tmp_path, "valid", np.ones((37, 1024)), np.eye(36)[np.arange(37) % 36],
                valid_source=np.zeros((37, 1), np.uint8), valid_other=np.arange(3))
    assert len(load_split("train", tmp_path)) == 108
    valid = load_split("valid", tmp_path)
    assert len(valid) == 37 and valid.source.shape == (37,)


@pytest.mark.parametrize("content", [b"", b"not a mat file at all" * 10])
def test_corrupt_file(tmp_path, content):
    fake_dataset(tmp_path)
    (tmp_path / "nist36_test.mat").write_bytes(content)
    with pytest.raises(DataFormatError, match="nist36_test.mat"):
        load_split("test", tmp_path)


def test_wrong_shapes(tmp_path):
    fake_dataset(tmp_path)
    write_split(tmp_path, "train", np.ones((5, 1000)), np.eye(36)[:5])
    with pytest.raises(DataFormatError, match="N x 1024"):
        load_split("train", tmp_path)
    write_split(tmp_path, "train", np.ones((5, 1024)), np.eye(26)[:5])
    with pytest.raises(DataFormatError, match="x 36"):
        load_split("train", tmp_path)
    write_split(tmp_path, "train", {"x": 1}, np.eye(36)[:5])
    with pytest.raises(DataFormatError):
        load_split("train", tmp_path)


def test_rows_images_round_trip():
    img = np.zeros((1, 32, 32))
    img[0, 2, 20] = 1.0
    rows = images_to_rows(img)
    assert rows[0].reshape(32, 32)[20, 2] == 1.0
    np.testing.assert_array_equal(rows_to_images(rows), img)


@pytest.mark.needs_data
def test_real_files_layout(nist36):
    for name, split in nist36.items():
        assert split.x.shape[1] == 1024 and split.x.dtype == np.float64
        assert split.x.min() >= 0 and split.x.max() <= 1
        assert set(np.unique(split.y)) == set(range(36)), name
        onehot = split.onehot
        assert onehot.shape == (len(split), 36) and np.all(onehot.sum(axis=1) == 1)
    assert len(CLASSES) == 36 and CLASSES[0] == "A" and CLASSES[26] == "0"


def ink_profile(images):
    """Mean ink per row of upright images, top to bottom."""
    return (1 - images).mean(axis=(0, 2))


@pytest.mark.needs_data
def test_orientation_upright(nist36, tmp_path):
    """Upright 'T' and 'L': a T's ink sits along its top row, an L's along its bottom row and left column."""
    from training.plots import image_grid

    train = nist36["train"]
    t = train.images()[train.y == CLASSES.index("T")]
    l_ = train.images()[train.y == CLASSES.index("L")]
    image_grid(np.concatenate([t[:8], l_[:8]]), tmp_path / "orientation.png", ncols=8)
    assert (tmp_path / "orientation.png").stat().st_size > 0
    rows_t = ink_profile(t)
    assert rows_t[:16].sum() > 1.3 * rows_t[16:].sum()
    cols_l = (1 - l_).mean(axis=(0, 1))
    assert cols_l[:16].sum() > 1.3 * cols_l[16:].sum()
    rows_l = ink_profile(l_)
    assert rows_l[16:].sum() > 1.3 * rows_l[:16].sum()
    # Without the transpose the T's bar would be a left column instead.
    wrong = train.x[train.y == CLASSES.index("T")].reshape(-1, 32, 32)
    assert ink_profile(wrong)[:16].sum() < rows_t[:16].sum()
