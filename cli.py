"""Command-line interface: read pages, train and evaluate models."""
import sys

import click
import numpy as np

from training.data import DataFormatError, DataNotFoundError

DATA_DIR_OPTION = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Folder with nist36_{train,valid,test}.mat (else $OCR_DATA_DIR, else ./data/nist36).")


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


if __name__ == "__main__":
    cli()
