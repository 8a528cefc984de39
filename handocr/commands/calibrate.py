"""``calibrate``: per-class logit offsets of a trained PyTorch classifier, fitted on validation glyphs."""
from pathlib import Path

import click

from ocr.recognition.glyph import CLASSES

from .options import (DATA_DIR_OPTION, FORMAT_OPTION, emit, fail, guard_output, invoked_command_line,
                      load_data_or_fail, load_model_or_fail)


@click.command()
@click.argument("model_path", type=click.Path(dir_okay=False))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="Where to write the calibrated model file.")
@DATA_DIR_OPTION
@click.option("--extra-valid", "extra_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Also fit on nist36_valid.mat of this NIST36-format folder (repeatable).")
@FORMAT_OPTION
def calibrate(model_path, out_path, data_dir, extra_dirs, fmt):
    """Fit per-class logit offsets of a PyTorch classifier on validation splits (never test)."""
    import os
    import tempfile

    from training.calibrate import fit_class_bias
    from training.data import load_split
    from training.metrics import accuracy
    from training.sources import concatenate, load_folder_split
    from training.torch_models import TorchClassifier

    guard_output(out_path)
    model = load_model_or_fail(model_path)
    if not isinstance(model, TorchClassifier):
        fail(f"{model_path}: calibrate takes a PyTorch classifier (.pt), not a {model.kind}")
    valid = {"valid": load_data_or_fail(load_split, "valid", data_dir)}
    for folder in extra_dirs:
        valid[f"{Path(folder).name}/valid"] = load_data_or_fail(load_folder_split, folder, "valid")
    data = concatenate(valid.values(), "valid")
    logits = model.logits(data.x)
    before = accuracy(data.y, (logits + (0 if model.class_bias is None else model.class_bias)).argmax(1))
    model.class_bias = fit_class_bias(logits, data.y)
    after = accuracy(data.y, (logits + model.class_bias).argmax(1))
    model.settings = {**model.settings, "calibration": {
        "command": invoked_command_line(), "valid": {k: v.fingerprint() for k, v in valid.items()}}}
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out.parent, suffix=".pt", delete=False) as tmp:
        model.save(tmp.name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp.name, 0o666 & ~umask)
    os.replace(tmp.name, out)
    result = {"model": str(out), "valid_images": len(data), "valid_accuracy_before": before,
              "valid_accuracy_after": after, "class_bias": dict(zip(CLASSES, model.class_bias.round(3)))}
    emit(result, fmt, [f"fitted on {len(data)} validation glyphs ({', '.join(valid)}): accuracy {before:.4f} -> "
                       f"{after:.4f}", f"wrote {out}"])
