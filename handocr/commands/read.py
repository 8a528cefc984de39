"""``read``: pages (images, PDFs, folders, stdin) to text, JSON, TSV, hOCR, ALTO, PAGE or searchable PDF."""
import errno
import sys
from pathlib import Path

import click

from ocr.batch import CONNECT_TIMEOUT
from ocr.errors import first_line
from ocr.writers import FORMATS
from ocr.writers.output import STDOUT

from .options import (MODEL_HELP, PROGRESS_OPTION, engine_options, fail, read_options_or_fail,
                      reader_classifier_or_fail)


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


def quiet_dask_client():
    """Keep the Dask client's own log lines (a lost worker's task "rescheduling") off the command's stderr.

    What a user needs to know arrives as the batch's own errors: an input that failed after its retries.
    """
    import logging

    import distributed  # noqa: F401  (sets its loggers' levels on import: set ours after)

    for name in ["distributed", *logging.root.manager.loggerDict]:
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.ERROR)


def suffixed(path, stem_suffix, several):
    """``path`` itself, or ``NAME-SUFFIX.ext`` when writing one file per page."""
    path = Path(path)
    if not several:
        return path
    return path.with_name(f"{path.stem}-{stem_suffix}{path.suffix or '.png'}")


@click.command("read")
@click.argument("images", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False))
@click.option("--model", default="cnn", show_default=True, help=MODEL_HELP)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from -o FILE's extension, else text). json is always a list of "
                   "pages; jsonl streams one page per line; pdf is a searchable PDF (needs -o or --output-dir).")
@click.option("-o", "--output", "output_path", type=click.Path(allow_dash=True, readable=False), default=None,
              help="Write all pages to FILE instead of stdout (- is stdout; a FIFO or device is written through, "
                   "a link followed).")
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
@click.option("--connect-timeout", default=CONNECT_TIMEOUT, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds to reach the --scheduler before giving up.")
@engine_options
@PROGRESS_OPTION
def read(images, model, fmt, output_path, output_dir, recursive, overlay_path, crops_path, jobs, scheduler,
         connect_timeout, engine, line_model, mixed_model, lexicon, progress):
    """Read the hand-printed writing (capitals or mixed case) on IMAGE files, PDFs, folders, or - (stdin)."""
    from threadpoolctl import threadpool_limits
    from tqdm import tqdm

    from ocr.api import Reader
    from ocr.batch import BatchError, read_in_order
    from ocr.decode.inputs import expand_inputs, page_stem, unique_stems
    from ocr.writers import WRITERS, format_of, render, save, write_output
    from ocr.writers.text import page_label

    to_stdout = output_path in (None, STDOUT)
    if fmt is None:
        try:
            fmt = "text" if to_stdout else format_of(output_path)
        except ValueError as exc:
            fail(f"{exc} (or pass --format)")
    if output_path and output_dir:
        fail("give either -o FILE or --output-dir DIR, not both")
    if fmt == "pdf" and not (output_path or output_dir):
        fail("--format pdf writes a file: give -o FILE.pdf or --output-dir DIR")
    if jobs and scheduler:
        fail("give either --jobs N or --scheduler ADDRESS, not both")
    if scheduler:
        quiet_dask_client()
    sources = expand_inputs(images, recursive)
    if not sources:
        fail("no images found in " + ", ".join(images))
    if fmt == "page" and len(sources) > 1 and not output_dir:
        fail("PAGE XML holds one page per file: use --output-dir DIR for several inputs")
    check_outputs_or_fail(output_path, output_dir, overlay_path, crops_path)
    reader = Reader(reader_classifier_or_fail(model),
                    **read_options_or_fail(engine, line_model, lexicon, mixed_model))
    try:
        batch = read_in_order(sources, reader, jobs=jobs or 1, scheduler=scheduler,
                              keep_image=bool(overlay_path), keep_crops=bool(crops_path),
                              connect_timeout=connect_timeout)
    except BatchError as exc:
        fail(first_line(exc))
    stems = unique_stems(sources)
    streaming = fmt in ("text", "jsonl") and not output_dir and output_path is None
    collected, late_errors, failed = [], [], 0
    one_blas_thread = threadpool_limits(1)
    bar = tqdm(zip(sources, stems, batch), total=len(sources), file=sys.stderr, desc="inputs", leave=False,
               disable=not progress or len(sources) < 3 or not sys.stderr.isatty())
    try:
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
                                echo(render([item], fmt))
                        continue
                    several = len(sources) > 1 or item.page_count > 1
                    name = page_stem(stem, item.page, item.page_count)
                    if streaming and fmt == "text":
                        echo((f"==> {page_label(item)} <==\n" if several else "") + render([item], fmt))
                    elif streaming:
                        echo(render([item], fmt))
                    elif output_dir and fmt != "pdf":
                        save([item], Path(output_dir) / f"{name}{WRITERS[fmt].EXTENSION}", fmt)
                    else:
                        document.append(item)
                    late_errors += write_extras(item, name, overlay_path, crops_path, several)
                if output_dir and fmt == "pdf" and document:
                    save(document, Path(output_dir) / f"{stem}.pdf", fmt)
            except StdoutError:
                raise
            except (OSError, ValueError) as exc:
                failed += 1
                tqdm.write(f"Error: {source}: {first_line(exc)}", file=sys.stderr)
            if not (streaming or output_dir):
                collected += document
    except StdoutError as exc:
        if exc.errno != errno.EPIPE:
            fail(f"standard output: cannot write ({exc.strerror})")
        raise exc.__cause__ from None      # a closed pipe: click ends quietly
    finally:
        bar.close()
        batch.close()
        one_blas_thread.restore_original_limits()
    if not streaming and not output_dir:
        pages = [p for p in collected if p.ok or fmt == "json"]
        if fmt == "page" and len(pages) != 1:
            fail(f"PAGE XML holds one page per file, got {len(pages)}: use --output-dir DIR")
        try:
            write_output(output_path or STDOUT, render(pages, fmt))
        except OSError as exc:
            if to_stdout and exc.errno == errno.EPIPE:
                raise
            fail(f"{output_path or 'standard output'}: cannot write ({exc.strerror or first_line(exc)})")
    for message in late_errors:
        click.echo(f"Error: {message}", err=True)
    sys.exit(1 if failed or late_errors else 0)


class StdoutError(OSError):
    """Standard output cannot be written (e.g. a closed pipe): ends the command, not one input."""


def echo(text):
    """Print ``text`` on stdout as UTF-8 (see ``ocr.writers.output.encoded``); a failure is a :class:`StdoutError`."""
    from ocr.writers.output import encoded

    if not text:
        return
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(encoded(text))
        sys.stdout.buffer.flush()
    except OSError as exc:
        raise StdoutError(exc.errno, exc.strerror) from exc


def check_outputs_or_fail(output_path, output_dir, overlay_path, crops_path):
    """Exit 1 with one line, before any page is read, when an output cannot be written."""
    from ocr.writers.output import OutputError, check_folder, check_output

    try:
        if output_path:
            check_output(output_path)
        if output_dir:
            try:
                Path(output_dir).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"--output-dir {output_dir}: cannot create ({exc.strerror or first_line(exc)})")
            check_folder(output_dir, label=f"--output-dir {output_dir}")
        for what, path in (("--overlay", overlay_path), ("--crops", crops_path)):
            if path:
                check_output(path)
                check_folder(str(Path(path).parent), label=f"{what} {path}")
    except OutputError as exc:
        fail(first_line(exc))
