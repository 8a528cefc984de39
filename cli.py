"""Command-line interface: read pages, train and evaluate models."""
import json
import sys
from pathlib import Path

import click
import numpy as np

from ocr import __version__
from ocr.errors import OCRError, first_line
from ocr.page import DEFAULT_ENGINE
from ocr.recognition.glyph import CLASSES
from ocr.recognition.lexicon import DEFAULT_LEXICON
from ocr.writers import FORMATS
from training.data import DataFormatError, DataNotFoundError
from training.recipes import AUTOENCODER, MLP, TORCH

DATA_DIR_OPTION = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Folder with nist36_{train,valid,test}.mat (else $OCR_DATA_DIR, else ./data/nist36; never a fallback).")

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


class RecordingGroup(click.Group):
    """A click group that remembers the arguments it was invoked with (model files record the command)."""

    invoked_args = ()

    def main(self, args=None, *rest, **kwargs):
        RecordingGroup.invoked_args = tuple(sys.argv[1:] if args is None else args)
        return super().main(args, *rest, **kwargs)


def invoked_command():
    """``['cli.py', ARG, ...]``: the command line being run."""
    return ["cli.py", *RecordingGroup.invoked_args]


def invoked_command_line():
    from training.provenance import command_line

    return command_line(invoked_command())


@click.group(cls=RecordingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handocr")
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
    from training.data import SOURCE_NAMES, find_data_dir, load_all

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


def load_model_or_fail(spec, classifier=False, inference=False):
    """Load a model (a classifier when ``classifier``; for its forward pass only when ``inference``) or exit 1."""
    from ocr.errors import ModelFormatError
    from training.classifier import load_classifier, load_model

    try:
        return (load_classifier if classifier else load_model)(spec, inference)
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))


def prepare_out_dir(out_dir):
    path = Path(out_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path

MODEL_HELP = "Classifier: 'cnn', 'mlp', 'torch-mlp' or a model file path."


def engine_options(command):
    """``--engine``, ``--line-model`` and ``--lexicon`` of the page-reading commands."""
    command = click.option("--lexicon", default=DEFAULT_LEXICON, show_default=True,
                           help="Correct unsure letters-only words: 'en' (English list), 'none', or a file of "
                                "words, one per line.")(command)
    command = click.option("--line-model", default="line", show_default=True,
                           help="CTC line recogniser: 'line' (shipped) or a model file path.")(command)
    return click.option("--engine", type=click.Choice(["glyph", "line", "auto"]), default=DEFAULT_ENGINE,
                        show_default=True,
                        help="glyph: cut and classify letters; line: read whole lines with the CTC recogniser "
                             "(better where letters touch); auto: read each line both ways and keep the more "
                             "confident reading (glyph when no line model is found). See models/README.md.")(command)


def read_options_or_fail(engine, line_model, lexicon):
    """``read_page`` keyword arguments for the engine options, or exit 1 with one line."""
    from ocr.api import line_recogniser
    from ocr.errors import ModelFormatError
    from ocr.recognition.lexicon import LexiconError, load_lexicon

    try:
        words = load_lexicon(lexicon)
    except LexiconError as exc:
        fail(first_line(exc))
    try:
        recogniser = line_recogniser(engine, line_model)
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))
    return {"engine": engine if recogniser is not None else "glyph", "recogniser": recogniser, "lexicon": words}


def torch_line_model_or_fail(spec):
    """The line recogniser ``spec`` ('line' = shipped, or a path) as a torch model to train on, or exit 1."""
    from ocr.errors import ModelFormatError
    from training.classifier import resolve_model_path
    from training.line_model import load_line_model  # torch: imported only to train from a line model

    try:
        return load_line_model(resolve_model_path(spec))
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))


def write_extras(reading, name, overlay_path, crops_path, several):
    """Write the overlay and crops grid of one page; the one-line errors of those that failed."""
    from ocr.writers.pictures import crops_grid, overlay

    errors = []
    for what, path, write in (
            ("overlay", overlay_path, lambda p: overlay(reading.image, reading.result, p)),
            ("crops", crops_path, lambda p: crops_grid(reading.result.crops, p, labels=reading.result.crop_labels))):
        if not path:
            continue
        target = suffixed(path, name, several)
        try:
            write(target)
        except (OSError, ValueError) as exc:
            errors.append(f"{what} {target}: cannot write ({first_line(exc)})")
    return errors


def suffixed(path, stem_suffix, several):
    """``path`` itself, or ``NAME-SUFFIX.ext`` when writing one file per page."""
    path = Path(path)
    if not several:
        return path
    return path.with_name(f"{path.stem}-{stem_suffix}{path.suffix or '.png'}")


@cli.command("read")
@click.argument("images", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from -o FILE's extension, else text). json is always a list of "
                   "pages; jsonl streams one page per line; pdf is a searchable PDF (needs -o or --output-dir).")
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False), default=None,
              help="Write all pages to FILE instead of stdout.")
@click.option("--output-dir", type=click.Path(file_okay=False), default=None,
              help="Write one file per page, DIR/NAME.EXT (NAME-pN for a page of several; pdf: one per input).")
@click.option("-r", "--recursive", is_flag=True, help="Read images in subfolders of folders too.")
@click.option("--overlay", "overlay_path", type=click.Path(dir_okay=False), default=None,
              help="Write boxes and predictions drawn on the page (PNG; suffixed per page when several).")
@click.option("--crops", "crops_path", type=click.Path(dir_okay=False), default=None,
              help="Write a PNG grid of the normalised 32x32 crops (suffixed per page when several).")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Read inputs in N worker processes, each loading the models once (default 1: here).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Read on a Dask distributed cluster, e.g. tcp://HOST:8786 (workers need handocr installed).")
@engine_options
@PROGRESS_OPTION
def read(images, model, fmt, output_path, output_dir, recursive, overlay_path, crops_path, jobs, scheduler, engine,
         line_model, lexicon, progress):
    """Read the handwritten block capitals on IMAGE files, PDFs, folders, or - (stdin)."""
    from threadpoolctl import threadpool_limits
    from tqdm import tqdm

    from ocr.api import Reader
    from ocr.batch import BatchError, read_in_order
    from ocr.decode.inputs import expand_inputs, page_stem, unique_stems
    from ocr.writers import WRITERS, format_of, render, save, write_atomic
    from ocr.writers.text import page_label

    if fmt is None:
        try:
            fmt = format_of(output_path) if output_path else "text"
        except ValueError as exc:
            fail(f"{exc} (or pass --format)")
    if output_path and output_dir:
        fail("give either -o FILE or --output-dir DIR, not both")
    if fmt == "pdf" and not (output_path or output_dir):
        fail("--format pdf writes a file: give -o FILE.pdf or --output-dir DIR")
    if jobs and scheduler:
        fail("give either --jobs N or --scheduler ADDRESS, not both")
    sources = expand_inputs(images, recursive)
    if not sources:
        fail("no images found in " + ", ".join(images))
    if fmt == "page" and len(sources) > 1 and not output_dir:
        fail("PAGE XML holds one page per file: use --output-dir DIR for several inputs")
    if output_dir:
        try:
            Path(output_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"--output-dir {output_dir}: cannot create ({first_line(exc)})")
    reader = Reader(load_model_or_fail(model, classifier=True, inference=True),
                    **read_options_or_fail(engine, line_model, lexicon))
    try:
        batch = read_in_order(sources, reader, jobs=jobs or 1, scheduler=scheduler,
                              keep_image=bool(overlay_path) or fmt == "pdf", keep_crops=bool(crops_path))
    except BatchError as exc:
        fail(first_line(exc))
    stems = unique_stems(sources)
    streaming = fmt in ("text", "jsonl") and not (output_path or output_dir)
    collected, late_errors, failed = [], [], 0
    one_blas_thread = threadpool_limits(1)
    bar = tqdm(zip(sources, stems, batch), total=len(sources), file=sys.stderr, desc="inputs", leave=False,
               disable=not progress or len(sources) < 3 or not sys.stderr.isatty())
    for source, stem, pages in bar:
        document = []
        try:
            for item in pages:
                if not item.ok:
                    failed += 1
                    tqdm.write(f"Error: {item.message}", file=sys.stderr)
                    if fmt in ("json", "jsonl"):
                        collected.append(item)
                        if streaming:
                            click.echo(render([item], fmt), nl=False)
                    continue
                several = len(sources) > 1 or item.page_count > 1
                name = page_stem(stem, item.page, item.page_count)
                if streaming and fmt == "text":
                    if several:
                        click.echo(f"==> {page_label(item)} <==")
                    click.echo(render([item], fmt), nl=False)
                elif streaming:
                    click.echo(render([item], fmt), nl=False)
                elif output_dir and fmt != "pdf":
                    save([item], Path(output_dir) / f"{name}{WRITERS[fmt].EXTENSION}", fmt)
                else:
                    document.append(item)
                late_errors += write_extras(item, name, overlay_path, crops_path, several)
        except (OSError, ValueError) as exc:
            failed += 1
            tqdm.write(f"Error: {source}: {first_line(exc)}", file=sys.stderr)
        if output_dir and fmt == "pdf" and document:
            save(document, Path(output_dir) / f"{stem}.pdf", fmt)
        elif not streaming:
            collected += document
    bar.close()
    batch.close()
    one_blas_thread.restore_original_limits()
    if not streaming and not output_dir:
        pages = [p for p in collected if p.ok or fmt == "json"]
        if fmt == "page" and len(pages) != 1:
            fail(f"PAGE XML holds one page per file, got {len(pages)}: use --output-dir DIR")
        data = render(pages, fmt)
        if output_path:
            write_atomic(output_path, data)
        else:
            click.echo(data, nl=False)
    for message in late_errors:
        click.echo(f"Error: {message}", err=True)
    sys.exit(1 if failed or late_errors else 0)


@cli.command("evaluate-ocr")
@click.option("--pages", "pages_dir", required=True, type=click.Path(),
              help="Folder of NAME.jpg|png pages with NAME.txt truth beside them.")
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@engine_options
@FORMAT_OPTION
def evaluate_ocr(pages_dir, model, engine, line_model, lexicon, fmt):
    """Score page reading against truth text: CER, WER and line-count match per page."""
    from training.evaluate_pages import evaluate_pages, overall

    if not Path(pages_dir).is_dir():
        fail(f"{pages_dir}: no such directory")
    classifier = load_model_or_fail(model, classifier=True, inference=True)
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
@click.option("--lexicon", default=DEFAULT_LEXICON, show_default=True, help="'en', 'none' or a file of words.")
@DATA_DIR_OPTION
@SEED_OPTION
@FORMAT_OPTION
def evaluate_lines_cmd(line_model, split, n_lines, spacing, lexicon, data_dir, seed, fmt):
    """Line CER of the CTC recogniser on synthetic lines of NIST36 glyphs, without and with the lexicon."""
    from training.evaluate_pages import evaluate_line_set
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
    from training.sample_pages import write_samples

    for path in load_data_or_fail(write_samples, out_dir, data_dir, n_pages, seed, touching):
        click.echo(f"wrote {path} and {path.with_suffix('.txt').name}")


@cli.group()
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

    splits = load_data_or_fail(load_all, data_dir)
    out = prepare_out_dir(out_dir)
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

    splits = load_data_or_fail(load_all, data_dir)
    out = prepare_out_dir(out_dir)
    model, hist = train_autoencoder(splits["train"], splits["valid"], hidden=hidden, epochs=epochs, lr=lr, batch_size=batch_size,
                                    momentum=momentum, seed=seed, progress=progress,
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
    def command(data_dir, pool, extra_dirs, oversample_extra, init_path, epochs, lr, batch_size, samples_per_epoch, balanced, weight_decay,
                label_smoothing, augment, threads, out_dir, seed, progress, fmt):
        from training.data import load_all
        from training.plots import curves
        from training.provenance import provenance
        from training.sources import concatenate
        from training.train_torch import train_torch

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
        out = prepare_out_dir(out_dir)
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


@cli.command()
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
    from training.provenance import data_mismatch

    model = load_model_or_fail(model_spec)
    data_split = load_data_or_fail(load_split, split, data_dir)
    mismatch = data_mismatch(getattr(model, "settings", {}), data_split)
    if model.kind == "autoencoder":
        result = evaluate_autoencoder(model, data_split)
        lines = [f"mean PSNR on {split} ({result['n']} images): {result['psnr_db']:.2f} dB"]
    else:
        result = evaluate_classifier(model, data_split)
        lines = [f"accuracy on {split} ({result['n']} images): {result['accuracy']:.4f}",
                 f"  with look-alike pairs folded ({' '.join(result['folded_pairs'])}): "
                 f"{result['accuracy_folded']:.4f}"]
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
    result.update(split=split, model=str(model_spec), kind=model.kind, data_fingerprint=data_split.fingerprint(),
                  data_matches_model=mismatch is None)
    if mismatch:
        result["data_note"] = mismatch
        lines.append(f"Note: {mismatch}")
        if fmt == "json":
            click.echo(f"Note: {mismatch}", err=True)
    emit(result, fmt, lines)


if __name__ == "__main__":
    cli()
