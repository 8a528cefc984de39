"""``train line``: the CTC line recogniser on synthetic lines of real glyphs."""
import click

from .options import (DATA_DIR_OPTION, FORMAT_OPTION, PROGRESS_OPTION, SEED_OPTION, emit, load_data_or_fail,
                      prepare_out_dir, torch_line_model_or_fail)


@click.command("line")
@DATA_DIR_OPTION
@click.option("--pool", type=click.Path(dir_okay=False, exists=True), default=None,
              help="EMNIST-style pool .npz whose capitals and digits are added to the training glyphs "
                   "(else $OCR_POOL_PATH; none when unset).")
@click.option("--extra-train-dir", "extra_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="Another NIST36-format folder whose train split is added (repeatable, e.g. nist36-mixed).")
@click.option("--epochs", default=36, show_default=True, type=click.IntRange(1))
@click.option("--steps", "steps_per_epoch", default=150, show_default=True, type=click.IntRange(1),
              help="Batches of fresh synthetic lines per epoch.")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1))
@click.option("--lr", default=2e-3, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Peak learning rate of the AdamW schedule (warm-up, then cosine decay).")
@click.option("--valid-lines", default=300, show_default=True, type=click.IntRange(1),
              help="Fixed validation lines built from NIST36 valid glyphs.")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1))
@click.option("--minutes", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Wall-clock budget: the schedule ends (and training stops) when it runs out; not bit-reproducible.")
@click.option("--init", "init_path", type=click.Path(dir_okay=False), default=None,
              help="Continue from this line model file (its architecture and weights; 'line' = the shipped one).")
@click.option("--out-dir", default="runs/line", show_default=True)
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def train_line_cmd(data_dir, pool, extra_dirs, epochs, steps_per_epoch, batch_size, lr, valid_lines, threads, minutes,
                   init_path, out_dir, seed, progress, fmt):
    """CTC line recogniser on synthetic lines of real glyphs; keeps the best-validation-CER checkpoint."""
    from training.line_synth import fixed_line_set, training_bank
    from training.plots import curves
    from training.train_line import train_line

    init = torch_line_model_or_fail(init_path) if init_path else None
    bank = load_data_or_fail(training_bank, data_dir, pool, extra_dirs)
    valid = load_data_or_fail(fixed_line_set, "valid", data_dir, valid_lines)
    out = prepare_out_dir(out_dir)

    def plot(hist):
        curves({"": hist}, out / "loss.png", "loss", "CTC loss per character")
        curves({"": hist}, out / "cer.png", "cer", "line CER (greedy)")

    path, hist = train_line(bank, valid, epochs=epochs, steps_per_epoch=steps_per_epoch, batch_size=batch_size,
                            lr=lr, seed=seed, out_path=out / "line.pt", progress=progress, threads=threads,
                            on_epoch=plot, time_budget=minutes * 60 if minutes else None, init=init)
    best = hist["best_epoch"] - 1
    result = {"model": str(path), "best_epoch": best + 1, "valid_cer": hist["valid_cer"][best],
              "seconds": round(hist["seconds"], 1), "glyphs": len(bank)}
    emit(result, fmt, [f"best valid CER at epoch {best + 1}: {hist['valid_cer'][best]:.4f} "
                       f"({len(bank)} training glyphs, {hist['seconds']:.0f} s)",
                       f"model {path}; plots in {out}: loss.png cer.png"])
