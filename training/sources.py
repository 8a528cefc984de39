"""Extra glyph sources for the production classifier, in NIST36 row format.

- The EMNIST pool (``emnist_pool.npz``: ``images`` ``(N, 28, 28)`` uint8, ink = 255
  on 0, upright; ``labels`` ``(N,)`` str) is resized 28 -> 32 and inverted,
  exactly as the NIST36 files were built from it.
- A NIST36-format folder (e.g. ``nist36-mixed``) is read with the same loader as
  NIST36 itself.
"""
from pathlib import Path

import numpy as np
from skimage.transform import resize

from ocr.recognition.glyph import CLASSES, IMAGE_SIDE, images_to_rows

from .data import DataFormatError, DataNotFoundError, Split, read_split_file

POOL_LOWERCASE_AS_CAPITAL = {"x": "X", "z": "Z"}
"""Lowercase pool labels whose shape is the capital's, added to classes the pool
lacks (it has no capital X and only 14 capital Z)."""


def pool_to_rows(images):
    """Pool images ``(N, 28, 28)`` uint8 (ink 255) to dataset rows ``(N, 1024)`` (0 = ink, stored transposed)."""
    images = np.asarray(images, dtype=np.float64) / 255.0
    upright = np.empty((len(images), IMAGE_SIDE, IMAGE_SIDE))
    for i, img in enumerate(images):
        upright[i] = 1.0 - resize(img, (IMAGE_SIDE, IMAGE_SIDE), order=1, anti_aliasing=False)
    return images_to_rows(np.clip(upright, 0.0, 1.0))


def read_pool_file(path):
    """The arrays of a glyph pool file, checked.

    Returns
    -------
    images : (N, 28, 28) uint8 array, ink 255 on 0, upright
    labels : (N,) str array

    Raises
    ------
    DataNotFoundError, DataFormatError
        One-line messages naming the file.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"glyph pool not found: {path} (pass --pool FILE, the emnist_pool.npz file)")
    try:
        with np.load(path, allow_pickle=False) as f:
            images, labels = f["images"], f["labels"].astype(str)
    except Exception as exc:  # numpy raises many types for a bad file
        raise DataFormatError(f"{path}: not a glyph pool (need images N x 28 x 28 and labels; "
                              f"{type(exc).__name__})") from None
    if images.ndim != 3 or len(images) != len(labels):
        raise DataFormatError(f"{path}: images {images.shape} and labels {labels.shape} do not match")
    return images, labels


def load_pool(path, lowercase_as=POOL_LOWERCASE_AS_CAPITAL):
    """Capitals and digits of the EMNIST pool as a :class:`~training.data.Split` named ``'pool'``.

    Parameters
    ----------
    path : str or Path
        The ``emnist_pool.npz`` file.
    lowercase_as : dict
        Lowercase labels kept as the given capital.

    Raises
    ------
    DataNotFoundError, DataFormatError
    """
    images, labels = read_pool_file(path)
    labels = np.array([lowercase_as.get(lab, lab) for lab in labels])
    keep = np.isin(labels, list(CLASSES))
    index = {c: i for i, c in enumerate(CLASSES)}
    y = np.array([index[lab] for lab in labels[keep]], dtype=int)
    return Split(pool_to_rows(images[keep]), y, None, "pool")


def load_folder_split(folder, split="train"):
    """One split of a NIST36-format folder (``nist36_{split}.mat``)."""
    path = Path(folder) / f"nist36_{split}.mat"
    if not path.is_file():
        raise DataNotFoundError(f"{path} not found (a NIST36-format folder with nist36_{split}.mat)")
    return read_split_file(path, split)


def concatenate(splits, name="train"):
    """One :class:`Split` of several; ``source`` becomes the index of the split each row came from."""
    splits = list(splits)
    return Split(np.concatenate([s.x for s in splits]), np.concatenate([s.y for s in splits]),
                 np.concatenate([np.full(len(s), i) for i, s in enumerate(splits)]), name)
