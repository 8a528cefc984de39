"""The ``handocr`` command (also ``python -m handocr`` and, from a clone, ``python cli.py``): read, train, evaluate.

The commands live by use: ``read`` (pages to text and files); ``train`` (the
classifiers and the autoencoder), ``train_line`` (the line recogniser),
``calibrate``; ``evaluate`` (models, page reading, lines); ``data`` (the data
set, sample pages, the gradient check).
"""
import click

from ocr import __version__

from . import calibrate, data, evaluate, read, train, train_line, train_writing
from .options import RecordingGroup


@click.group(cls=RecordingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handocr")
def cli():
    """Handwritten OCR of block capitals and mixed-case print: read pages, train and evaluate models."""


train.train.add_command(train_line.train_line_cmd)
train.train.add_command(train_line.line_set_cmd)
train.train.add_command(train_writing.train_writing_cmd)
for command in (read.read, evaluate.evaluate_ocr, evaluate.evaluate_lines_cmd, evaluate.evaluate, train.train,
                calibrate.calibrate, data.data, data.make_samples, data.gradcheck):
    cli.add_command(command)


def main():
    """Entry point of the console command and ``python -m handocr``."""
    cli(prog_name="handocr")
