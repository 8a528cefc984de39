"""``train writing``: the writing / non-writing decision on lines and marks (``ocr/models/writing.npz``)."""
import click

from training.recipes import WRITING

from .options import (DATA_DIR_OPTION, FORMAT_OPTION, PROGRESS_OPTION, SEED_OPTION, emit, invoked_command,
                      load_data_or_fail, prepare_out_dir)


@click.command("writing")
@DATA_DIR_OPTION
@click.option("--pages", "n_pages", default=WRITING["pages"], show_default=True, type=click.IntRange(10),
              help="Synthetic pages to learn from (a quarter as many fresh ones measure it).")
@click.option("--dev-dir", "dev_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="A folder of real pages with NAME.txt truth whose lines add examples (repeatable).")
@click.option("--pool", type=click.Path(dir_okay=False), default=None,
              help="EMNIST-style pool .npz whose lowercase glyphs write mixed-case lines (never taken from "
                   "$OCR_POOL_PATH: the shipped model is trained without).")
@click.option("--model", default="cnn", show_default=True, help="The glyph classifier the reader uses.")
@click.option("--out-dir", default="runs/writing", show_default=True,
              help="Folder for writing.npz (copy it to ocr/models/ to ship it).")
@SEED_OPTION
@PROGRESS_OPTION
@FORMAT_OPTION
def train_writing_cmd(data_dir, n_pages, dev_dirs, pool, model, out_dir, seed, progress, fmt):
    """Logistic writing / non-writing decisions on the reader's own candidate lines and marks of synthetic pages."""
    from training.data import load_split
    from training.sample_pages import glyph_bank
    from training.writing_model import save_model, train_writing
    from training.writing_pages import lowercase_bank

    from .options import reader_classifier_or_fail

    split = load_data_or_fail(load_split, "train", data_dir)
    bank = glyph_bank(split.images(), split.y)
    if pool is not None:
        bank.update(load_data_or_fail(lowercase_bank, pool))
    classifier = reader_classifier_or_fail(model)
    tick = (lambda k: click.echo(f"page {k}", err=True) if k % 50 == 0 else None) if progress else None
    arrays, report = train_writing(bank, classifier, n_pages, seed, dev_dirs, progress=tick)
    out = prepare_out_dir(out_dir) / "writing.npz"
    save_model(out, arrays, " ".join(invoked_command()), seed)
    report["out"] = str(out)
    emit(report, fmt, [f"lines {report['lines']} ({report['writing_lines']} writing), marks {report['marks']} "
                       f"({report['written_marks']} written), dev lines {report['dev_lines']}",
                       f"balanced accuracy on fresh pages: lines {report['line_balanced_accuracy_fresh']:.3f}, "
                       f"marks {report['mark_balanced_accuracy_fresh']}", f"wrote {out}"])
