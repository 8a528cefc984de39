"""``train line``: the CTC line recogniser on synthetic lines of real glyphs; ``train line-set``: its mixed-case lines."""
import click
import numpy as np

from .options import (DATA_DIR_OPTION, FORMAT_OPTION, PROGRESS_OPTION, SEED_OPTION, emit, fail, guard_output,
                      invoked_command_line, load_data_or_fail, prepare_out_dir, torch_line_model_or_fail)


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
@click.option("--line-set", "line_sets", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Train the mixed-case recogniser on this line set (`train line-set --split train`; repeatable) "
                   "instead of capitals composed from NIST36 glyphs.")
@click.option("--valid-set", type=click.Path(dir_okay=False, exists=True), default=None,
              help="With --line-set: the validation line set (`train line-set --split valid`).")
@click.option("--out-dir", default="runs/line", show_default=True)
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def train_line_cmd(data_dir, pool, extra_dirs, epochs, steps_per_epoch, batch_size, lr, valid_lines, threads, minutes,
                   init_path, line_sets, valid_set, out_dir, seed, progress, fmt):
    """CTC line recogniser on synthetic lines of real glyphs; keeps the best-validation-CER checkpoint."""
    from training.line_model import mixed_arch
    from training.line_synth import fixed_line_set, training_bank
    from training.mixed_lines import LineSet, for_model, load_line_set
    from training.plots import curves
    from training.train_line import train_line

    out = prepare_out_dir(out_dir)
    init = torch_line_model_or_fail(init_path) if init_path else None
    arch = None
    if line_sets:
        if not valid_set:
            fail("--line-set needs --valid-set (a line set made with --split valid)")
        arch = dict(init.arch) if init is not None else mixed_arch()
        strips, texts = [], []
        for path in line_sets:
            more = load_data_or_fail(load_line_set, path)
            strips, texts = strips + for_model(more[0], arch.get("strip_scale", 1.0)), texts + more[1]
        bank = LineSet(strips, texts)
        valid = load_data_or_fail(load_line_set, valid_set)[:2]
        valid = ([s.astype(np.float32) for s in for_model(valid[0][:valid_lines], arch.get("strip_scale", 1.0))],
                 valid[1][:valid_lines])
    else:
        bank = load_data_or_fail(training_bank, data_dir, pool, extra_dirs)
        valid = load_data_or_fail(fixed_line_set, "valid", data_dir, valid_lines)

    def plot(hist):
        curves({"": hist}, out / "loss.png", "loss", "CTC loss per character")
        curves({"": hist}, out / "cer.png", "cer", "line CER (greedy)")

    path, hist = train_line(bank, valid, epochs=epochs, steps_per_epoch=steps_per_epoch, batch_size=batch_size,
                            lr=lr, seed=seed, out_path=out / "line.pt", progress=progress, threads=threads,
                            on_epoch=plot, time_budget=minutes * 60 if minutes else None, init=init, arch=arch)
    best = hist["best_epoch"] - 1
    result = {"model": str(path), "best_epoch": best + 1, "valid_cer": hist["valid_cer"][best],
              "seconds": round(hist["seconds"], 1), "glyphs": len(bank)}
    emit(result, fmt, [f"best valid CER at epoch {best + 1}: {hist['valid_cer'][best]:.4f} "
                       f"({len(bank)} training glyphs, {hist['seconds']:.0f} s)",
                       f"model {path}; plots in {out}: loss.png cer.png"])


@click.command("line-set")
@click.option("--split", type=click.Choice(["train", "valid", "test"]), default="train", show_default=True,
              help="train: the pool's training glyphs and the training typefaces; valid/test: the held-out ones.")
@click.option("--lines", "n_lines", default=100_000, show_default=True, type=click.IntRange(1),
              help="Lines to make (a line the reader's layout misses is left out).")
@click.option("--pool", type=click.Path(dir_okay=False, exists=True), default=None,
              help="EMNIST-style pool .npz (its lowercase, capitals and digits; else $OCR_POOL_PATH).")
@click.option("--fonts", "font_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="Folder of handwriting typefaces (repeatable; else $OCR_FONT_DIRS, else /usr/share/fonts, "
                   "~/.local/share/fonts and ./fonts/node_modules/@fontsource).")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1), help="Worker processes.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="The line set file (.npz) to write.")
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def line_set_cmd(split, n_lines, pool, font_dirs, jobs, out_path, seed, progress, fmt):
    """Mixed-case lines for the line recogniser, each made into a strip by the reader's own front end and layout."""
    import os
    from pathlib import Path

    from training.line_synth import pool_path
    from training.mixed_lines import line_sources, make_line_set, save_line_set

    out = Path(out_path)
    guard_output(out)
    sources = load_data_or_fail(line_sources, split, pool_path(pool), list(font_dirs) or None)
    strips, texts, missed = make_line_set(n_lines, sources, seed, jobs=jobs, progress=progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp.npz")
    save_line_set(tmp, strips, texts, split=split, seed=seed, lines=n_lines, missed=missed,
                  command=invoked_command_line(), sources=sources.describe())
    os.replace(tmp, out)
    result = {"out": str(out), "lines": len(texts), "missed": missed, "split": split,
              "fonts": len(sources.fonts), "pool_glyphs": sources.describe()["pool_glyphs"]}
    emit(result, fmt, [f"{len(texts)} {split} lines in {out} ({missed} left out: the reader's layout missed them); "
                       f"{len(sources.fonts)} typefaces, {result['pool_glyphs']} pool glyphs"])
