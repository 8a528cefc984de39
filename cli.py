"""Command-line interface: read pages, train and evaluate models."""
import json
import sys
from pathlib import Path

import click
import numpy as np

from ocr.errors import OCRError
from training.data import DataFormatError, DataNotFoundError

DATA_DIR_OPTION = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Folder with nist36_{train,valid,test}.mat (else $OCR_DATA_DIR, else ./data/nist36).")

FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="Output format; json prints one object as the last line.")
SEED_OPTION = click.option("--seed", default=0, show_default=True, help="Seed for init, shuffling and augmentation.")
PROGRESS_OPTION = click.option("--progress/--no-progress", default=True, show_default=True,
                               help="Show progress bars on stderr.")


def fail(message):
    """Print one error line on stderr and exit 1."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def load_data_or_fail(loader, *args, **kwargs):
    try:
        return loader(*args, **kwargs)
    except (DataNotFoundError, DataFormatError) as exc:
        fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Handwritten block-capital OCR: read pages, train and evaluate models."""


@cli.command()
@click.option("--seed", default=0, show_default=True, help="Seed for the random data and init.")
@click.option("--tol", default=1e-6, show_default=True, help="Largest relative error accepted.")
def gradcheck(seed, tol):
    """Check backprop against central differences on a small MLP and the autoencoder."""
    from training.gradcheck_models import gradcheck_report

    worst = 0.0
    for model_name, errors in gradcheck_report(seed):
        click.echo(model_name)
        for name, err in errors.items():
            flag = "" if err < tol else "  FAIL"
            click.echo(f"  {name:8s} max rel error {err:.2e}{flag}")
            worst = max(worst, err)
    click.echo(f"worst {worst:.2e} (tolerance {tol:.0e})")
    sys.exit(0 if worst < tol else 1)


@cli.command()
@DATA_DIR_OPTION
@click.option("--grid", type=click.Path(dir_okay=False), default=None, help="Write a PNG grid of samples per class.")
@click.option("--per-class", default=8, show_default=True, help="Samples per class in the grid.")
@click.option("--seed", default=0, show_default=True)
def data(data_dir, grid, per_class, seed):
    """Show where NIST36 was found, split sizes and class counts."""
    from training.data import CLASSES, SOURCE_NAMES, find_data_dir, load_all

    folder = load_data_or_fail(find_data_dir, data_dir)
    splits = load_data_or_fail(load_all, folder)
    click.echo(f"NIST36 found in {folder.resolve()}")
    click.echo("class  " + " ".join(f"{s:>6s}" for s in splits))
    for c, name in enumerate(CLASSES):
        click.echo(f"{name:5s}  " + " ".join(f"{int(np.sum(sp.y == c)):6d}" for sp in splits.values()))
    click.echo("total  " + " ".join(f"{len(sp):6d}" for sp in splits.values()))
    for s, sp in splits.items():
        if sp.source is not None:
            counts = ", ".join(f"{SOURCE_NAMES.get(k, k)} {int(np.sum(sp.source == k))}" for k in np.unique(sp.source))
            click.echo(f"{s} sources: {counts}")
    if grid:
        from training.plots import class_sample_grid

        class_sample_grid(splits["train"], grid, per_class=per_class, rng=seed)
        click.echo(f"wrote {grid}")


def emit(result, fmt, text_lines):
    """Print ``text_lines`` or, with ``--format json``, one JSON object as the last line."""
    if fmt == "json":
        click.echo(json.dumps(result))
    else:
        for line in text_lines:
            click.echo(line)


def load_model_or_fail(spec, classifier=False):
    """Load a model (a classifier when ``classifier``) or exit 1 with one line."""
    from training.classifier import load_classifier, load_model
    from training.model_errors import ModelFormatError

    try:
        return (load_classifier if classifier else load_model)(spec)
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))


def prepare_out_dir(out_dir):
    path = Path(out_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path

MODEL_HELP = "Classifier: 'cnn', 'mlp', 'torch-mlp' or a model file path."


def engine_options(command):
    """``--engine``, ``--line-model`` and ``--lexicon`` of the page-reading commands."""
    command = click.option("--lexicon", default="none", show_default=True,
                           help="Correct unsure letters-only words: 'en' (English list), 'none', or a file of "
                                "words, one per line.")(command)
    command = click.option("--line-model", default="line", show_default=True,
                           help="CTC line recogniser: 'line' (shipped) or a model file path.")(command)
    return click.option("--engine", type=click.Choice(["glyph", "line", "auto"]), default="auto", show_default=True,
                        help="glyph: cut and classify letters; line: read whole lines (CTC); auto: lines with "
                             "touching letters by the line engine (glyph when no line model is found).")(command)


def read_options_or_fail(engine, line_model, lexicon):
    """``read_page`` keyword arguments for the engine options, or exit 1 with one line."""
    from ocr.lexicon import LexiconError, load_lexicon
    from training.classifier import resolve_model_path
    from training.line_model import load_line_model
    from training.model_errors import ModelFormatError

    try:
        words = load_lexicon(lexicon)
    except LexiconError as exc:
        fail(first_line(exc))
    recogniser = None
    if engine != "glyph":
        try:
            recogniser = load_line_model(resolve_model_path(line_model))
        except FileNotFoundError as exc:
            if engine == "line" or line_model != "line":
                fail(first_line(exc))
            engine = "glyph"
        except (ModelFormatError, OSError, ValueError) as exc:
            fail(first_line(exc))
    return {"engine": engine, "recogniser": recogniser, "lexicon": words}


def first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def expand_inputs(paths):
    """Image files from the given paths, directories expanded to their images (sorted)."""
    from ocr.page import IMAGE_EXTENSIONS

    out = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(q for q in path.iterdir() if q.is_file() and q.suffix.lower() in IMAGE_EXTENSIONS))
        else:
            out.append(path)
    return out


def suffixed(path, stem_suffix, several):
    """``path`` itself, or ``NAME-SUFFIX.ext`` when writing one file per image."""
    path = Path(path)
    if not several:
        return path
    return path.with_name(f"{path.stem}-{stem_suffix}{path.suffix or '.png'}")


@cli.command("read")
@click.argument("images", nargs=-1, required=True, type=click.Path())
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--overlay", "overlay_path", type=click.Path(dir_okay=False), default=None,
              help="Write boxes and predictions drawn on the page (PNG; suffixed per image when several).")
@click.option("--crops", "crops_path", type=click.Path(dir_okay=False), default=None,
              help="Write a PNG grid of the normalised 32x32 crops (suffixed per image when several).")
@engine_options
def read(images, model, fmt, overlay_path, crops_path, engine, line_model, lexicon):
    """Read the handwritten block capitals on IMAGE files (or directories of images)."""
    from tqdm import tqdm

    from ocr.normalise import crops_grid
    from ocr.page import load_image, overlay, read_page

    classifier = load_model_or_fail(model, classifier=True)
    options = read_options_or_fail(engine, line_model, lexicon)
    paths = expand_inputs(images)
    if not paths:
        fail("no images found in " + ", ".join(images))
    several = len(paths) > 1
    failed = 0
    pages = []
    bar = tqdm(paths, file=sys.stderr, disable=len(paths) < 3 or not sys.stderr.isatty(), desc="pages",
               leave=False)
    for path in bar:
        try:
            image = load_image(path)
            result = read_page(image, classifier, **options)
            if overlay_path:
                overlay(image, result, suffixed(overlay_path, path.stem, several))
            if crops_path:
                crops_grid(result.crops, suffixed(crops_path, path.stem, several), labels=result.crop_labels)
        except OCRError as exc:
            failed += 1
            tqdm.write(f"Error: {first_line(exc)}", file=sys.stderr)
            continue
        except (OSError, ValueError, MemoryError) as exc:
            failed += 1
            tqdm.write(f"Error: {path}: {first_line(exc)}", file=sys.stderr)
            continue
        if fmt == "json":
            page = result.to_dict()
            page["file"] = str(path)
            pages.append(page)
        else:
            if several:
                click.echo(f"==> {path} <==")
            if result.text:
                click.echo(result.text)
    bar.close()
    if fmt == "json":
        click.echo(json.dumps(pages if several else (pages[0] if pages else None)))
    sys.exit(1 if failed else 0)


@cli.command("evaluate-ocr")
@click.option("--pages", "pages_dir", required=True, type=click.Path(),
              help="Folder of NAME.jpg|png pages with NAME.txt truth beside them.")
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@engine_options
@FORMAT_OPTION
def evaluate_ocr(pages_dir, model, engine, line_model, lexicon, fmt):
    """Score page reading against truth text: CER, WER and line-count match per page."""
    from ocr.evaluate import evaluate_pages, overall

    if not Path(pages_dir).is_dir():
        fail(f"{pages_dir}: no such directory")
    classifier = load_model_or_fail(model, classifier=True)
    options = read_options_or_fail(engine, line_model, lexicon)
    try:
        rows = evaluate_pages(pages_dir, classifier, **options)
    except OCRError as exc:
        fail(first_line(exc))
    if not rows:
        fail(f"{pages_dir}: no NAME.jpg|png pages with NAME.txt truth")
    total = overall(rows)
    if fmt == "json":
        keep = ("page", "cer", "wer", "lines", "truth_lines", "lines_match", "chars", "text", "seconds")
        click.echo(json.dumps({"pages": [{k: r[k] for k in keep} for r in rows], "overall": total}))
        return
    width = max(len("page"), max(len(r["page"]) for r in rows))
    click.echo(f"{'page':<{width}}  {'CER':>6}  {'WER':>6}  lines")
    for r in rows:
        mark = "ok" if r["lines_match"] else "MISMATCH"
        click.echo(f"{r['page']:<{width}}  {r['cer']:6.1%}  {r['wer']:6.1%}  {r['lines']}/{r['truth_lines']} {mark}")
    click.echo(f"{'overall':<{width}}  {total['cer']:6.1%}  {total['wer']:6.1%}  "
               f"{total['lines_match']}/{total['pages']} pages match")


@cli.command("evaluate-lines")
@click.option("--line-model", default="line", show_default=True, help="'line' (shipped) or a model file path.")
@click.option("--split", type=click.Choice(["test", "valid"]), default="test", show_default=True,
              help="NIST36 split whose glyphs compose the lines.")
@click.option("--lines", "n_lines", default=500, show_default=True, type=click.IntRange(1))
@click.option("--spacing", type=click.Choice(["wide", "normal", "touching", "overlapping"]), default=None,
              help="Only this letter spacing (default: the training mix).")
@click.option("--lexicon", default="en", show_default=True, help="'en', 'none' or a file of words.")
@DATA_DIR_OPTION
@SEED_OPTION
@FORMAT_OPTION
def evaluate_lines_cmd(line_model, split, n_lines, spacing, lexicon, data_dir, seed, fmt):
    """Line CER of the CTC recogniser on synthetic lines of NIST36 glyphs, without and with the lexicon."""
    from ocr.evaluate import evaluate_line_set
    from training.line_synth import fixed_line_set

    options = read_options_or_fail("line", line_model, lexicon)
    strips, texts = load_data_or_fail(fixed_line_set, split, data_dir, n_lines, seed + 1234, spacing)
    result = evaluate_line_set(options["recogniser"], strips, texts, options["lexicon"])
    result.update(split=split, spacing=spacing or "mix", lexicon=lexicon)
    emit(result, fmt, [f"{n_lines} {spacing or 'mixed-spacing'} lines from {split} glyphs: CER {result['cer']:.4f}, "
                       f"with lexicon {lexicon} {result['cer_lexicon']:.4f}",
                       f"lexicon changed {result['words_changed']} words ({result['changes_right']} right, "
                       f"{result['changes_wrong']} wrong, {result['digit_words_changed']} with digits); "
                       f"{1000 * result['seconds_per_line']:.1f} ms per line"])


@cli.command("make-samples")
@click.option("--out", "out_dir", default="sample_images", show_default=True, type=click.Path(file_okay=False))
@click.option("--pages", "n_pages", default=3, show_default=True, type=click.IntRange(1))
@click.option("--touching", is_flag=True, help="Every letter touches or overlaps its neighbours.")
@DATA_DIR_OPTION
@SEED_OPTION
def make_samples(out_dir, n_pages, touching, data_dir, seed):
    """Compose example pages from NIST36 test-split glyphs: NAME.png + NAME.txt."""
    from ocr.synth import write_samples

    for path in load_data_or_fail(write_samples, out_dir, data_dir, n_pages, seed, touching):
        click.echo(f"wrote {path} and {path.with_suffix('.txt').name}")


@cli.group()
def train():
    """Train a classifier or the autoencoder on NIST36."""


@train.command("mlp")
@DATA_DIR_OPTION
@click.option("--hidden", default=64, show_default=True)
@click.option("--epochs", default=50, show_default=True, type=click.IntRange(1))
@click.option("--lr", default=0.02, show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1))
@click.option("--momentum", default=0.9, show_default=True, type=click.FloatRange(0, 1, max_open=True))
@click.option("--weight-decay", default=0.0, show_default=True, type=click.FloatRange(min=0))
@click.option("--augment/--no-augment", default=True, show_default=True,
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
    from training.train_numpy import augment_rows, train_mlp

    splits = load_data_or_fail(load_all, data_dir)
    out = prepare_out_dir(out_dir)
    aug = augment_rows if augment else None
    rates = [lr, lr * 10, lr / 10] if lr_sweep else [lr]
    histories, finals = {}, []
    for rate in rates:
        model, hist, init_w, trained_w = train_mlp(
            splits["train"], splits["valid"], hidden, epochs, rate, batch_size, momentum, weight_decay, seed, aug,
            progress, label=f"lr={rate:g}")
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
@click.option("--epochs", default=100, show_default=True, type=click.IntRange(1))
@click.option("--lr", default=3e-5, show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("--batch-size", default=36, show_default=True, type=click.IntRange(1))
@click.option("--momentum", default=0.9, show_default=True, type=click.FloatRange(0, 1, max_open=True))
@click.option("--out-dir", default="runs/autoencoder", show_default=True)
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def train_autoencoder_cmd(data_dir, epochs, lr, batch_size, momentum, out_dir, seed, progress, fmt):
    """NumPy autoencoder 1024-32-32-32-1024 on total squared error, SGD with momentum."""
    from training.data import CLASSES, load_all
    from training.plots import curves, reconstructions_plot
    from training.train_numpy import train_autoencoder

    splits = load_data_or_fail(load_all, data_dir)
    out = prepare_out_dir(out_dir)
    model, hist = train_autoencoder(splits["train"], splits["valid"], epochs=epochs, lr=lr, batch_size=batch_size,
                                    momentum=momentum, seed=seed, progress=progress)
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


TORCH_DEFAULTS = {"cnn": dict(epochs=60, batch_size=64, label_smoothing=0.05),
                  "torch-mlp": dict(epochs=40, batch_size=32, label_smoothing=0.0)}


def train_torch_cmd(kind):
    defaults = TORCH_DEFAULTS[kind]

    @DATA_DIR_OPTION
    @click.option("--epochs", default=defaults["epochs"], show_default=True, type=click.IntRange(1))
    @click.option("--lr", default=3e-3, show_default=True, type=click.FloatRange(min=0, min_open=True),
                  help="Peak learning rate of the one-cycle AdamW schedule.")
    @click.option("--batch-size", default=defaults["batch_size"], show_default=True, type=click.IntRange(1))
    @click.option("--label-smoothing", default=defaults["label_smoothing"], show_default=True,
                  type=click.FloatRange(0, 1, max_open=True))
    @click.option("--augment/--no-augment", default=True, show_default=True)
    @click.option("--threads", default=1, show_default=True, type=click.IntRange(1),
                  help="Torch threads; 1 makes runs bit-for-bit repeatable.")
    @click.option("--out-dir", default=f"runs/{kind}", show_default=True)
    @SEED_OPTION
    @PROGRESS_OPTION
    @FORMAT_OPTION
    def command(data_dir, epochs, lr, batch_size, label_smoothing, augment, threads, out_dir, seed, progress, fmt):
        from training.data import load_all
        from training.plots import curves
        from training.train_torch import train_torch

        splits = load_data_or_fail(load_all, data_dir)
        out = prepare_out_dir(out_dir)
        path, hist = train_torch(kind, splits["train"], splits["valid"], epochs=epochs, lr=lr, batch_size=batch_size,
                                 seed=seed, augment=augment, out_path=out / f"{kind.replace('-', '_')}.pt",
                                 progress=progress, label_smoothing=label_smoothing, threads=threads)
        curves({"": hist}, out / "accuracy.png", "acc", "accuracy")
        curves({"": hist}, out / "loss.png", "loss", "mean cross-entropy")
        best = int(np.argmin(hist["valid_loss"]))
        result = {"model": str(path), "best_epoch": best + 1, "valid_accuracy": hist["valid_acc"][best]}
        emit(result, fmt, [f"best valid loss at epoch {best + 1}: valid accuracy {hist['valid_acc'][best]:.4f}",
                           f"model {path}; plots in {out}: accuracy.png loss.png"])

    command.__doc__ = {"cnn": "PyTorch CNN with affine/stroke augmentation; keeps the best-validation checkpoint.",
                       "torch-mlp": "The 1024-64-36 sigmoid MLP in PyTorch, for comparison."}[kind]
    return train.command(kind)(command)


train_torch_cmd("cnn")
train_torch_cmd("torch-mlp")


@train.command("line")
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
@click.option("--out-dir", default="runs/line", show_default=True)
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def train_line_cmd(data_dir, pool, extra_dirs, epochs, steps_per_epoch, batch_size, lr, valid_lines, threads, minutes,
                   out_dir, seed, progress, fmt):
    """CTC line recogniser on synthetic lines of real glyphs; keeps the best-validation-CER checkpoint."""
    from training.line_synth import fixed_line_set, training_bank
    from training.plots import curves
    from training.train_line import train_line

    bank = load_data_or_fail(training_bank, data_dir, pool, extra_dirs)
    valid = load_data_or_fail(fixed_line_set, "valid", data_dir, valid_lines)
    out = prepare_out_dir(out_dir)

    def plot(hist):
        curves({"": hist}, out / "loss.png", "loss", "CTC loss per character")
        curves({"": hist}, out / "cer.png", "cer", "line CER (greedy)")

    path, hist = train_line(bank, valid, epochs=epochs, steps_per_epoch=steps_per_epoch, batch_size=batch_size,
                            lr=lr, seed=seed, out_path=out / "line.pt", progress=progress, threads=threads,
                            on_epoch=plot, time_budget=minutes * 60 if minutes else None)
    best = hist["best_epoch"] - 1
    result = {"model": str(path), "best_epoch": best + 1, "valid_cer": hist["valid_cer"][best],
              "seconds": round(hist["seconds"], 1), "glyphs": len(bank)}
    emit(result, fmt, [f"best valid CER at epoch {best + 1}: {hist['valid_cer'][best]:.4f} "
                       f"({len(bank)} training glyphs, {hist['seconds']:.0f} s)",
                       f"model {path}; plots in {out}: loss.png cer.png"])


@cli.command()
@click.option("--model", "model_spec", default="cnn", show_default=True,
              help="cnn, mlp, torch-mlp, autoencoder, or a model file (.npz / .pt).")
@click.option("--split", type=click.Choice(["test", "valid", "train"]), default="test", show_default=True)
@click.option("--confusion", type=click.Path(dir_okay=False), default=None, help="Write the confusion matrix PNG.")
@DATA_DIR_OPTION
@FORMAT_OPTION
def evaluate(model_spec, split, confusion, data_dir, fmt):
    """Accuracy (classifier) or PSNR (autoencoder) of a model on a NIST36 split."""
    from training.data import load_split
    from training.evaluate import evaluate_autoencoder, evaluate_classifier

    model = load_model_or_fail(model_spec)
    data_split = load_data_or_fail(load_split, split, data_dir)
    if model.kind == "autoencoder":
        result = evaluate_autoencoder(model, data_split)
        lines = [f"mean PSNR on {split} ({result['n']} images): {result['psnr_db']:.2f} dB"]
    else:
        result = evaluate_classifier(model, data_split)
        lines = [f"accuracy on {split} ({result['n']} images): {result['accuracy']:.4f}"]
        for name, acc in result.get("per_source", {}).items():
            lines.append(f"  {name}: {acc:.4f}")
        lines.append("per class: " + " ".join(f"{c}={a:.2f}" for c, a in result["per_class"].items() if a is not None))
        lines.append("top confusions (true -> predicted: count): " +
                     ", ".join(f"{t}->{p}: {n}" for t, p, n in result["top_confusions"]))
        if confusion:
            from training.plots import confusion_matrix_plot

            confusion_matrix_plot(np.array(result["confusion"]), confusion,
                                  f"{Path(str(model_spec)).name} on {split}: accuracy {result['accuracy']:.3f}")
            lines.append(f"wrote {confusion}")
        if fmt == "json":
            del result["confusion"]
    result.update(split=split, model=str(model_spec), kind=model.kind)
    emit(result, fmt, lines)


if __name__ == "__main__":
    cli()
