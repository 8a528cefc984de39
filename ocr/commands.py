"""Click commands ``read`` and ``evaluate-ocr``."""
import json
import sys
from pathlib import Path

import click

from .errors import OCRError

MODEL_HELP = "Classifier: 'cnn', 'mlp' or a model file path."


def _fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def load_model_or_fail(spec):
    """Load a classifier with ``training.classifier.load_classifier`` or exit 1 with one line."""
    from training.classifier import load_classifier
    from training.model_errors import ModelFormatError

    try:
        return load_classifier(spec)
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        _fail(_first_line(exc))


def expand_inputs(paths):
    """Image files from the given paths, directories expanded to their images (sorted)."""
    from .page import IMAGE_EXTENSIONS

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


@click.command("read")
@click.argument("images", nargs=-1, required=True, type=click.Path())
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--overlay", "overlay_path", type=click.Path(dir_okay=False), default=None,
              help="Write boxes and predictions drawn on the page (PNG; suffixed per image when several).")
@click.option("--crops", "crops_path", type=click.Path(dir_okay=False), default=None,
              help="Write a PNG grid of the normalised 32x32 crops (suffixed per image when several).")
def read(images, model, fmt, overlay_path, crops_path):
    """Read the handwritten block capitals on IMAGE files (or directories of images)."""
    from tqdm import tqdm

    from .find_letters import find_letters
    from .normalise import crops_grid, normalise_crops
    from .page import load_image, overlay, read_page

    classifier = load_model_or_fail(model)
    paths = expand_inputs(images)
    if not paths:
        _fail("no images found in " + ", ".join(images))
    several = len(paths) > 1
    failed = 0
    pages = []
    bar = tqdm(paths, file=sys.stderr, disable=len(paths) < 3 or not sys.stderr.isatty(), desc="pages",
               leave=False)
    for path in bar:
        try:
            image = load_image(path)
            result = read_page(image, classifier)
            if overlay_path:
                overlay(image, result, suffixed(overlay_path, path.stem, several))
            if crops_path:
                boxes, binary = find_letters(image)
                rows = normalise_crops(binary, boxes)
                crops_grid(rows, suffixed(crops_path, path.stem, several))
        except OCRError as exc:
            failed += 1
            tqdm.write(f"Error: {_first_line(exc)}", file=sys.stderr)
            continue
        except (OSError, ValueError, MemoryError) as exc:
            failed += 1
            tqdm.write(f"Error: {path}: {_first_line(exc)}", file=sys.stderr)
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


@click.command("evaluate-ocr")
@click.option("--pages", "pages_dir", required=True, type=click.Path(),
              help="Folder of NAME.jpg|png pages with NAME.txt truth beside them.")
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def evaluate_ocr(pages_dir, model, fmt):
    """Score page reading against truth text: CER, WER and line-count match per page."""
    from .evaluate import evaluate_pages, overall

    if not Path(pages_dir).is_dir():
        _fail(f"{pages_dir}: no such directory")
    classifier = load_model_or_fail(model)
    try:
        rows = evaluate_pages(pages_dir, classifier)
    except OCRError as exc:
        _fail(_first_line(exc))
    if not rows:
        _fail(f"{pages_dir}: no NAME.jpg|png pages with NAME.txt truth")
    total = overall(rows)
    if fmt == "json":
        keep = ("page", "cer", "wer", "lines", "truth_lines", "lines_match", "chars", "text")
        click.echo(json.dumps({"pages": [{k: r[k] for k in keep} for r in rows], "overall": total}))
        return
    width = max(len("page"), max(len(r["page"]) for r in rows))
    click.echo(f"{'page':<{width}}  {'CER':>6}  {'WER':>6}  lines")
    for r in rows:
        mark = "ok" if r["lines_match"] else "MISMATCH"
        click.echo(f"{r['page']:<{width}}  {r['cer']:6.1%}  {r['wer']:6.1%}  {r['lines']}/{r['truth_lines']} {mark}")
    click.echo(f"{'overall':<{width}}  {total['cer']:6.1%}  {total['wer']:6.1%}  "
               f"{total['lines_match']}/{total['pages']} pages match")
