"""Read a weights-only PyTorch model file into NumPy arrays without importing torch.

A ``torch.save`` file is a zip archive holding ``data.pkl`` (a pickle whose
tensors refer to raw storages by key) and ``data/KEY`` (each storage's
little-endian bytes). Only the names a weights-only file may hold are
resolved (tensor rebuilding, storage types, ``OrderedDict``), as
``torch.load(weights_only=True)`` allows; anything else is refused.
"""
import collections
import pickle
import zipfile

import numpy as np

from ..errors import ModelFormatError

STORAGE_DTYPES = {
    "FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
    "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16, "CharStorage": np.int8,
    "ByteStorage": np.uint8, "BoolStorage": np.bool_,
}


class _StorageType:
    def __init__(self, name):
        self.dtype = np.dtype(STORAGE_DTYPES[name])


def _rebuild_tensor(storage, offset, shape, stride, *_):
    """A tensor as an array viewing ``storage`` (a flat array) with torch's element strides."""
    itemsize = storage.dtype.itemsize
    if not shape:
        return storage[offset].copy()
    return np.lib.stride_tricks.as_strided(storage[offset:], tuple(shape), tuple(s * itemsize for s in stride)).copy()


def _rebuild_parameter(data, *_):
    return data


class _WeightsUnpickler(pickle.Unpickler):
    def __init__(self, file, archive, prefix):
        super().__init__(file)
        self.archive, self.prefix, self.storages = archive, prefix, {}

    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor
        if module == "torch._utils" and name == "_rebuild_parameter":
            return _rebuild_parameter
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(name)
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a weights-only file")

    def persistent_load(self, pid):
        kind, storage_type, key, _location, numel = pid
        if kind != "storage":
            raise pickle.UnpicklingError(f"unknown persistent id {kind!r}")
        if key not in self.storages:
            raw = self.archive.read(f"{self.prefix}data/{key}")
            self.storages[key] = np.frombuffer(raw, dtype=storage_type.dtype.newbyteorder("<"), count=numel)
        return self.storages[key]


def read_torch_file(path):
    """The object saved in a weights-only ``torch.save`` file, tensors as NumPy arrays.

    Raises
    ------
    FileNotFoundError
    ModelFormatError
        Not a zip-format ``torch.save`` file, or holding objects other than
        dicts, lists, numbers, strings and tensors.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            pickles = [n for n in archive.namelist() if n.endswith("/data.pkl") or n == "data.pkl"]
            if len(pickles) != 1:
                raise ModelFormatError(f"{path}: not a PyTorch model file (no data.pkl)")
            prefix = pickles[0][: -len("data.pkl")]
            order = archive.read(f"{prefix}byteorder").decode() if f"{prefix}byteorder" in archive.namelist() else "little"
            if order != "little":
                raise ModelFormatError(f"{path}: big-endian model files are not supported")
            with archive.open(pickles[0]) as f:
                return _WeightsUnpickler(f, archive, prefix).load()
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, pickle.UnpicklingError, KeyError, EOFError, ValueError, OSError) as exc:
        raise ModelFormatError(f"{path}: not a readable PyTorch model file ({type(exc).__name__})") from None
