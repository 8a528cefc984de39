"""``train mlp``, ``train autoencoder`` (NumPy), ``train cnn``, ``train torch-mlp`` (PyTorch): the glyph models."""
from pathlib import Path

import click
import numpy as np

from ocr.recognition.glyph import CLASSES
from training.recipes import AUTOENCODER, MLP, TORCH

from .options import (DATA_DIR_OPTION, FORMAT_OPTION, PROGRESS_OPTION, SEED_OPTION, emit, fail, invoked_command,
                      load_data_or_fail, load_model_or_fail, prepare_out_dir)


@click.group()
def train():
    """Train a classifier or the autoencoder on NIST36."""


@train.command("mlp")
@DATA_DIR_OPTION
@click.option("--hidden", default=MLP["hidden"], show_default=True)
@click.option("--epochs", default=MLP["epochs"], show_default=True, type=click.IntRange(1))
@click.option("--lr", default=MLP["lr"], show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("--batch-size", default=MLP["batch_size"], show_default=True, type=click.IntRange(1))
@click.option("--momentum", default=MLP["momentum"], show_default=True, type=click.FloatRange(0, 1, max_open=True))
@click.option("--weight-decay", default=MLP["weight_decay"], show_default=True, type=click.FloatRange(min=0))
@click.option("--augment/--no-augment", default=MLP["augment"], show_default=True,
              help="Random affine / stroke / page-crop rendering augmentation.")
@click.option("--lr-sweep", is_flag=True, help="Also train at 10x and 0.1x the learning rate; one figure set.")
@click.option("--out-dir", default="runs/mlp", show_default=True, help="Folder for the model and plots.")
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def train_mlp_cmd(data_dir, hidden, epochs, lr, batch_size, momentum, weight_decay, augment, lr_sweep, out_dir,
                  seed, progress, fmt):
    """NumPy MLP 1024-HIDDEN-36 (sigmoid, softmax) with minibatch SGD."""
    from training.data import load_all
    from training.plots import curves, weights_grid
    from training.provenance import provenance
    from training.train_numpy import augment_rows, train_mlp

    out = prepare_out_dir(out_dir)
    splits = load_data_or_fail(load_all, data_dir)
    aug = augment_rows if augment else None
    rates = [lr, lr * 10, lr / 10] if lr_sweep else [lr]
    histories, finals = {}, []
    for rate in rates:
        model, hist, init_w, trained_w = train_mlp(
            splits["train"], splits["valid"], hidden, epochs, rate, batch_size, momentum, weight_decay, seed, aug,
            progress, label=f"lr={rate:g}", provenance=provenance(splits, augment=augment, argv=invoked_command()))
        tag = "" if rate == lr else f"_lr{rate:g}"
        model.save(out / f"mlp{tag}.npz")
        histories[f"lr={rate:g}"] = hist
        finals.append({"lr": rate, "train_accuracy": hist["train_acc"][-1], "valid_accuracy": hist["valid_acc"][-1],
                       "model": str(out / f"mlp{tag}.npz")})
        if rate == lr:
            weights_grid(init_w, out / "weights_init.png", "first-layer weights at init")
            weights_grid(trained_w, out / "weights_trained.png", "first-layer weights trained")
    curves(histories, out / "accuracy.png", "acc", "accuracy")
    curves(histories, out / "loss.png", "loss", "mean cross-entropy")
    lines = [f"{'lr':>10s} {'train acc':>10s} {'valid acc':>10s}  model"]
    lines += [f"{r['lr']:10g} {r['train_accuracy']:10.4f} {r['valid_accuracy']:10.4f}  {r['model']}" for r in finals]
    (out / "final_accuracies.txt").write_text("\n".join(lines) + "\n")
    lines.append(f"plots in {out}: accuracy.png loss.png weights_init.png weights_trained.png final_accuracies.txt")
    emit({"runs": finals, "out_dir": str(out)}, fmt, lines)


@train.command("autoencoder")
@DATA_DIR_OPTION
@click.option("--hidden", default=AUTOENCODER["hidden"], show_default=True, type=click.IntRange(1))
@click.option("--epochs", default=AUTOENCODER["epochs"], show_default=True, type=click.IntRange(1))
@click.option("--lr", default=AUTOENCODER["lr"], show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("--batch-size", default=AUTOENCODER["batch_size"], show_default=True, type=click.IntRange(1))
@click.option("--momentum", default=AUTOENCODER["momentum"], show_default=True,
              type=click.FloatRange(0, 1, max_open=True))
@click.option("--out-dir", default="runs/autoencoder", show_default=True)
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def train_autoencoder_cmd(data_dir, hidden, epochs, lr, batch_size, momentum, out_dir, seed, progress, fmt):
    """NumPy autoencoder 1024-32-32-32-1024 on total squared error, SGD with momentum."""
    from training.data import load_all
    from training.plots import curves, reconstructions_plot
    from training.provenance import provenance
    from training.train_numpy import train_autoencoder

    out = prepare_out_dir(out_dir)
    splits = load_data_or_fail(load_all, data_dir)
    model, hist = train_autoencoder(splits["train"], splits["valid"], hidden=hidden, epochs=epochs, lr=lr,
                                    batch_size=batch_size, momentum=momentum, seed=seed, progress=progress,
                                    provenance=provenance(splits, augment=False, argv=invoked_command()))
    model.save(out / "autoencoder.npz")
    curves({"": hist}, out / "loss.png", "loss", "total squared error per image")
    valid = splits["valid"]
    picks = [np.flatnonzero(valid.y == c)[:2] for c in np.random.default_rng(seed).choice(36, 5, replace=False)]
    idx = np.concatenate(picks)
    recon = model.reconstruct(valid.x[idx])
    reconstructions_plot(valid.images()[idx], recon.reshape(-1, 32, 32).transpose(0, 2, 1),
                         [CLASSES[valid.y[i]] for i in idx], out / "reconstructions.png")
    result = {"model": str(out / "autoencoder.npz"), "valid_psnr_db": hist["valid_psnr"][-1]}
    emit(result, fmt, [f"valid PSNR {result['valid_psnr_db']:.2f} dB",
                       f"model {result['model']}; plots in {out}: loss.png reconstructions.png"])


def load_extra_train_or_fail(pool, mixed_dirs):
    """Extra training sets by name: the glyph pool's capitals and digits, and each mixed folder's train split."""
    from training.sources import load_folder_split, load_pool

    extra = {}
    if pool:
        extra["pool"] = load_data_or_fail(load_pool, pool)
    for folder in mixed_dirs:
        extra[f"{Path(folder).name}/train"] = load_data_or_fail(load_folder_split, folder, "train")
    return extra


def train_torch_cmd(kind):
    defaults = TORCH[kind]

    @DATA_DIR_OPTION
    @click.option("--pool", type=click.Path(dir_okay=False), default=None,
                  help="Also train on the capitals and digits of this glyph pool (emnist_pool.npz).")
    @click.option("--extra-train", "extra_dirs", multiple=True, type=click.Path(file_okay=False),
                  help="Also train on nist36_train.mat of this NIST36-format folder (repeatable).")
    @click.option("--oversample-extra", default=1, show_default=True, type=click.IntRange(1),
                  help="Repeat the --extra-train sets this many times in the training set.")
    @click.option("--init", "init_path", type=click.Path(dir_okay=False), default=None,
                  help="Start from this model file's weights (fine-tuning) instead of a fresh network.")
    @click.option("--epochs", default=defaults["epochs"], show_default=True, type=click.IntRange(1))
    @click.option("--lr", default=defaults["lr"], show_default=True, type=click.FloatRange(min=0, min_open=True),
                  help="Peak learning rate of the one-cycle AdamW schedule.")
    @click.option("--batch-size", default=defaults["batch_size"], show_default=True, type=click.IntRange(1))
    @click.option("--samples-per-epoch", default=defaults["samples_per_epoch"], show_default=True,
                  type=click.IntRange(1), help="Images drawn per epoch (default: one pass over the training set).")
    @click.option("--balanced/--no-balanced", default=defaults["balanced"], show_default=True,
                  help="Draw every class equally often.")
    @click.option("--weight-decay", default=defaults["weight_decay"], show_default=True,
                  type=click.FloatRange(min=0), help="AdamW weight decay.")
    @click.option("--label-smoothing", default=defaults["label_smoothing"], show_default=True,
                  type=click.FloatRange(0, 1, max_open=True))
    @click.option("--augment/--no-augment", default=defaults["augment"], show_default=True)
    @click.option("--threads", default=defaults["threads"], show_default=True, type=click.IntRange(1),
                  help="Torch threads; 1 makes runs bit-for-bit repeatable.")
    @click.option("--out-dir", default=f"runs/{kind}", show_default=True)
    @SEED_OPTION
    @PROGRESS_OPTION
    @FORMAT_OPTION
    def command(data_dir, pool, extra_dirs, oversample_extra, init_path, epochs, lr, batch_size, samples_per_epoch,
                balanced, weight_decay, label_smoothing, augment, threads, out_dir, seed, progress, fmt):
        from training.data import load_all
        from training.plots import curves
        from training.provenance import provenance
        from training.sources import concatenate
        from training.train_torch import train_torch

        out = prepare_out_dir(out_dir)
        splits = load_data_or_fail(load_all, data_dir)
        extra = load_extra_train_or_fail(pool, extra_dirs)
        init = None
        if init_path:
            init = load_model_or_fail(init_path, classifier=True)
            if init.kind != kind:
                fail(f"{init_path}: is a {init.kind}, cannot start a {kind} from it")
        repeated = [split for name, split in extra.items() if name != "pool"] * (oversample_extra - 1)
        run_provenance = provenance(splits, extra, augment, argv=invoked_command())
        if init is not None:
            run_provenance["init"] = {"path": str(init_path), "command": init.settings.get("command"),
                                      "calibration": init.settings.get("calibration")}
        train_set = concatenate([splits["train"], *extra.values(), *repeated]) if extra else splits["train"]
        path, hist = train_torch(kind, train_set, splits["valid"], out / f"{kind.replace('-', '_')}.pt",
                                 epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, augment=augment,
                                 progress=progress, label_smoothing=label_smoothing, threads=threads,
                                 samples_per_epoch=samples_per_epoch, balanced=balanced, weight_decay=weight_decay,
                                 provenance=run_provenance, init=init)
        curves({"": hist}, out / "accuracy.png", "acc", "accuracy")
        curves({"": hist}, out / "loss.png", "loss", "mean cross-entropy")
        best = int(np.argmin(hist["valid_loss"]))
        result = {"model": str(path), "best_epoch": best + 1, "valid_accuracy": hist["valid_acc"][best],
                  "n_train": len(train_set), "seconds": hist["seconds"]}
        emit(result, fmt, [f"trained on {len(train_set)} images in {hist['seconds']:.0f} s",
                           f"best valid loss at epoch {best + 1}: valid accuracy {hist['valid_acc'][best]:.4f}",
                           f"model {path}; plots in {out}: accuracy.png loss.png"])

    command.__doc__ = {"cnn": "PyTorch CNN with affine/stroke/page-crop augmentation; keeps the best-validation "
                              "checkpoint.",
                       "torch-mlp": "The 1024-64-36 sigmoid MLP in PyTorch, for comparison."}[kind]
    return train.command(kind)(command)


train_torch_cmd("cnn")
train_torch_cmd("torch-mlp")
