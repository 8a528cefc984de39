"""What a model file records about how it was made, and the check that data matches it."""
import shlex
import sys
from pathlib import Path

from .augment import AUGMENT_VERSION


def command_line(argv=None):
    """The command that is running, as a shell line (``cli.py train cnn --seed 0``)."""
    argv = list(sys.argv if argv is None else argv)
    return shlex.join([Path(argv[0]).name] + argv[1:]) if argv else ""


def provenance(splits, extra_train=None, augment=True, argv=None):
    """Settings entries recording the data and code a model was trained and measured with.

    Parameters
    ----------
    splits : dict of str -> training.data.Split
        The NIST36 splits (``train``, ``valid``, ``test``) found in the data folder.
    extra_train : dict of str -> training.data.Split, optional
        Further training sets (e.g. ``pool``), recorded by name.
    augment : bool
        Whether training augmented; records :data:`training.augment.AUGMENT_VERSION` if so.

    Returns
    -------
    dict
        ``command``, ``augment_version`` (None without augmentation), ``data`` (split -> fingerprint),
        ``extra_train`` (name -> fingerprint).
    """
    return {"command": command_line(argv), "augment_version": AUGMENT_VERSION if augment else None,
            "data": {name: split.fingerprint() for name, split in splits.items()},
            "extra_train": {name: split.fingerprint() for name, split in (extra_train or {}).items()}}


def data_mismatch(settings, split):
    """One line saying how ``split`` differs from the data the model recorded, or None when it is the same.

    Parameters
    ----------
    settings : dict
        The model's settings (with ``data`` from :func:`provenance`).
    split : training.data.Split
    """
    recorded = (settings or {}).get("data", {}).get(split.name)
    if recorded is None:
        return (f"the model file records no fingerprint of a {split.name} split, so these figures cannot be "
                "matched to the data it was measured on")
    found = split.fingerprint()
    if found != recorded:
        return (f"this {split.name} split (fingerprint {found}) is not the data the model was trained and "
                f"measured on ({recorded}): figures are not comparable with the model's stated ones")
    return None
