"""``data``, ``make-samples``, ``gradcheck``: the NIST36 files, example pages made from them, the backprop check."""
import sys

import click
import numpy as np

from ocr.recognition.glyph import CLASSES

from .options import DATA_DIR_OPTION, SEED_OPTION, guard_output, load_data_or_fail


@click.command()
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


@click.command()
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


@click.command("make-samples")
@click.option("--out", "out_dir", default="samples", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the pages (never the shipped sample_images/: copy pages there by hand).")
@click.option("--pages", "n_pages", default=3, show_default=True, type=click.IntRange(1))
@click.option("--touching", is_flag=True, help="Every letter touches or overlaps its neighbours.")
@DATA_DIR_OPTION
@SEED_OPTION
def make_samples(out_dir, n_pages, touching, data_dir, seed):
    """Compose example pages from NIST36 test-split glyphs: NAME.png + NAME.txt."""
    from training.sample_pages import write_samples

    guard_output(out_dir)
    for path in load_data_or_fail(write_samples, out_dir, data_dir, n_pages, seed, touching):
        click.echo(f"wrote {path} and {path.with_suffix('.txt').name}")
