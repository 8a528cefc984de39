"""What the commands share: options, one-line failures, model and data loading, the command line being run."""
import json
import sys
from pathlib import Path

import click

from ocr.errors import first_line
from ocr.recognition.engines import DEFAULT_ENGINE, ENGINES
from ocr.recognition.lexicon import DEFAULT_LEXICON
from training.data import DataFormatError, DataNotFoundError

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


INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report a command the signal ended."""


class RecordingGroup(click.Group):
    """A click group that remembers the arguments it was invoked with (model files record the command).

    Ctrl-C ends a command quietly with :data:`INTERRUPTED` (click would print "Aborted!" and exit 1).
    """

    invoked_args = ()

    def main(self, args=None, *rest, **kwargs):
        RecordingGroup.invoked_args = tuple(sys.argv[1:] if args is None else args)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            sys.exit(INTERRUPTED)


def invoked_command():
    """``['cli.py', ARG, ...]``: the command line being run."""
    return ["cli.py", *RecordingGroup.invoked_args]


def invoked_command_line():
    from training.provenance import command_line

    return command_line(invoked_command())


def emit(result, fmt, text_lines):
    """Print ``text_lines`` or, with ``--format json``, one JSON object as the last line."""
    if fmt == "json":
        click.echo(json.dumps(result))
    else:
        for line in text_lines:
            click.echo(line)


def load_model_or_fail(spec, classifier=False):
    """Load a model to train or evaluate (a torch model for a ``.pt`` file; a classifier when ``classifier``) or exit 1."""
    from ocr.errors import ModelFormatError
    from training.classifier import load_classifier, load_model

    try:
        return (load_classifier if classifier else load_model)(spec)
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))


def reader_classifier_or_fail(spec):
    """The glyph classifier ``spec`` as ``read`` runs it (NumPy forward pass, no torch), or exit 1."""
    from ocr.errors import ModelFormatError
    from ocr.recognition import model_files

    try:
        return model_files.load_classifier(spec)
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))


def prepare_out_dir(out_dir):
    """The output folder of a training command, created, or exit 1 (shipped folders refused: :func:`guard_output`)."""
    guard_output(out_dir)
    path = Path(out_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{out_dir}: cannot create ({exc.strerror or first_line(exc)})")
    return path

MODEL_HELP = "Classifier: 'cnn', 'mlp', 'torch-mlp' or a model file path."


def engine_options(command):
    """``--engine``, ``--line-model`` and ``--lexicon`` of the page-reading commands."""
    command = click.option("--lexicon", default=DEFAULT_LEXICON, show_default=True,
                           help="Correct unsure letters-only words: 'en' (English list), 'none', or a file of "
                                "words, one per line.")(command)
    command = click.option("--line-model", default="line", show_default=True,
                           help="Capitals' CTC line recogniser: 'line' (shipped) or a model file path.")(command)
    command = click.option("--mixed-model", default="mixed", show_default=True,
                           help="Mixed-case CTC line recogniser: 'mixed' (shipped) or a model file path.")(command)
    return click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE,
                        show_default=True,
                        help="glyph: cut and classify capitals and digits; line: read whole lines of capitals with "
                             "the CTC recogniser (better where letters touch); mixed: read whole lines of mixed-case "
                             "print; auto: read each line every way and keep the best reading (lowercase, capitals "
                             "and digits). See ocr/models/README.md.")(command)


def read_options_or_fail(engine, line_model, lexicon, mixed_model="mixed"):
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
        mixed = line_recogniser(engine, mixed_model, role="mixed")
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))
    if engine == "auto" and recogniser is None and mixed is None:
        engine = "glyph"
    return {"engine": engine, "recogniser": recogniser, "mixed": mixed, "lexicon": words}


def torch_line_model_or_fail(spec):
    """The line recogniser ``spec`` ('line' = shipped, or a path) as a torch model to train on, or exit 1."""
    from ocr.errors import ModelFormatError
    from training.classifier import resolve_model_path
    from training.line_model import load_line_model  # torch: imported only to train from a line model

    try:
        return load_line_model(resolve_model_path(spec))
    except (FileNotFoundError, ModelFormatError, OSError, ValueError) as exc:
        fail(first_line(exc))


SHIPPED_SAMPLES = Path(__file__).resolve().parents[2] / "sample_images"
"""The example pages shipped with a clone (generated once; ``make-samples`` writes elsewhere)."""


def guard_output(path):
    """Exit 1 when ``path`` would write into the shipped models or sample images (copy a result there by hand).

    The one place of this rule: every output of ``train``, ``calibrate`` and ``make-samples``,
    defaults included, passes through it before anything is loaded or trained. Links are
    followed, so a link into a shipped folder is refused too.
    """
    from ocr.recognition.model_files import MODELS_DIR

    target = Path(path).resolve()
    for shipped in (MODELS_DIR.resolve(), SHIPPED_SAMPLES):
        if target == shipped or shipped in target.parents:
            fail(f"{path}: is inside the shipped {shipped.name}/ folder; write elsewhere and copy it there by hand")
